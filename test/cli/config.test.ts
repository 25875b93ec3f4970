import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { trackingRows } from '../helpers/database.js';
import { sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

test('drawbridge.config.yaml in the working directory supplies the migrations folder and tracking table', (t) => {
  const dir = tempDir(t);
  writeMigrations(join(dir, 'db', 'sequence'), { '0001_a.sql': sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;') });
  writeFileSync(join(dir, 'drawbridge.config.yaml'), 'migrations: db/sequence\ntable: schema_history\n');
  const result = runCli(['up', 'app.db'], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(trackingRows(join(dir, 'app.db'), 'schema_history').map((r) => r.name), ['0001_a']);
});

test('--config paths are relative to the config file, and flags override it', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'conf'));
  writeMigrations(join(dir, 'conf', 'migrations'), { '0001_a.sql': sqlMigration('CREATE TABLE a (x);') });
  writeMigrations(join(dir, 'other'), { '0001_b.sql': sqlMigration('CREATE TABLE b (x);') });
  writeFileSync(join(dir, 'conf', 'drawbridge.config.json'), JSON.stringify({ migrations: 'migrations' }));
  assert.equal(runCli(['up', 'one.db', '--config', 'conf/drawbridge.config.json'], { cwd: dir }).code, 0);
  assert.deepEqual(trackingRows(join(dir, 'one.db')).map((r) => r.name), ['0001_a']);
  assert.equal(runCli(['up', 'two.db', '--config', 'conf/drawbridge.config.json', '--migrations', 'other'], { cwd: dir }).code, 0);
  assert.deepEqual(trackingRows(join(dir, 'two.db')).map((r) => r.name), ['0001_b']);
});

test('an invalid config exits 8 naming the file and the unknown key', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'drawbridge.config.yaml'), 'migrashuns: db\n');
  const result = runCli(['status', 'app.db'], { cwd: dir });
  assert.equal(result.code, 8);
  assert.match(result.stderr, /drawbridge\.config\.yaml/);
  assert.match(result.stderr, /migrashuns/);
});

test('a config file that is not valid YAML exits 8 with the parser\'s reason', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'drawbridge.config.yaml'), 'migrations: [unclosed\n');
  const result = runCli(['status', 'app.db'], { cwd: dir });
  assert.equal(result.code, 8);
  assert.match(result.stderr, /cannot be read as YAML/);
});
