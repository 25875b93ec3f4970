import { foldCase } from '../sqlite/tokenize.js';
import { recogniseForeignTables } from './foreign-history/recognise.js';
import { shapedTables } from './foreign-history/table-shape.js';
import type { RawSchema, TrackingTablePresence } from './types.js';

/**
 * Migration tracking tables present: drawbridge's own (configurable, found by
 * name) first, then other tools' tables under their default names — only
 * those whose columns have that tool's shape, named by the same tool names as
 * ForeignHistory ('knex', 'sequelize', 'prisma', 'drizzle', 'd1', 'dbmate',
 * 'golang-migrate', 'flyway', 'plain').
 */
export function findTrackingTables(raw: RawSchema, drawbridgeTable: string): TrackingTablePresence[] {
  const tables = shapedTables(raw);
  const own = tables.get(foldCase(drawbridgeTable));
  const foreign = recogniseForeignTables(tables, drawbridgeTable).map(({ tool, table }) => ({ tool, table: table.name }));
  return own === undefined ? foreign : [{ tool: 'drawbridge', table: own.name }, ...foreign];
}
