/**
 * Hand-made runners: a `_migrations` or `migrations` table with a column
 * naming the migration — `name` (seed 003's runner: id, name, applied_at
 * DEFAULT datetime('now')), `filename` (seed 004's wrangler wrapper: id,
 * filename, applied_at, checksum, execution_time_ms) or `migration`
 * (Laravel's id, migration, batch). Without such a column a table called
 * `migrations` is the app's own data (a bird-migration app's species and
 * km), never a history. Rows are ordered by id, else by the time column.
 */
import type { SqliteDatabase } from '../../sqlite/connection.js';
import type { ForeignRow, SourceValue } from '../types.js';
import { asDuration, asId, asText } from './cell-values.js';
import { foreignHistory, foreignRow } from './foreign-row.js';
import { readRows } from './read-rows.js';
import { cell, type SourceRow } from './source-row.js';
import type { ForeignTableKind } from './table-kind.js';
import { columnName, firstColumn, type ShapedTable } from './table-shape.js';
import { toIsoTime } from './times.js';

const NAME_COLUMNS = ['name', 'filename', 'migration'];
const TIME_COLUMNS = ['applied_at', 'executed_at', 'run_at'];
const DURATION_COLUMNS = ['execution_time_ms', 'duration_ms'];
const CHECKSUM_COLUMNS = ['checksum', 'hash'];

/** A column's value when the table has one of `candidates`; null otherwise. */
function optionalCell(row: SourceRow, table: ShapedTable, candidates: readonly string[]): SourceValue {
  const column = firstColumn(table, candidates);
  return column === undefined ? null : cell(row, table, column);
}

/** A per-row history keyed by `idColumn`: the plain runners' and schema_migrations with extra columns. */
export function readPlainRows(db: SqliteDatabase, table: ShapedTable, idColumn: string, orderBy: readonly string[]): ForeignRow[] {
  return readRows(db, table, orderBy).map((row) =>
    foreignRow(row, {
      id: asId(cell(row, table, idColumn)),
      appliedAt: toIsoTime(optionalCell(row, table, TIME_COLUMNS)),
      durationMs: asDuration(optionalCell(row, table, DURATION_COLUMNS)),
      checksum: asText(optionalCell(row, table, CHECKSUM_COLUMNS)),
    }),
  );
}

/** The runner's insertion order: its id when it keeps one, else when each ran. */
function applyOrder(table: ShapedTable): string[] {
  const order = columnName(table, 'id') ?? firstColumn(table, TIME_COLUMNS);
  return order === undefined ? [] : [order];
}

function plainKind(tableName: string): ForeignTableKind {
  return {
    table: tableName,
    recognise: (table) => (firstColumn(table, NAME_COLUMNS) === undefined ? undefined : 'plain'),
    read: ({ db, table }) => {
      const idColumn = firstColumn(table, NAME_COLUMNS) ?? 'name';
      return foreignHistory('plain', table.name, readPlainRows(db, table, idColumn, applyOrder(table)));
    },
  };
}

export const underscoreMigrations = plainKind('_migrations');
export const appMigrations = plainKind('migrations');
