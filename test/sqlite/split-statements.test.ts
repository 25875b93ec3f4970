import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { splitStatements } from '../../src/sqlite/split-statements.js';

/** The statements' texts alone, for tests about where boundaries fall. */
function texts(sql: string): string[] {
  return splitStatements(sql).statements.map((s) => s.text);
}

test('statements separated by semicolons are returned in order, each through its semicolon', () => {
  assert.deepEqual(texts('CREATE TABLE a (x);\nCREATE TABLE b (y);\nINSERT INTO a VALUES (1);'), [
    'CREATE TABLE a (x);',
    'CREATE TABLE b (y);',
    'INSERT INTO a VALUES (1);',
  ]);
});

test('each statement reports the 1-based line of its first token', () => {
  const { statements } = splitStatements('CREATE TABLE a (x);\n\n  CREATE TABLE b (\n    y\n  );\nSELECT 1; SELECT 2;\n');
  assert.deepEqual(
    statements.map((s) => s.line),
    [1, 3, 6, 6],
  );
});

test('line numbers count LF line breaks in a CRLF script', () => {
  const { statements } = splitStatements('SELECT 1;\r\n\r\nSELECT 2;\r\n');
  assert.deepEqual(
    statements.map((s) => [s.text, s.line]),
    [
      ['SELECT 1;', 1],
      ['SELECT 2;', 3],
    ],
  );
});

test('a complete script reports no incomplete statement', () => {
  assert.equal(splitStatements('SELECT 1;\nSELECT 2;\n').incomplete, undefined);
});

test('a semicolon inside a single-quoted string does not end the statement', () => {
  assert.deepEqual(texts("INSERT INTO t VALUES ('a; b');\nSELECT 1;"), ["INSERT INTO t VALUES ('a; b');", 'SELECT 1;']);
});

test("a doubled '' quote inside a string does not end the string", () => {
  assert.deepEqual(texts("INSERT INTO t VALUES ('it''s; still; the string');\nSELECT 2;"), [
    "INSERT INTO t VALUES ('it''s; still; the string');",
    'SELECT 2;',
  ]);
});

test('a semicolon inside a "double-quoted" identifier does not end the statement', () => {
  assert.deepEqual(texts('CREATE TABLE "odd;name" (x);\nSELECT 1;'), ['CREATE TABLE "odd;name" (x);', 'SELECT 1;']);
});

test('a semicolon inside a `backtick` identifier does not end the statement', () => {
  assert.deepEqual(texts('CREATE TABLE `odd;name` (x);\nSELECT 1;'), ['CREATE TABLE `odd;name` (x);', 'SELECT 1;']);
});

test('a semicolon inside a [bracketed] identifier does not end the statement', () => {
  assert.deepEqual(texts('CREATE TABLE [odd;name] (x);\nSELECT 1;'), ['CREATE TABLE [odd;name] (x);', 'SELECT 1;']);
});

test('a semicolon inside a -- line comment does not end the statement', () => {
  assert.deepEqual(texts('SELECT 1 -- not; the end\n  + 1;\nSELECT 2;'), ['SELECT 1 -- not; the end\n  + 1;', 'SELECT 2;']);
});

test('a semicolon inside a /* block comment */ does not end the statement', () => {
  assert.deepEqual(texts('SELECT 1 /* not; the\n end; */ + 1;\nSELECT 2;'), ['SELECT 1 /* not; the\n end; */ + 1;', 'SELECT 2;']);
});

test('CREATE TRIGGER ... BEGIN ...; ...; END; is one statement', () => {
  const trigger = 'CREATE TRIGGER log_insert AFTER INSERT ON t\nBEGIN\n  INSERT INTO log VALUES (new.x);\n  UPDATE counts SET n = n + 1;\nEND;';
  const result = splitStatements(`${trigger}\nSELECT 1;`);
  assert.deepEqual(
    result.statements.map((s) => [s.text, s.line, s.keyword]),
    [
      [trigger, 1, 'CREATE'],
      ['SELECT 1;', 6, 'SELECT'],
    ],
  );
  assert.equal(result.incomplete, undefined);
});

test('CREATE TEMP TRIGGER ... END; is one statement', () => {
  const trigger = 'CREATE TEMP TRIGGER tr AFTER DELETE ON t BEGIN DELETE FROM u; DELETE FROM v; END;';
  assert.deepEqual(texts(`${trigger}\nSELECT 1;`), [trigger, 'SELECT 1;']);
});

test('CREATE TEMPORARY TRIGGER ... END; is one statement', () => {
  const trigger = 'create temporary trigger tr after delete on t begin delete from u; delete from v; end;';
  assert.deepEqual(texts(`${trigger}\nSELECT 1;`), [trigger, 'SELECT 1;']);
});

test('a CASE ... END inside a trigger body does not end the trigger', () => {
  const trigger =
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET kind = CASE WHEN new.x > 0 THEN 'pos' ELSE 'neg' END WHERE rowid = new.rowid;\n  SELECT CASE new.x WHEN 0 THEN 'zero' END;\nEND;";
  const result = splitStatements(`${trigger}\nSELECT 1;`);
  assert.deepEqual(
    result.statements.map((s) => s.text),
    [trigger, 'SELECT 1;'],
  );
  assert.equal(result.incomplete, undefined);
});

test('a table whose name starts with "trigger" is not mistaken for a trigger', () => {
  assert.deepEqual(texts('CREATE TABLE trigger_log (x);\nCREATE TEMP TABLE triggers (y);\nSELECT 1;'), [
    'CREATE TABLE trigger_log (x);',
    'CREATE TEMP TABLE triggers (y);',
    'SELECT 1;',
  ]);
});

test('comments before a statement are left out of its text and its line', () => {
  const { statements } = splitStatements('SELECT 1;\n-- explains the next one; really\n/* and; more */\nCREATE TABLE t (x);');
  assert.deepEqual(
    statements.map((s) => [s.text, s.line]),
    [
      ['SELECT 1;', 1],
      ['CREATE TABLE t (x);', 4],
    ],
  );
});

test('the last statement is returned without a semicolon, trailing whitespace trimmed', () => {
  const result = splitStatements('SELECT 1;\nSELECT 2\n\n');
  assert.deepEqual(
    result.statements.map((s) => [s.text, s.line]),
    [
      ['SELECT 1;', 1],
      ['SELECT 2', 2],
    ],
  );
  assert.equal(result.incomplete, undefined);
});

test('empty statements (;;) are skipped', () => {
  assert.deepEqual(texts(';SELECT 1;;\n ; ;SELECT 2;;'), ['SELECT 1;', 'SELECT 2;']);
});

test('a script of only comments and whitespace has no statements', () => {
  assert.deepEqual(splitStatements('-- nothing here;\n/* nor; here */\n\n'), { statements: [], incomplete: undefined });
});

test('keyword is the first word of the statement, upper-cased', () => {
  const { statements } = splitStatements('create table t (x);\n  begin transaction;\nWith x AS (SELECT 1) SELECT * FROM x;\n-- c\ninsert into t values (1);');
  assert.deepEqual(
    statements.map((s) => s.keyword),
    ['CREATE', 'BEGIN', 'WITH', 'INSERT'],
  );
});

test('keyword is empty when a statement does not start with a word', () => {
  const { statements } = splitStatements('(SELECT 1);');
  assert.deepEqual(
    statements.map((s) => s.keyword),
    [''],
  );
});

test('an unterminated string marks the script incomplete at the line where it opens', () => {
  const result = splitStatements("SELECT 1;\nINSERT INTO t VALUES ('never closed);\nSELECT 2;");
  assert.equal(result.incomplete?.line, 2);
  assert.match(result.incomplete.reason, /'.*never closed/);
  assert.deepEqual(
    result.statements.map((s) => s.text),
    ['SELECT 1;', "INSERT INTO t VALUES ('never closed);\nSELECT 2;"],
  );
});

test('an unterminated /* comment marks the script incomplete at the line where it opens', () => {
  const result = splitStatements('SELECT 1;\n\n/* never closed; SELECT 2;');
  assert.equal(result.incomplete?.line, 3);
  assert.match(result.incomplete.reason, /\/\* comment is never closed/);
  assert.deepEqual(
    result.statements.map((s) => s.text),
    ['SELECT 1;'],
  );
});

test('a trigger missing its END marks the script incomplete at the trigger', () => {
  const result = splitStatements('SELECT 1;\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  SELECT 2;\n  SELECT 3;\n');
  assert.deepEqual(result.incomplete, { line: 2, reason: 'a CREATE TRIGGER body is missing its closing END;' });
  assert.deepEqual(
    result.statements.map((s) => [s.text, s.line]),
    [
      ['SELECT 1;', 1],
      ['CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  SELECT 2;\n  SELECT 3;', 2],
    ],
  );
});

test(
  'an incomplete last statement keeps the line of its first token when the problem is on a later line',
  () => {
    const result = splitStatements("SELECT 1;\nINSERT INTO t VALUES (\n'never closed");
    assert.equal(result.incomplete?.line, 3);
    assert.deepEqual(
      result.statements.map((s) => s.line),
      [1, 2],
    );
  },
);

test(
  'a trigger ending in END without a final semicolon is complete, like any last statement',
  () => {
    const trigger = 'CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END';
    const db = new Database(':memory:');
    try {
      db.exec(`CREATE TABLE t (x);\n${trigger}`); // SQLite accepts it
    } finally {
      db.close();
    }
    const result = splitStatements(trigger);
    assert.deepEqual(
      result.statements.map((s) => s.text),
      [trigger],
    );
    assert.equal(result.incomplete, undefined);
  },
);

test('running the split statements one by one builds the same schema as running the whole script', () => {
  const script = [
    '-- a schema with every kind of boundary trap',
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT DEFAULT 'a; b', \"odd;col\" TEXT);",
    'CREATE TABLE [log;table] (note_id INTEGER, kind TEXT);',
    '/* an index; with a comment */',
    'CREATE INDEX notes_body ON notes (body); ;',
    'CREATE VIEW `v;iew` AS SELECT id, body FROM notes -- trailing; comment',
    '  WHERE body <> \';\';',
    'CREATE TRIGGER notes_ai AFTER INSERT ON notes',
    'BEGIN',
    "  INSERT INTO [log;table] VALUES (new.id, CASE WHEN new.body LIKE '%;%' THEN 'semi' ELSE 'plain' END);",
    "  UPDATE notes SET \"odd;col\" = 'it''s; done' WHERE id = new.id;",
    'END;',
    'CREATE TEMP TRIGGER notes_ad AFTER DELETE ON notes BEGIN DELETE FROM [log;table] WHERE note_id = old.id; END;',
    "INSERT INTO notes (body) VALUES ('x;y'), ('plain');",
    'DELETE FROM notes WHERE body = \'plain\'',
  ].join('\n');

  const { statements, incomplete } = splitStatements(script);
  assert.equal(incomplete, undefined);
  assert.deepEqual(
    statements.map((s) => s.keyword),
    ['CREATE', 'CREATE', 'CREATE', 'CREATE', 'CREATE', 'CREATE', 'INSERT', 'DELETE'],
  );

  const snapshot = (db: Database.Database): unknown => ({
    main: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all(),
    temp: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_temp_master ORDER BY type, name').all(),
    notes: db.prepare('SELECT * FROM notes ORDER BY id').all(),
    log: db.prepare('SELECT * FROM [log;table] ORDER BY rowid').all(),
  });

  const whole = new Database(':memory:');
  const pieces = new Database(':memory:');
  try {
    whole.exec(script);
    for (const statement of statements) pieces.exec(statement.text);
    const expected = snapshot(whole);
    assert.deepEqual(snapshot(pieces), expected);
    // The script really did something, so the comparison is not vacuous.
    assert.equal((expected as { main: unknown[] }).main.length, 5);
  } finally {
    whole.close();
    pieces.close();
  }
});
