import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { json, runCli } from '../../helpers/cli.js';
import { execOn, schemaOf, trackingRows } from '../../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../../helpers/files.js';
import { tempDir } from '../../helpers/temp.js';

function sequence(dir: string): string {
  return writeMigrations(join(dir, 'migrations'), {
    '0001_projects.sql': sqlMigration('CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL);', 'DROP TABLE projects;'),
    '0002_sessions.sql': sqlMigration(
      'CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id), status TEXT);\nCREATE INDEX idx_sessions_status ON sessions(status);',
      'DROP TABLE sessions;',
    ),
    '0003_session_view.sql': sqlMigration(
      'CREATE VIEW active_sessions AS SELECT * FROM sessions WHERE status = \'active\';\nCREATE TRIGGER trg_projects_path AFTER UPDATE OF path ON projects BEGIN UPDATE sessions SET status = \'moved\' WHERE project_id = NEW.id; END;',
      'DROP TRIGGER trg_projects_path;\nDROP VIEW active_sessions;',
    ),
    '0004_status_column.sql': sqlMigration("ALTER TABLE projects ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;", 'ALTER TABLE projects DROP COLUMN archived;'),
  });
}

test('down --step 2 then up returns to the same schema', (t) => {
  const dir = tempDir(t);
  const migrations = sequence(dir);
  const db = join(dir, 'app.db');
  assert.equal(runCli(['up', db, '--migrations', migrations]).code, 0);
  const head = schemaOf(db);
  const down = runCli(['down', db, '--migrations', migrations, '--step', '2', '--json']);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(json<{ migrations: { name: string }[] }>(down).migrations.map((m) => m.name), ['0004_status_column', '0003_session_view']);
  assert.notDeepEqual(schemaOf(db), head);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_projects', '0002_sessions']);
  assert.equal(runCli(['up', db, '--migrations', migrations]).code, 0);
  assert.deepEqual(schemaOf(db), head);
});

test('down without a target rolls back only the newest migration', (t) => {
  const dir = tempDir(t);
  const migrations = sequence(dir);
  const db = join(dir, 'app.db');
  runCli(['up', db, '--migrations', migrations]);
  assert.equal(runCli(['down', db, '--migrations', migrations]).code, 0);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_projects', '0002_sessions', '0003_session_view']);
});

test('down --to NAME keeps NAME applied and rolls back everything after it', (t) => {
  const dir = tempDir(t);
  const migrations = sequence(dir);
  const db = join(dir, 'app.db');
  runCli(['up', db, '--migrations', migrations]);
  assert.equal(runCli(['down', db, '--migrations', migrations, '--to', '0002_sessions']).code, 0);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_projects', '0002_sessions']);
});

test('down --to 0 rolls back everything, leaving only the tracking table', (t) => {
  const dir = tempDir(t);
  const migrations = sequence(dir);
  const db = join(dir, 'app.db');
  runCli(['up', db, '--migrations', migrations]);
  assert.equal(runCli(['down', db, '--migrations', migrations, '--to', '0']).code, 0);
  assert.deepEqual(schemaOf(db), []);
  assert.deepEqual(trackingRows(db), []);
});

test('down past a migration without a down section is refused with exit 8 and changes nothing', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_a.sql': sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;'),
    '0002_forever.sql': sqlMigration('CREATE TABLE forever (x);'),
    '0003_c.sql': sqlMigration('CREATE TABLE c (x);', 'DROP TABLE c;'),
  });
  const db = join(dir, 'app.db');
  runCli(['up', db, '--migrations', migrations]);
  const before = sha256File(db);
  const result = runCli(['down', db, '--migrations', migrations, '--step', '2']);
  assert.equal(result.code, 8);
  assert.match(result.stderr, /cannot roll back past 0002_forever/);
  assert.equal(sha256File(db), before);
});

test('a failing down step rolls back the whole down: exit 5, file unchanged', (t) => {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_a.sql': sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;'),
    '0002_b.sql': sqlMigration('CREATE TABLE b (x);', 'DROP TABLE b;\nDROP TABLE does_not_exist;'),
  });
  const db = join(dir, 'app.db');
  runCli(['up', db, '--migrations', migrations]);
  execOn(db, 'INSERT INTO a VALUES (1)');
  const before = sha256File(db);
  const result = runCli(['down', db, '--migrations', migrations, '--to', '0']);
  assert.equal(result.code, 5);
  assert.match(result.stderr, /0002_b \(down\) failed at statement 2/);
  assert.equal(sha256File(db), before);
});
