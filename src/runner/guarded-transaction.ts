import { UsageError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { readBusyTimeoutMs, readForeignKeysEnabled, setBusyTimeoutMs, setForeignKeysEnabled } from '../sqlite/pragmas.js';
import { isBusyError, translateSqliteError } from '../sqlite/sqlite-errors.js';
import { beginImmediate, commit, rollbackIfOpen } from '../sqlite/transaction.js';

export interface GuardOptions {
  readonly file: string;
  readonly lockTimeoutMs: number;
  /** Called once if the lock is held by someone else and we start waiting. */
  readonly onWait?: () => void;
}

function takeLock(db: SqliteDatabase, options: GuardOptions): void {
  // First without waiting, so that a caller can say "waiting for another
  // process" only when that is what is happening.
  setBusyTimeoutMs(db, 0);
  try {
    beginImmediate(db);
    return;
  } catch (error) {
    if (!isBusyError(error)) throw error;
  } finally {
    setBusyTimeoutMs(db, options.lockTimeoutMs);
  }
  options.onWait?.();
  beginImmediate(db);
}

/**
 * Run `work` in one write transaction holding SQLite's own lock:
 * foreign keys switched off before BEGIN (SQLite ignores the pragma inside a
 * transaction, and table rebuilds need it off), BEGIN IMMEDIATE, work, COMMIT;
 * on any error ROLLBACK, so the file is exactly as it was. The connection's
 * foreign_keys and busy_timeout settings are restored either way.
 *
 * `work` runs its own foreign_key_check before returning (it knows whether it
 * changed anything); the guard owns only the transaction and the lock.
 */
export async function inGuardedTransaction<T>(db: SqliteDatabase, options: GuardOptions, work: () => Promise<T>): Promise<T> {
  if (db.inTransaction) {
    throw new UsageError(
      `${options.file}: the connection handed to drawbridge is inside a transaction; drawbridge needs to own the transaction ` +
        '(to switch foreign keys off and take the write lock). Commit or roll back first.',
      { details: { file: options.file } },
    );
  }
  const foreignKeysWere = readForeignKeysEnabled(db);
  const busyTimeoutWas = readBusyTimeoutMs(db);
  setForeignKeysEnabled(db, false);
  try {
    takeLock(db, options);
    const value = await work();
    commit(db);
    return value;
  } catch (error) {
    rollbackIfOpen(db);
    throw translateSqliteError(error, options.file, options.lockTimeoutMs) ?? error;
  } finally {
    setForeignKeysEnabled(db, foreignKeysWere);
    setBusyTimeoutMs(db, busyTimeoutWas);
  }
}
