import type { SqliteDatabase } from '../sqlite/connection.js';
import { repair, type RepairResult } from './repair.js';
import { runMigrations, type DownOptions, type UpOptions } from './run-migrations.js';
import { readStatus, runnerSettings, type RunnerOptions } from './settings.js';
import type { RunResult, StatusReport } from './types.js';
import { verify, type VerifyReport } from './verify.js';
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
 */
export function createRunner(database: string | SqliteDatabase, options: RunnerOptions): Runner {
  const settings = runnerSettings(options);
  return Object.freeze({
    status: () => withConnection(database, 'read', settings.lockTimeoutMs, (db, file) => Promise.resolve(readStatus(settings, db, file))),
    up: (target: UpOptions = {}) => runMigrations(settings, database, 'up', Object.freeze({ ...target })),
    down: (target: DownOptions = {}) => runMigrations(settings, database, 'down', Object.freeze({ ...target })),
    verify: () => verify(settings, database),
    repair: () => repair(settings, database),
  });
}
