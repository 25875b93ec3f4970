/**
 * `schema_migrations`, kept by three kinds of runner, told apart by columns:
 * - golang-migrate: (version uint64, dirty bool) — golang-migrate/migrate
 *   database/sqlite3/sqlite3.go `ensureVersionTable`; SetVersion deletes
 *   every row and inserts one: the current version. Cumulative; dirty = 1
 *   means that migration stopped half-way.
 * - dbmate: (version varchar(128) primary key) and nothing else — amacneil/
 *   dbmate pkg/driver/sqlite/sqlite.go `CreateMigrationsTable`; one row per
 *   applied version, listed ORDER BY version. (Rails keeps the same table.)
 * - anything else with a version column and no dirty flag (seed 002's
 *   hand-made runner: version, name, applied_at) is 'plain': dbmate never
 *   writes those columns, so calling it dbmate would point the user at a
 *   tool that did not write it. It is read like dbmate — one row per applied
 *   version, id = version — plus its time, duration and checksum columns.
 */
import type { ForeignRowStatus } from '../types.js';
import { asFlag, asId } from './cell-values.js';
import { foreignHistory, foreignRow } from './foreign-row.js';
import { readPlainRows } from './plain.js';
import { readRows } from './read-rows.js';
import { cell } from './source-row.js';
import type { ForeignTableKind, ReadContext } from './table-kind.js';
import { hasColumns } from './table-shape.js';

/** Only a dirty flag that clearly says 0 is clean: a garbled flag is not taken for a finished migration. */
const golangStatus = (dirty: boolean | undefined): ForeignRowStatus => (dirty === false ? 'applied' : 'dirty');

function readGolangMigrate({ db, table }: ReadContext) {
  const rows = readRows(db, table, ['version']).map((row) =>
    foreignRow(row, { id: asId(cell(row, table, 'version')), status: golangStatus(asFlag(cell(row, table, 'dirty'))) }),
  );
  return foreignHistory('golang-migrate', table.name, rows, { cumulative: true });
}

function readDbmate({ db, table }: ReadContext) {
  const rows = readRows(db, table, ['version']).map((row) => foreignRow(row, { id: asId(cell(row, table, 'version')) }));
  return foreignHistory('dbmate', table.name, rows);
}

export const schemaMigrations: ForeignTableKind = {
  table: 'schema_migrations',
  recognise: (table) => {
    if (!hasColumns(table, ['version'])) return undefined;
    if (hasColumns(table, ['dirty'])) return 'golang-migrate';
    return table.columns.size === 1 ? 'dbmate' : 'plain';
  },
  read: (context) => {
    switch (context.tool) {
      case 'golang-migrate':
        return readGolangMigrate(context);
      case 'dbmate':
        return readDbmate(context);
      default:
        return foreignHistory('plain', context.table.name, readPlainRows(context.db, context.table, 'version', ['version']));
    }
  },
};
