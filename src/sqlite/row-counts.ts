import type { SqliteDatabase } from './connection.js';
import { quoteIdentifier } from './quote.js';

/**
 * Rows per table, for "nothing lost" checks around code we do not trust
 * (an app's old inline migrations). Table names come from the database and
 * are quoted; SQLite's own tables and virtual tables are left out.
 */
export function countRows(db: SqliteDatabase): Map<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%'")
    .all() as { name: string }[];
  const counts = new Map<string, number>();
  for (const { name } of tables) {
    const row = db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`).get() as { n: number };
    counts.set(name, row.n);
  }
  return counts;
}
