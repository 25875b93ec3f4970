import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { backupDatabase } from '../../src/sqlite/backup.js';
import { openTestDb } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Backups: the child-process file copy, checked, and the fallback to the
 * backup API when the copy cannot be had — on real files, with real
 * concurrent readers and writers.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A database of `rows` rows of ~1 KB (rows: 1000 ≈ 1 MB), in the given journal mode. */
function makeDatabase(t: TestContext, rows: number, journalMode: 'delete' | 'wal' = 'delete'): string {
  const file = join(tempDir(t), 'app.db');
  const db = openTestDb(file);
  try {
    db.pragma(`journal_mode = ${journalMode}`);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, gen INTEGER NOT NULL, pad BLOB NOT NULL); CREATE INDEX t_gen ON t(gen)');
    db.prepare('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO t (gen, pad) SELECT 0, randomblob(1000) FROM n').run(rows);
  } finally {
    db.close();
  }
  return file;
}

function query(file: string, sql: string): unknown {
  const db = openTestDb(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
}

test('a backup is a byte copy of the file made in a child process, quick_checked: every row, one file, no sidecars', async (t) => {
  const file = makeDatabase(t, 2000);
  const target = join(tempDir(t), 'app.backup');
  const result = await backupDatabase(file, target);
  assert.deepEqual([result.method, result.fallbackReason, result.verified], ['file-copy', null, 'quick_check']);
  assert.equal(query(target, 'SELECT count(*) FROM t'), 2000);
  assert.equal(query(target, 'PRAGMA quick_check'), 'ok');
  assert.deepEqual(['.partial', '-journal', '-wal'].filter((suffix) => existsSync(target + suffix)), []);
});

test('when the caller has quick_checked the source under its write lock, the copy is checked by page count and schema instead', async (t) => {
  const file = makeDatabase(t, 500);
  const writer = openTestDb(file);
  t.after(() => writer.close());
  writer.exec('BEGIN IMMEDIATE');
  const result = await backupDatabase(file, join(tempDir(t), 'app.backup'), { sourceQuickChecked: true });
  writer.exec('ROLLBACK');
  assert.deepEqual([result.method, result.verified], ['file-copy', 'page-count-and-schema']);
});

test('a WAL database with frames not yet checkpointed is copied as one rollback-journal file holding every committed row', async (t) => {
  const file = makeDatabase(t, 300, 'wal');
  const app = openTestDb(file);
  t.after(() => app.close());
  app.pragma('wal_autocheckpoint = 0');
  app.prepare('UPDATE t SET gen = 1 WHERE id <= 100').run();
  assert.ok(existsSync(`${file}-wal`));
  const target = join(tempDir(t), 'app.backup');
  const result = await backupDatabase(file, target);
  assert.equal(result.method, 'file-copy');
  assert.deepEqual([query(target, 'SELECT count(*) FROM t WHERE gen = 1'), query(target, 'PRAGMA journal_mode')], [100, 'delete']);
  assert.equal(existsSync(`${target}-wal`), false);
});

test('a WAL file another connection still reads an older snapshot of cannot be folded in: the backup API runs instead, with every committed row', async (t) => {
  const file = makeDatabase(t, 300, 'wal');
  const reader = openTestDb(file);
  const app = openTestDb(file);
  t.after(() => {
    reader.close();
    app.close();
  });
  app.pragma('wal_autocheckpoint = 0');
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM t').get(); // pins the snapshot before the update
  app.prepare('UPDATE t SET gen = 2 WHERE id <= 50').run();
  const target = join(tempDir(t), 'app.backup');
  const result = await backupDatabase(file, target);
  reader.exec('ROLLBACK');
  assert.equal(result.method, 'backup-api');
  assert.match(result.fallbackReason ?? '', /-wal could not be folded into the file/);
  assert.equal(query(target, 'SELECT count(*) FROM t WHERE gen = 2'), 50);
});

/**
 * Another process in the middle of a write: it has updated half the rows with
 * a cache too small to hold them, so SQLite has already written those
 * uncommitted pages into the main file (under its EXCLUSIVE lock). It rolls
 * back after `holdMs`.
 */
function startSpillingWriter(t: TestContext, file: string, holdMs: number): Promise<void> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('cache_size = 10');
    db.exec('BEGIN');
    db.prepare('UPDATE t SET gen = 99 WHERE id <= 2000').run();
    process.stdout.write('spilled\\n');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the writer exited early (${code})`)));
  });
}

test('a backup taken while another process is mid-write, its uncommitted pages already in the file, waits for it and holds only committed rows', async (t) => {
  const file = makeDatabase(t, 4000);
  const before = sha256File(file);
  await startSpillingWriter(t, file, 300);
  assert.notEqual(sha256File(file), before, 'the writer has written uncommitted pages into the main file');
  const target = join(tempDir(t), 'app.backup');
  const result = await backupDatabase(file, target);
  assert.equal(result.method, 'file-copy');
  assert.equal(query(target, 'SELECT count(*) FROM t WHERE gen = 99'), 0);
});
