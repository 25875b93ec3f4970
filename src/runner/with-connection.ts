import { existsSync } from 'node:fs';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { openDatabase } from '../sqlite/open.js';
import { openReadOnly } from '../sqlite/open-read-only.js';
import { translateSqliteError } from '../sqlite/sqlite-errors.js';

export type Access = 'read' | 'write';

/**
 * Give `fn` a connection: the caller's own handle (left open, settings
 * restored by whoever changed them), or one opened for this call and closed
 * after it. For 'read' on a path with nothing there, `fn` gets undefined so
 * that dry runs can describe what a fresh database would get.
 * SQLite's "busy" and "not a database" errors come out as drawbridge errors.
 */
export async function withConnection<T>(
  database: string | SqliteDatabase,
  access: Access,
  lockTimeoutMs: number,
  fn: (db: SqliteDatabase | undefined, file: string) => Promise<T>,
  options: { readonly allowAbsent?: boolean } = {},
): Promise<T> {
  const file = typeof database === 'string' ? database : database.name || ':memory:';
  let db: SqliteDatabase | undefined;
  let close = (): void => undefined;
  if (typeof database !== 'string') {
    db = database;
  } else if (access === 'write') {
    const opened = openDatabase(database, { readonly: false, create: true, lockTimeoutMs });
    db = opened;
    close = () => opened.close();
  } else if (!(options.allowAbsent === true && !existsSync(database))) {
    // Reads never change a byte of the database, its -wal or its -shm (see openReadOnly).
    const connection = openReadOnly(database, { lockTimeoutMs });
    db = connection.db;
    close = () => connection.close();
  }
  try {
    return await fn(db, file);
  } catch (error) {
    throw translateSqliteError(error, file, lockTimeoutMs) ?? error;
  } finally {
    close();
  }
}
