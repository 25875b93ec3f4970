import { existsSync } from 'node:fs';
import type { SqliteDatabase } from '../sqlite/connection.js';

export type Access = 'read' | 'write';

/**
 * Give `fn` a connection: the caller's own handle (left open, settings
 * restored by whoever changed them), or one opened for this call and closed
 * after it. For 'read' on a path with nothing there, `fn` gets undefined so
 * that dry runs can describe what a fresh database would get.
 * SQLite's "busy" and "not a database" errors come out as drawbridge errors.
 * The openers are imported on first use of a path: an app that hands in its
 * own handle (the every-start no-op) does not load them (bench startup).
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
    const { openDatabase } = await import('../sqlite/open.js');
    const opened = openDatabase(database, { readonly: false, create: true, lockTimeoutMs });
    db = opened;
    close = () => opened.close();
  } else if (!(options.allowAbsent === true && !existsSync(database))) {
    // Reads never change a byte of the database, its -wal or its -shm (see openReadOnly).
    const { openReadOnly } = await import('../sqlite/open-read-only.js');
    const connection = openReadOnly(database, { lockTimeoutMs });
    db = connection.db;
    close = () => connection.close();
  }
  try {
    return await fn(db, file);
  } catch (error) {
    // Imported here, not with the module: the every-start no-op never fails.
    const { translateSqliteError } = await import('../sqlite/sqlite-errors.js');
    throw translateSqliteError(error, file, lockTimeoutMs) ?? error;
  } finally {
    close();
  }
}
