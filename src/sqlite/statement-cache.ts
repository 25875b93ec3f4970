import type { SqliteDatabase, SqliteStatement } from './connection.js';

/**
 * Fixed statements (the probe's schema query, the no-op's tracking-table
 * summary), prepared once per connection instead of on every call: preparing
 * the schema query (five subqueries over pragma table functions) takes
 * 65–70 µs, each probe of a handle the app keeps open. Keyed weakly by the
 * handle, so a closed, dropped connection takes its statements with it.
 * SQLite re-prepares a cached statement by itself when the schema changes
 * under it, so a cached statement never reads a stale schema.
 */

const statements = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

export function cachedStatement(db: SqliteDatabase, sql: string): SqliteStatement {
  let byText = statements.get(db);
  if (byText === undefined) {
    byText = new Map();
    statements.set(db, byText);
  }
  let statement = byText.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    byText.set(sql, statement);
  }
  return statement;
}
