import { existsSync } from 'node:fs';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { openDatabase } from '../sqlite/open.js';
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
  let owned = false;
  if (typeof database !== 'string') {
    db = database;
  } else if (!(access === 'read' && options.allowAbsent === true && !existsSync(database))) {
    db = openDatabase(database, { readonly: access === 'read', create: access === 'write', lockTimeoutMs });
    owned = true;
  }
  try {
    return await fn(db, file);
  } catch (error) {
    throw translateSqliteError(error, file, lockTimeoutMs) ?? error;
  } finally {
    if (owned) db?.close();
  }
}
