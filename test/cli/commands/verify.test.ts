import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { json, runCli } from '../../helpers/cli.js';
import { execOn } from '../../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../../helpers/files.js';
import { tempDir } from '../../helpers/temp.js';

function applied(t: Parameters<typeof tempDir>[0]): { migrations: string; db: string; file: string } {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_a.sql': '-- Creates a.\n' + sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;'),
    '0002_b.sql': sqlMigration('CREATE TABLE b (x);', 'DROP TABLE b;'),
  });
  const db = join(dir, 'app.db');
  assert.equal(runCli(['up', db, '--migrations', migrations]).code, 0);
  return { migrations, db, file: join(migrations, '0001_a.sql') };
}

test('verify passes on a database whose applied migrations match their files', (t) => {
  const { migrations, db } = applied(t);
  const result = runCli(['verify', db, '--migrations', migrations, '--json']);
  assert.equal(result.code, 0, result.stdout);
  assert.equal(json<{ verified: boolean }>(result).verified, true);
});

test('an edited applied migration: verify and up exit 8 naming the file, and nothing changes', (t) => {
  const { migrations, db, file } = applied(t);
  writeFileSync(file, readFileSync(file, 'utf8').replace('CREATE TABLE a (x);', 'CREATE TABLE a (x, y);'));
  const before = sha256File(db);
  const verify = runCli(['verify', db, '--migrations', migrations]);
  assert.equal(verify.code, 8);
  assert.match(verify.stdout, /0001_a/);
  assert.ok(verify.stdout.includes(file), 'names the file');
  const up = runCli(['up', db, '--migrations', migrations]);
  assert.equal(up.code, 8);
  assert.ok(up.stderr.includes(file), 'names the file');
  assert.match(up.stderr, /drawbridge repair/);
  assert.equal(sha256File(db), before);
});

test('a CRLF-only change to an applied migration is not an edit', (t) => {
  const { migrations, db, file } = applied(t);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
  assert.equal(runCli(['verify', db, '--migrations', migrations]).code, 0);
  assert.equal(runCli(['up', db, '--migrations', migrations]).code, 0);
});

test('repair re-records the checksum of an edited migration, after which verify passes', (t) => {
  const { migrations, db, file } = applied(t);
  writeFileSync(file, readFileSync(file, 'utf8').replace('-- Creates a.', '-- Creates table a (comment reworded).'));
  assert.equal(runCli(['verify', db, '--migrations', migrations]).code, 8);
  const repair = runCli(['repair', db, '--migrations', migrations, '--json']);
  assert.equal(repair.code, 0, repair.stderr);
  assert.deepEqual(json<{ repaired: { name: string }[] }>(repair).repaired.map((r) => r.name), ['0001_a']);
  assert.equal(runCli(['verify', db, '--migrations', migrations]).code, 0);
});

test('repair on a database with nothing edited writes nothing', (t) => {
  const { migrations, db } = applied(t);
  const before = sha256File(db);
  const repair = runCli(['repair', db, '--migrations', migrations]);
  assert.equal(repair.code, 0);
  assert.match(repair.stdout, /nothing to repair/);
  assert.equal(sha256File(db), before);
});

test('verify reports a corrupt page found by quick_check with exit 7', (t) => {
  const { migrations, db } = applied(t);
  execOn(db, 'INSERT INTO b (x) SELECT hex(randomblob(300)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) SELECT i FROM n)');
  const bytes = readFileSync(db);
  const pageSize = bytes.readUInt16BE(16);
  const lastPage = bytes.length / pageSize - 1;
  bytes[lastPage * pageSize] = 0x00; // not a valid b-tree page type
  writeFileSync(db, bytes);
  const result = runCli(['verify', db, '--migrations', migrations, '--json']);
  assert.equal(result.code, 7, result.stdout);
  const body = json<{ integrity: string[]; problems: { code: string }[] }>(result);
  assert.ok(body.integrity.length > 0);
  assert.equal(body.problems[0]?.code, 'NOT_A_DATABASE');
});
