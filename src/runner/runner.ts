import type { SqliteDatabase } from '../sqlite/connection.js';
import type { RepairResult } from './repair.js';
import type { DownOptions, UpOptions } from './run-migrations.js';
import { readStatus } from './read-status.js';
import { runnerSettings, type RunnerOptions } from './settings.js';
import type { RunResult, StatusReport } from './types.js';
import type { VerifyReport } from './verify.js';
import { withConnection } from './with-connection.js';

export type { DownOptions, RepairResult, RunnerOptions, UpOptions, VerifyReport };

export interface Runner {
  /** Applied / pending / unknown-to-this-app, with checksums. Never writes. */
  status(): Promise<StatusReport>;
  up(options?: UpOptions): Promise<RunResult>;
  /**
   * Roll back, newest first. Default: one migration. `{ name }` rolls back
   * exactly that migration and refuses (RollbackOutOfOrderError, nothing
   * changed) unless it is the newest applied one.
   */
  down(options?: DownOptions): Promise<RunResult>;
  /** Checksums, history order, newer-database check and quick_check. Never writes. */
  verify(): Promise<VerifyReport>;
  /** Re-record the checksums of applied migrations whose files changed (explicitly: it is how you accept an edit). */
  repair(): Promise<RepairResult>;
}

/**
 * The versioned runner over one database: a path (opened and closed per call)
 * or the app's own better-sqlite3 handle (left open; its settings restored).
 * up, down, verify and repair are imported on first call: an app that only
 * creates a runner (or only asks its status) does not load them.
 */
export function createRunner(database: string | SqliteDatabase, options: RunnerOptions): Runner {
  const settings = runnerSettings(options);
  return Object.freeze({
    status: () => withConnection(database, 'read', settings.lockTimeoutMs, (db, file) => Promise.resolve(readStatus(settings, db, file))),
    up: async (target: UpOptions = {}) => (await import('./run-migrations.js')).runMigrations(settings, database, 'up', Object.freeze({ ...target })),
    down: async (target: DownOptions = {}) => (await import('./run-migrations.js')).runMigrations(settings, database, 'down', Object.freeze({ ...target })),
    verify: async () => (await import('./verify.js')).verify(settings, database),
    repair: async () => (await import('./repair.js')).repair(settings, database),
  });
}
