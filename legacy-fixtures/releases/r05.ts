import type { LegacyDb, LegacyHooks, LegacyRelease } from '../legacy-db.js';
import {
  APP_OPENS,
  CONVERSATION_MESSAGES,
  COPY_RUN_SCRIPTS_R04,
  EXECUTION_DIFFS,
  FOLDERS,
  IDX_CONVERSATION_MESSAGES_SESSION_ID,
  IDX_SESSIONS_PROJECT_ID,
  PROJECT_RUN_COMMANDS,
  PROJECTS_R04,
  PROMPT_MARKERS,
  SESSION_OUTPUTS,
  SESSIONS_R04,
  UI_STATE,
  USER_PREFERENCES,
} from './ddl.js';
import { addColumn, createTable } from './probes.js';

/** user_version jumps from 3 to 5 (0.4.0 never set 4). */
export const release: LegacyRelease = { id: 'r05', version: '0.5.0', userVersion: 5, released: '2024-05-06' };

/** runMigrations() as it stood in 0.5.0: UI state, app opens and preferences persisted in the database. */
export function runMigrations(db: LegacyDb, hooks: LegacyHooks = {}): void {
  const checkpoint = (label: string): void => hooks.checkpoint?.(label);

  // 0.1.0 (tables at their current shape on a fresh install)
  createTable(db, 'projects', PROJECTS_R04);
  createTable(db, 'sessions', SESSIONS_R04, [IDX_SESSIONS_PROJECT_ID]);
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

  db.exec('PRAGMA user_version = 5');
}
