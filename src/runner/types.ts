import type { SqliteDatabase } from '../sqlite/connection.js';
import type { ForeignKeyViolation } from '../sqlite/pragmas.js';

/** What a migration's up/down function receives. */
export interface MigrationContext {
  /** The connection, inside the runner's transaction: do not BEGIN/COMMIT on it. */
  readonly db: SqliteDatabase;
  readonly name: string;
  readonly logger: MigrationLogger;
  /** Run an SQL script statement by statement; a failure names the statement and its line. */
  sql(script: string): void;
  /**
   * Report rows done of a long step (e.g. rebuildTable's onProgress), so the
   * app (onProgress) and the CLI (a progress bar) can show it with an estimate.
   */
  progress(rowsDone: number, rowsTotal: number, what?: string): void;
}

export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
}

export type MigrationFunction = (ctx: MigrationContext) => void | Promise<void>;

/**
 * A migration an app embeds in its bundle (Electron, bundlers: no directory to
 * read at run time). Either `sql` — the whole text of a `.sql` migration file,
 * giving the same checksum as the file — or `up`/`down` functions.
 */
export type MigrationDefinition =
  | {
      readonly name: string;
      readonly sql: string;
      readonly up?: never;
      readonly down?: never;
      /**
       * checksumOf(sql), computed at build time. With it the text is neither
       * hashed nor parsed until the migration is needed (run, reported), so an
       * app's every-start no-op does not parse its whole history; the checksum
       * is verified against the text then.
       */
      readonly checksum?: string;
      readonly backwardCompatible?: never;
    }
  | {
      readonly name: string;
      readonly sql?: never;
      readonly up: MigrationFunction;
      readonly down?: MigrationFunction;
      /** sha256 of the migration's source, computed at build time. Without it the row is recorded with no checksum. */
      readonly checksum?: string;
      readonly backwardCompatible?: boolean;
    };

/** The runnable steps of one migration. */
export interface MigrationSteps {
  readonly up: MigrationFunction;
  /** Absent when the migration cannot be rolled back. */
  readonly down: MigrationFunction | undefined;
}

/** One validated migration of a sequence. */
export interface Migration {
  /** File name without extension, e.g. "0003_add_status"; the key in the tracking table. */
  readonly name: string;
  /** The 4-digit prefix as a number. */
  readonly number: number;
  /** sha256 of the normalised source; null for embedded functions given no checksum. */
  readonly checksum: string | null;
  /** The file it came from, or "embedded". */
  readonly origin: string;
  readonly kind: 'sql' | 'module' | 'embedded';
  /** The statements of the up step, for SQL migrations (reports show them); null for code. */
  readonly upSql: readonly string[] | null;
  /**
   * Declared backward-compatible (additive only: new tables, indexes, nullable
   * or defaulted columns), so an app that does not know it can still open a
   * database it was applied to. A `-- drawbridge: backward-compatible` line in
   * the file's header comments, or `backwardCompatible: true` when embedded.
   */
  readonly backwardCompatible: boolean;
  /** Load (modules: import lazily, on first need) the runnable steps. */
  load(): Promise<MigrationSteps>;
}

/** A validated, ordered, gap-free sequence of migrations. */
export interface MigrationSet {
  /** Where the sequence came from: a directory path or "embedded". */
  readonly source: string;
  readonly migrations: readonly Migration[];
}

/** One row of the tracking table. */
export interface TrackingRow {
  readonly name: string;
  readonly checksum: string | null;
  readonly appliedAt: string;
  readonly durationMs: number;
  /** run | bridged | imported (a newer drawbridge may record others). */
  readonly method: string;
  readonly rule: string | null;
  readonly toolVersion: string;
  /** The migration declared itself backward-compatible (additive only): an older app may still open the database. */
  readonly compatible: boolean;
  /** For method `imported`: JSON of the other tool's rows it came from ({ tool, table, rows }). */
  readonly source: string | null;
}

export type MigrationState = 'applied' | 'pending' | 'unknown';

export interface MigrationStatus {
  readonly name: string;
  /** applied: recorded and known; pending: known, not recorded; unknown: recorded, not known to this app. */
  readonly state: MigrationState;
  /** The checksum of the app's migration (null for unknown rows and unchecksummed embedded migrations). */
  readonly checksum: string | null;
  /** The tracking row, when the migration is recorded. */
  readonly recorded: TrackingRow | undefined;
  /** Recorded with a checksum that differs from the app's file: the file was edited after it ran. */
  readonly changed: boolean;
}

export interface StatusReport {
  readonly database: string;
  readonly table: string;
  /** Whether the tracking table exists. */
  readonly tracked: boolean;
  readonly migrations: readonly MigrationStatus[];
  readonly counts: { readonly applied: number; readonly pending: number; readonly unknown: number; readonly changed: number };
  /** Every migration the app does not know was recorded as backward-compatible: the app may open the database. */
  readonly newerButCompatible: boolean;
  /** The newest applied migration that is not backward-compatible: an app must know at least this one. */
  readonly compatibilityFloor: string | null;
  /** Known migrations that are pending while a later one is applied. */
  readonly gaps: readonly string[];
}

export type TransactionMode = 'all' | 'each';

export interface AppliedStep {
  readonly name: string;
  readonly checksum: string | null;
  readonly durationMs: number;
}

export interface RunResult {
  readonly database: string;
  readonly direction: 'up' | 'down';
  readonly dryRun: boolean;
  /** Migrations applied (up) or reverted (down), in the order they ran (or would run, for a dry run). */
  readonly migrations: readonly AppliedStep[];
  readonly transaction: TransactionMode;
  /** Foreign-key violations the data already had; kept exactly as they were, never "fixed" by deleting rows. */
  readonly foreignKeyViolationsKept: readonly ForeignKeyViolation[];
  readonly durationMs: number;
}

/** Progress of a run, for apps that show it. */
export type RunProgress =
  | { readonly type: 'waiting-for-lock'; readonly database: string }
  | { readonly type: 'step'; readonly step: 'health-check' | 'backup' | 'legacy' | 'fix-up' | 'backfill' | 'schema-check'; readonly detail: string }
  | { readonly type: 'backup'; readonly copiedPages: number; readonly totalPages: number }
  | { readonly type: 'rows'; readonly name: string; readonly what: string; readonly rowsDone: number; readonly rowsTotal: number; readonly secondsLeft: number | null }
  | { readonly type: 'migration-start'; readonly direction: 'up' | 'down'; readonly name: string; readonly index: number; readonly total: number }
  | { readonly type: 'migration-done'; readonly direction: 'up' | 'down'; readonly name: string; readonly index: number; readonly total: number; readonly durationMs: number };
