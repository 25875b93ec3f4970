import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { NotADatabaseError } from '../../src/errors.js';
import { checkDatabaseFile } from '../../src/sqlite/file-check.js';
import { openTestDb } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/** A real database of several pages: a table with enough rows to spill over many pages. */
function makeDatabase(path: string, pageSize = 4096): void {
  const db = openTestDb(path);
  try {
    db.pragma(`page_size = ${pageSize}`);
    db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)");
    const insert = db.prepare('INSERT INTO items (label) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`item number ${i} with some padding to fill the pages`);
    })();
  } finally {
    db.close();
  }
}

/** The names SQLite's side files would have, for checking none was left behind. */
function sideFiles(path: string): string[] {
  return readdirSync(dirname(path)).filter((name) => name.startsWith(`${basename(path)}-`));
}

/**
 * Assert checkDatabaseFile rejects `path` with a NotADatabaseError whose
 * one-line message names the path and matches `reason`, leaving the file as it was.
 */
function assertRejected(path: string, reason: RegExp, mustExist = true): NotADatabaseError {
  const before = existsSync(path) && statSync(path).isFile() ? sha256File(path) : undefined;
  let caught: unknown;
  try {
    checkDatabaseFile(path, { mustExist });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof NotADatabaseError, `expected a NotADatabaseError, got ${String(caught)}`);
  assert.equal(caught.code, 'NOT_A_DATABASE');
  assert.equal(caught.exitCode, 7);
  assert.ok(!caught.message.includes('\n'), `message is not one line: ${JSON.stringify(caught.message)}`);
  assert.ok(caught.message.includes(path), `message does not name ${path}: ${caught.message}`);
  assert.match(caught.message, reason);
  assert.equal(caught.details['file'], path);
  const after = existsSync(path) && statSync(path).isFile() ? sha256File(path) : undefined;
  assert.equal(after, before, 'the file changed');
  assert.deepEqual(sideFiles(path), [], 'a journal or WAL file appeared');
  return caught;
}

test('an absent path is reported as not existing when it need not exist', (t) => {
  const path = join(tempDir(t), 'new.db');
  assert.deepEqual(checkDatabaseFile(path, { mustExist: false }), { path, exists: false, sizeBytes: 0, pageSize: 0 });
  assert.equal(existsSync(path), false, 'checking must not create the file');
});

test('an absent path is rejected with NotADatabaseError when it must exist', (t) => {
  const path = join(tempDir(t), 'missing.db');
  assertRejected(path, /no such file/);
  assert.equal(existsSync(path), false, 'checking must not create the file');
});

test('a directory is rejected', (t) => {
  const path = join(tempDir(t), 'folder.db');
  mkdirSync(path);
  assertRejected(path, /is a directory/);
  assert.deepEqual(readdirSync(path), []);
});

test('a directory is rejected even when the path need not exist', (t) => {
  const path = join(tempDir(t), 'folder.db');
  mkdirSync(path);
  assertRejected(path, /is a directory/, false);
});

test('a 0-byte file is accepted as an empty database', (t) => {
  const path = join(tempDir(t), 'empty.db');
  writeFileSync(path, '');
  assert.deepEqual(checkDatabaseFile(path, { mustExist: true }), { path, exists: true, sizeBytes: 0, pageSize: 0 });
  assert.equal(statSync(path).size, 0);
  assert.deepEqual(sideFiles(path), []);
});

test('a text file is rejected as not an SQLite database', (t) => {
  const path = join(tempDir(t), 'notes.db');
  writeFileSync(path, 'These are my notes; they are not a database.\n'.repeat(20));
  assertRejected(path, /is not an SQLite database/);
});

test('a short text file (under 100 bytes) is rejected as not an SQLite database', (t) => {
  const path = join(tempDir(t), 'short.db');
  writeFileSync(path, 'hello\n');
  assertRejected(path, /is not an SQLite database/);
});

test('a file shorter than the 100-byte header that starts like SQLite is rejected as truncated', (t) => {
  const path = join(tempDir(t), 'stub.db');
  writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(40)]));
  assertRejected(path, /truncated \(56 bytes/);
});

test('a real database truncated to half its size is rejected as truncated', (t) => {
  const path = join(tempDir(t), 'half.db');
  makeDatabase(path);
  const size = statSync(path).size;
  assert.ok(size >= 4 * 4096, `the fixture should have several pages, has ${size} bytes`);
  truncateSync(path, Math.floor(size / 2 / 4096) * 4096); // whole pages, so only the header's page count gives it away
  assertRejected(path, /is truncated \(\d+ bytes, but its header says \d+ pages of 4096 bytes\)/);
});

test('a real database cut mid-page is rejected as truncated', (t) => {
  const path = join(tempDir(t), 'cut.db');
  makeDatabase(path);
  truncateSync(path, Math.floor(statSync(path).size / 2) + 100);
  assertRejected(path, /is truncated or damaged/);
});

test('a database whose size is not a multiple of its page size is rejected', (t) => {
  const path = join(tempDir(t), 'odd.db');
  makeDatabase(path);
  appendFileSync(path, Buffer.alloc(10));
  const error = assertRejected(path, /not a whole number of 4096-byte pages/);
  assert.equal(error.details['reason'], `is truncated or damaged (${statSync(path).size} bytes is not a whole number of 4096-byte pages)`);
});

test('a database header with a page size that is not a power of two is rejected as corrupt', (t) => {
  const path = join(tempDir(t), 'corrupt.db');
  makeDatabase(path);
  const bytes = readFileSync(path);
  bytes.writeUInt16BE(3000, 16); // the page size field
  writeFileSync(path, bytes);
  assertRejected(path, /corrupt header \(page size 3000/);
});

test('a valid database passes and reports its size and page size', (t) => {
  const path = join(tempDir(t), 'good.db');
  makeDatabase(path, 1024);
  const before = sha256File(path);
  const facts = checkDatabaseFile(path, { mustExist: true });
  assert.deepEqual(facts, { path, exists: true, sizeBytes: statSync(path).size, pageSize: 1024 });
  assert.equal(sha256File(path), before);
  assert.deepEqual(sideFiles(path), []);
});

test('a valid database with 65536-byte pages reports 65536 (stored as 1 in the header)', (t) => {
  const path = join(tempDir(t), 'big-pages.db');
  makeDatabase(path, 65536);
  assert.equal(checkDatabaseFile(path, { mustExist: false }).pageSize, 65536);
});
