import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateFixture } from '../../legacy-fixtures/generate.js';
import { json, runCli, type CliResult } from '../helpers/cli.js';
import { openTestDb, trackingRows } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Failures of the machine, not of the input: a read-only file or folder, a
 * lock another process holds, a full disk, a WAL database without its -shm.
 * Each: a clear one-paragraph error, the documented exit code, and the
 * database byte-identical afterwards.
 *
 * Root ignores file permissions, so as root the read-only and disk-full cases
 * use real mounts (a tmpfs remounted read-only, a tiny tmpfs); where mounting
 * is not permitted they skip and say why. Every mount is undone in t.after.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MIGRATIONS = join(ROOT, 'migrations');
const RULES = join(ROOT, 'bridge-rules');
const LEGACY = join(ROOT, 'dist/legacy-fixtures/index.js');
const REFERENCE = ['--migrations', MIGRATIONS, '--rules', RULES, '--legacy', LEGACY];
const SIDECARS = ['', '-wal', '-shm', '-journal'] as const;
const IS_ROOT = process.getuid?.() === 0;

let cache = '';
before(() => {
  cache = mkdtempSync(join(tmpdir(), 'drawbridge-environment-'));
});
after(() => rmSync(cache, { recursive: true, force: true }));

/** The reference fixture's files (generated once per run): the .db and, for WAL fixtures, its -wal. */
function fixtureSource(name: string): string {
  const source = join(cache, `${name}.db`);
  if (!existsSync(source)) generateFixture(name, cache);
  return source;
}

function copyFixture(name: string, target: string): string {
  copyFileSync(fixtureSource(name), target);
  return target;
}

/** A database and its companions: sha256 or 'absent'. */
function stateOf(file: string): Record<string, string> {
  return Object.fromEntries(SIDECARS.map((suffix) => [suffix || '(db)', existsSync(file + suffix) ? sha256File(file + suffix) : 'absent']));
}

function assertClearFailure(result: CliResult, code: number, message: RegExp): void {
  assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(result.stderr, /This is a bug in drawbridge/);
  assert.match(result.stderr, message);
}

function run(command: string, args: readonly string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stderr}${result.stdout}`.trim() || (result.error?.message ?? `exit ${String(result.status)}`) };
}

/**
 * Mounts made by one test, undone in reverse order when it ends (even on
 * failure), mount points removed. Mounting skips the test, with the reason,
 * where it is not permitted.
 */
class Mounts {
  private readonly made: { path: string; removeDir: boolean }[] = [];

  constructor(t: TestContext) {
    t.after(() => {
      for (const { path, removeDir } of this.made.reverse()) {
        if (!run('umount', [path]).ok) run('umount', ['-l', path]);
        if (removeDir) rmSync(path, { recursive: true, force: true });
      }
    });
  }

  /** A fresh tmpfs of `size` in a new temporary folder. */
  tmpfs(size: string): { dir: string } | { skip: string } {
    if (!IS_ROOT) return { skip: 'not running as root: cannot mount a tmpfs' };
    const dir = mkdtempSync(join(tmpdir(), 'drawbridge-mount-'));
    const mounted = run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
    if (!mounted.ok) {
      rmSync(dir, { recursive: true, force: true });
      return { skip: `mounting a tmpfs is not permitted here (${mounted.output})` };
    }
    this.made.push({ path: dir, removeDir: true });
    return { dir };
  }

  /** Bind-mount the file `source` onto the (existing) file `target`. */
  bindFile(source: string, target: string): string | undefined {
    const bound = run('mount', ['--bind', source, target]);
    if (!bound.ok) return `bind-mounting a file is not permitted here (${bound.output})`;
    this.made.push({ path: target, removeDir: false });
    return undefined;
  }
}

function remountReadOnly(dir: string): string | undefined {
  const result = run('mount', ['-o', 'remount,ro', dir]);
  return result.ok ? undefined : `remounting read-only is not permitted here (${result.output})`;
}

// --- (a) a read-only database file --------------------------------------------------------------

test('(a) a read-only database: upgrade and up fail with exit 5 naming the cause, the file unchanged; reads still work', async (t) => {
  let file: string;
  let backupAdvice: RegExp;
  if (IS_ROOT) {
    const mount = new Mounts(t).tmpfs('4m');
    if ('skip' in mount) return t.skip(mount.skip);
    file = copyFixture('release-r05', join(mount.dir, 'app.db'));
    const refused = remountReadOnly(mount.dir);
    if (refused !== undefined) return t.skip(refused);
    // Read-only media: the first thing that needs to write (the journal, or the backup beside it) fails, naming the folder.
    backupAdvice = /app\.db: (cannot be written|could not write its backup).*(directory .* is not writable|not writable \(EROFS)/;
  } else {
    const dir = tempDir(t);
    file = copyFixture('release-r05', join(dir, 'app.db'));
    chmodSync(file, 0o444);
    // The folder is writable: the backup beside it succeeds, and the first write to the database fails.
    backupAdvice = /app\.db: cannot be written, .*read-only \(SQLITE_READONLY/;
  }
  const before = stateOf(file);
  const listing = readdirSync(join(file, '..')).sort();

  await t.test('upgrade (backup beside the database)', () => {
    assertClearFailure(runCli(['upgrade', file, ...REFERENCE]), 5, backupAdvice);
  });
  await t.test('upgrade --no-backup', () => {
    assertClearFailure(runCli(['upgrade', file, ...REFERENCE, '--no-backup']), 5, /app\.db: cannot be written, so the transaction was rolled back and the file is unchanged: the file or its file system is read-only \(SQLITE_READONLY/);
  });
  await t.test('up', () => {
    assertClearFailure(runCli(['up', file, '--migrations', MIGRATIONS]), 5, /app\.db: cannot be written, .*read-only \(SQLITE_READONLY/);
  });
  await t.test('detect and report still read it', () => {
    const detected = runCli(['detect', file, ...REFERENCE, '--json']);
    assert.equal(detected.code, 0, detected.stderr);
    assert.equal(json<{ rule: { id: string } | null }>(detected).rule?.id, 'legacy-r05');
    assert.equal(runCli(['report', file, ...REFERENCE, '--format', 'json']).code, 0);
  });
  assert.deepEqual(stateOf(file), before, 'the database and its sidecars are byte-identical');
  if (IS_ROOT) assert.deepEqual(readdirSync(join(file, '..')).sort(), listing, 'nothing new beside it');
});

// --- (b) a read-only directory -------------------------------------------------------------------

test('(b) a writable database in a read-only folder (no room for its journal): exit 5 naming the folder, the file unchanged', async (t) => {
  let file: string;
  if (IS_ROOT) {
    // The database lives on a writable tmpfs and is bind-mounted onto a file of a read-only one:
    // the file can be written, its folder cannot (so SQLite cannot create app.db-journal there).
    const mounts = new Mounts(t);
    const data = mounts.tmpfs('4m');
    if ('skip' in data) return t.skip(data.skip);
    const folder = mounts.tmpfs('64k');
    if ('skip' in folder) return t.skip(folder.skip);
    const source = copyFixture('release-r05', join(data.dir, 'app.db'));
    file = join(folder.dir, 'app.db');
    writeFileSync(file, '');
    const refused = remountReadOnly(folder.dir);
    if (refused !== undefined) return t.skip(refused);
    const notBound = mounts.bindFile(source, file);
    if (notBound !== undefined) return t.skip(notBound);
    assert.equal(sha256File(file), sha256File(fixtureSource('release-r05')), 'the bind mount shows the database');
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'drawbridge-locked-folder-'));
    file = copyFixture('release-r05', join(dir, 'app.db'));
    chmodSync(dir, 0o555);
    t.after(() => {
      chmodSync(dir, 0o755);
      rmSync(dir, { recursive: true, force: true });
    });
  }
  const before = stateOf(file);
  const listing = readdirSync(join(file, '..')).sort();

  await t.test('upgrade --no-backup', () => {
    assertClearFailure(
      runCli(['upgrade', file, ...REFERENCE, '--no-backup']),
      5,
      /app\.db: cannot be written, so the transaction was rolled back and the file is unchanged: SQLite cannot create its rollback journal \(or -wal\) beside it because the directory .* is not writable \(SQLITE_(CANTOPEN|READONLY_DIRECTORY)\)/,
    );
  });
  await t.test('upgrade with the default backup beside it', () => {
    assertClearFailure(runCli(['upgrade', file, ...REFERENCE]), 5, /(cannot be written|could not write its backup).*(directory .* is not writable|not writable \(E(ROFS|ACCES)\b)/);
  });
  await t.test('up', () => {
    assertClearFailure(runCli(['up', file, '--migrations', MIGRATIONS]), 5, /directory .* is not writable/);
  });
  assert.deepEqual(stateOf(file), before, 'the database is byte-identical, no journal left');
  assert.deepEqual(readdirSync(join(file, '..')).sort(), listing, 'nothing new in the folder');
});

// --- (c) a lock held by another process ----------------------------------------------------------

/** A separate process holding SQLite's write lock (BEGIN IMMEDIATE and a write) until told to let go. */
async function holdWriteLock(t: TestContext, file: string): Promise<{ release: () => Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.exec('CREATE TABLE held_by_another_process (x)');
    process.stdout.write('locked\\n');
    process.stdin.resume();
    process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['-e', script, file], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null) child.kill();
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the lock holder exited early (${String(code)}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    release: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

test('(c) another process holds the write lock: upgrade --lock-timeout 300 exits 6, the file unchanged', async (t) => {
  const dir = tempDir(t);
  const file = copyFixture('release-r05', join(dir, 'app.db'));
  const before = stateOf(file);
  const holder = await holdWriteLock(t, file);
  const started = performance.now();
  const result = runCli(['upgrade', file, ...REFERENCE, '--lock-timeout', '300']);
  const elapsed = performance.now() - started;
  assertClearFailure(result, 6, /app\.db: another connection held the database lock for more than 300 ms \(SQLITE_BUSY\); nothing was changed\..*--lock-timeout/);
  assert.ok(elapsed < 20_000, `gave up after the lock timeout, not much later (${Math.round(elapsed)} ms)`);
  await holder.release();
  assert.deepEqual(stateOf(file), before, 'byte-identical once the other process let go');
  assert.deepEqual(readdirSync(dir), ['app.db'], 'no backup, no journal');
  // And once the lock is free, the same command works.
  assert.equal(runCli(['upgrade', file, ...REFERENCE, '--no-backup']).code, 0);
});

// --- (d) disk full -------------------------------------------------------------------------------

/** A tmpfs the fixture fits on, with 32 KiB to spare: too little for its backup, or for the upgrade's growth and journal. */
function tinyDisk(t: TestContext, fixture: string): { file: string } | { skip: string } {
  const bytes = statSync(fixtureSource(fixture)).size + 32 * 1024;
  const mount = new Mounts(t).tmpfs(`${Math.ceil(bytes / 4096) * 4}k`);
  if ('skip' in mount) return mount;
  return { file: copyFixture(fixture, join(mount.dir, 'app.db')) };
}

test('(d) disk full while taking the backup: exit 5 naming the backup, free space or --backup PATH elsewhere; the file unchanged', (t) => {
  const disk = tinyDisk(t, 'release-r05');
  if ('skip' in disk) return t.skip(disk.skip);
  const before = stateOf(disk.file);
  const result = runCli(['upgrade', disk.file, ...REFERENCE]);
  assertClearFailure(result, 5, /app\.db: .*so the transaction was rolled back and the file is unchanged: the disk is full \((ENOSPC|SQLITE_FULL)\)\. Free space .*or choose --backup PATH on another disk/);
  assert.deepEqual(stateOf(disk.file), before);
  assert.deepEqual(readdirSync(join(disk.file, '..')), ['app.db'], 'no partial backup left behind');
});

test('(d) disk full during the upgrade transaction (--no-backup): exit 5, rolled back, the file unchanged', (t) => {
  const disk = tinyDisk(t, 'release-r05');
  if ('skip' in disk) return t.skip(disk.skip);
  const before = stateOf(disk.file);
  const result = runCli(['upgrade', disk.file, ...REFERENCE, '--no-backup']);
  assertClearFailure(result, 5, /app\.db: a write failed( \(during migration \w+\))?, so the transaction was rolled back and the file is unchanged: the disk is full \(SQLITE_FULL\)\. Free space on the disk that holds /);
  assert.doesNotMatch(result.stderr, /Fix .*\.sql and run the command again/, 'does not blame the migration');
  assert.deepEqual(stateOf(disk.file), before);
  assert.deepEqual(readdirSync(join(disk.file, '..')), ['app.db']);
});

test('(d) with --backup PATH on another disk the same upgrade gets further, and still fails cleanly', (t) => {
  const disk = tinyDisk(t, 'release-r05');
  if ('skip' in disk) return t.skip(disk.skip);
  const elsewhere = join(tempDir(t), 'app.backup');
  const before = stateOf(disk.file);
  const result = runCli(['upgrade', disk.file, ...REFERENCE, '--backup', elsewhere]);
  assertClearFailure(result, 5, /the disk is full \(SQLITE_FULL\)/);
  assert.ok(existsSync(elsewhere), 'the backup elsewhere was written');
  const backup = new Database(elsewhere, { readonly: true });
  try {
    assert.equal(backup.pragma('quick_check', { simple: true }), 'ok', 'the backup elsewhere is a healthy database');
    assert.equal(backup.pragma('user_version', { simple: true }), 5, 'and it is the database as it was (release 0.5.0)');
  } finally {
    backup.close();
  }
  assert.deepEqual(stateOf(disk.file), before);
});

// --- (e) a WAL database whose -shm is missing ----------------------------------------------------

function walCopyWithoutShm(t: TestContext): string {
  const source = fixtureSource('variant-wal-uncheckpointed');
  assert.ok(existsSync(`${source}-wal`), 'the fixture has a -wal');
  const file = join(tempDir(t), 'app.db');
  copyFileSync(source, file);
  copyFileSync(`${source}-wal`, `${file}-wal`);
  return file;
}

/** Rows per table as SQLite sees the database (the -wal folded in), read from a private copy. */
function rowCounts(file: string): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-counts-'));
  try {
    const copy = join(dir, 'copy.db');
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = openTestDb(copy, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'drawbridge_migrations'").pluck().all() as string[];
      return new Map(tables.map((table) => [table, db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number]));
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('(e) a WAL database without its -shm: detect and report read it (with the -wal) and leave both files untouched', (t) => {
  const file = walCopyWithoutShm(t);
  const before = stateOf(file);
  assert.equal(before['-shm'], 'absent');
  const detected = runCli(['detect', file, ...REFERENCE, '--json']);
  assert.equal(detected.code, 0, detected.stderr);
  const body = json<{ state: string; rule: { id: string } | null; bridgePoint: string | null; fingerprint: { facts: { journalMode: string } } }>(detected);
  assert.deepEqual([body.state, body.rule?.id, body.bridgePoint, body.fingerprint.facts.journalMode], ['legacy', 'legacy-r10', '0009_session_git_tracking', 'wal']);
  const report = runCli(['report', file, ...REFERENCE, '--format', 'json']);
  assert.equal(report.code, 0, report.stderr);
  const document = json<{ file: { wal: { present: boolean }; shm: { present: boolean } }; detection: { rule: { id: string } | null } }>(report);
  assert.deepEqual([document.file.wal.present, document.file.shm.present, document.detection.rule?.id], [true, false, 'legacy-r10']);
  assert.deepEqual(stateOf(file), before, 'the .db and -wal are byte-identical and no -shm was created');
});

test('(e) detect --json and report describe the -shm and the private copy of the file itself', (t) => {
  const file = walCopyWithoutShm(t);
  const detected = json<{ fingerprint: { sidecars: { wal: boolean; shm: boolean }; readFromCopy: boolean } }>(runCli(['detect', file, ...REFERENCE, '--json']));
  assert.deepEqual(detected.fingerprint.sidecars, { wal: true, shm: false, journal: false });
  assert.equal(detected.fingerprint.readFromCopy, true);
  const document = json<{ file: { readFromCopy: boolean } }>(runCli(['report', file, ...REFERENCE, '--format', 'json']));
  assert.equal(document.file.readFromCopy, true);
});

test('(e) a WAL database without its -shm upgrades: SQLite rebuilds the -shm, every row of the -wal is kept', (t) => {
  const file = walCopyWithoutShm(t);
  const counts = rowCounts(file);
  const result = runCli(['upgrade', file, ...REFERENCE, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<{ rule: string; bridgePoint: string; backfilled: string[]; applied: string[]; backupPath: string }>(result);
  assert.deepEqual([body.rule, body.bridgePoint, body.backfilled.length, body.applied], ['legacy-r10', '0009_session_git_tracking', 9, ['0010_session_tags']]);
  assert.equal(trackingRows(file).length, 10);
  const now = rowCounts(file);
  for (const [table, rows] of counts) assert.equal(now.get(table), rows, `${table} kept its ${rows} rows (the -wal's included)`);
  assert.deepEqual(rowCounts(body.backupPath), counts, 'the backup holds the database as it was, -wal included');
  const db = openTestDb(file, { readonly: true });
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal', 'still a WAL database');
  } finally {
    db.close();
  }
  assert.equal(runCli(['verify', file, '--migrations', MIGRATIONS]).code, 0);
});
