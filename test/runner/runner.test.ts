import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  HistoryOutOfOrderError,
  IrreversibleMigrationError,
  MigrationFailedError,
  UsageError,
} from '../../src/errors.js';
import { checksumOf } from '../../src/runner/checksum.js';
import { defineMigrations, loadMigrations } from '../../src/runner/migration-set.js';
import { createRunner } from '../../src/runner/runner.js';
import type { MigrationDefinition, RunProgress } from '../../src/runner/types.js';
import { execOn, openTestDb, trackingRows } from '../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

const PARENT_CHILD = `
  CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT);
  CREATE TABLE sessions (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE);
  INSERT INTO projects VALUES (1, 'one'), (2, 'two');
  INSERT INTO sessions VALUES (10, 1), (11, 1), (20, 2);
`;

const REBUILD_PROJECTS: MigrationDefinition = {
  name: '0001_rebuild_projects',
  sql: sqlMigration(
    'CREATE TABLE projects_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT \'\');\n' +
      'INSERT INTO projects_new (id, name) SELECT id, coalesce(name, \'\') FROM projects;\n' +
      'DROP TABLE projects;\nALTER TABLE projects_new RENAME TO projects;',
  ),
};

test('rebuilding a parent table through the app\'s own handle (foreign keys ON) deletes no child rows, and the handle\'s settings are restored', async (t) => {
  const path = join(tempDir(t), 'app.db');
  execOn(path, PARENT_CHILD);
  const db = openTestDb(path);
  t.after(() => db.close());
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 1234');
  await createRunner(db, { migrations: [REBUILD_PROJECTS] }).up();
  assert.deepEqual(db.prepare('SELECT id FROM sessions ORDER BY id').pluck().all(), [10, 11, 20]);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('busy_timeout', { simple: true }), 1234);
});

test('a handle that is inside a transaction is refused with a UsageError and nothing changes', async (t) => {
  const path = join(tempDir(t), 'app.db');
  execOn(path, 'CREATE TABLE a (x)');
  const db = openTestDb(path);
  t.after(() => db.close());
  db.exec('BEGIN');
  await assert.rejects(createRunner(db, { migrations: [REBUILD_PROJECTS] }).up(), UsageError);
  db.exec('ROLLBACK');
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'drawbridge_migrations'").pluck().get(), 0);
});

test('embedded migrations: sql text gets the same checksum as the file; functions (sync or async) run with ctx.db and ctx.sql', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'app.db');
  const text = sqlMigration('CREATE TABLE a (x);', 'DROP TABLE a;');
  const seen: string[] = [];
  const migrations = defineMigrations([
    { name: '0001_a', sql: text },
    {
      name: '0002_b',
      up: (ctx) => {
        ctx.sql('CREATE TABLE b (x);\nINSERT INTO b VALUES (1);');
        seen.push(ctx.name);
      },
      down: (ctx) => {
        ctx.db.exec('DROP TABLE b');
      },
    },
    {
      name: '0003_c',
      up: async (ctx) => {
        await Promise.resolve();
        ctx.db.exec('CREATE TABLE c (x)');
      },
      checksum: checksumOf('version 1 of 0003_c'),
    },
  ]);
  const result = await createRunner(path, { migrations }).up();
  assert.deepEqual(result.migrations.map((m) => m.name), ['0001_a', '0002_b', '0003_c']);
  assert.deepEqual(seen, ['0002_b']);
  const rows = trackingRows(path);
  assert.equal(rows[0]?.checksum, checksumOf(text));
  assert.equal(rows[1]?.checksum, null);
  assert.equal(rows[2]?.checksum, checksumOf('version 1 of 0003_c'));
});

test('a throwing function migration fails with MigrationFailedError carrying the original error as cause; the file is unchanged', async (t) => {
  const path = join(tempDir(t), 'app.db');
  execOn(path, 'CREATE TABLE keep (x)');
  const before = sha256File(path);
  const boom = new Error('the data was not what we expected');
  const runner = createRunner(path, {
    migrations: [
      { name: '0001_ok', up: (ctx) => void ctx.db.exec('CREATE TABLE ok (x)') },
      { name: '0002_boom', up: () => { throw boom; } },
    ],
  });
  await assert.rejects(runner.up(), (error: unknown) => {
    assert.ok(error instanceof MigrationFailedError);
    assert.equal(error.cause, boom);
    assert.match(error.message, /0002_boom \(up\) failed/);
    assert.match(error.message, /the data was not what we expected/);
    return true;
  });
  assert.equal(sha256File(path), before);
});

test('ctx.sql failures name the statement within the script', async (t) => {
  const path = join(tempDir(t), 'app.db');
  const runner = createRunner(path, {
    migrations: [{ name: '0001_script', up: (ctx) => ctx.sql('CREATE TABLE a (x);\nCREATE TABLE a (x);') }],
  });
  await assert.rejects(runner.up(), /failed at statement 2 \(line 2\)/);
});

test('a pending migration numbered before an applied one is refused as out of order', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'app.db');
  const migrations = writeMigrations(join(dir, 'migrations'), {
    '0001_a.sql': sqlMigration('CREATE TABLE a (x);'),
    '0002_b.sql': sqlMigration('CREATE TABLE b (x);'),
  });
  await createRunner(path, { migrations: loadMigrations(migrations) }).up();
  execOn(path, "DELETE FROM drawbridge_migrations WHERE name = '0001_a'");
  const before = sha256File(path);
  await assert.rejects(createRunner(path, { migrations: loadMigrations(migrations) }).up(), HistoryOutOfOrderError);
  assert.equal(sha256File(path), before);
});

test('down over an embedded migration without a down function is refused before anything runs', async (t) => {
  const path = join(tempDir(t), 'app.db');
  const runner = createRunner(path, { migrations: [{ name: '0001_forever', up: (ctx) => void ctx.db.exec('CREATE TABLE f (x)') }] });
  await runner.up();
  const before = sha256File(path);
  await assert.rejects(runner.down(), IrreversibleMigrationError);
  assert.equal(sha256File(path), before);
});

test('onProgress reports each migration starting and finishing, in order', async (t) => {
  const path = join(tempDir(t), 'app.db');
  const events: RunProgress[] = [];
  const runner = createRunner(path, {
    migrations: [
      { name: '0001_a', up: (ctx) => void ctx.db.exec('CREATE TABLE a (x)') },
      { name: '0002_b', up: (ctx) => void ctx.db.exec('CREATE TABLE b (x)') },
    ],
    onProgress: (event) => events.push(event),
  });
  await runner.up();
  assert.deepEqual(
    events.map((e) => (e.type === 'migration-start' || e.type === 'migration-done' ? `${e.type}:${e.name}:${e.index}/${e.total}` : e.type)),
    ['migration-start:0001_a:1/2', 'migration-done:0001_a:1/2', 'migration-start:0002_b:2/2', 'migration-done:0002_b:2/2'],
  );
});

test('up on a current database writes nothing', async (t) => {
  const path = join(tempDir(t), 'app.db');
  const runner = createRunner(path, { migrations: [{ name: '0001_a', up: (ctx) => void ctx.db.exec('CREATE TABLE a (x)') }] });
  await runner.up();
  const before = sha256File(path);
  const again = await runner.up();
  assert.deepEqual(again.migrations, []);
  assert.equal(sha256File(path), before);
});

test('to and step together do not compile, and are refused at run time too', async (t) => {
  const path = join(tempDir(t), 'app.db');
  const runner = createRunner(path, { migrations: [{ name: '0001_a', up: (ctx) => void ctx.db.exec('CREATE TABLE a (x)') }] });
  // @ts-expect-error -- `to` and `step` are mutually exclusive in UpOptions.
  await assert.rejects(runner.up({ to: '0001_a', step: 1 }), UsageError);
});

test('ctx.progress from a long migration reaches onProgress as rows done, of total, with an estimate', async (t) => {
  const path = join(tempDir(t), 'app.db');
  const events: RunProgress[] = [];
  const runner = createRunner(path, {
    migrations: [
      {
        name: '0001_big_copy',
        up: (ctx) => {
          ctx.db.exec('CREATE TABLE t (x)');
          for (const done of [250, 500, 1000]) ctx.progress(done, 1000, 'rows copied into t');
        },
      },
    ],
    onProgress: (event) => events.push(event),
  });
  await runner.up();
  const rows = events.flatMap((e) => (e.type === 'rows' ? [e] : []));
  assert.deepEqual(rows.map((e) => [e.name, e.what, e.rowsDone, e.rowsTotal]), [
    ['0001_big_copy', 'rows copied into t', 250, 1000],
    ['0001_big_copy', 'rows copied into t', 500, 1000],
    ['0001_big_copy', 'rows copied into t', 1000, 1000],
  ]);
  assert.equal(rows.at(-1)?.secondsLeft, 0);
  assert.ok(rows.every((e) => e.secondsLeft !== null && e.secondsLeft >= 0));
});
