import type { LegacyDb, LegacyHooks, LegacyRelease } from '../legacy-db.js';
import {
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
} from './ddl.js';
import { addColumn, createTable } from './probes.js';

/** user_version 3: this release forgot to bump it. */
export const release: LegacyRelease = { id: 'r04', version: '0.4.0', userVersion: 3, released: '2024-04-01' };

/** runMigrations() as it stood in 0.4.0: run commands, folders, project ordering (with data backfills). */
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

  db.exec('PRAGMA user_version = 3'); // (not bumped in 0.4.0)
}
