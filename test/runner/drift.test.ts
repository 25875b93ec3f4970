import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { json, runCli } from '../helpers/cli.js';
import { execOn } from '../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

function tracked(t: Parameters<typeof tempDir>[0]): { migrations: string; db: string } {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_projects.sql': sqlMigration("CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL, status TEXT DEFAULT 'new');", 'DROP TABLE projects;'),
    '0002_index.sql': sqlMigration('CREATE INDEX idx_projects_path ON projects(path);', 'DROP INDEX idx_projects_path;'),
  });
  const db = join(dir, 'app.db');
  assert.equal(runCli(['up', db, '--migrations', migrations]).code, 0);
  return { migrations, db };
}

test('diff on a database that matches its applied migrations reports no drift', (t) => {
  const { migrations, db } = tracked(t);
  const result = runCli(['diff', db, '--migrations', migrations, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<{ identical: boolean; against: { name: string } }>(result);
  assert.equal(body.identical, true);
  assert.equal(body.against.name, '0002_index');
});

test('diff names a column added and an index dropped outside the migrations, and writes nothing', (t) => {
  const { migrations, db } = tracked(t);
  execOn(db, 'ALTER TABLE projects ADD COLUMN sneaky TEXT; DROP INDEX idx_projects_path;');
  const before = sha256File(db);
  const result = runCli(['diff', db, '--migrations', migrations]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /differs from 0002_index/);
  assert.match(result.stdout, /sneaky/);
  assert.match(result.stdout, /- index idx_projects_path/);
  assert.equal(sha256File(db), before);
});

test('diff --against NAME compares with an earlier version of the sequence', (t) => {
  const { migrations, db } = tracked(t);
  const result = runCli(['diff', db, '--migrations', migrations, '--against', '0001_projects', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<{ identical: boolean; diff: { indexes: { added: string[] } } }>(result);
  assert.equal(body.identical, false);
  assert.deepEqual(body.diff.indexes.added, ['idx_projects_path']);
});

test('diff on an untracked database without --against is a usage error that says what to do', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), { '0001_a.sql': sqlMigration('CREATE TABLE a (x);') });
  const db = join(dir, 'legacy.db');
  execOn(db, 'CREATE TABLE a (x)');
  const result = runCli(['diff', db, '--migrations', migrations]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--against/);
});

test('verify fails with exit 8 on drift beyond user additions, and passes when the user only added a table', (t) => {
  const { migrations, db } = tracked(t);
  execOn(db, 'CREATE TABLE my_notes (id INTEGER PRIMARY KEY, body TEXT)');
  assert.equal(runCli(['verify', db, '--migrations', migrations]).code, 0);
  execOn(db, 'DROP INDEX idx_projects_path');
  const result = runCli(['verify', db, '--migrations', migrations, '--json']);
  assert.equal(result.code, 8, result.stdout);
  assert.equal(json<{ problems: { code: string }[] }>(result).problems[0]?.code, 'SCHEMA_DRIFT');
});
