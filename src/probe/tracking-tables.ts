import { foldCase } from '../sqlite/tokenize.js';
import type { RawObject, TrackingTablePresence } from './types.js';

/**
 * Migration tracking tables by the tools that keep them. drawbridge's own is
 * configurable; the others are the names those tools use by default.
 */
const FOREIGN_TOOLS: readonly (readonly [string, string])[] = [
  ['knex', 'knex_migrations'],
  ['knex', 'knex_migrations_lock'],
  ['umzug/sequelize', 'SequelizeMeta'],
  ['prisma', '_prisma_migrations'],
  ['drizzle', '__drizzle_migrations'],
  ['d1/wrangler', 'd1_migrations'],
  ['dbmate/golang-migrate', 'schema_migrations'],
  ['flyway', 'flyway_schema_history'],
  ['plain', '_migrations'],
  ['plain', 'migrations'],
];

export function findTrackingTables(objects: readonly RawObject[], drawbridgeTable: string): TrackingTablePresence[] {
  const tables = new Map(objects.filter((o) => o.type === 'table').map((o) => [foldCase(o.name), o.name]));
  const found: TrackingTablePresence[] = [];
  const own = tables.get(foldCase(drawbridgeTable));
  if (own !== undefined) found.push({ tool: 'drawbridge', table: own });
  for (const [tool, name] of FOREIGN_TOOLS) {
    const actual = tables.get(foldCase(name));
    if (actual !== undefined && foldCase(actual) !== foldCase(drawbridgeTable)) found.push({ tool, table: actual });
  }
  return found;
}
