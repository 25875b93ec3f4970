import Database from 'better-sqlite3';
import type { SqliteDatabase } from './connection.js';
import { checkDatabaseFile } from './file-check.js';
import { translateSqliteError } from './sqlite-errors.js';
import { NotADatabaseError } from '../errors.js';

export interface OpenOptions {
  /** Open read-only: nothing can be written, and the file must exist. */
  readonly readonly: boolean;
  /** Create the file when it does not exist (ignored when readonly). */
  readonly create: boolean;
  /** How long to wait for another connection's lock (SQLite's busy_timeout). */
  readonly lockTimeoutMs: number;
}

/**
 * Open a database file after checking it is one. The first read happens here,
 * so a corrupt file fails now, with exit 7, not halfway through a command.
 */
export function openDatabase(path: string, options: OpenOptions): SqliteDatabase {
  const mustExist = options.readonly || !options.create;
  checkDatabaseFile(path, { mustExist });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly, fileMustExist: mustExist, timeout: options.lockTimeoutMs });
  } catch (error) {
    throw translateSqliteError(error, path, options.lockTimeoutMs) ??
      new NotADatabaseError(`${path}: cannot be opened (${(error as Error).message}). Check the path and its permissions.`, {
        cause: error,
        details: { file: path },
      });
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    throw translateSqliteError(error, path, options.lockTimeoutMs) ?? error;
  }
  return db;
}

/** A private in-memory database, e.g. to replay migrations and see the schema they produce. */
export function openMemoryDatabase(): SqliteDatabase {
  return new Database(':memory:');
}
