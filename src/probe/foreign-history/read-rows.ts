import type { SqliteDatabase, SqliteStatement } from '../../sqlite/connection.js';
import { quoteIdentifier } from '../../sqlite/quote.js';
import { toSourceRow, type SourceRow } from './source-row.js';
import { columnName, type ShapedTable } from './table-shape.js';

/** better-sqlite3's statements can return integers as bigint; other handles may not offer it. */
interface SafeIntegerStatement extends SqliteStatement {
  safeIntegers(toggle?: boolean): unknown;
}

function hasSafeIntegers(statement: SqliteStatement): statement is SafeIntegerStatement {
  return typeof (statement as Partial<SafeIntegerStatement>).safeIntegers === 'function';
}

/**
 * Every row of a tracking table in one SELECT *, ordered by the columns the
 * tool orders by (those the table has). Names come from the customer's
 * database, so every one is quoted. Integers are read as bigint where the
 * driver allows, so a 64-bit version or checksum is never rounded. Throws
 * only when SQLite cannot run the query at all; values are never judged here.
 */
export function readRows(db: SqliteDatabase, table: ShapedTable, orderBy: readonly string[]): SourceRow[] {
  const order = orderBy.map((column) => columnName(table, column)).filter((name): name is string => name !== undefined);
  const orderClause = order.length === 0 ? '' : ` ORDER BY ${order.map(quoteIdentifier).join(', ')}`;
  const statement = db.prepare(`SELECT * FROM main.${quoteIdentifier(table.name)}${orderClause}`);
  if (hasSafeIntegers(statement)) statement.safeIntegers(true);
  return (statement.all() as Record<string, unknown>[]).map(toSourceRow);
}
