import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRunner } from '../../src/runner/runner.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { NewerDatabaseError } from '../../src/errors.js';
import { json, runCli } from '../helpers/cli.js';
import { execOn } from '../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

function newerDatabase(dir: string): { migrations: string; db: string } {
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_a.sql': sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;'),
    '0002_b.sql': sqlMigration('CREATE TABLE b (x);', 'DROP TABLE b;'),
  });
  const db = join(dir, 'app.db');
  assert.equal(runCli(['up', db, '--migrations', migrations, '--step', '1']).code, 0);
  // A newer app applied a migration this app has never heard of.
  execOn(db, "INSERT INTO drawbridge_migrations (name, checksum, applied_at, duration_ms, method, rule, tool_version) VALUES ('0002_from_the_future', NULL, '2030-01-01T00:00:00.000Z', 1, 'run', NULL, '9.0.0')");
  return { migrations, db };
}

for (const command of ['up', 'down', 'repair'] as const) {
  test(`${command} on a database with a tracking row unknown to the app exits 4 and changes nothing`, (t) => {
    const { migrations, db } = newerDatabase(tempDir(t));
    const before = sha256File(db);
    const result = runCli([command, db, '--migrations', migrations]);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /newer version of the app/);
    assert.match(result.stderr, /0002_from_the_future/);
    assert.equal(sha256File(db), before);
  });
}

test('status shows the unknown row as unknown-to-this-app and still exits 0; verify exits 4', (t) => {
  const { migrations, db } = newerDatabase(tempDir(t));
  const status = runCli(['status', db, '--migrations', migrations, '--json']);
  assert.equal(status.code, 0);
  const states = json<{ migrations: { name: string; state: string }[] }>(status).migrations.map((m) => [m.name, m.state]);
  assert.deepEqual(states, [['0001_a', 'applied'], ['0002_b', 'pending'], ['0002_from_the_future', 'unknown']]);
  assert.equal(runCli(['verify', db, '--migrations', migrations]).code, 4);
});

test('the library raises NewerDatabaseError with the unknown names in its details', async (t) => {
  const dir = tempDir(t);
  const { migrations, db } = newerDatabase(dir);
  const runner = createRunner(db, { migrations: loadMigrations(migrations) });
  await assert.rejects(runner.up(), (error: unknown) => {
    assert.ok(error instanceof NewerDatabaseError);
    assert.equal(error.code, 'NEWER_DATABASE');
    assert.equal(error.exitCode, 4);
    assert.deepEqual(error.details.unknownMigrations, ['0002_from_the_future']);
    return true;
  });
});
