import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { json, runCli } from '../../helpers/cli.js';
import { trackingRows } from '../../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../../helpers/files.js';
import { tempDir } from '../../helpers/temp.js';

/** `drawbridge down <db> NAME`: roll back exactly NAME, which must be the newest applied migration. */

function upToDate(t: TestContext): { db: string; migrations: string } {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_projects.sql': sqlMigration('CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL);', 'DROP TABLE projects;'),
    '0002_sessions.sql': sqlMigration('CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id));', 'DROP TABLE sessions;'),
    '0003_session_status.sql': sqlMigration('ALTER TABLE sessions ADD COLUMN status TEXT;', 'ALTER TABLE sessions DROP COLUMN status;'),
    '0004_status_index.sql': sqlMigration('CREATE INDEX idx_sessions_status ON sessions(status);', 'DROP INDEX idx_sessions_status;'),
  });
  const db = join(dir, 'app.db');
  const up = runCli(['up', db, '--migrations', migrations]);
  assert.equal(up.code, 0, up.stderr);
  return { db, migrations };
}

interface DownJson {
  command: string;
  dryRun: boolean;
  migrations: { name: string }[];
}

interface ErrorJson {
  ok: false;
  error: { code: string; exitCode: number; details: { laterApplied: string[] } };
}

test('down <db> NAME rolls back NAME when it is the newest applied migration', (t) => {
  const { db, migrations } = upToDate(t);
  const result = runCli(['down', db, '0004_status_index', '--migrations', migrations, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const output = json<DownJson>(result);
  assert.equal(output.command, 'down');
  assert.deepEqual(output.migrations.map((m) => m.name), ['0004_status_index']);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_projects', '0002_sessions', '0003_session_status']);
});

test('down <db> NAME of an older migration exits 2, changes nothing, and names the later migrations and the way out', (t) => {
  const { db, migrations } = upToDate(t);
  const before = sha256File(db);
  const result = runCli(['down', db, '0002_sessions', '--migrations', migrations]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /cannot roll back 0002_sessions alone/);
  assert.match(result.stderr, /\(newest first\): 0004_status_index, 0003_session_status\./);
  assert.match(result.stderr, /drawbridge down \S+app\.db --to 0002_sessions/);
  assert.doesNotMatch(result.stderr, /\n\s+at /); // no stack trace
  assert.equal(sha256File(db), before);
});

test('with --json the refusal is an error document with code ROLLBACK_OUT_OF_ORDER and the later migrations', (t) => {
  const { db, migrations } = upToDate(t);
  const result = runCli(['down', db, '0003_session_status', '--migrations', migrations, '--json']);
  assert.equal(result.code, 2);
  const output = json<ErrorJson>(result);
  assert.equal(output.error.code, 'ROLLBACK_OUT_OF_ORDER');
  assert.deepEqual(output.error.details.laterApplied, ['0004_status_index']);
});

test('down <db> NAME with a name not in the sequence exits 2 naming it', (t) => {
  const { db, migrations } = upToDate(t);
  const result = runCli(['down', db, '0042_nope', '--migrations', migrations]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /0042_nope: there is no migration of that name/);
});

test('down <db> NAME of a migration that is not applied exits 2: nothing to roll back', (t) => {
  const { db, migrations } = upToDate(t);
  runCli(['down', db, '--migrations', migrations]);
  const before = sha256File(db);
  const result = runCli(['down', db, '0004_status_index', '--migrations', migrations]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /0004_status_index is not applied; nothing to roll back/);
  assert.equal(sha256File(db), before);
});

test('down <db> NAME --to exits 2 and changes nothing', (t) => {
  const { db, migrations } = upToDate(t);
  const before = sha256File(db);
  const result = runCli(['down', db, '0004_status_index', '--to', '0002_sessions', '--migrations', migrations]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /cannot be combined with --to/);
  assert.equal(sha256File(db), before);
});

test('down <db> NAME --step exits 2', (t) => {
  const { db, migrations } = upToDate(t);
  const result = runCli(['down', db, '0004_status_index', '--step', '1', '--migrations', migrations]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /cannot be combined with --step/);
});

test('down <db> NAME --dry-run lists NAME and writes nothing', (t) => {
  const { db, migrations } = upToDate(t);
  const before = sha256File(db);
  const result = runCli(['down', db, '0004_status_index', '--dry-run', '--migrations', migrations, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const output = json<DownJson>(result);
  assert.equal(output.dryRun, true);
  assert.deepEqual(output.migrations.map((m) => m.name), ['0004_status_index']);
  assert.equal(sha256File(db), before);
});

test('down with a second name after NAME exits 2', (t) => {
  const { db, migrations } = upToDate(t);
  const result = runCli(['down', db, '0004_status_index', '0003_session_status', '--migrations', migrations]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /at most one migration name; unexpected: 0003_session_status/);
});
