import type { LegacyDb, LegacyHooks, LegacyRelease } from '../legacy-db.js';
import {
  CONVERSATION_MESSAGES,
  IDX_CONVERSATION_MESSAGES_SESSION_ID,
  IDX_SESSIONS_PROJECT_ID,
  PROJECTS_R01,
  SESSION_OUTPUTS,
  SESSIONS_R02,
} from './ddl.js';
import { addColumn, createTable } from './probes.js';

export const release: LegacyRelease = { id: 'r02', version: '0.2.0', userVersion: 2, released: '2024-02-05' };

/** runMigrations() as it stood in 0.2.0: conversation history, and the prompt a session started from. */
export function runMigrations(db: LegacyDb, hooks: LegacyHooks = {}): void {
  const checkpoint = (label: string): void => hooks.checkpoint?.(label);

  // 0.1.0 (tables at their current shape on a fresh install)
  createTable(db, 'projects', PROJECTS_R01);
  createTable(db, 'sessions', SESSIONS_R02, [IDX_SESSIONS_PROJECT_ID]);
  createTable(db, 'session_outputs', SESSION_OUTPUTS);
  checkpoint('r01:core');

  // 0.2.0
  createTable(db, 'conversation_messages', CONVERSATION_MESSAGES, [IDX_CONVERSATION_MESSAGES_SESSION_ID]);
  addColumn(db, 'sessions', 'prompt', 'TEXT');
  checkpoint('r02:conversation');

  db.exec('PRAGMA user_version = 2');
}
