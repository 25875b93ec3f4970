import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { listDatabases } from '../../src/fleet/list-databases.js';
import { tempDir } from '../helpers/temp.js';

function touch(root: string, ...paths: string[]): void {
  for (const path of paths) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
  }
}

test('a directory is searched recursively for database files by extension, sidecars and backups skipped', async (t) => {
  const root = tempDir(t);
  touch(root, 'a.db', 'x/b.sqlite', 'x/y/c.sqlite3', 'x/y/z/d.db3', 'e.DB');
  touch(root, 'a.db-wal', 'a.db-shm', 'a.db-journal', 'notes.txt', 'a.db.20260101T000000Z.legacy-r03-to-0010_x.backup', 'a.db.20260101T000000Z.r-to-s.backup.partial', 'a.db.t.backup.partial-wal');
  const listed = await listDatabases([root]);
  assert.deepEqual(listed.map((d) => d.relativePath), ['a.db', 'e.DB', 'x/b.sqlite', 'x/y/c.sqlite3', 'x/y/z/d.db3']);
  assert.deepEqual(listed.map((d) => d.file), ['a.db', 'e.DB', 'x/b.sqlite', 'x/y/c.sqlite3', 'x/y/z/d.db3'].map((p) => join(root, p)));
});

test("shard keys are relative to the argument, so two mounts of one fleet agree", async (t) => {
  const root = tempDir(t);
  touch(join(root, 'mnt-a'), 's1/a.db', 's2/b.db');
  touch(join(root, 'data', 'fleet'), 's1/a.db', 's2/b.db');
  const one = await listDatabases([join(root, 'mnt-a')]);
  const other = await listDatabases([join(root, 'data', 'fleet')]);
  assert.deepEqual(one.map((d) => d.relativePath), other.map((d) => d.relativePath));
});

test('a glob is expanded; its keys are relative to the directories before its first pattern', async (t) => {
  const root = tempDir(t);
  touch(root, 'fleet/s1/a.db', 'fleet/s2/b.db', 'fleet/s2/b.db-wal', 'fleet/s2/c.txt', 'fleet/s2/b.db.t.backup');
  const listed = await listDatabases([`${root}/fleet/**/*`]);
  assert.deepEqual(listed.map((d) => d.relativePath), ['s1/a.db', 's2/b.db', 's2/c.txt']);
  const relative = await listDatabases(['fleet/*/a.db'], root);
  assert.deepEqual(relative.map((d) => [d.file, d.relativePath]), [['fleet/s1/a.db', 's1/a.db']]);
});

test('a file is taken as given, whatever its extension, keyed by its name', async (t) => {
  const root = tempDir(t);
  touch(root, 'odd/customer.bin');
  const listed = await listDatabases([join(root, 'odd/customer.bin')]);
  assert.deepEqual(listed, [{ file: join(root, 'odd/customer.bin'), relativePath: 'customer.bin' }]);
});

test('a file named by two arguments is listed once; the list is sorted', async (t) => {
  const root = tempDir(t);
  touch(root, 'b.db', 'a.db', 'sub/c.db');
  const listed = await listDatabases(['sub', 'b.db', '.', './a.db'], root);
  assert.deepEqual(listed.map((d) => d.file), ['a.db', 'b.db', 'sub/c.db']);
  // The first argument that names a file decides its key.
  assert.equal(listed.find((d) => d.file === 'sub/c.db')?.relativePath, 'c.db');
});

test('a symlink to a database file is listed; one to a directory is not followed', async (t) => {
  const root = tempDir(t);
  touch(root, 'outside/x.db', 'other/b.db', 'real/a.db');
  symlinkSync(join(root, 'outside/x.db'), join(root, 'other/link-x.db'));
  symlinkSync(join(root, 'real'), join(root, 'other/loop'));
  const listed = await listDatabases([join(root, 'other')]);
  assert.deepEqual(listed.map((d) => d.relativePath), ['b.db', 'link-x.db']);
});

test('two paths to one file (a symlink beside it) are one database, shown by the path that sorts first', async (t) => {
  const root = tempDir(t);
  touch(root, 'real/a.db');
  symlinkSync(join(root, 'real/a.db'), join(root, 'real/alias.db'));
  const listed = await listDatabases([join(root, 'real')]);
  assert.deepEqual(listed.map((d) => d.relativePath), ['a.db']);
});

test('an argument that names nothing, or holds no database, is a usage error', async (t) => {
  const root = tempDir(t);
  touch(root, 'empty/notes.txt');
  await assert.rejects(listDatabases([join(root, 'missing')]), (e) => e instanceof UsageError && /no such file or directory/.test(e.message));
  await assert.rejects(listDatabases([join(root, 'empty')]), (e) => e instanceof UsageError && /holds no database files/.test(e.message));
  await assert.rejects(listDatabases([`${root}/*.nothing`]), (e) => e instanceof UsageError && /holds no database files/.test(e.message));
  await assert.rejects(listDatabases([]), UsageError);
});
