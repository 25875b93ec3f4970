import type { MigrationContext } from '../../../../src/index.js';

/** The migration Decant's docs use as their `create` example: one preference per user and key. */

export function up(ctx: MigrationContext): void {
  ctx.sql(`
    CREATE TABLE user_preferences (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT,
      created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
      UNIQUE (user_id, key)
    );
    CREATE INDEX idx_user_prefs_user ON user_preferences(user_id);`);
}

export function down(ctx: MigrationContext): void {
  ctx.sql(`
    DROP INDEX idx_user_prefs_user;
    DROP TABLE user_preferences;`);
}
