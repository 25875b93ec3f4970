/**
 * The one family of errors drawbridge throws. Every error has a stable string
 * `code` (branch on it, never on message text) and the CLI exit code it maps to
 * (DESIGN.md, "Exit codes"). Messages state the rule that was broken, the file,
 * and the command or flag that is the way out.
 */

export const EXIT = Object.freeze({
  ok: 0,
  unexpected: 1,
  usage: 2,
  unknownState: 3,
  newerDatabase: 4,
  migrationFailed: 5,
  lockTimeout: 6,
  notADatabase: 7,
  invalidInput: 8,
  /** `fleet` only: one or more of its databases failed; each one's own code is in its result line. */
  fleetFailures: 9,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorCode =
  | 'USAGE'
  | 'NEWER_DATABASE'
  | 'MIGRATION_FAILED'
  | 'FOREIGN_KEY_VIOLATION'
  | 'LOCK_TIMEOUT'
  | 'NOT_A_DATABASE'
  | 'INVALID_MIGRATIONS'
  | 'CHECKSUM_MISMATCH'
  | 'INVALID_CONFIG'
  | 'INVALID_RULES'
  | 'HISTORY_OUT_OF_ORDER'
  | 'IRREVERSIBLE'
  | 'SCHEMA_DRIFT'
  | 'LEGACY_DATA_LOSS'
  | 'UPGRADE_MISMATCH'
  | 'STATE_UNKNOWN'
  | 'STATE_AMBIGUOUS'
  | 'MODE_REFUSED'
  | 'FOREIGN_HISTORY_INCOMPLETE'
  | 'ROLLBACK_OUT_OF_ORDER'
  | 'FLEET_FAILURES'
  | 'UNEXPECTED';

export abstract class DrawbridgeError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly exitCode: ExitCode;
  /** Structured facts behind the message, for --json output and for apps. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** Bad command line or an invalid combination of options. */
export class UsageError extends DrawbridgeError {
  readonly code = 'USAGE' as const;
  readonly exitCode = EXIT.usage;
}

/** The database records migrations this app does not know: it was written by a newer app. */
export class NewerDatabaseError extends DrawbridgeError {
  readonly code = 'NEWER_DATABASE' as const;
  readonly exitCode = EXIT.newerDatabase;
}

/** A migration threw; everything was rolled back. */
export class MigrationFailedError extends DrawbridgeError {
  readonly code = 'MIGRATION_FAILED' as const;
  readonly exitCode = EXIT.migrationFailed;
}

/** The migrations ran but left foreign-key violations that were not there before; rolled back. */
export class ForeignKeyViolationError extends DrawbridgeError {
  readonly code = 'FOREIGN_KEY_VIOLATION' as const;
  readonly exitCode = EXIT.migrationFailed;
}

/** Another process held the write lock for longer than the lock timeout. */
export class LockTimeoutError extends DrawbridgeError {
  readonly code = 'LOCK_TIMEOUT' as const;
  readonly exitCode = EXIT.lockTimeout;
}

/** The file is not an SQLite database, is truncated or corrupt, or cannot be read. */
export class NotADatabaseError extends DrawbridgeError {
  readonly code = 'NOT_A_DATABASE' as const;
  readonly exitCode = EXIT.notADatabase;
}

/** Migration files are misnamed, duplicated, out of order, or malformed. */
export class InvalidMigrationsError extends DrawbridgeError {
  readonly code = 'INVALID_MIGRATIONS' as const;
  readonly exitCode = EXIT.invalidInput;
}

/** An applied migration's file no longer matches the checksum recorded when it ran. */
export class ChecksumMismatchError extends DrawbridgeError {
  readonly code = 'CHECKSUM_MISMATCH' as const;
  readonly exitCode = EXIT.invalidInput;
}

/** A config file that cannot be read or does not match its schema. */
export class InvalidConfigError extends DrawbridgeError {
  readonly code = 'INVALID_CONFIG' as const;
  readonly exitCode = EXIT.invalidInput;
}

/** Bridge rules that cannot be read, do not match their schema, or contradict themselves or the migrations. */
export class InvalidRulesError extends DrawbridgeError {
  readonly code = 'INVALID_RULES' as const;
  readonly exitCode = EXIT.invalidInput;
}

/** The tracking table says migrations ran in an order the sequence does not allow. */
export class HistoryOutOfOrderError extends DrawbridgeError {
  readonly code = 'HISTORY_OUT_OF_ORDER' as const;
  readonly exitCode = EXIT.invalidInput;
}

/** A rollback would have to pass a migration that has no down step. */
export class IrreversibleMigrationError extends DrawbridgeError {
  readonly code = 'IRREVERSIBLE' as const;
  readonly exitCode = EXIT.invalidInput;
}

/** The schema differs from what the applied migrations produce (beyond tables and indexes the user added). */
export class SchemaDriftError extends DrawbridgeError {
  readonly code = 'SCHEMA_DRIFT' as const;
  readonly exitCode = EXIT.invalidInput;
}

/** The app's old inline migrations deleted rows; rolled back. */
export class LegacyDataLossError extends DrawbridgeError {
  readonly code = 'LEGACY_DATA_LOSS' as const;
  readonly exitCode = EXIT.migrationFailed;
}

/** After an upgrade the schema did not equal the sequence's derived schema; rolled back. */
export class UpgradeMismatchError extends DrawbridgeError {
  readonly code = 'UPGRADE_MISMATCH' as const;
  readonly exitCode = EXIT.migrationFailed;
}

/** No rule and no version of the sequence matches this legacy database. */
export class UnknownStateError extends DrawbridgeError {
  readonly code = 'STATE_UNKNOWN' as const;
  readonly exitCode = EXIT.unknownState;
}

/** More than one rule (or a rule and the derived schemas) claim this database. */
export class AmbiguousStateError extends DrawbridgeError {
  readonly code = 'STATE_AMBIGUOUS' as const;
  readonly exitCode = EXIT.unknownState;
}

/** The mode cannot be used on this database (e.g. `legacy` on a tracked one). */
export class ModeRefusedError extends DrawbridgeError {
  readonly code = 'MODE_REFUSED' as const;
  readonly exitCode = EXIT.usage;
}

/**
 * Another tool's tracking table records a migration that did not finish
 * (golang-migrate's dirty flag, a failed Prisma or Flyway row, a held knex
 * lock), or rows the rules cannot map: never imported as applied.
 */
export class ForeignHistoryError extends DrawbridgeError {
  readonly code = 'FOREIGN_HISTORY_INCOMPLETE' as const;
  readonly exitCode = EXIT.unknownState;
}

/** `down NAME` where NAME is not the newest applied migration: rollbacks go in reverse order only. */
export class RollbackOutOfOrderError extends DrawbridgeError {
  readonly code = 'ROLLBACK_OUT_OF_ORDER' as const;
  readonly exitCode = EXIT.usage;
}

/** `fleet`: some databases failed (the others were done); the results list each failure. */
export class FleetFailuresError extends DrawbridgeError {
  readonly code = 'FLEET_FAILURES' as const;
  readonly exitCode = EXIT.fleetFailures;
}

/** Anything drawbridge did not anticipate; carries the original error as `cause`. */
export class UnexpectedError extends DrawbridgeError {
  readonly code = 'UNEXPECTED' as const;
  readonly exitCode = EXIT.unexpected;
}

export function isDrawbridgeError(value: unknown): value is DrawbridgeError {
  return value instanceof DrawbridgeError;
}
