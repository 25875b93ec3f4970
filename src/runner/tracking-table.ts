import { InvalidConfigError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { columnExists } from '../sqlite/pragmas.js';
import { quoteIdentifier } from '../sqlite/quote.js';
import type { TrackingRow } from './types.js';

/**
 * The tracking table (DESIGN.md, "Tracking table"): one row per applied
 * migration. Every write here happens inside the runner's transaction, in the
 * same commit as the migration it records, so the two cannot disagree.
 */

// No CHECK on method: a newer drawbridge may record methods an older one did
// not know, in a table the older one created.
function createSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (
  name TEXT PRIMARY KEY NOT NULL,
  checksum TEXT,
  applied_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  method TEXT NOT NULL,
  rule TEXT,
  tool_version TEXT NOT NULL,
  compatible INTEGER NOT NULL DEFAULT 0,
  source TEXT
)`;
}

export function trackingTableExists(db: SqliteDatabase, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Create the table, or bring one an earlier drawbridge created up to this shape (inside the caller's transaction). */
export function createTrackingTable(db: SqliteDatabase, table: string): void {
  db.exec(createSql(table));
  if (!columnExists(db, table, 'compatible')) db.exec(`ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN compatible INTEGER NOT NULL DEFAULT 0`);
  if (!columnExists(db, table, 'source')) db.exec(`ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN source TEXT`);
}

interface RawRow {
  name: string;
  checksum: string | null;
  applied_at: string;
  duration_ms: number;
  method: string;
  rule: string | null;
  tool_version: string;
  /** Absent in tables written by drawbridge before compatibility was recorded. */
  compatible?: number | null;
  /** Absent in tables written before histories were imported. */
  source?: string | null;
}

/** All rows, ordered by name (the sequence order). Empty when the table does not exist. */
export function readTrackingRows(db: SqliteDatabase, table: string): TrackingRow[] {
  if (!trackingTableExists(db, table)) return [];
  let rows: RawRow[];
  try {
    rows = db
      // SELECT *: a table written by an older or newer drawbridge may lack or add columns.
      .prepare(`SELECT * FROM ${quoteIdentifier(table)} ORDER BY name`)
      .all() as RawRow[];
  } catch (error) {
    throw new InvalidConfigError(
      `${db.name}: the table ${quoteIdentifier(table)} exists but is not a drawbridge tracking table (it lacks the expected columns). ` +
        'If your app owns a table of that name, choose another tracking table with --table (or "table" in the config).',
      { cause: error, details: { file: db.name, table } },
    );
  }
  return rows.map((r) => ({
    name: r.name,
    checksum: r.checksum,
    appliedAt: r.applied_at,
    durationMs: r.duration_ms,
    method: r.method,
    rule: r.rule,
    toolVersion: r.tool_version,
    compatible: r.compatible === 1,
    source: r.source ?? null,
  }));
}

export function insertTrackingRow(db: SqliteDatabase, table: string, row: TrackingRow): void {
  db.prepare(
    `INSERT INTO ${quoteIdentifier(table)} (name, checksum, applied_at, duration_ms, method, rule, tool_version, compatible, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(row.name, row.checksum, row.appliedAt, Math.round(row.durationMs * 1000) / 1000, row.method, row.rule, row.toolVersion, row.compatible ? 1 : 0, row.source);
}

export function deleteTrackingRow(db: SqliteDatabase, table: string, name: string): void {
  db.prepare(`DELETE FROM ${quoteIdentifier(table)} WHERE name = ?`).run(name);
}

export function updateTrackingChecksum(db: SqliteDatabase, table: string, name: string, checksum: string | null): void {
  db.prepare(`UPDATE ${quoteIdentifier(table)} SET checksum = ? WHERE name = ?`).run(checksum, name);
}
