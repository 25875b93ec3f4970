/**
 * Drizzle. drizzle-orm's SQLite migrators create `__drizzle_migrations`
 * (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric) and insert
 * (hash, created_at = the migration folder's millis); drizzle-orm 1.x adds
 * name text and applied_at TEXT (an ISO string) and makes id INTEGER PRIMARY
 * KEY (drizzle-team/drizzle-orm drizzle-orm/src/sqlite-proxy/migrator.ts).
 * "SERIAL" is no INTEGER PRIMARY KEY in SQLite, so older tables hold NULL
 * ids: rows are ordered by created_at, the order the migrator applies them.
 * The hash is the sha256 of the migration's SQL: it is both id and checksum.
 */
import { asId, asText } from './cell-values.js';
import { foreignHistory, foreignRow } from './foreign-row.js';
import { readRows } from './read-rows.js';
import { cell } from './source-row.js';
import type { ForeignTableKind } from './table-kind.js';
import { hasColumns } from './table-shape.js';
import { toIsoTime } from './times.js';

export const drizzleMigrations: ForeignTableKind = {
  table: '__drizzle_migrations',
  recognise: (table) => (hasColumns(table, ['id', 'hash', 'created_at']) ? 'drizzle' : undefined),
  read: ({ db, table }) => {
    const rows = readRows(db, table, ['created_at', 'id']).map((row) => {
      const hash = cell(row, table, 'hash');
      // Only 1.x records when it applied; before that created_at (the migration's own time) is all there is.
      const appliedAt = toIsoTime(cell(row, table, 'applied_at')) ?? toIsoTime(cell(row, table, 'created_at'));
      return foreignRow(row, { id: asId(hash), appliedAt, checksum: asText(hash) });
    });
    return foreignHistory('drizzle', table.name, rows);
  },
};
