import type { LegacyDb, LegacyHooks, LegacyRelease } from '../legacy-db.js';
import { IDX_SESSIONS_PROJECT_ID, PROJECTS_R01, SESSION_OUTPUTS, SESSIONS_R01 } from './ddl.js';
import { createTable } from './probes.js';

export const release: LegacyRelease = { id: 'r01', version: '0.1.0', userVersion: 1, released: '2024-01-08' };

/** runMigrations() as it stood in 0.1.0: the first schema. */
export function runMigrations(db: LegacyDb, hooks: LegacyHooks = {}): void {
  const checkpoint = (label: string): void => hooks.checkpoint?.(label);

  // 0.1.0: projects, sessions, their output.
  createTable(db, 'projects', PROJECTS_R01);
  createTable(db, 'sessions', SESSIONS_R01, [IDX_SESSIONS_PROJECT_ID]);
  createTable(db, 'session_outputs', SESSION_OUTPUTS);
  checkpoint('r01:core');

  db.exec('PRAGMA user_version = 1');
}
