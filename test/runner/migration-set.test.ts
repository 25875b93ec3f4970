import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { InvalidMigrationsError } from '../../src/errors.js';
import { defineMigrations, loadMigrations } from '../../src/runner/migration-set.js';
import type { MigrationContext, MigrationSet, MigrationSteps } from '../../src/runner/types.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

const INIT = sqlMigration('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);', 'DROP TABLE users;');
const POSTS = sqlMigration('CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER);', 'DROP TABLE posts;');

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Run `fn`, assert it throws InvalidMigrationsError, and return the error. */
function invalidMigrations(fn: () => unknown): InvalidMigrationsError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof InvalidMigrationsError, `expected InvalidMigrationsError, got ${String(caught)}`);
  assert.equal(caught.code, 'INVALID_MIGRATIONS');
  assert.equal(caught.exitCode, 8);
  return caught;
}

/** The number of problems the error reports. */
function problemCount(error: InvalidMigrationsError): number {
  const problems = error.details['problems'];
  assert.ok(Array.isArray(problems));
  return problems.length;
}

function names(set: MigrationSet): string[] {
  return set.migrations.map((m) => m.name);
}

/** Run a migration step against an in-memory database and return the tables it left. */
async function tablesAfter(step: MigrationSteps['up'], setup = ''): Promise<string[]> {
  const db = new Database(':memory:');
  try {
    db.exec(setup);
    const ctx: MigrationContext = {
      db,
      name: 'test',
      logger: { info: () => undefined, warn: () => undefined },
      sql: (script) => void db.exec(script),
      progress: () => undefined,
    };
    await step(ctx);
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

// --- loadMigrations: directories -------------------------------------------

test('a directory of .sql files loads as migrations sorted by number', (t) => {
  const dir = tempDir(t);
  const files: Record<string, string> = {};
  for (let n = 12; n >= 1; n--) files[`${String(n).padStart(4, '0')}_step_${n}.sql`] = sqlMigration(`CREATE TABLE t${n} (x);`);
  writeMigrations(dir, files);
  const set = loadMigrations(dir);
  assert.deepEqual(
    set.migrations.map((m) => [m.number, m.name]),
    Array.from({ length: 12 }, (_, i) => [i + 1, `${String(i + 1).padStart(4, '0')}_step_${i + 1}`]),
  );
  assert.equal(set.source, dir);
});

test('a migration is named after its file without the extension and remembers where it came from', (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_create_users.sql': INIT });
  const [migration] = loadMigrations(dir).migrations;
  assert.equal(migration?.name, '0001_create_users');
  assert.equal(migration.number, 1);
  assert.equal(migration.kind, 'sql');
  assert.equal(migration.origin, join(dir, '0001_create_users.sql'));
});

test('the checksum of a .sql migration is the sha256 of its (LF) text', (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': INIT });
  const [migration] = loadMigrations(dir).migrations;
  assert.equal(migration?.checksum, sha256File(join(dir, '0001_init.sql')));
  assert.equal(migration.checksum, sha256(INIT));
});

test('a CRLF copy of a migration has the same checksum as the LF original', (t) => {
  const root = tempDir(t);
  const lf = writeMigrations(join(root, 'lf'), { '0001_init.sql': INIT });
  const crlf = writeMigrations(join(root, 'crlf'), { '0001_init.sql': INIT.replace(/\n/g, '\r\n') });
  assert.notEqual(sha256File(join(crlf, '0001_init.sql')), sha256File(join(lf, '0001_init.sql')));
  assert.equal(loadMigrations(crlf).migrations[0]?.checksum, loadMigrations(lf).migrations[0]?.checksum);
});

test('a copy with a UTF-8 BOM has the same checksum as the original', (t) => {
  const root = tempDir(t);
  const plain = writeMigrations(join(root, 'plain'), { '0001_init.sql': INIT });
  const bom = writeMigrations(join(root, 'bom'), { '0001_init.sql': `\uFEFF${INIT}` });
  assert.deepEqual([...readFileSync(join(bom, '0001_init.sql')).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(loadMigrations(bom).migrations[0]?.checksum, loadMigrations(plain).migrations[0]?.checksum);
});

test('an edited migration gets a different checksum', (t) => {
  const root = tempDir(t);
  const before = writeMigrations(join(root, 'before'), { '0001_init.sql': INIT });
  const after = writeMigrations(join(root, 'after'), { '0001_init.sql': INIT.replace('name TEXT', 'name TEXT NOT NULL') });
  assert.notEqual(loadMigrations(after).migrations[0]?.checksum, loadMigrations(before).migrations[0]?.checksum);
});

test('README.md, notes, dotfiles, declaration files and subdirectories are ignored', (t) => {
  const dir = writeMigrations(tempDir(t), {
    '0001_init.sql': INIT,
    'README.md': '# Migrations\n',
    'notes.txt': 'remember to index posts',
    '.0002_hidden.sql': 'not sql at all',
    '0002_types.d.ts': 'export declare function up(): void;',
    'template.sql.example': 'whatever',
  });
  mkdirSync(join(dir, '0003_folder.sql'));
  assert.deepEqual(names(loadMigrations(dir)), ['0001_init']);
});

test('the steps of a .sql migration run its up and down statements', async (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': INIT });
  const steps = await loadMigrations(dir).migrations[0]?.load();
  assert.ok(steps?.down);
  assert.deepEqual(await tablesAfter(steps.up), ['users']);
  assert.deepEqual(await tablesAfter(steps.down, 'CREATE TABLE users (id); CREATE TABLE other (x);'), ['other']);
});

test('a .sql migration without a down section has no down step', async (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': sqlMigration('CREATE TABLE users (id);') });
  const steps = await loadMigrations(dir).migrations[0]?.load();
  assert.equal(typeof steps?.up, 'function');
  assert.equal(steps?.down, undefined);
});

test('the sequence may start at 0000', (t) => {
  const dir = writeMigrations(tempDir(t), { '0000_baseline.sql': INIT, '0001_posts.sql': POSTS });
  assert.deepEqual(
    loadMigrations(dir).migrations.map((m) => m.number),
    [0, 1],
  );
});

for (const bad of ['1_schema.sql', '002_users.sql', 'add_users.sql', '00002_users.sql', '0002-users.sql', '0002_.sql']) {
  void test(`a file named ${bad} is rejected as a bad name`, (t) => {
    const dir = writeMigrations(tempDir(t), { '0001_init.sql': INIT, [bad]: POSTS });
    const error = invalidMigrations(() => loadMigrations(dir));
    assert.equal(problemCount(error), 1, error.message);
    assert.match(error.message, new RegExp(`^  ${bad.replace(/\./g, '\\.')}: name must be NNNN_description`, 'm'));
  });
}

test('two files with the same number are rejected, naming both', (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': INIT, '0002_a.sql': POSTS, '0002_b.sql': POSTS });
  const error = invalidMigrations(() => loadMigrations(dir));
  assert.equal(problemCount(error), 1, error.message);
  assert.match(error.message, /0002_a\.sql, 0002_b\.sql: share the number 0002/);
});

test('a .sql and a .ts file defining the same migration name are rejected, naming both', (t) => {
  const dir = writeMigrations(tempDir(t), {
    '0001_init.sql': INIT,
    '0002_posts.sql': POSTS,
    '0003_x.sql': sqlMigration('CREATE TABLE x (y);'),
    '0003_x.ts': 'export function up(): void {}\n',
  });
  const error = invalidMigrations(() => loadMigrations(dir));
  assert.equal(problemCount(error), 1, error.message);
  assert.match(error.message, /0003_x\.sql, 0003_x\.ts: both define migration 0003_x/);
});

test('a gap in the numbering is rejected, naming the missing number', (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': INIT, '0003_posts.sql': POSTS });
  const error = invalidMigrations(() => loadMigrations(dir));
  assert.equal(problemCount(error), 1, error.message);
  assert.match(error.message, /0003_posts\.sql: gap in the sequence: 0002 is missing/);
});

test('a sequence starting at 0002 is rejected', (t) => {
  const dir = writeMigrations(tempDir(t), { '0002_init.sql': INIT, '0003_posts.sql': POSTS });
  const error = invalidMigrations(() => loadMigrations(dir));
  assert.equal(problemCount(error), 1, error.message);
  assert.match(error.message, /0002_init\.sql: the sequence starts at 0002/);
});

test('a malformed .sql file is rejected with its problem', (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': INIT, '0002_broken.sql': 'CREATE TABLE broken (x);\n' });
  const error = invalidMigrations(() => loadMigrations(dir));
  assert.match(error.message, /0002_broken\.sql: no "-- migrate:up" marker/);
  assert.match(error.message, /0002_broken\.sql: line 1: SQL before "-- migrate:up"/);
});

test('a .sql file with a forbidden statement is rejected with its line', (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': sqlMigration('BEGIN;\nCREATE TABLE a (x);\nCOMMIT;') });
  const error = invalidMigrations(() => loadMigrations(dir));
  assert.match(error.message, /0001_init\.sql: line 2: BEGIN is not allowed/);
  assert.match(error.message, /0001_init\.sql: line 4: COMMIT is not allowed/);
});

test('several bad files are reported together in one error naming every offending file', (t) => {
  const dir = writeMigrations(tempDir(t), {
    '0001_init.sql': INIT,
    '0002_a.sql': POSTS,
    '0002_b.sql': POSTS,
    '0003_broken.sql': 'DROP TABLE users;\n',
    '0005_after_gap.sql': POSTS,
    '7_bad_name.sql': POSTS,
    'README.md': 'ignored',
  });
  const error = invalidMigrations(() => loadMigrations(dir));
  for (const file of ['0002_a.sql', '0002_b.sql', '0003_broken.sql', '0005_after_gap.sql', '7_bad_name.sql']) {
    assert.ok(error.message.includes(file), `the message does not name ${file}:\n${error.message}`);
  }
  assert.ok(!error.message.includes('0001_init'), 'a good file is named as a problem');
  assert.ok(!error.message.includes('README'), 'an ignored file is named as a problem');
  assert.match(error.message, /^.+: 5 problems with the migrations; nothing was run\./);
  assert.equal(problemCount(error), 5);
});

test('a missing directory is rejected with InvalidMigrationsError naming it', (t) => {
  const dir = join(tempDir(t), 'no-such-migrations');
  const error = invalidMigrations(() => loadMigrations(dir));
  assert.ok(error.message.includes(dir), error.message);
  assert.match(error.message, /cannot be read \(ENOENT\)/);
});

test('a file given as the migrations directory is rejected', (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': INIT });
  const file = join(dir, '0001_init.sql');
  const error = invalidMigrations(() => loadMigrations(file));
  assert.match(error.message, /is not a directory/);
});

test('an empty directory is an empty set', (t) => {
  assert.deepEqual(names(loadMigrations(tempDir(t))), []);
});

// --- loadMigrations: module migrations ---------------------------------------

test('a .js migration loads: up is a function and down is undefined', async (t) => {
  const dir = writeMigrations(tempDir(t), {
    '0001_init.sql': INIT,
    '0002_js.js': "export function up(ctx) { ctx.db.exec('CREATE TABLE t (x)') }\n",
  });
  const set = loadMigrations(dir);
  const migration = set.migrations[1];
  assert.equal(migration?.name, '0002_js');
  assert.equal(migration.kind, 'module');
  assert.equal(migration.checksum, sha256File(join(dir, '0002_js.js')));
  const steps = await migration.load();
  assert.equal(typeof steps.up, 'function');
  assert.equal(steps.down, undefined);
  assert.deepEqual(await tablesAfter(steps.up), ['t']);
});

test('a .js migration is imported only when load() is first called, and only once', async (t) => {
  const key = `drawbridgeImports_${process.pid}_${Date.now()}`;
  const counter = globalThis as unknown as Record<string, number | undefined>;
  const dir = writeMigrations(tempDir(t), {
    '0001_counted.mjs': `globalThis[${JSON.stringify(key)}] = (globalThis[${JSON.stringify(key)}] ?? 0) + 1;\nexport function up() {}\n`,
  });
  const [migration] = loadMigrations(dir).migrations;
  assert.equal(counter[key], undefined, 'imported by loadMigrations');
  const first = await migration?.load();
  assert.equal(counter[key], 1);
  const second = await migration?.load();
  assert.equal(counter[key], 1, 'imported twice');
  assert.equal(second, first);
});

test('a .js migration that fails to import does not stop loadMigrations', async (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_throws.js': "throw new Error('imported too early');\n" });
  const [migration] = loadMigrations(dir).migrations;
  assert.equal(migration?.name, '0001_throws');
  await assert.rejects(migration.load(), /imported too early/);
});

test('a .ts migration with type annotations loads through load()', async (t) => {
  const dir = writeMigrations(tempDir(t), {
    '0001_typed.ts': [
      'interface Ctx { readonly db: { exec(sql: string): unknown } }',
      "export function up(ctx: Ctx): void { ctx.db.exec('CREATE TABLE from_ts (x INTEGER)'); }",
      "export const down = (ctx: Ctx): void => { ctx.db.exec('DROP TABLE from_ts'); };",
      '',
    ].join('\n'),
  });
  const [migration] = loadMigrations(dir).migrations;
  assert.equal(migration?.kind, 'module');
  const steps = await migration.load();
  assert.ok(steps.down);
  assert.deepEqual(await tablesAfter(steps.up), ['from_ts']);
  assert.deepEqual(await tablesAfter(steps.down, 'CREATE TABLE from_ts (x)'), []);
});

test('a module migration with up and down on its default export loads both', async (t) => {
  const dir = writeMigrations(tempDir(t), {
    '0001_default.mjs': "export default { up(ctx) { ctx.db.exec('CREATE TABLE d (x)') }, down(ctx) { ctx.db.exec('DROP TABLE d') } };\n",
  });
  const steps = await loadMigrations(dir).migrations[0]?.load();
  assert.ok(steps?.down);
  assert.deepEqual(await tablesAfter(steps.up), ['d']);
});

test('a module without an up export is rejected by load() with InvalidMigrationsError', async (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_no_up.js': 'export function down() {}\nexport const version = 1;\n' });
  const [migration] = loadMigrations(dir).migrations;
  assert.ok(migration);
  await assert.rejects(migration.load(), (error: unknown) => {
    assert.ok(error instanceof InvalidMigrationsError, String(error));
    assert.equal(error.code, 'INVALID_MIGRATIONS');
    assert.equal(error.exitCode, 8);
    assert.match(error.message, /0001_no_up\.js: exports no up\(ctx\) function/);
    return true;
  });
});

test('a module whose down is not a function is rejected by load()', async (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_bad_down.js': "export function up() {}\nexport const down = 'DROP TABLE t';\n" });
  const [migration] = loadMigrations(dir).migrations;
  assert.ok(migration);
  await assert.rejects(migration.load(), (error: unknown) => error instanceof InvalidMigrationsError && /exports a down that is not a function/.test(error.message));
});

// --- defineMigrations: embedded arrays -----------------------------------------

test('an embedded {name, sql} migration gets the same checksum as the same text loaded from a file', (t) => {
  const dir = writeMigrations(tempDir(t), { '0001_init.sql': INIT });
  const fromFile = loadMigrations(dir).migrations[0];
  const [embedded] = defineMigrations([{ name: '0001_init', sql: INIT }]).migrations;
  assert.ok(embedded);
  assert.equal(embedded.checksum, fromFile?.checksum);
  assert.equal(embedded.checksum, sha256(INIT));
  assert.equal(embedded.name, '0001_init');
  assert.equal(embedded.kind, 'embedded');
  assert.equal(embedded.origin, 'embedded');
});

test('an embedded {name, sql} migration runs its statements', async () => {
  const steps = await defineMigrations([{ name: '0001_init', sql: INIT }]).migrations[0]?.load();
  assert.ok(steps?.down);
  assert.deepEqual(await tablesAfter(steps.up), ['users']);
  assert.deepEqual(await tablesAfter(steps.down, 'CREATE TABLE users (id)'), []);
});

test('an embedded function migration without a checksum has checksum null', async () => {
  const up = (ctx: MigrationContext): void => void ctx.db.exec('CREATE TABLE f (x)');
  const set = defineMigrations([{ name: '0001_functions', up }]);
  const [migration] = set.migrations;
  assert.equal(migration?.checksum, null);
  assert.equal(migration.kind, 'embedded');
  const steps = await migration.load();
  assert.equal(steps.up, up);
  assert.equal(steps.down, undefined);
});

test('an embedded function migration keeps the checksum it is given', () => {
  const checksum = sha256('source of 0001');
  const [migration] = defineMigrations([{ name: '0001_functions', up: () => undefined, checksum }]).migrations;
  assert.equal(migration?.checksum, checksum);
});

test('an embedded checksum that is not 64 lowercase hex digits is rejected', () => {
  const error = invalidMigrations(() => defineMigrations([{ name: '0001_functions', up: () => undefined, checksum: 'ABC123' }]));
  assert.match(error.message, /0001_functions: checksum must be 64 lowercase hex digits/);
});

test('embedded migrations are sorted by number', () => {
  const set = defineMigrations([
    { name: '0002_posts', sql: POSTS },
    { name: '0001_init', sql: INIT },
  ]);
  assert.deepEqual(names(set), ['0001_init', '0002_posts']);
  assert.equal(set.source, 'embedded');
});

for (const bad of ['1_init', 'init', '00001_init', '0001-init']) {
  void test(`an embedded migration named "${bad}" is rejected`, () => {
    const error = invalidMigrations(() => defineMigrations([{ name: bad, sql: INIT }]));
    assert.equal(problemCount(error), 1, error.message);
    assert.ok(error.message.includes(`  ${bad}: name must be NNNN_description`), error.message);
  });
}

test('a gap in embedded migrations is rejected', () => {
  const error = invalidMigrations(() =>
    defineMigrations([
      { name: '0001_init', sql: INIT },
      { name: '0003_posts', sql: POSTS },
    ]),
  );
  assert.match(error.message, /0003_posts: gap in the sequence: 0002 is missing/);
});

test('embedded migrations starting at 0002 are rejected', () => {
  const error = invalidMigrations(() => defineMigrations([{ name: '0002_init', sql: INIT }]));
  assert.match(error.message, /0002_init: the sequence starts at 0002/);
});

test('an embedded migration defined twice is rejected', () => {
  const error = invalidMigrations(() =>
    defineMigrations([
      { name: '0001_init', sql: INIT },
      { name: '0001_init', up: () => undefined },
    ]),
  );
  assert.match(error.message, /0001_init: is defined twice/);
});

test('an embedded .sql text that does not parse is rejected with its problem', () => {
  const error = invalidMigrations(() => defineMigrations([{ name: '0001_init', sql: 'CREATE TABLE users (id);' }]));
  assert.match(error.message, /0001_init: no "-- migrate:up" marker/);
});
