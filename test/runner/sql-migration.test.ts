import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSqlMigration, type ParsedSqlMigration } from '../../src/runner/sql-migration.js';

function parsed(text: string): ParsedSqlMigration {
  const outcome = parseSqlMigration(text);
  assert.ok(outcome.ok, `expected the migration to parse, got: ${outcome.ok ? '' : outcome.problems.join('; ')}`);
  return outcome.value;
}

function problemsOf(text: string): readonly string[] {
  const outcome = parseSqlMigration(text);
  assert.ok(!outcome.ok, 'expected the migration to be rejected');
  return outcome.problems;
}

/** Assert some problem matches `pattern`. */
function assertProblem(problems: readonly string[], pattern: RegExp): void {
  assert.ok(
    problems.some((p) => pattern.test(p)),
    `no problem matches ${String(pattern)}; problems: ${JSON.stringify(problems)}`,
  );
}

const texts = (statements: ParsedSqlMigration['down']): string[] | undefined => statements?.map((s) => s.text);

test('the up and down sections are split into their statements', () => {
  const value = parsed('-- migrate:up\nCREATE TABLE a (x);\nCREATE TABLE b (y);\n-- migrate:down\nDROP TABLE b;\nDROP TABLE a;\n');
  assert.deepEqual(texts(value.up), ['CREATE TABLE a (x);', 'CREATE TABLE b (y);']);
  assert.deepEqual(texts(value.down), ['DROP TABLE b;', 'DROP TABLE a;']);
});

test('statements keep their keyword', () => {
  const value = parsed('-- migrate:up\ncreate table a (x);\ninsert into a values (1);\n-- migrate:down\ndrop table a;\n');
  assert.deepEqual(
    value.up.map((s) => s.keyword),
    ['CREATE', 'INSERT'],
  );
  assert.deepEqual(
    value.down?.map((s) => s.keyword),
    ['DROP'],
  );
});

test('header comments before "-- migrate:up" are allowed', () => {
  const value = parsed('-- Adds the accounts table.\n-- Author: someone; reviewed\n\n-- migrate:up\nCREATE TABLE accounts (id INTEGER PRIMARY KEY);\n');
  assert.deepEqual(texts(value.up), ['CREATE TABLE accounts (id INTEGER PRIMARY KEY);']);
});

test('SQL before "-- migrate:up" is a problem naming its line', () => {
  const problems = problemsOf('-- header\nCREATE TABLE stray (x);\n-- migrate:up\nCREATE TABLE a (x);\n');
  assert.deepEqual(problems, ['line 2: SQL before "-- migrate:up" (only comments may precede it)']);
});

test('a file without "-- migrate:up" is a problem', () => {
  const problems = problemsOf('CREATE TABLE a (x);\n');
  assertProblem(problems, /^no "-- migrate:up" marker/);
});

test('a file with only a header comment and no marker is a problem', () => {
  assert.deepEqual(problemsOf('-- nothing to see here\n'), [
    'no "-- migrate:up" marker (a .sql migration needs "-- migrate:up", and "-- migrate:down" to be reversible)',
  ]);
});

test('the markers are case-insensitive and tolerate spacing', () => {
  const value = parsed('--  Migrate:UP \nCREATE TABLE a (x);\n--migrate: down\nDROP TABLE a;\n');
  assert.deepEqual(texts(value.up), ['CREATE TABLE a (x);']);
  assert.deepEqual(texts(value.down), ['DROP TABLE a;']);
});

test('a file without a down section has down undefined (irreversible)', () => {
  const value = parsed('-- migrate:up\nCREATE TABLE a (x);\n');
  assert.equal(value.down, undefined);
});

test('a down section holding only comments is an explicit no-op: down is []', () => {
  const value = parsed('-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\n-- nothing to undo; the table stays\n');
  assert.deepEqual(value.down, []);
});

test('an empty down section is an explicit no-op: down is []', () => {
  const value = parsed('-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\n');
  assert.deepEqual(value.down, []);
});

test('an up section with no statements is a problem', () => {
  assert.deepEqual(problemsOf('-- migrate:up\n-- only a comment\n-- migrate:down\nDROP TABLE a;\n'), ['the "-- migrate:up" section has no statements']);
});

test('"-- migrate:down" before "-- migrate:up" is a problem', () => {
  const problems = problemsOf('-- migrate:down\nDROP TABLE a;\n-- migrate:up\nCREATE TABLE a (x);\n');
  assertProblem(problems, /"-- migrate:down" comes before "-- migrate:up"/);
});

test('a second "-- migrate:up" marker is a problem', () => {
  const problems = problemsOf('-- migrate:up\nCREATE TABLE a (x);\n-- migrate:up\nCREATE TABLE b (x);\n');
  assertProblem(problems, /more than one "-- migrate:up" marker/);
});

test('a second "-- migrate:down" marker is a problem', () => {
  const problems = problemsOf('-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n-- migrate:down\nDROP TABLE a;\n');
  assertProblem(problems, /more than one "-- migrate:down" marker/);
});

test('statement line numbers refer to lines of the whole file', () => {
  const value = parsed(
    [
      '-- header', // 1
      '', // 2
      '-- migrate:up', // 3
      'CREATE TABLE a (x);', // 4
      '', // 5
      '-- the second table', // 6
      'CREATE TABLE b (', // 7
      '  y', // 8
      ');', // 9
      '-- migrate:down', // 10
      'DROP TABLE b;', // 11
      'DROP TABLE a;', // 12
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    value.up.map((s) => s.line),
    [4, 7],
  );
  assert.deepEqual(
    value.down?.map((s) => s.line),
    [11, 12],
  );
});

test('a trigger body in a migration stays one statement and is not taken for a BEGIN', () => {
  const trigger = 'CREATE TRIGGER a_ai AFTER INSERT ON a\nBEGIN\n  INSERT INTO log VALUES (new.x);\nEND;';
  const value = parsed(`-- migrate:up\nCREATE TABLE a (x);\n${trigger}\n-- migrate:down\nDROP TRIGGER a_ai;\n`);
  assert.deepEqual(texts(value.up), ['CREATE TABLE a (x);', trigger]);
});

const FORBIDDEN: readonly (readonly [statement: string, keyword: string])[] = [
  ['BEGIN TRANSACTION;', 'BEGIN'],
  ['begin;', 'BEGIN'],
  ['COMMIT;', 'COMMIT'],
  ['END TRANSACTION;', 'END'],
  ['ROLLBACK;', 'ROLLBACK'],
  ['SAVEPOINT before_change;', 'SAVEPOINT'],
  ['RELEASE before_change;', 'RELEASE'],
  ['VACUUM;', 'VACUUM'],
  ["ATTACH DATABASE 'other.db' AS other;", 'ATTACH'],
  ['DETACH DATABASE other;', 'DETACH'],
];

for (const [statement, keyword] of FORBIDDEN) {
  void test(`"${statement}" in the up section is reported as not allowed, with its line`, () => {
    const problems = problemsOf(`-- header\n-- migrate:up\nCREATE TABLE a (x);\n\n${statement}\n`);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0] ?? '', new RegExp(`^line 5: ${keyword} is not allowed in a migration \\(.+\\)$`));
  });
}

test('a forbidden statement in the down section is reported with its line', () => {
  const problems = problemsOf('-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\nVACUUM;\n');
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.match(problems[0] ?? '', /^line 5: VACUUM is not allowed in a migration/);
});

test('every forbidden statement in a file is reported, not just the first', () => {
  const problems = problemsOf('-- migrate:up\nBEGIN;\nCREATE TABLE a (x);\nCOMMIT;\n');
  assert.deepEqual(
    problems.map((p) => /^line (\d+): (\w+) is not allowed/.exec(p)?.slice(1)),
    [
      ['2', 'BEGIN'],
      ['4', 'COMMIT'],
    ],
  );
});

test('an incomplete statement is reported with its line in the whole file', () => {
  const problems = problemsOf("-- migrate:up\nCREATE TABLE a (x);\nINSERT INTO a VALUES ('never closed);\n");
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.match(problems[0] ?? '', /^line 3: incomplete statement in the up section \(.*never closed\)$/);
});

test('CRLF input parses the same as LF input', () => {
  const lf = '-- header\n-- migrate:up\nCREATE TABLE a (\n  x\n);\nINSERT INTO a VALUES (\'a\nb\');\n-- migrate:down\nDROP TABLE a;\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  assert.notEqual(crlf, lf);
  assert.deepEqual(parseSqlMigration(crlf), parseSqlMigration(lf));
  assert.equal(parsed(crlf).up.length, 2);
});

test('a leading UTF-8 BOM does not hide the first marker', () => {
  const value = parsed('\uFEFF-- migrate:up\nCREATE TABLE a (x);\n');
  assert.deepEqual(texts(value.up), ['CREATE TABLE a (x);']);
});

test('an unknown marker such as "-- migrate:sideways" is a problem naming its line', () => {
  const problems = problemsOf('-- migrate:up\nCREATE TABLE a (x);\n-- migrate:sideways\nDROP TABLE a;\n');
  assert.deepEqual(problems, ['line 3: unknown marker "-- migrate:sideways" (expected "-- migrate:up" or "-- migrate:down")']);
});

test(
  'a /* block comment */ header before "-- migrate:up" is allowed like a -- header',
  () => {
    const value = parsed('/*\n * Adds the accounts table.\n */\n-- migrate:up\nCREATE TABLE accounts (id INTEGER PRIMARY KEY);\n');
    assert.deepEqual(texts(value.up), ['CREATE TABLE accounts (id INTEGER PRIMARY KEY);']);
    assert.equal(value.up[0]?.line, 5);
  },
);
