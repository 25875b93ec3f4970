import type { LegacyDb, LegacyHooks, LegacyRelease } from '../legacy-db.js';
import {
  CONVERSATION_MESSAGES,
  EXECUTION_DIFFS,
  IDX_CONVERSATION_MESSAGES_SESSION_ID,
  IDX_SESSIONS_PROJECT_ID,
  PROJECTS_R01,
  PROMPT_MARKERS,
  SESSION_OUTPUTS,
  SESSIONS_R03,
} from './ddl.js';
import { addColumn, createTable } from './probes.js';

export const release: LegacyRelease = { id: 'r03', version: '0.3.0', userVersion: 3, released: '2024-03-04' };

/** runMigrations() as it stood in 0.3.0: prompt markers and per-execution git diffs. */
export function runMigrations(db: LegacyDb, hooks: LegacyHooks = {}): void {
  const checkpoint = (label: string): void => hooks.checkpoint?.(label);

  // 0.1.0 (tables at their current shape on a fresh install)
  createTable(db, 'projects', PROJECTS_R01);
  createTable(db, 'sessions', SESSIONS_R03, [IDX_SESSIONS_PROJECT_ID]);
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

  db.exec('PRAGMA user_version = 3');
}
