import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { CLI, runCli, startCli } from '../helpers/cli.js';
import { openTestDb, trackingRows } from '../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

function migrations(dir: string): string {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 6; i++) {
    const name = `t${i}`;
    // Each migration does some real work so that the runs overlap.
    files[`000${i}_${name}.sql`] = sqlMigration(
      `CREATE TABLE ${name} (id INTEGER PRIMARY KEY, v TEXT);\nINSERT INTO ${name} (v) SELECT hex(randomblob(64)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) SELECT i FROM n);`,
      `DROP TABLE ${name};`,
    );
  }
  return writeMigrations(join(dir, 'migrations'), files);
}

test('8 processes running up on one new file at once: all exit 0 and each migration is recorded and applied once', async (t) => {
  const dir = tempDir(t);
  const dirOfMigrations = migrations(dir);
  const db = join(dir, 'shared.db');
  // A generous lock timeout: waiting is the behaviour under test, not its speed on a loaded machine.
  const results = await Promise.all(Array.from({ length: 8 }, () => startCli(['up', db, '--migrations', dirOfMigrations, '--json', '--lock-timeout', '300000'])));
  for (const result of results) assert.equal(result.code, 0, result.stdout + result.stderr);
  const appliedCounts = results.map((r) => (JSON.parse(r.stdout) as { migrations: unknown[] }).migrations.length);
  assert.equal(appliedCounts.reduce((a, b) => a + b, 0), 6, `exactly one process applies each migration, got ${appliedCounts.join(',')}`);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_t1', '0002_t2', '0003_t3', '0004_t4', '0005_t5', '0006_t6']);
  for (const result of results) assert.doesNotMatch(result.stderr, /SQLITE_BUSY/);
});

/** A separate process that holds a write transaction on `db` until killed. */
function holdWriteLock(db: string): Promise<{ release: () => Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (x)');
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script, db], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', () =>
      resolve({
        release: () =>
          new Promise((done) => {
            child.once('close', () => done());
            child.kill('SIGKILL');
          }),
      }),
    );
  });
}

test('up exits 6 with a clear message when another process holds the write lock past --lock-timeout, and changes nothing', async (t) => {
  const dir = tempDir(t);
  const dirOfMigrations = migrations(dir);
  const db = join(dir, 'busy.db');
  assert.equal(runCli(['up', db, '--migrations', dirOfMigrations, '--step', '1']).code, 0);
  const before = sha256File(db);
  const holder = await holdWriteLock(db);
  try {
    const result = await startCli(['up', db, '--migrations', dirOfMigrations, '--lock-timeout', '300']);
    assert.equal(result.code, 6, result.stderr);
    assert.match(result.stderr, /held the database lock for more than 300 ms/);
    assert.match(result.stderr, /--lock-timeout/);
  } finally {
    await holder.release();
  }
  assert.equal(sha256File(db), before);
});

test('a process waiting for the lock proceeds once the holder is gone (a killed holder releases it)', async (t) => {
  const dir = tempDir(t);
  const dirOfMigrations = migrations(dir);
  const db = join(dir, 'wait.db');
  const holder = await holdWriteLock(db);
  const waiting = startCli(['up', db, '--migrations', dirOfMigrations, '--lock-timeout', '60000']);
  // Let the waiter find the lock taken, then kill -9 the holder.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await holder.release();
  const result = await waiting;
  assert.equal(result.code, 0, result.stderr);
  assert.equal(trackingRows(db).length, 6);
});

test('a rollback that waited for the lock while another process applied a later migration refuses, and rolls back nothing', async (t) => {
  const dir = tempDir(t);
  const dirOfMigrations = migrations(dir);
  const db = join(dir, 'moved-on.db');
  assert.equal(runCli(['up', db, '--migrations', dirOfMigrations, '--to', '0002_t2']).code, 0);
  const third = loadMigrations(dirOfMigrations).migrations[2];
  const holder = openTestDb(db);
  t.after(() => holder.close());
  holder.exec('BEGIN IMMEDIATE');
  const child = spawn(process.execPath, [CLI, 'down', db, '0002_t2', '--migrations', dirOfMigrations, '--lock-timeout', '60000'], { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Once it says it waits for the lock, it has planned from what it read: move the database on under it.
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('waiting up to')) resolve();
    });
  });
  holder.exec('CREATE TABLE t3 (id INTEGER PRIMARY KEY, v TEXT)');
  holder
    .prepare("INSERT INTO drawbridge_migrations (name, checksum, applied_at, duration_ms, method, rule, tool_version, compatible) VALUES (?, ?, '2026-01-01T00:00:00.000Z', 0, 'run', NULL, 'test', 0)")
    .run(third?.name, third?.checksum);
  holder.exec('COMMIT');
  assert.equal(await exited, 2, stderr);
  assert.match(stderr, /another process applied 0003_t3, so 0002_t2 is no longer the newest; nothing was rolled back/);
  assert.deepEqual(trackingRows(db).map((r) => r.name), ['0001_t1', '0002_t2', '0003_t3']);
});
