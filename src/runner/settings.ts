import { toMigrationSet } from './migration-set.js';
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_TRACKING_TABLE } from './defaults.js';
import type { MigrationDefinition, MigrationLogger, MigrationSet, RunProgress, TransactionMode } from './types.js';

export interface RunnerOptions {
  /** loadMigrations(dir), or an embedded array of migration definitions. */
  readonly migrations: MigrationSet | readonly MigrationDefinition[];
  /** Tracking table name; default "drawbridge_migrations". */
  readonly table?: string;
  /** How long to wait for another process's write lock before giving up (exit 6); default 30 000 ms. */
  readonly lockTimeoutMs?: number;
  /** 'all' (default): one transaction for the whole run. 'each': one per migration. */
  readonly transaction?: TransactionMode;
  readonly logger?: MigrationLogger;
  readonly onProgress?: (event: RunProgress) => void;
}

const SILENT: MigrationLogger = Object.freeze({ info: () => undefined, warn: () => undefined });

/** RunnerOptions with the defaults filled in and the migrations validated. */
export interface Settings {
  readonly set: MigrationSet;
  readonly table: string;
  readonly lockTimeoutMs: number;
  readonly transaction: TransactionMode;
  readonly logger: MigrationLogger;
  readonly onProgress: ((event: RunProgress) => void) | undefined;
}

export function runnerSettings(options: RunnerOptions): Settings {
  return Object.freeze({
    set: toMigrationSet(options.migrations),
    table: options.table ?? DEFAULT_TRACKING_TABLE,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    transaction: options.transaction ?? 'all',
    logger: options.logger ?? SILENT,
    onProgress: options.onProgress,
  });
}
