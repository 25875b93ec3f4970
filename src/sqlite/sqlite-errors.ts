import { LockTimeoutError, NotADatabaseError, type DrawbridgeError } from '../errors.js';

/**
 * better-sqlite3 throws SqliteError with `code` set to SQLite's (extended)
 * result code name, e.g. "SQLITE_BUSY" or "SQLITE_CONSTRAINT_UNIQUE". We branch
 * on those names only, never on message text.
 */
export function sqliteErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** The primary result code: SQLITE_CONSTRAINT_UNIQUE → SQLITE_CONSTRAINT. */
export function primarySqliteCode(error: unknown): string | undefined {
  const code = sqliteErrorCode(error);
  if (code === undefined) return undefined;
  const match = /^SQLITE_[A-Z]+/.exec(code);
  return match?.[0];
}

const UNREADABLE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CANTOPEN']);

export function isBusyError(error: unknown): boolean {
  const code = primarySqliteCode(error);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/**
 * Turn the SQLite errors that mean "wrong file" or "someone else has it" into
 * drawbridge errors with their exit codes; anything else is returned as-is
 * (undefined) for the caller to wrap with its own context.
 */
export function translateSqliteError(error: unknown, file: string, lockTimeoutMs: number): DrawbridgeError | undefined {
  const code = sqliteErrorCode(error);
  const primary = primarySqliteCode(error);
  if (primary === undefined || code === undefined) return undefined;
  if (primary === 'SQLITE_BUSY' || primary === 'SQLITE_LOCKED') {
    return new LockTimeoutError(
      `${file}: another connection held the database lock for more than ${lockTimeoutMs} ms (${code}); nothing was changed. ` +
        'Wait for the other process (an app instance or another drawbridge) to finish, or raise --lock-timeout.',
      { cause: error, details: { file, sqliteCode: code, lockTimeoutMs } },
    );
  }
  if (UNREADABLE.has(primary) || code === 'SQLITE_IOERR_SHORT_READ') {
    const reason = primary === 'SQLITE_CANTOPEN' ? 'cannot be opened' : 'is not a readable SQLite database (corrupt or truncated)';
    return new NotADatabaseError(
      `${file}: ${reason} (${code}). drawbridge changed nothing; check the path, or restore the file from a backup.`,
      { cause: error, details: { file, sqliteCode: code, reason } },
    );
  }
  return undefined;
}
