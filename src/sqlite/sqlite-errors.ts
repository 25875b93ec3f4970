import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isDrawbridgeError, LockTimeoutError, MigrationFailedError, NotADatabaseError, type DrawbridgeError } from '../errors.js';

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
/** I/O errors that mean the file could not be read (exit 7); every other SQLITE_IOERR_* is a failed write. */
const READ_IOERRS = new Set(['SQLITE_IOERR_SHORT_READ', 'SQLITE_IOERR_READ']);
/** Node's errno codes for a write the file system refused (a backup copy, usually). */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);
/** EACCES/EPERM also come from reads; only these calls make them a refused write. */
const WRITE_SYSCALLS = new Set(['copyfile', 'write', 'rename', 'mkdir', 'fsync', 'ftruncate']);

export function isBusyError(error: unknown): boolean {
  const code = primarySqliteCode(error);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function directoryIsWritable(file: string): boolean {
  try {
    accessSync(dirname(resolve(file)), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A Node file-system error (from a backup copy, say): its errno code and the path it could not write. */
function fileSystemError(error: unknown): { code: string; path: string | undefined } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, dest, path } = error as NodeJS.ErrnoException & { dest?: unknown };
  if (typeof code !== 'string' || typeof syscall !== 'string' || !(NO_SPACE.has(code) || NOT_WRITABLE.has(code))) return undefined;
  if ((code === 'EACCES' || code === 'EPERM') && !WRITE_SYSCALLS.has(syscall)) return undefined;
  return { code, path: typeof dest === 'string' ? dest : path };
}

/** What the refused write was and the way out; undefined when the error is not a refused write. */
function writeFailureReason(cause: unknown, file: string): { code: string; what: string; reason: string; path?: string } | undefined {
  const dir = dirname(resolve(file));
  const fsError = fileSystemError(cause);
  if (fsError !== undefined) {
    const path = fsError.path ?? '(unknown path)';
    // backupDatabase writes its copy to `<backup>.partial` and renames it into place once checked.
    const isBackup = path.endsWith('.partial');
    const what = isBackup ? `could not write its backup ${path.slice(0, -'.partial'.length)}` : `could not write ${path}`;
    const reason = NO_SPACE.has(fsError.code)
      ? `the disk is full (${fsError.code}). Free space on the disk that holds ${dirname(path)}${isBackup ? ', or choose --backup PATH on another disk (or --no-backup)' : ''}`
      : `that location is not writable (${fsError.code}: read-only file system or no permission)${isBackup ? '. Choose --backup PATH in a writable folder (or --no-backup)' : ''}`;
    return { code: fsError.code, what, reason, path };
  }
  const code = sqliteErrorCode(cause);
  const primary = primarySqliteCode(cause);
  if (code === undefined || primary === undefined || READ_IOERRS.has(code)) return undefined;
  if (primary === 'SQLITE_FULL') {
    return { code, what: 'a write failed', reason: `the disk is full (${code}). Free space on the disk that holds ${dir} (the database, its rollback journal or -wal, and by default the backup taken before an upgrade live there), or choose --backup PATH on another disk` };
  }
  // CANTOPEN on a file that exists (and whose header drawbridge read) is the journal or -wal beside it.
  const journalRefused = code === 'SQLITE_READONLY_DIRECTORY' || (primary === 'SQLITE_CANTOPEN' && existsSync(file) && !directoryIsWritable(file));
  if (journalRefused) {
    return { code, what: 'cannot be written', reason: `SQLite cannot create its rollback journal (or -wal) beside it because the directory ${dir} is not writable (${code}). Make the directory writable, or copy the database somewhere writable, run the command on the copy and put the copy back` };
  }
  if (primary === 'SQLITE_READONLY') {
    return { code, what: 'cannot be written', reason: `the file or its file system is read-only (${code}). Make it writable, or copy it somewhere writable, run the command on the copy and put the copy back` };
  }
  if (primary === 'SQLITE_IOERR') {
    return { code, what: 'a write failed', reason: `an I/O error (${code}). Check the disk that holds ${dir} (space, health), then run the command again` };
  }
  return undefined;
}

/**
 * A write that the environment refused (disk full, read-only file or
 * directory, I/O error) inside drawbridge's transaction: SQLite rolled it back,
 * so the database is unchanged. Exit 5 ("failed and rolled back"), with the
 * cause and the way out instead of a migration's "fix the statement".
 */
function writeFailure(error: unknown, file: string): DrawbridgeError | undefined {
  // A migration's failure (describeFailure) wraps the SQLite error; the environment, not the migration, is to blame.
  const wrapped = isDrawbridgeError(error) && error.code === 'MIGRATION_FAILED' && error.details.writeFailure === undefined ? error : undefined;
  const cause = wrapped === undefined ? error : wrapped.cause;
  const failure = writeFailureReason(cause, file);
  if (failure === undefined) return undefined;
  const details = wrapped?.details ?? {};
  const committed = Array.isArray(details.committedBeforeFailure) ? (details.committedBeforeFailure as unknown[]) : [];
  const during = typeof details.migration === 'string' ? ` (during migration ${details.migration})` : '';
  const kept = committed.length > 0
    ? `its transaction was rolled back; the ${committed.length} migration(s) before it in this run stay committed (--transaction each)`
    : 'the transaction was rolled back and the file is unchanged';
  return new MigrationFailedError(`${file}: ${failure.what}${during}, so ${kept}: ${failure.reason}.`, {
    cause,
    details: { ...details, file, sqliteCode: failure.code, writeFailure: true, ...(failure.path === undefined ? {} : { path: failure.path }) },
  });
}

/**
 * Turn the SQLite errors that mean "wrong file", "someone else has it" or
 * "the environment refused the write" (disk full, read-only, I/O error; also
 * Node's ENOSPC/EROFS/EACCES from a backup copy made inside the transaction)
 * into drawbridge errors with their exit codes; anything else is returned
 * as-is (undefined) for the caller to wrap with its own context.
 */
export function translateSqliteError(error: unknown, file: string, lockTimeoutMs: number): DrawbridgeError | undefined {
  const environment = writeFailure(error, file);
  if (environment !== undefined) return environment;
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
