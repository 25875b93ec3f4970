import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { RollbackOutOfOrderError, UsageError } from '../../src/errors.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { createRunner, type Runner } from '../../src/runner/runner.js';
import { schemaOf, trackingRows } from '../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/** `runner.down({ name })`: roll back exactly one named migration, and only the newest applied one. */

const SEQUENCE = {
  '0001_projects.sql': sqlMigration('CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL);', 'DROP TABLE projects;'),
  '0002_sessions.sql': sqlMigration('CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id));', 'DROP TABLE sessions;'),
  '0003_session_status.sql': sqlMigration('ALTER TABLE sessions ADD COLUMN status TEXT;', 'ALTER TABLE sessions DROP COLUMN status;'),
  '0004_status_index.sql': sqlMigration('CREATE INDEX idx_sessions_status ON sessions(status);', 'DROP INDEX idx_sessions_status;'),
};

/** A database with the first `applied` migrations of SEQUENCE applied. */
async function databaseAt(t: TestContext, applied: number): Promise<{ db: string; runner: Runner }> {
  const dir = tempDir(t);
  const db = join(dir, 'app.db');
  const runner = createRunner(db, { migrations: loadMigrations(writeMigrations(join(dir, 'migrations'), SEQUENCE)) });
  await runner.up({ step: applied });
  return { db, runner };
}

/** Assert `promise` rejects with an instance of `type`, and return the error. */
async function rejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
  return error;
}

test('down { name } rolls back the newest applied migration, and only it', async (t) => {
  const { db, runner } = await databaseAt(t, 4);
  const result = await runner.down({ name: '0004_status_index' });
  assert.deepEqual(result.migrations.map((m) => m.name), ['0004_status_index']);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_projects', '0002_sessions', '0003_session_status']);
  assert.ok(!schemaOf(db).some((o) => o.name === 'idx_sessions_status'));
});

test('down { name } of an older migration is refused with RollbackOutOfOrderError (exit 2) and the file is unchanged', async (t) => {
  const { db, runner } = await databaseAt(t, 4);
  const before = sha256File(db);
  const error = await rejection(runner.down({ name: '0002_sessions' }), RollbackOutOfOrderError);
  assert.equal(error.code, 'ROLLBACK_OUT_OF_ORDER');
  assert.equal(error.exitCode, 2);
  assert.equal(sha256File(db), before);
});

test('the refusal names the migration, the database, the later applied migrations newest first, and the way out', async (t) => {
  const { db, runner } = await databaseAt(t, 4);
  const error = await rejection(runner.down({ name: '0002_sessions' }), RollbackOutOfOrderError);
  assert.deepEqual(error.details['laterApplied'], ['0004_status_index', '0003_session_status']);
  assert.match(error.message, new RegExp(`^${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot roll back 0002_sessions alone`));
  assert.match(error.message, /\(newest first\): 0004_status_index, 0003_session_status\./);
  assert.match(error.message, /drawbridge down .*app\.db --to 0002_sessions/);
  assert.match(error.message, /roll back the later ones first/);
});

test('only migrations applied after NAME count: pending later ones do not block its rollback', async (t) => {
  const { db, runner } = await databaseAt(t, 2);
  const result = await runner.down({ name: '0002_sessions' });
  assert.deepEqual(result.migrations.map((m) => m.name), ['0002_sessions']);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_projects']);
});

test('down { name } with a name the sequence does not have is a UsageError naming it', async (t) => {
  const { db, runner } = await databaseAt(t, 4);
  const before = sha256File(db);
  const error = await rejection(runner.down({ name: '0009_nowhere' }), UsageError);
  assert.match(error.message, /down 0009_nowhere: there is no migration of that name/);
  assert.equal(sha256File(db), before);
});

test('down { name } of a known migration that is not applied is a UsageError: nothing to roll back', async (t) => {
  const { db, runner } = await databaseAt(t, 2);
  const before = sha256File(db);
  const error = await rejection(runner.down({ name: '0003_session_status' }), UsageError);
  assert.match(error.message, /0003_session_status is not applied; nothing to roll back/);
  assert.equal(sha256File(db), before);
});

test('{ name, to } and { name, step } do not compile, and from plain JavaScript they are UsageErrors', async (t) => {
  const { db, runner } = await databaseAt(t, 4);
  const before = sha256File(db);
  // @ts-expect-error a named rollback takes no --to
  const withTo = await rejection(runner.down({ name: '0004_status_index', to: '0002_sessions' }), UsageError);
  assert.match(withTo.message, /cannot be combined with --to/);
  // @ts-expect-error a named rollback takes no --step
  const withStep = await rejection(runner.down({ name: '0004_status_index', step: 1 }), UsageError);
  assert.match(withStep.message, /cannot be combined with --step/);
  assert.equal(sha256File(db), before);
});

test('a dry run of down { name } lists the migration and writes nothing', async (t) => {
  const { db, runner } = await databaseAt(t, 4);
  const before = sha256File(db);
  const result = await runner.down({ name: '0004_status_index', dryRun: true });
  assert.equal(result.dryRun, true);
  assert.deepEqual(result.migrations.map((m) => m.name), ['0004_status_index']);
  assert.equal(sha256File(db), before);
});

test('a dry run of down { name } refuses an out-of-order rollback just as a real one does', async (t) => {
  const { runner } = await databaseAt(t, 4);
  await rejection(runner.down({ name: '0003_session_status', dryRun: true }), RollbackOutOfOrderError);
});
