import type { LegacyDb } from '../legacy-db.js';

/**
 * The little probing helpers the reference app's inline migration code kept
 * next to runMigrations(): is this table there, does it have that column.
 */

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function tableExists(db: LegacyDb, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Column names of a table, in table order (PRAGMA table_info); [] when the table does not exist. */
export function columnNames(db: LegacyDb, table: string): string[] {
  const rows = db.prepare(`PRAGMA table_info(${quoteIdentifier(table)})`).all() as { name: string }[];
  return rows.map((row) => row.name);
}

export function hasColumn(db: LegacyDb, table: string, column: string): boolean {
  return columnNames(db, table).includes(column);
}

/**
 * Create a table (its DDL is `CREATE TABLE IF NOT EXISTS`, at the table's
 * current shape) together with its indexes, if it is not there yet. Returns
 * whether it was created, for backfills that run only once.
 *
 * The indexes are created with their table and only then: an index that goes
 * missing later (the 0.6.0 rebuild of sessions) is not brought back by this.
 */
export function createTable(db: LegacyDb, table: string, ddl: string, indexes: readonly string[] = []): boolean {
  if (tableExists(db, table)) return false;
  db.exec(ddl);
  for (const index of indexes) db.exec(index);
  return true;
}

/** ALTER TABLE ... ADD COLUMN unless the column is already there. Returns whether it was added. */
export function addColumn(db: LegacyDb, table: string, column: string, definition: string): boolean {
  if (hasColumn(db, table, column)) return false;
  db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  return true;
}

/** Whether sessions already has the 0.6.0 status CHECK (read from its CREATE TABLE text). */
export function sessionsHasStatusCheck(db: LegacyDb): boolean {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").get() as { sql: string | null } | undefined;
  return row?.sql?.includes('CHECK (status IN') ?? false;
}

/** Whether user_preferences holds a row for key (the app's "migration done" markers live there). */
export function preferenceExists(db: LegacyDb, key: string): boolean {
  return db.prepare('SELECT 1 FROM user_preferences WHERE key = ?').get(key) !== undefined;
}
