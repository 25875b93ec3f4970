import Database from 'better-sqlite3';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NotADatabaseError } from '../errors.js';
import { copyDatabaseFile, FileCopyUnavailable } from './copy-database-file.js';
import { quickCheck, readJournalMode } from './pragmas.js';

/**
 * A consistent copy of a database, as one self-contained file.
 *
 * The fast way (method `file-copy`): the file copied byte for byte by a
 * child process while a read transaction of ours pins it (see
 * copy-database-file.ts) — it runs at about the speed of a plain file copy
 * and fsync. When that cannot be had (Windows, no `cp`, a -wal another
 * reader keeps from being folded in, a copy whose page count is off), SQLite's
 * online backup API on a second connection (method `backup-api`), ~2.5×
 * slower; `fallbackReason` says why.
 *
 * Either way the copy is written beside its final name, checked, fsynced and
 * only then renamed into place: a backup that exists is a whole, healthy
 * database. Checked means quick_check on the copy — unless the caller has
 * just quick_checked the source under a write lock it still holds
 * (`sourceQuickChecked`, upgrade's health gate): the copy is then that
 * database page for page, and its page count and schema are checked instead,
 * which saves a second full read (quick_check runs ~1.5 GB/s here).
 */

export interface BackupResult {
  readonly path: string;
  /** How the copy was made: a child-process file copy, or SQLite's backup API. */
  readonly method: 'file-copy' | 'backup-api';
  /** Why the file copy could not be had, when the backup API ran instead; null when the file copy ran. */
  readonly fallbackReason: string | null;
  /** quick_check of the copy, or (sourceQuickChecked) its page count and schema. */
  readonly verified: 'quick_check' | 'page-count-and-schema';
  readonly bytes: number;
  readonly durationMs: number;
}

export interface BackupOptions {
  readonly onProgress?: (copiedPages: number, totalPages: number) => void;
  /**
   * The caller ran quick_check on the source in the very state being backed
   * up — under a write lock it still holds, with nothing written since — so
   * the copy need not be quick_checked again (see above).
   */
  readonly sourceQuickChecked?: boolean;
  /** 'auto' (default): the file copy when it can be had, else the backup API; 'backup-api': only the backup API. */
  readonly method?: 'auto' | 'backup-api';
}

interface Copy {
  readonly method: BackupResult['method'];
  readonly fallbackReason: string | null;
}

/** fsync a file or a folder (a rename is durable once its folder is synced). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeLeftovers(partial: string): void {
  for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(leftover, { force: true });
}

/**
 * Make the copy one self-contained file (a WAL copy switched to a rollback
 * journal) and return its page count.
 */
function settleCopy(path: string): number {
  const db = new Database(path, { fileMustExist: true });
  try {
    if (readJournalMode(db) === 'wal') db.exec('PRAGMA journal_mode = DELETE');
    return Number(db.pragma('page_count', { simple: true }));
  } finally {
    db.close();
  }
}

function checkCopy(path: string, source: string, quick: boolean): void {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const problems = quick ? quickCheck(db) : [];
    // Reading the schema parses every CREATE statement: a copy with a damaged first page or schema fails here.
    if (!quick) db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (problems.length > 0) {
      throw new NotADatabaseError(`${source}: its backup failed quick_check (${problems[0] ?? ''}); the upgrade did not start. The database itself may be damaged: run \`drawbridge verify\`.`, {
        details: { file: source, backup: path, problems },
      });
    }
  } finally {
    db.close();
  }
}

async function copyWithBackupApi(source: string, partial: string, onProgress: BackupOptions['onProgress']): Promise<void> {
  const reader = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await reader.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 1024; // pages per step: big steps, few callbacks
      },
    });
  } finally {
    reader.close();
  }
  settleCopy(partial);
}

/** The file copy, its page count checked against the snapshot it was taken from; throws when it cannot be had. */
async function copyFile(source: string, partial: string, onProgress: BackupOptions['onProgress']): Promise<void> {
  const copied = await copyDatabaseFile(resolve(source), partial);
  const pages = settleCopy(partial);
  if (pages !== copied.pageCount) throw new FileCopyUnavailable(`the copy has ${pages} pages, the database ${copied.pageCount}`);
  onProgress?.(copied.pageCount, copied.pageCount);
}

async function makeCopy(source: string, partial: string, options: BackupOptions): Promise<Copy> {
  let fallbackReason = 'the backup API was asked for';
  if (options.method !== 'backup-api') {
    try {
      await copyFile(source, partial, options.onProgress);
      return { method: 'file-copy', fallbackReason: null };
    } catch (error) {
      fallbackReason = error instanceof Error ? error.message : String(error);
      removeLeftovers(partial);
    }
  }
  await copyWithBackupApi(source, partial, options.onProgress);
  return { method: 'backup-api', fallbackReason };
}

export async function backupDatabase(source: string, target: string, options: BackupOptions = {}): Promise<BackupResult> {
  const started = performance.now();
  const partial = `${target}.partial`;
  // A -wal or -journal left beside an old partial copy would be replayed into the new one.
  removeLeftovers(partial);
  try {
    const copy = await makeCopy(source, partial, options);
    const quick = options.sourceQuickChecked !== true;
    checkCopy(partial, source, quick);
    fsyncPath(partial);
    renameSync(partial, target);
    try {
      fsyncPath(dirname(target));
    } catch {
      // Some filesystems cannot fsync a directory; the rename is still atomic.
    }
    return { path: target, ...copy, verified: quick ? 'quick_check' : 'page-count-and-schema', bytes: statSync(target).size, durationMs: performance.now() - started };
  } finally {
    removeLeftovers(partial);
  }
}
