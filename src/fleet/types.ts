import type { DetectedState } from '../bridge/detect.js';
import type { Mode, PlanAction } from '../bridge/plan.js';
import type { ErrorCode, ExitCode } from '../errors.js';

/**
 * `fleet` as plain data: what runFleet is given and what it hands back, one
 * result per database. Everything here crosses the worker_threads boundary,
 * so it is structured-clone data only: paths and settings, never loaded
 * objects or functions.
 */

/**
 * Where a worker loads what it needs from (the same sources the CLI reads):
 * each worker loads them itself, once.
 */
export interface FleetSources {
  readonly migrationsDir: string;
  /** A rules file or directory; undefined: no rules (only exact schema matches count). */
  readonly rules: string | undefined;
  /** The app's old inline migrations (an ES module exporting run(db)), for modes auto and legacy. */
  readonly legacy: string | undefined;
  readonly table: string;
  readonly lockTimeoutMs: number;
}

/** What every database gets: detection and a plan, or a real upgrade. */
export interface FleetTask {
  readonly upgrade: boolean;
  readonly mode: Mode;
  /** Stop at this migration instead of the last. */
  readonly to: string | undefined;
  /** Only with upgrade: a backup beside each database ({}), in a folder ({ dir }), or none (false). */
  readonly backup: { readonly dir?: string } | false;
}

export interface FleetError {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly message: string;
}

/** One line of `--out results.jsonl`. */
export interface FleetResult {
  readonly file: string;
  /** false when the database could not be detected (detect) or upgraded (--upgrade, refusals included). */
  readonly ok: boolean;
  /** What the database was when the fleet found it; null when it could not be read. */
  readonly state: DetectedState | null;
  /** What an upgrade does (detect) or did (--upgrade) with it; 'refuse' when it would refuse. */
  readonly action: PlanAction | null;
  readonly rule: string | null;
  readonly bridgePoint: string | null;
  /** Migrations recorded as applied without running: planned (detect) or recorded (--upgrade). */
  readonly backfilled: readonly string[];
  /** Migrations that ran (--upgrade; always empty in detect mode). */
  readonly applied: readonly string[];
  /** Migrations an upgrade would run (detect mode; always empty after --upgrade). */
  readonly pending: readonly string[];
  readonly durationMs: number;
  readonly error?: FleetError;
}
