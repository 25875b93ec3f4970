/**
 * Flyway. Shape from flyway/flyway flyway-core/src/main/resources/org/
 * flywaydb/core/internal/database/sqlite/createMetaDataTable.sql
 * (installed_rank INT PK, version, description, type, script, checksum INT,
 * installed_by, installed_on TEXT DEFAULT strftime('%Y-%m-%d %H:%M:%f','now'),
 * execution_time INT (ms), success BOOLEAN). Types from flyway/flyway
 * flyway-core/src/main/java/org/flywaydb/core/api/CoreMigrationType.java:
 * SCHEMA (a marker that Flyway created schemas — not a migration, left out),
 * BASELINE (applied), DELETE (`flyway repair` marking a migration gone),
 * SQL/JDBC/SCRIPT/CUSTOM, and UNDO_* (an undo of an earlier migration).
 * Rows are in installed_rank order. The history says what is applied now:
 * an undo or DELETE row turns every earlier applied row of its version into
 * 'rolled-back', and is itself 'rolled-back'; a later re-apply is a new row.
 */
import type { ForeignRowStatus, SourceValue } from '../types.js';
import { asDuration, asFlag, asId, asText } from './cell-values.js';
import { foreignHistory, foreignRow } from './foreign-row.js';
import { readRows } from './read-rows.js';
import { cell, type SourceRow } from './source-row.js';
import type { ForeignTableKind } from './table-kind.js';
import { hasColumns, type ShapedTable } from './table-shape.js';
import { toIsoTime } from './times.js';

const COLUMNS = ['installed_rank', 'version', 'description', 'type', 'script', 'checksum', 'installed_by', 'installed_on', 'execution_time', 'success'];

const typeOf = (row: SourceRow, table: ShapedTable): string => String(cell(row, table, 'type') ?? '').toUpperCase();

/** Undo and repair's DELETE rows take a migration back instead of applying it. */
function takesBack(type: string): boolean {
  return type.startsWith('UNDO_') || type === 'DELETE';
}

/** Versioned migrations by version; repeatable ones (version NULL) by their script. */
function migrationId(version: SourceValue, script: SourceValue): string {
  return version === null || version === '' ? asId(script) : asId(version);
}

/** success must clearly say 1: a garbled flag is not taken for a finished migration. */
function ownStatus(row: SourceRow, table: ShapedTable): ForeignRowStatus {
  if (asFlag(cell(row, table, 'success')) !== true) return 'failed';
  return takesBack(typeOf(row, table)) ? 'rolled-back' : 'applied';
}

/** Each successful undo or DELETE row un-applies the earlier rows of the same migration. */
function statusesNow(rows: readonly SourceRow[], ids: readonly string[], table: ShapedTable): ForeignRowStatus[] {
  const statuses = rows.map((row) => ownStatus(row, table));
  for (let index = 0; index < statuses.length; index++) {
    if (statuses[index] !== 'rolled-back') continue;
    for (let earlier = 0; earlier < index; earlier++) {
      if (ids[earlier] === ids[index] && statuses[earlier] === 'applied') statuses[earlier] = 'rolled-back';
    }
  }
  return statuses;
}

export const flywaySchemaHistory: ForeignTableKind = {
  table: 'flyway_schema_history',
  recognise: (table) => (hasColumns(table, COLUMNS) ? 'flyway' : undefined),
  read: ({ db, table }) => {
    const stored = readRows(db, table, ['installed_rank']).filter((row) => typeOf(row, table) !== 'SCHEMA');
    const ids = stored.map((row) => migrationId(cell(row, table, 'version'), cell(row, table, 'script')));
    const statuses = statusesNow(stored, ids, table);
    const rows = stored.map((row, index) =>
      foreignRow(row, {
        id: ids[index] ?? '',
        status: statuses[index] ?? 'failed',
        appliedAt: toIsoTime(cell(row, table, 'installed_on')),
        durationMs: asDuration(cell(row, table, 'execution_time')),
        checksum: asText(cell(row, table, 'checksum')),
      }),
    );
    return foreignHistory('flyway', table.name, rows);
  },
};
