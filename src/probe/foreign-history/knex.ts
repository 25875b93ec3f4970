/**
 * knex. Shape from knex/knex lib/migrations/migrate/table-creator.js:
 * `knex_migrations` (t.increments() → id, name string, batch integer,
 * migration_time timestamp) and `knex_migrations_lock` (index increments,
 * is_locked integer; one row, 0 when free). knex lists completed migrations
 * ordered by id. On SQLite a Date binds as its valueOf()
 * (knex/knex lib/dialects/better-sqlite3/index.js `_formatBindings`), so
 * migration_time is normally an epoch-millisecond number.
 */
import { foldCase } from '../../sqlite/tokenize.js';
import { asFlag, asId } from './cell-values.js';
import { foreignHistory, foreignRow } from './foreign-row.js';
import { readRows } from './read-rows.js';
import { cell } from './source-row.js';
import type { ForeignTableKind, ReadContext } from './table-kind.js';
import { hasColumns, type ShapedTable } from './table-shape.js';
import { toIsoTime } from './times.js';

const LOCK_TABLE = 'knex_migrations_lock';
const isLockTable = (table: ShapedTable): boolean => hasColumns(table, ['index', 'is_locked']);

/** Any lock row with is_locked = 1: a knex run holds the lock, or crashed holding it. */
function lockHeld({ db, tables }: ReadContext): boolean {
  const lock = tables.get(foldCase(LOCK_TABLE));
  if (lock === undefined || !isLockTable(lock)) return false;
  return readRows(db, lock, []).some((row) => asFlag(cell(row, lock, 'is_locked')) === true);
}

export const knexMigrations: ForeignTableKind = {
  table: 'knex_migrations',
  recognise: (table) => (hasColumns(table, ['id', 'name', 'batch', 'migration_time']) ? 'knex' : undefined),
  read: (context) => {
    const { db, table } = context;
    const rows = readRows(db, table, ['id']).map((row) =>
      foreignRow(row, { id: asId(cell(row, table, 'name')), appliedAt: toIsoTime(cell(row, table, 'migration_time')) }),
    );
    return foreignHistory('knex', table.name, rows, { locked: lockHeld(context) });
  },
};

/** Listed among the tracking tables; its one row is read with knex_migrations. */
export const knexLock: ForeignTableKind = {
  table: LOCK_TABLE,
  recognise: (table) => (isLockTable(table) ? 'knex' : undefined),
};
