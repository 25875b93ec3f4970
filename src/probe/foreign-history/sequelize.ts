/**
 * Sequelize / umzug's SequelizeStorage. Shape from sequelize/umzug
 * src/storage/sequelize.ts: model `SequelizeMeta` with one attribute `name`
 * (STRING, NOT NULL); Sequelize adds an `id` key unless `name` is the
 * primary key (sequelize-cli's table), and createdAt/updatedAt only with
 * `timestamps: true`. `executed()` orders by name ASC, so that is the
 * order read here. No time is recorded unless timestamps are on.
 */
import { asId } from './cell-values.js';
import { foreignHistory, foreignRow } from './foreign-row.js';
import { readRows } from './read-rows.js';
import { cell } from './source-row.js';
import type { ForeignTableKind } from './table-kind.js';
import { firstColumn, hasColumns } from './table-shape.js';
import { toIsoTime } from './times.js';

export const sequelizeMeta: ForeignTableKind = {
  table: 'SequelizeMeta',
  recognise: (table) => (hasColumns(table, ['name']) ? 'sequelize' : undefined),
  read: ({ db, table }) => {
    // `underscored: true` models name the timestamp created_at.
    const createdAt = firstColumn(table, ['createdAt', 'created_at']);
    const rows = readRows(db, table, ['name']).map((row) =>
      foreignRow(row, { id: asId(cell(row, table, 'name')), appliedAt: createdAt === undefined ? null : toIsoTime(cell(row, table, createdAt)) }),
    );
    return foreignHistory('sequelize', table.name, rows);
  },
};
