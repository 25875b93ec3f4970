/**
 * Prisma. Shape from prisma/prisma-engines
 * schema-engine/connectors/sql-schema-connector/src/flavour/sqlite.rs
 * (`create_migrations_table`: id TEXT PK, checksum TEXT, finished_at
 * DATETIME, migration_name TEXT, logs TEXT, rolled_back_at DATETIME,
 * started_at DATETIME DEFAULT current_timestamp, applied_steps_count
 * INTEGER UNSIGNED); Prisma loads it ORDER BY started_at. Its SQLite driver
 * writes a DateTime as `timestamp_millis()` (prisma/prisma-engines
 * quaint/src/connector/sqlite/native/conversion.rs), so the times are
 * epoch-millisecond integers; hand-inserted rows get current_timestamp text.
 */
import type { ForeignRowStatus } from '../types.js';
import { asId, asText } from './cell-values.js';
import { foreignHistory, foreignRow } from './foreign-row.js';
import { readRows } from './read-rows.js';
import { cell, type SourceRow } from './source-row.js';
import type { ForeignTableKind } from './table-kind.js';
import { hasColumns, type ShapedTable } from './table-shape.js';
import { durationBetween, toIsoTime } from './times.js';

const COLUMNS = ['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count'];

/** `prisma migrate resolve --rolled-back` sets rolled_back_at; a migration that failed never gets finished_at. */
function status(row: SourceRow, table: ShapedTable): ForeignRowStatus {
  if (cell(row, table, 'rolled_back_at') !== null) return 'rolled-back';
  return cell(row, table, 'finished_at') === null ? 'failed' : 'applied';
}

export const prismaMigrations: ForeignTableKind = {
  table: '_prisma_migrations',
  recognise: (table) => (hasColumns(table, COLUMNS) ? 'prisma' : undefined),
  read: ({ db, table }) => {
    const rows = readRows(db, table, ['started_at']).map((row) => {
      const finishedAt = cell(row, table, 'finished_at');
      return foreignRow(row, {
        id: asId(cell(row, table, 'migration_name')),
        status: status(row, table),
        appliedAt: toIsoTime(finishedAt),
        durationMs: durationBetween(cell(row, table, 'started_at'), finishedAt),
        checksum: asText(cell(row, table, 'checksum')),
      });
    });
    return foreignHistory('prisma', table.name, rows);
  },
};
