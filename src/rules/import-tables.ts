import type { ImportTool, Rule, RuleMatch } from './types.js';

/**
 * The table each tool keeps its history in, by default. `plain` has none:
 * hand-made runners call theirs `_migrations` or `migrations`.
 */
export const DEFAULT_IMPORT_TABLES: Readonly<Record<ImportTool, string | undefined>> = Object.freeze({
  knex: 'knex_migrations',
  sequelize: 'SequelizeMeta',
  prisma: '_prisma_migrations',
  drizzle: '__drizzle_migrations',
  d1: 'd1_migrations',
  dbmate: 'schema_migrations',
  'golang-migrate': 'schema_migrations',
  flyway: 'flyway_schema_history',
  plain: undefined,
});

/** The table a rule's import reads, when it can be named before seeing a database. */
export function importTable(rule: Rule): string | undefined {
  return rule.import === undefined ? undefined : (rule.import.table ?? DEFAULT_IMPORT_TABLES[rule.import.from]);
}

/** A rule's checks, with the table its import needs counted as a required table. */
export function matchWithImport(rule: Rule): RuleMatch {
  const table = importTable(rule);
  if (table === undefined || Object.hasOwn(rule.match.tables, table)) return rule.match;
  return { ...rule.match, tables: { ...rule.match.tables, [table]: [] } };
}
