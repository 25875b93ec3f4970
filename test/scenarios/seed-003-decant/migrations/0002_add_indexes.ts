import type { MigrationContext } from '../../../../src/index.js';

/** Decant's 002_add_indexes: filtering by source and company, sorting by date. */

export function up(ctx: MigrationContext): void {
  ctx.sql(`
    CREATE INDEX IF NOT EXISTS idx_nodes_source_domain ON nodes(source_domain);
    CREATE INDEX IF NOT EXISTS idx_nodes_company ON nodes(company);
    CREATE INDEX IF NOT EXISTS idx_nodes_date_added ON nodes(date_added);
    CREATE INDEX IF NOT EXISTS idx_nodes_updated_at ON nodes(updated_at);`);
}

export function down(ctx: MigrationContext): void {
  ctx.sql(`
    DROP INDEX IF EXISTS idx_nodes_updated_at;
    DROP INDEX IF EXISTS idx_nodes_date_added;
    DROP INDEX IF EXISTS idx_nodes_company;
    DROP INDEX IF EXISTS idx_nodes_source_domain;`);
}
