/**
 * Cloudflare D1 / wrangler. Shape from cloudflare/workers-sdk
 * packages/wrangler/src/d1/migrations/helpers.ts (`initMigrationsTable`:
 * id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at
 * TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL); wrangler lists applied
 * migrations ORDER BY id. applied_at is SQLite's "YYYY-MM-DD HH:MM:SS" UTC.
 */
import { asId } from './cell-values.js';
import { foreignHistory, foreignRow } from './foreign-row.js';
import { readRows } from './read-rows.js';
import { cell } from './source-row.js';
import type { ForeignTableKind } from './table-kind.js';
import { hasColumns } from './table-shape.js';
import { toIsoTime } from './times.js';

export const d1Migrations: ForeignTableKind = {
  table: 'd1_migrations',
  recognise: (table) => (hasColumns(table, ['id', 'name', 'applied_at']) ? 'd1' : undefined),
  read: ({ db, table }) => {
    const rows = readRows(db, table, ['id']).map((row) =>
      foreignRow(row, { id: asId(cell(row, table, 'name')), appliedAt: toIsoTime(cell(row, table, 'applied_at')) }),
    );
    return foreignHistory('d1', table.name, rows);
  },
};
