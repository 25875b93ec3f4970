import type { MigrationContext } from '../src/index.js';

/**
 * Sessions know when they last changed (legacy release 0.8.0):
 * sessions.updated_at, backfilled from created_at; a trigger that moves it
 * forward with every new output; and the session_summaries view.
 *
 * ALTER TABLE cannot add a column whose default is CURRENT_TIMESTAMP, so
 * updated_at has no default (as in 0.8.0) and existing rows are backfilled.
 */

const TOUCH_TRIGGER = `
CREATE TRIGGER trg_session_outputs_touch_session
AFTER INSERT ON session_outputs
BEGIN
  UPDATE sessions SET updated_at = NEW.timestamp WHERE id = NEW.session_id;
END;`;

const SUMMARIES_VIEW = `
CREATE VIEW session_summaries AS
SELECT s.id, s.name, s.status, p.name AS project_name,
       (SELECT count(*) FROM session_outputs o WHERE o.session_id = s.id) AS output_count,
       s.updated_at
FROM sessions s
JOIN projects p ON p.id = s.project_id;`;

export function up(ctx: MigrationContext): void {
  ctx.sql('ALTER TABLE sessions ADD COLUMN updated_at DATETIME;');
  const { changes } = ctx.db.prepare('UPDATE sessions SET updated_at = created_at WHERE updated_at IS NULL').run();
  ctx.logger.info(`updated_at backfilled from created_at on ${String(changes)} session(s)`);
  ctx.sql(TOUCH_TRIGGER);
  ctx.sql(SUMMARIES_VIEW);
}

export function down(ctx: MigrationContext): void {
  // The view and the trigger name sessions.updated_at: they go first, or DROP COLUMN refuses.
  ctx.sql(`
    DROP VIEW session_summaries;
    DROP TRIGGER trg_session_outputs_touch_session;
    ALTER TABLE sessions DROP COLUMN updated_at;`);
}
