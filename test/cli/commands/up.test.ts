import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { json, runCli } from '../../helpers/cli.js';
import { execOn, openTestDb, schemaOf, trackingRows } from '../../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../../helpers/files.js';
import { tempDir } from '../../helpers/temp.js';

function threeMigrations(dir: string): string {
  return writeMigrations(join(dir, 'migrations'), {
    '0001_projects.sql': sqlMigration('CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL);', 'DROP TABLE projects;'),
    '0002_sessions.sql': sqlMigration(
      'CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE, status TEXT);\nCREATE INDEX idx_sessions_status ON sessions(status);',
      'DROP TABLE sessions;',
    ),
    '0003_prefs.sql': sqlMigration("CREATE TABLE prefs (key TEXT PRIMARY KEY, value TEXT);\nINSERT INTO prefs VALUES ('theme', 'dark; with a semicolon');", 'DROP TABLE prefs;'),
  });
}

test('up on a new file applies every migration and records each once with method run', (t) => {
  const dir = tempDir(t);
  const migrations = threeMigrations(dir);
  const db = join(dir, 'new.db');
  const result = runCli(['up', db, '--migrations', migrations, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<{ migrations: { name: string }[] }>(result);
  assert.deepEqual(body.migrations.map((m) => m.name), ['0001_projects', '0002_sessions', '0003_prefs']);
  assert.deepEqual(trackingRows(db).map((r) => [r.name, r.method]), [
    ['0001_projects', 'run'],
    ['0002_sessions', 'run'],
    ['0003_prefs', 'run'],
  ]);
});

test('a second up applies nothing, exits 0 and leaves the file byte-for-byte unchanged', (t) => {
  const dir = tempDir(t);
  const migrations = threeMigrations(dir);
  const db = join(dir, 'app.db');
  assert.equal(runCli(['up', db, '--migrations', migrations]).code, 0);
  const before = sha256File(db);
  const again = runCli(['up', db, '--migrations', migrations, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(json<{ migrations: unknown[] }>(again).migrations, []);
  assert.equal(sha256File(db), before);
});

test('up --step and --to apply only up to the target', (t) => {
  const dir = tempDir(t);
  const migrations = threeMigrations(dir);
  const db = join(dir, 'app.db');
  assert.equal(runCli(['up', db, '--migrations', migrations, '--step', '1']).code, 0);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_projects']);
  assert.equal(runCli(['up', db, '--migrations', migrations, '--to', '0002_sessions']).code, 0);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_projects', '0002_sessions']);
});

test('up --to with --step is a usage error (exit 2) and nothing is created', (t) => {
  const dir = tempDir(t);
  const migrations = threeMigrations(dir);
  const db = join(dir, 'app.db');
  const result = runCli(['up', db, '--migrations', migrations, '--to', '0002_sessions', '--step', '1']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--to and --step cannot be combined/);
  assert.equal(existsSync(db), false);
});

test('up --to a name that is not in the sequence is a usage error naming it', (t) => {
  const dir = tempDir(t);
  const result = runCli(['up', join(dir, 'app.db'), '--migrations', threeMigrations(dir), '--to', '0009_nope']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /0009_nope/);
});

test('up --dry-run lists what would run and writes nothing', (t) => {
  const dir = tempDir(t);
  const migrations = threeMigrations(dir);
  const db = join(dir, 'app.db');
  execOn(db, 'CREATE TABLE keep (x)');
  const before = sha256File(db);
  const result = runCli(['up', db, '--migrations', migrations, '--dry-run', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<{ dryRun: boolean; migrations: { name: string }[] }>(result);
  assert.equal(body.dryRun, true);
  assert.equal(body.migrations.length, 3);
  assert.equal(sha256File(db), before);
});

test('a migration failing at its third statement exits 5, names migration, statement and SQLite error, and leaves the file unchanged', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_ok.sql': sqlMigration('CREATE TABLE ok (id INTEGER PRIMARY KEY);', 'DROP TABLE ok;'),
    '0002_breaks.sql': sqlMigration(
      'CREATE TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);\nCREATE TABLE never (x);',
      'DROP TABLE t;',
    ),
  });
  const db = join(dir, 'app.db');
  execOn(db, "CREATE TABLE customer_data (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO customer_data VALUES (1, 'precious');");
  const before = sha256File(db);
  const result = runCli(['up', db, '--migrations', migrations]);
  assert.equal(result.code, 5);
  assert.match(result.stderr, /0002_breaks/);
  assert.match(result.stderr, /statement 3 \(line 4\)/);
  assert.match(result.stderr, /INSERT INTO t VALUES \(1\)/);
  assert.match(result.stderr, /SQLITE_CONSTRAINT/);
  assert.match(result.stderr, /rolled back/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(sha256File(db), before);
  assert.equal(existsSync(`${db}-journal`), false);
});

test('a failing up with --json reports the failure as one JSON document with code and details', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_bad.sql': sqlMigration('CREATE TABLE a (x);\nINSERT INTO missing_table VALUES (1);'),
  });
  const result = runCli(['up', join(dir, 'app.db'), '--migrations', migrations, '--json']);
  assert.equal(result.code, 5);
  const body = json<{ ok: boolean; error: { code: string; details: { migration: string; statement: { position: number } } } }>(result);
  assert.equal(body.ok, false);
  assert.equal(body.error.code, 'MIGRATION_FAILED');
  assert.equal(body.error.details.migration, '0001_bad');
  assert.equal(body.error.details.statement.position, 2);
});

test('a failing up on a path that did not exist leaves at most an empty file', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), { '0001_bad.sql': sqlMigration('CREATE TABLE a (x);\nSELECT * FROM nope;') });
  const db = join(dir, 'new.db');
  assert.equal(runCli(['up', db, '--migrations', migrations]).code, 5);
  assert.equal(existsSync(db) ? statSync(db).size : 0, 0);
});

test('--transaction each commits every migration on its own: a later failure keeps the earlier ones', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_a.sql': sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;'),
    '0002_b.sql': sqlMigration('CREATE TABLE b (x);', 'DROP TABLE b;'),
    '0003_bad.sql': sqlMigration('CREATE TABLE c (x);\nSELECT * FROM nope;', 'DROP TABLE c;'),
  });
  const db = join(dir, 'app.db');
  const result = runCli(['up', db, '--migrations', migrations, '--transaction', 'each']);
  assert.equal(result.code, 5);
  assert.match(result.stderr, /2 migrations before it in this run stay committed/);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_a', '0002_b']);
  assert.deepEqual(schemaOf(db).map((s) => s.name), ['a', 'b']);
});

test('a migration that introduces a foreign-key violation is rolled back with exit 5 listing the row', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_orphan.sql': sqlMigration('INSERT INTO sessions (id, project_id) VALUES (10, 999);'),
  });
  const db = join(dir, 'app.db');
  execOn(db, 'CREATE TABLE projects (id INTEGER PRIMARY KEY); CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id)); INSERT INTO projects VALUES (1); INSERT INTO sessions VALUES (1, 1);');
  const before = sha256File(db);
  const result = runCli(['up', db, '--migrations', migrations]);
  assert.equal(result.code, 5);
  assert.match(result.stderr, /foreign-key violation/);
  assert.match(result.stderr, /sessions rowid 10 \(project_id=999\) → no matching row in projects/);
  assert.equal(sha256File(db), before);
});

test('foreign-key violations the data already had are kept exactly and reported, not fixed', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    // A rebuild of the child table renumbers nothing it should not, and deletes nothing.
    '0001_rebuild_sessions.sql': sqlMigration(
      'CREATE TABLE sessions_new (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id), status TEXT NOT NULL DEFAULT \'ready\');\n' +
        'INSERT INTO sessions_new (id, project_id) SELECT id, project_id FROM sessions;\nDROP TABLE sessions;\nALTER TABLE sessions_new RENAME TO sessions;',
    ),
  });
  const db = join(dir, 'app.db');
  // Legacy data: written with foreign keys off, as many apps do.
  execOn(db, 'PRAGMA foreign_keys = OFF; CREATE TABLE projects (id INTEGER PRIMARY KEY); CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id)); INSERT INTO projects VALUES (1); INSERT INTO sessions VALUES (1, 1), (2, 404);');
  const result = runCli(['up', db, '--migrations', migrations, '--json']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const kept = json<{ foreignKeyViolationsKept: { table: string; values: unknown[] }[] }>(result).foreignKeyViolationsKept;
  assert.deepEqual(kept.map((v) => [v.table, v.values]), [['sessions', [404]]]);
  const check = openTestDb(db, { readonly: true });
  try {
    assert.deepEqual(check.prepare('SELECT id, project_id, status FROM sessions ORDER BY id').all(), [
      { id: 1, project_id: 1, status: 'ready' },
      { id: 2, project_id: 404, status: 'ready' },
    ]);
  } finally {
    check.close();
  }
});

test('up works on a WAL-mode database and leaves it in WAL mode', (t) => {
  const dir = tempDir(t);
  const migrations = threeMigrations(dir);
  const db = join(dir, 'wal.db');
  execOn(db, "PRAGMA journal_mode = WAL; CREATE TABLE app_data (v TEXT); INSERT INTO app_data VALUES ('kept');");
  const result = runCli(['up', db, '--migrations', migrations]);
  assert.equal(result.code, 0, result.stderr);
  const check = openTestDb(db, { readonly: true });
  try {
    assert.equal(check.pragma('journal_mode', { simple: true }), 'wal');
    assert.deepEqual(check.prepare('SELECT v FROM app_data').pluck().all(), ['kept']);
    assert.equal(check.prepare('SELECT count(*) FROM drawbridge_migrations').pluck().get(), 3);
  } finally {
    check.close();
  }
});
