import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { execOn } from '../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

const COMMANDS = ['up', 'status', 'verify', 'down', 'repair'] as const;

function setup(dir: string): string {
  return writeMigrations(join(dir, 'migrations'), { '0001_a.sql': sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;') });
}

function assertOneLineExit7(result: { code: number; stderr: string; stdout: string }, path: string): void {
  assert.equal(result.code, 7, result.stderr);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got: ${result.stderr}`);
  assert.ok(lines[0]?.includes(path), 'names the file');
  assert.equal(result.stdout, '');
}

for (const command of COMMANDS) {
  test(`${command} on a text file exits 7 with a one-line reason and leaves it unchanged`, (t) => {
    const dir = tempDir(t);
    const migrations = setup(dir);
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(20));
    const before = sha256File(file);
    assertOneLineExit7(runCli([command, file, '--migrations', migrations]), file);
    assert.equal(sha256File(file), before);
    assert.deepEqual(readdirSync(dir).sort(), ['migrations', 'notes.txt']);
  });

  test(`${command} on a truncated database exits 7 with a one-line reason and leaves it unchanged`, (t) => {
    const dir = tempDir(t);
    const migrations = setup(dir);
    const file = join(dir, 'cut.db');
    execOn(file, 'CREATE TABLE big (x); INSERT INTO big SELECT hex(randomblob(500)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) SELECT i FROM n);');
    truncateSync(file, 4096 * 3);
    const before = sha256File(file);
    const result = runCli([command, file, '--migrations', migrations]);
    assertOneLineExit7(result, file);
    assert.match(result.stderr, /truncated/);
    assert.equal(sha256File(file), before);
    assert.deepEqual(readdirSync(dir).sort(), ['cut.db', 'migrations']);
  });

  test(`${command} on a directory exits 7 with a one-line reason and creates nothing`, (t) => {
    const dir = tempDir(t);
    const migrations = setup(dir);
    const folder = join(dir, 'folder.db');
    mkdirSync(folder);
    assertOneLineExit7(runCli([command, folder, '--migrations', migrations]), folder);
    assert.deepEqual(readdirSync(folder), []);
    assert.deepEqual(readdirSync(dir).sort(), ['folder.db', 'migrations']);
  });
}

test('status on a path with nothing there exits 7 and creates nothing', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'missing.db');
  assertOneLineExit7(runCli(['status', missing, '--migrations', setup(dir)]), missing);
  assert.equal(existsSync(missing), false);
});

test('an unknown command or flag is a usage error (exit 2) without a stack trace', () => {
  const unknownCommand = runCli(['frobnicate']);
  assert.equal(unknownCommand.code, 2);
  assert.match(unknownCommand.stderr, /unknown command "frobnicate"/);
  const unknownFlag = runCli(['status', 'x.db', '--frob']);
  assert.equal(unknownFlag.code, 2);
  assert.doesNotMatch(unknownFlag.stderr, /\n\s+at /);
});

test('an invalid migrations directory exits 8 listing every offending file', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_a.sql': sqlMigration('CREATE TABLE a (x);'),
    '0003_c.sql': sqlMigration('CREATE TABLE c (x);'),
    'add_users.sql': sqlMigration('CREATE TABLE users (x);'),
    '0004_tx.sql': sqlMigration('BEGIN;\nCREATE TABLE d (x);\nCOMMIT;'),
  });
  const db = join(dir, 'app.db');
  const result = runCli(['up', db, '--migrations', migrations]);
  assert.equal(result.code, 8);
  for (const name of ['0003_c.sql', 'add_users.sql', '0004_tx.sql']) assert.ok(result.stderr.includes(name), `names ${name}`);
  assert.equal(existsSync(db), false);
});
