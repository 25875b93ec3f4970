import { foldCase } from '../../sqlite/tokenize.js';
import type { ForeignTool } from '../types.js';
import { d1Migrations } from './d1.js';
import { drizzleMigrations } from './drizzle.js';
import { flywaySchemaHistory } from './flyway.js';
import { knexLock, knexMigrations } from './knex.js';
import { appMigrations, underscoreMigrations } from './plain.js';
import { prismaMigrations } from './prisma.js';
import { schemaMigrations } from './schema-migrations.js';
import { sequelizeMeta } from './sequelize.js';
import type { ForeignTableKind } from './table-kind.js';
import type { ShapedTable } from './table-shape.js';

/** Every kind of foreign tracking table, in the order they are reported. */
const KINDS: readonly ForeignTableKind[] = [
  knexMigrations,
  knexLock,
  sequelizeMeta,
  prismaMigrations,
  drizzleMigrations,
  d1Migrations,
  schemaMigrations,
  flywaySchemaHistory,
  underscoreMigrations,
  appMigrations,
];

export interface RecognisedTable {
  readonly tool: ForeignTool;
  readonly table: ShapedTable;
  readonly kind: ForeignTableKind;
}

/**
 * The other tools' tracking tables present: a table counts only when both its
 * name (ignoring case) and its columns are that tool's. drawbridge's own
 * table is never foreign, whatever it is called.
 */
export function recogniseForeignTables(tables: ReadonlyMap<string, ShapedTable>, drawbridgeTable: string): RecognisedTable[] {
  const own = foldCase(drawbridgeTable);
  return KINDS.flatMap((kind) => {
    const key = foldCase(kind.table);
    const table = tables.get(key);
    const tool = table === undefined || key === own ? undefined : kind.recognise(table);
    return table === undefined || tool === undefined ? [] : [{ tool, table, kind }];
  });
}
