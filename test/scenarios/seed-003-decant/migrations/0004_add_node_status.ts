import type { MigrationContext } from '../../../../src/index.js';

/**
 * Decant's data-migration example: nodes get a status, derived from
 * is_deleted. Its down in Decant's docs only dropped the index ("cannot
 * easily remove column in SQLite"); SQLite has had DROP COLUMN since 3.35,
 * so this one undoes the whole step. is_deleted stays the source of truth,
 * so nothing is lost going down.
 */

export function up(ctx: MigrationContext): void {
  ctx.sql("ALTER TABLE nodes ADD COLUMN status TEXT DEFAULT 'active';");
  const archived = ctx.db.prepare("UPDATE nodes SET status = 'archived' WHERE is_deleted = 1").run().changes;
  const active = ctx.db.prepare("UPDATE nodes SET status = 'active' WHERE is_deleted = 0").run().changes;
  ctx.logger.info(`node status set: ${String(archived)} archived, ${String(active)} active`);
  ctx.sql('CREATE INDEX idx_nodes_status ON nodes(status);');
}

export function down(ctx: MigrationContext): void {
  ctx.sql(`
    DROP INDEX idx_nodes_status;
    ALTER TABLE nodes DROP COLUMN status;`);
}
