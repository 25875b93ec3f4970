import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { checksumOf } from '../../../src/runner/checksum.js';
import { json, runCli } from '../../helpers/cli.js';
import { execOn } from '../../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../../helpers/files.js';
import { tempDir } from '../../helpers/temp.js';

interface StatusJson {
  tracked: boolean;
  counts: { applied: number; pending: number; unknown: number };
  migrations: { name: string; state: string; checksum: string | null; recorded?: { method: string; checksum: string } }[];
}

const FILES = {
  '0001_a.sql': sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;'),
  '0002_b.sql': sqlMigration('CREATE TABLE b (x);', 'DROP TABLE b;'),
};

test('status --json lists each migration with its state, checksum and method', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), FILES);
  const db = join(dir, 'app.db');
  assert.equal(runCli(['up', db, '--migrations', migrations, '--step', '1']).code, 0);
  const result = runCli(['status', db, '--migrations', migrations, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<StatusJson>(result);
  assert.deepEqual(body.counts, { applied: 1, pending: 1, unknown: 0, changed: 0 });
  const [first, second] = body.migrations;
  assert.equal(first?.state, 'applied');
  assert.equal(first?.checksum, checksumOf(FILES['0001_a.sql']));
  assert.equal(first?.recorded?.checksum, checksumOf(FILES['0001_a.sql']));
  assert.equal(first?.recorded?.method, 'run');
  assert.equal(second?.state, 'pending');
  assert.equal(second?.recorded, undefined);
});

test('status on an untracked database shows everything pending and writes nothing', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), FILES);
  const db = join(dir, 'legacy.db');
  execOn(db, 'CREATE TABLE legacy (x)');
  const before = sha256File(db);
  const body = json<StatusJson>(runCli(['status', db, '--migrations', migrations, '--json']));
  assert.equal(body.tracked, false);
  assert.deepEqual(body.migrations.map((m) => m.state), ['pending', 'pending']);
  assert.equal(sha256File(db), before);
});

test('status text output has one line per migration', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), FILES);
  const db = join(dir, 'app.db');
  runCli(['up', db, '--migrations', migrations]);
  const result = runCli(['status', db, '--migrations', migrations]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /2 applied, 0 pending/);
  assert.match(result.stdout, /applied\s+0001_a .* run {2}sha256:[0-9a-f]{12}/);
});
