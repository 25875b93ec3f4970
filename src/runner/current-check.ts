import type { SqliteDatabase, SqliteStatement } from '../sqlite/connection.js';
import { quoteIdentifier } from '../sqlite/quote.js';

/**
 * The everyday no-op in one read: does the tracking table record exactly the
 * app's sequence — the same names in the same order, each with the app's
 * checksum? Only a yes is final. Anything else (no table, a pending or
 * unknown migration, an edited one, rows stored out of order, a table that
 * cannot be read) is "not sure", and the caller asks the full status, which
 * decides and explains as before. Like the status, it trusts the tracking
 * table and does not read the schema.
 *
 * SQLite does the reading: one row back, the row count and every
 * `name TAB checksum` joined by newlines, in storage order (the order
 * drawbridge records them in), compared with the same string built once from
 * the app's sequence. Measured on 200 migrations (bench noop-upgrade): ~20 µs,
 * against ~70 µs for the names and checksums as arrays in name order and
 * ~310 µs for the full status's `SELECT *` as objects. Exact: the app's names
 * and checksums hold no tab or newline, so with the count equal, equal strings
 * mean equal rows.
 */

type RawStatement = SqliteStatement & { raw?(toggle?: boolean): SqliteStatement };

/**
 * Per connection and tracking table; weak, so a dropped handle takes its
 * statements with it. Not src/sqlite/statement-cache.ts: that is one more
 * file on every app's start, where all of drawbridge has ~10 ms (bench
 * startup: 9.7–10.3 ms added with it, 8.0–10.5 ms without).
 */
const statements = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

interface Expected {
  readonly rows: number;
  /** Each migration as `name TAB checksum` (an empty checksum for none), joined by newlines. */
  readonly history: string;
}

/** A migration as this check sees it: its name and the checksum recorded for it (none: null or absent). */
export interface RecordedAs {
  readonly name: string;
  readonly checksum?: string | null | undefined;
}

/** The app's side, computed once per sequence. */
const expectations = new WeakMap<readonly RecordedAs[], Expected>();

function summaryStatement(db: SqliteDatabase, table: string): SqliteStatement {
  let byTable = statements.get(db);
  if (byTable === undefined) {
    byTable = new Map();
    statements.set(db, byTable);
  }
  let statement = byTable.get(table);
  if (statement === undefined) {
    const prepared = db.prepare(
      `SELECT count(*) AS recorded, group_concat(name || char(9) || ifnull(checksum, ''), char(10)) AS history FROM ${quoteIdentifier(table)}`,
    ) as RawStatement;
    statement = typeof prepared.raw === 'function' ? prepared.raw(true) : prepared;
    byTable.set(table, statement);
  }
  return statement;
}

function expectationOf(migrations: readonly RecordedAs[]): Expected {
  let expected = expectations.get(migrations);
  if (expected === undefined) {
    expected = { rows: migrations.length, history: migrations.map((m) => `${m.name}\t${m.checksum ?? ''}`).join('\n') };
    expectations.set(migrations, expected);
  }
  return expected;
}

/** [rows, history] as recorded, or undefined when the table cannot be read that way. */
function readSummary(db: SqliteDatabase, table: string): readonly unknown[] | undefined {
  let row: unknown;
  try {
    row = summaryStatement(db, table).get();
  } catch {
    // No table yet, a table of another shape, a busy or unreadable file: the full status says which.
    return undefined;
  }
  if (Array.isArray(row)) return row as unknown[];
  const { recorded, history } = row as { recorded?: unknown; history?: unknown };
  return [recorded, history];
}

/** True only when the tracking table records exactly `migrations`, in order, with the same checksums. */
export function recordsExactly(db: SqliteDatabase, table: string, migrations: readonly RecordedAs[]): boolean {
  const summary = readSummary(db, table);
  if (summary === undefined) return false;
  const expected = expectationOf(migrations);
  const [rows, history] = summary;
  return rows === expected.rows && (history ?? '') === expected.history;
}
