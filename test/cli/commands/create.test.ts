import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { json, runCli } from '../../helpers/cli.js';
import { schemaOf, trackingRows } from '../../helpers/database.js';
import { tempDir } from '../../helpers/temp.js';

test('create writes the next numbered file into the migrations directory', (t) => {
  const dir = tempDir(t);
  const migrations = join(dir, 'migrations');
  const first = runCli(['create', 'add projects', '--migrations', migrations, '--json']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(json<{ name: string }>(first).name, '0001_add_projects');
  const second = runCli(['create', 'add_sessions', '--migrations', migrations, '--json']);
  assert.equal(json<{ name: string }>(second).name, '0002_add_sessions');
  assert.ok(existsSync(join(migrations, '0002_add_sessions.sql')));
});

test('create rejects a name that cannot be a file name', (t) => {
  const dir = tempDir(t);
  const result = runCli(['create', '../escape', '--migrations', join(dir, 'migrations')]);
  assert.equal(result.code, 2);
  assert.equal(existsSync(join(dir, 'escape.sql')), false);
});

test('every template, in sequence, applies and rolls back cleanly on a real database', (t) => {
  const dir = tempDir(t);
  const migrations = join(dir, 'migrations');
  for (const template of ['table', 'column', 'index', 'data', 'rebuild']) {
    const created = runCli(['create', `example_${template}`, '--template', template, '--migrations', migrations]);
    assert.equal(created.code, 0, created.stderr);
  }
  const db = join(dir, 'app.db');
  const up = runCli(['up', db, '--migrations', migrations]);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(trackingRows(db).length, 5);
  // The rebuild template recreates every index the earlier templates made: none is lost.
  assert.deepEqual(schemaOf(db).filter((s) => s.type === 'index').map((s) => s.name), ['idx_example_name', 'idx_example_status']);
  const down = runCli(['down', db, '--migrations', migrations, '--to', '0']);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(schemaOf(db), []);
});

test('create --ts writes a TypeScript migration that runs through the CLI', (t) => {
  const dir = tempDir(t);
  const migrations = join(dir, 'migrations');
  const created = runCli(['create', 'typed_table', '--template', 'table', '--ts', '--migrations', migrations, '--json']);
  assert.equal(created.code, 0, created.stderr);
  const path = json<{ path: string }>(created).path;
  assert.match(readFileSync(path, 'utf8'), /export function up\(ctx: MigrationContext\)/);
  const db = join(dir, 'app.db');
  const up = runCli(['up', db, '--migrations', migrations]);
  assert.equal(up.code, 0, up.stderr);
  assert.ok(schemaOf(db).some((s) => s.name === 'example'));
  assert.equal(runCli(['down', db, '--migrations', migrations]).code, 0);
  assert.deepEqual(schemaOf(db), []);
});
