import type { SourceValue } from '../types.js';
import { columnName, type ShapedTable } from './table-shape.js';

/** A tracking-table row exactly as stored, every column, as plain JSON-safe values. */
export type SourceRow = Readonly<Record<string, SourceValue>>;

function fromBigInt(value: bigint): SourceValue {
  const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
  // Beyond 2^53 a number would silently change the value: keep its exact digits as text.
  return safe ? Number(value) : value.toString();
}

/**
 * One stored value: text stays text, integers stay numbers while exact, blobs
 * become hex text. Infinity (a REAL overflow) would turn into null in JSON, so
 * it is kept as text.
 */
export function toSourceValue(value: unknown): SourceValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return fromBigInt(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (typeof value === 'boolean') return value ? 1 : 0;
  // SQLite has no other storage class; a handle that hands back something else gives nothing readable.
  return null;
}

/** A row as SELECT * returned it. fromEntries keeps a column named "__proto__" an ordinary key. */
export function toSourceRow(row: Readonly<Record<string, unknown>>): SourceRow {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, toSourceValue(value)]));
}

/** A column's value, the column named case-insensitively; null when the table has no such column. */
export function cell(row: SourceRow, table: ShapedTable, column: string): SourceValue {
  const name = columnName(table, column);
  return name === undefined ? null : (row[name] ?? null);
}
