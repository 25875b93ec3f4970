import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { NotADatabaseError } from '../errors.js';
import { backupDatabase, type BackupResult } from './backup.js';
import { checkDatabaseFile } from './file-check.js';
import { quickCheck } from './pragmas.js';
import { translateSqliteError } from './sqlite-errors.js';
import { beginImmediate, rollbackIfOpen } from './transaction.js';

/**
 * Put a backup back. The backup is checked first (quick_check), the database
 * as it is now is itself backed up beside it (so a restore can be undone),
 * and the pages are written through SQLite's backup API, which takes the
 * database's own write lock and replaces its content in one transaction: an
 * app holding the file open sees the old database or the restored one.
 */

export interface RestoreResult {
  readonly database: string;
  readonly from: string;
  /** Where the database as it was before the restore was saved (null if there was none). */
  readonly previous: BackupResult | null;
  readonly durationMs: number;
}

function checkBackup(backup: string): void {
  checkDatabaseFile(backup, { mustExist: true });
  const db = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    const problems = quickCheck(db);
    if (problems.length > 0) {
      throw new NotADatabaseError(`${backup}: the backup fails quick_check (${problems[0] ?? ''}); nothing was restored. Choose another backup.`, { details: { file: backup, problems } });
    }
  } finally {
    db.close();
  }
}

/** Save the current database under the write lock, so no commit lands between the check and the copy. */
async function saveCurrent(database: string, lockTimeoutMs: number): Promise<BackupResult | null> {
  if (!existsSync(database) || statSync(database).size === 0) return null;
  checkDatabaseFile(database, { mustExist: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const db = new Database(database, { fileMustExist: true, timeout: lockTimeoutMs });
  try {
    beginImmediate(db);
    return await backupDatabase(database, `${database}.${stamp}.before-restore.backup`, {});
  } finally {
    rollbackIfOpen(db);
    db.close();
  }
}

export async function restoreDatabase(database: string, backup: string, options: { readonly lockTimeoutMs: number }): Promise<RestoreResult> {
  const started = performance.now();
  try {
    checkBackup(backup);
    const previous = await saveCurrent(database, options.lockTimeoutMs);
    const source = new Database(backup, { readonly: true, fileMustExist: true });
    try {
      await source.backup(database);
    } finally {
      source.close();
    }
    const restored = new Database(database, { readonly: true, fileMustExist: true });
    try {
      const problems = quickCheck(restored);
      if (problems.length > 0) throw new NotADatabaseError(`${database}: after the restore quick_check reports ${problems[0] ?? ''}. The database before the restore is saved at ${previous?.path ?? '(none)'}.`, { details: { file: database, problems } });
    } finally {
      restored.close();
    }
    return { database, from: backup, previous, durationMs: performance.now() - started };
  } catch (error) {
    throw translateSqliteError(error, database, options.lockTimeoutMs) ?? error;
  }
}
