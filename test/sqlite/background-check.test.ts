import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { startStructuralCheck } from '../../src/sqlite/background-check.js';
import { openReadOnly } from '../../src/sqlite/open-read-only.js';
import { quickCheck } from '../../src/sqlite/pragmas.js';
import { openTestDb } from '../helpers/database.js';
import { tempDir } from '../helpers/temp.js';

/** quick_check on a worker thread beside the caller's own reads, on real files. */

const ON_A_WORKER = { lockTimeoutMs: 5000, workerMinBytes: 0 };

function makeDatabase(t: TestContext, journalMode: 'delete' | 'wal' = 'delete'): string {
  const file = join(tempDir(t), 'app.db');
  const db = openTestDb(file);
  try {
    db.pragma(`journal_mode = ${journalMode}`);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL); CREATE INDEX t_v ON t(v)');
    db.prepare("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t (v) SELECT 'value ' || i FROM n").run();
  } finally {
    db.close();
  }
  return file;
}

/** Scribble over the middle of a b-tree page, as a bad sector would. */
function damage(file: string): void {
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0x55, pageSize * 3 + 8, pageSize * 3 + 200);
  writeFileSync(file, bytes);
}

/** Whether `promise` is still pending once the current microtasks have run. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(marker)])) === marker;
}

function open(t: TestContext, file: string): ReturnType<typeof openTestDb> {
  const db = openTestDb(file, { readonly: true });
  t.after(() => db.close());
  return db;
}

test('on a worker, the check runs while the caller goes on, and finds what quick_check on the caller\'s connection finds', async (t) => {
  const file = makeDatabase(t);
  damage(file);
  const db = open(t, file);
  const check = startStructuralCheck(db, 'quick_check', ON_A_WORKER);
  assert.equal(await isPending(check.result), true, 'the caller has control back before the check ends');
  const inline = quickCheck(db);
  assert.ok(inline.length > 0, 'the damage is found');
  assert.deepEqual(await check.result, inline);
});

test('a database below the size that pays for a worker is checked inline, before the call returns', async (t) => {
  const db = open(t, makeDatabase(t));
  const check = startStructuralCheck(db, 'quick_check', { lockTimeoutMs: 5000 });
  assert.equal(await isPending(check.result), false);
  assert.deepEqual(await check.result, []);
});

test('a WAL database read from a private copy is checked on a worker through that copy', async (t) => {
  const file = makeDatabase(t, 'wal');
  const writer = openTestDb(file);
  t.after(() => writer.close());
  writer.pragma('wal_autocheckpoint = 0');
  writer.prepare("UPDATE t SET v = 'changed' WHERE id <= 10").run();
  const connection = openReadOnly(file, { lockTimeoutMs: 5000 });
  t.after(() => connection.close());
  assert.equal(connection.readFromCopy, true);
  assert.deepEqual(await startStructuralCheck(connection.db, 'integrity_check', ON_A_WORKER).result, []);
});

test('when the worker cannot open the file (moved away after the caller opened it), the check runs inline on the caller\'s connection', async (t) => {
  const file = makeDatabase(t);
  damage(file);
  const db = open(t, file);
  renameSync(file, `${file}.moved`);
  const lines = await startStructuralCheck(db, 'quick_check', ON_A_WORKER).result;
  assert.deepEqual(lines, quickCheck(db));
  assert.ok(lines.length > 0);
});

test('stop() ends a check still running: its result rejects instead of arriving late', async (t) => {
  const db = open(t, makeDatabase(t));
  const check = startStructuralCheck(db, 'quick_check', ON_A_WORKER);
  check.stop();
  await assert.rejects(check.result, /the check was stopped/);
});
