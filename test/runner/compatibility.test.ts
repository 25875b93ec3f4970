import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { upgrade } from '../../src/bridge/upgrade.js';
import { NewerDatabaseError } from '../../src/errors.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { createRunner } from '../../src/runner/runner.js';
import { json, runCli } from '../helpers/cli.js';
import { execOn, openTestDb } from '../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/** A database a newer app migrated stays usable by an older app when the newer migrations were additive and said so. */

const V1 = {
  '0001_projects.sql': sqlMigration('CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL);', 'DROP TABLE projects;'),
  '0002_sessions.sql': sqlMigration('CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id));', 'DROP TABLE sessions;'),
};
const COMPATIBLE = '-- Tags: a new table old apps never read.\n-- drawbridge: backward-compatible\n' + sqlMigration('CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\nALTER TABLE projects ADD COLUMN colour TEXT;', 'ALTER TABLE projects DROP COLUMN colour;\nDROP TABLE tags;');
const BREAKING = sqlMigration('ALTER TABLE projects RENAME COLUMN name TO title;', 'ALTER TABLE projects RENAME COLUMN title TO name;');

function apps(t: Parameters<typeof tempDir>[0], third: string): { v1: string; v2: string; db: string } {
  const dir = tempDir(t);
  const v1 = writeMigrations(join(dir, 'v1'), V1);
  const v2 = writeMigrations(join(dir, 'v2'), { ...V1, '0003_newer.sql': third });
  return { v1, v2, db: join(dir, 'app.db') };
}

test('an older app opens a database whose only newer migrations are backward-compatible: a typed result, nothing written', async (t) => {
  const { v1, v2, db } = apps(t, COMPATIBLE);
  await createRunner(db, { migrations: loadMigrations(v2) }).up();
  const before = sha256File(db);
  const result = await upgrade(db, { migrations: loadMigrations(v1) });
  assert.equal(result.action, 'nothing');
  assert.equal(result.state, 'tracked');
  const status = await createRunner(db, { migrations: loadMigrations(v1) }).status();
  assert.equal(status.newerButCompatible, true);
  assert.equal(status.compatibilityFloor, '0002_sessions');
  assert.deepEqual(status.migrations.filter((m) => m.state === 'unknown').map((m) => m.name), ['0003_newer']);
  assert.deepEqual((await createRunner(db, { migrations: loadMigrations(v1) }).up()).migrations, []);
  assert.equal(sha256File(db), before);
});

test('a newer migration without the declaration still makes an older app refuse with exit 4, naming the floor', (t) => {
  const { v1, v2, db } = apps(t, BREAKING);
  assert.equal(runCli(['up', db, '--migrations', v2]).code, 0);
  const before = sha256File(db);
  const result = runCli(['upgrade', db, '--migrations', v1]);
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /not all of them are backward-compatible \(the newest that is not: 0003_newer\)/);
  assert.equal(sha256File(db), before);
});

test('the library raises NewerDatabaseError with the compatibility floor in its details', async (t) => {
  const { v1, v2, db } = apps(t, BREAKING);
  await createRunner(db, { migrations: loadMigrations(v2) }).up();
  await assert.rejects(createRunner(db, { migrations: loadMigrations(v1) }).up(), (error: unknown) => {
    assert.ok(error instanceof NewerDatabaseError);
    assert.equal(error.details.compatibilityFloor, '0003_newer');
    return true;
  });
});

test('a migration that declares itself backward-compatible but is not additive is rejected (exit 8) before anything runs', (t) => {
  const dir = tempDir(t);
  const lying = '-- drawbridge: backward-compatible\n' + BREAKING;
  const migrations = writeMigrations(join(dir, 'migrations'), { ...V1, '0003_lying.sql': lying });
  const db = join(dir, 'app.db');
  execOn(db, 'CREATE TABLE keep (x)');
  const before = sha256File(db);
  const result = runCli(['upgrade', db, '--migrations', migrations, '--json']);
  assert.equal(result.code, 8, result.stdout);
  assert.match(json<{ error: { message: string } }>(result).error.message, /0003_lying declares itself backward-compatible, but it removes column projects\.name/);
  assert.equal(sha256File(db), before);
});

test('a tracking table written before compatibility was recorded gets the column on the next upgrade', async (t) => {
  const { v2, db } = apps(t, COMPATIBLE);
  execOn(db, `CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE drawbridge_migrations (name TEXT PRIMARY KEY NOT NULL, checksum TEXT, applied_at TEXT NOT NULL, duration_ms INTEGER NOT NULL, method TEXT NOT NULL, rule TEXT, tool_version TEXT NOT NULL);
    INSERT INTO drawbridge_migrations VALUES ('0001_projects', NULL, '2026-01-01T00:00:00.000Z', 1, 'run', NULL, '0.0.1');`);
  const result = await upgrade(db, { migrations: loadMigrations(v2), backup: false });
  assert.deepEqual(result.applied, ['0002_sessions', '0003_newer']);
  const check = openTestDb(db, { readonly: true });
  try {
    assert.deepEqual(check.prepare('SELECT name, compatible FROM drawbridge_migrations ORDER BY name').all(), [
      { name: '0001_projects', compatible: 0 },
      { name: '0002_sessions', compatible: 0 },
      { name: '0003_newer', compatible: 1 },
    ]);
  } finally {
    check.close();
  }
});
