import type { SqliteDatabase } from '../../sqlite/connection.js';
import type { ForeignHistory, RawSchema } from '../types.js';
import { recogniseForeignTables, type RecognisedTable } from './recognise.js';
import { shapedTables, type ShapedTable } from './table-shape.js';

function readOne(db: SqliteDatabase, tables: ReadonlyMap<string, ShapedTable>, found: RecognisedTable): ForeignHistory[] {
  if (found.kind.read === undefined) return [];
  try {
    return [found.kind.read({ db, table: found.table, tool: found.tool, tables })];
  } catch {
    // The readers never throw on row content; what throws is a table SQLite
    // cannot query (a collation the app registered and we lack, a damaged
    // page). The probe must go on, and a history read half-way could be taken
    // for a complete one, so none is reported for it: nothing gets imported.
    return [];
  }
}

/**
 * Read the tracking tables of other migration tools (knex, Sequelize/umzug,
 * Prisma, Drizzle, D1, dbmate, golang-migrate, Flyway, plain `_migrations`)
 * into one normalised shape. A table is taken for a tool's only when its
 * columns have that tool's documented shape. One SELECT per table.
 */
export function readForeignHistories(db: SqliteDatabase, raw: RawSchema, drawbridgeTable: string): ForeignHistory[] {
  const tables = shapedTables(raw);
  return recogniseForeignTables(tables, drawbridgeTable).flatMap((found) => readOne(db, tables, found));
}
