import type { LegacyDb, LegacyHooks, LegacyRelease } from '../legacy-db.js';
import {
  APP_OPENS,
  CONVERSATION_MESSAGES,
  COPY_RUN_SCRIPTS_R04,
  COPY_SESSIONS_R07,
  EXECUTION_DIFFS,
  FOLDERS,
  IDX_CONVERSATION_MESSAGES_SESSION_ID,
  IDX_SESSIONS_PROJECT_ID,
  LATE_INDEXES_R08,
  PROJECTS_R04,
  PROJECT_RUN_COMMANDS,
  PROMPT_MARKERS,
  SESSIONS_NEW_R07,
  SESSIONS_R09,
  SESSION_OUTPUTS,
  SESSION_SUMMARIES_VIEW,
  TRG_SESSION_OUTPUTS_TOUCH_SESSION,
  UI_STATE,
  USER_PREFERENCES,
} from './ddl.js';
import { addColumn, createTable, sessionsHasStatusCheck } from './probes.js';

export const release: LegacyRelease = { id: 'r09', version: '0.8.0', userVersion: 8, released: '2024-08-19' };

/** runMigrations() as it stood in 0.8.0: sessions.updated_at, kept current by a trigger, and a summary view. */
export function runMigrations(db: LegacyDb, hooks: LegacyHooks = {}): void {
  const checkpoint = (label: string): void => hooks.checkpoint?.(label);

  // 0.1.0 (tables at their current shape on a fresh install)
  createTable(db, 'projects', PROJECTS_R04);
  createTable(db, 'sessions', SESSIONS_R09, [IDX_SESSIONS_PROJECT_ID]);
  createTable(db, 'session_outputs', SESSION_OUTPUTS);
  checkpoint('r01:core');

  // 0.2.0
  createTable(db, 'conversation_messages', CONVERSATION_MESSAGES, [IDX_CONVERSATION_MESSAGES_SESSION_ID]);
  addColumn(db, 'sessions', 'prompt', 'TEXT');
  checkpoint('r02:conversation');

  // 0.3.0
  createTable(db, 'prompt_markers', PROMPT_MARKERS);
  createTable(db, 'execution_diffs', EXECUTION_DIFFS);
  addColumn(db, 'sessions', 'last_viewed_at', 'TEXT');
  checkpoint('r03:execution-tracking');

  // 0.4.0
  if (createTable(db, 'project_run_commands', PROJECT_RUN_COMMANDS)) {
    db.exec(COPY_RUN_SCRIPTS_R04); // each project's run_script becomes its first run command
  }
  createTable(db, 'folders', FOLDERS);
  addColumn(db, 'sessions', 'folder_id', 'TEXT REFERENCES folders(id) ON DELETE SET NULL');
  if (addColumn(db, 'projects', 'display_order', 'INTEGER DEFAULT 0')) {
    db.exec('UPDATE projects SET display_order = id');
  }
  checkpoint('r04:project-management');

  // 0.5.0: the UI's state moves from localStorage into the database.
  createTable(db, 'ui_state', UI_STATE);
  createTable(db, 'app_opens', APP_OPENS);
  createTable(db, 'user_preferences', USER_PREFERENCES);
  db.exec("INSERT OR IGNORE INTO user_preferences (key, value) VALUES ('migration.ui_persistence', 'done')");
  checkpoint('r05:ui-persistence');

  // 0.5.1 (hotfix)
  addColumn(db, 'sessions', 'is_favorite', 'BOOLEAN DEFAULT 0');
  checkpoint('r06:favorites');

  // 0.6.0: rebuild sessions with a CHECK on status.
  if (!sessionsHasStatusCheck(db)) {
    db.exec('DROP TABLE IF EXISTS sessions_new'); // left over by an earlier, interrupted start
    db.exec(SESSIONS_NEW_R07);
    db.exec(COPY_SESSIONS_R07);
    checkpoint('r07:copied');
    db.exec('DROP TABLE sessions');
    db.exec('ALTER TABLE sessions_new RENAME TO sessions');
  }
  checkpoint('r07:status-check');

  // 0.7.0: indexes added late (idx_sessions_project_id again: the 0.6.0 rebuild lost it).
  for (const index of LATE_INDEXES_R08) db.exec(index);
  checkpoint('r08:late-indexes');

  // 0.8.0: sessions know when they last changed.
  addColumn(db, 'sessions', 'updated_at', 'DATETIME'); // ALTER TABLE cannot add a CURRENT_TIMESTAMP default
  db.exec('UPDATE sessions SET updated_at = created_at WHERE updated_at IS NULL');
  db.exec(TRG_SESSION_OUTPUTS_TOUCH_SESSION);
  db.exec(SESSION_SUMMARIES_VIEW);
  checkpoint('r09:session-activity');

  db.exec('PRAGMA user_version = 8');
}
