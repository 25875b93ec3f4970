import type { SqliteDatabase } from './connection.js';
import { quoteIdentifier } from './quote.js';
import { primarySqliteCode, sqliteErrorCode } from './sqlite-errors.js';

/**
 * Every PRAGMA the runner needs, in one place (only src/sqlite and src/probe
 * run PRAGMAs). Pragma names cannot be bound as parameters; the values here
 * are numbers or fixed keywords, never text from a database.
 */

export function readForeignKeysEnabled(db: SqliteDatabase): boolean {
  const row = db.prepare('PRAGMA foreign_keys').get() as { foreign_keys: number } | undefined;
  return row?.foreign_keys === 1;
}

/**
 * SQLite ignores this inside a transaction (sqlite.org/pragma.html#pragma_foreign_keys),
 * so callers switch it before BEGIN and restore it after COMMIT/ROLLBACK.
 */
export function setForeignKeysEnabled(db: SqliteDatabase, enabled: boolean): void {
  db.exec(`PRAGMA foreign_keys = ${enabled ? 'ON' : 'OFF'}`);
}

export function readBusyTimeoutMs(db: SqliteDatabase): number {
  const row = db.prepare('PRAGMA busy_timeout').get() as Record<string, number> | undefined;
  return row === undefined ? 0 : Number(Object.values(row)[0] ?? 0);
}

export function setBusyTimeoutMs(db: SqliteDatabase, ms: number): void {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`busy timeout must be a non-negative integer, got ${ms}`);
  db.exec(`PRAGMA busy_timeout = ${ms}`);
}

/** One row of `PRAGMA foreign_key_check`. */
export interface ForeignKeyViolation {
  /** The child table holding the row whose reference is dangling. */
  readonly table: string;
  /** The child row's rowid (null for WITHOUT ROWID tables). */
  readonly rowid: number | null;
  /** The parent table that has no matching row. */
  readonly parent: string;
  /** The child columns of the broken constraint, in key order. */
  readonly columns: readonly string[];
  /** The child row's values in those columns, as SQLite sees them. */
  readonly values: readonly unknown[];
}

interface RawViolation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

/**
 * All foreign-key violations in the database, each with the offending key
 * values so that a violation can be recognised again after a table rebuild
 * has renumbered rowids.
 */
export function foreignKeyCheck(db: SqliteDatabase): ForeignKeyViolation[] {
  const raw = db.prepare('PRAGMA foreign_key_check').all() as RawViolation[];
  if (raw.length === 0) return [];
  const columnsOf = db.prepare('SELECT "from" AS col FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq');
  const cache = new Map<string, string[]>();
  return raw.map((v) => {
    const key = `${v.table}\u0000${v.fkid}`;
    let columns = cache.get(key);
    if (columns === undefined) {
      columns = (columnsOf.all(v.table, v.fkid) as { col: string }[]).map((r) => r.col);
      cache.set(key, columns);
    }
    const values = v.rowid === null ? [] : selectRowValues(db, v.table, columns, v.rowid);
    return { table: v.table, rowid: v.rowid, parent: v.parent, columns, values };
  });
}

function selectRowValues(db: SqliteDatabase, table: string, columns: readonly string[], rowid: number): unknown[] {
  if (columns.length === 0) return [];
  const list = columns.map((column, i) => `${quoteIdentifier(column)} AS c${i}`).join(', ');
  const row = db.prepare(`SELECT ${list} FROM ${quoteIdentifier(table)} WHERE rowid = ?`).get(rowid) as
    | Record<string, unknown>
    | undefined;
  return row === undefined ? [] : columns.map((_, i) => row[`c${i}`]);
}

/**
 * `PRAGMA quick_check`: SQLite's O(N) structural check (it skips only the
 * index-content cross-check of integrity_check). Returns [] when healthy,
 * otherwise SQLite's problem lines.
 */
export function quickCheck(db: SqliteDatabase, maxErrors = 20): string[] {
  return structuralCheck(db, 'quick_check', maxErrors);
}

/** `PRAGMA integrity_check`: quick_check plus the cross-check of every index against its table (slower). */
export function integrityCheck(db: SqliteDatabase, maxErrors = 20): string[] {
  return structuralCheck(db, 'integrity_check', maxErrors);
}

function structuralCheck(db: SqliteDatabase, pragma: 'quick_check' | 'integrity_check', maxErrors: number): string[] {
  let rows: Record<string, string>[];
  try {
    rows = db.prepare(`PRAGMA ${pragma}(${Math.max(1, Math.trunc(maxErrors))})`).all() as Record<string, string>[];
  } catch (error) {
    // Some damage stops the check itself: that is its finding, not a failure to check.
    const code = primarySqliteCode(error);
    if (code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') throw error;
    return [`${sqliteErrorCode(error) ?? code}: ${(error as Error).message}`];
  }
  const lines = rows.map((row) => String(Object.values(row)[0] ?? ''));
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

export function readJournalMode(db: SqliteDatabase): string {
  const row = db.prepare('PRAGMA journal_mode').get() as { journal_mode?: string } | undefined;
  return (row?.journal_mode ?? '').toLowerCase();
}

export function columnExists(db: SqliteDatabase, table: string, column: string): boolean {
  return db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column) !== undefined;
}
