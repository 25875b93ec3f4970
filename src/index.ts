/**
 * drawbridge's public API, and nothing else. Everything here is covered by
 * semver; anything not exported here is internal.
 *
 * Importing it must stay cheap: an app imports drawbridge on every start to
 * call upgrade(), which on a current database reads one table. So the async
 * functions below that need large parts of drawbridge (detection, probing,
 * replaying migrations, fleets) import them on first call; a test
 * (test/runner/lazy-imports.test.ts) holds the entry to that, and bench
 * startup measures it.
 */
import type { SqliteDatabase } from './sqlite/connection.js';
import type { Detection, DetectOptions } from './bridge/detect.js';
import type { DerivedSchema } from './runner/derived-schemas.js';
import type { DriftOptions, DriftReport } from './runner/drift.js';
import type { MigrationSet } from './runner/types.js';
import type { FleetOptions, FleetRun } from './fleet/run-fleet.js';

/** What a database is, relative to a migration sequence and its bridge rules (read-only). */
export async function detect(database: string | SqliteDatabase, options: DetectOptions): Promise<Detection> {
  return (await import('./bridge/detect.js')).detect(database, options);
}

/** The schema after each prefix of the sequence (replayed in memory; cached per sequence). */
export async function deriveSchemas(set: MigrationSet): Promise<readonly DerivedSchema[]> {
  return (await import('./runner/derived-schemas.js')).deriveSchemas(set);
}

/** Drift: the database's schema against what its applied migrations produce. */
export async function schemaDrift(database: string | SqliteDatabase, options: DriftOptions): Promise<DriftReport> {
  return (await import('./runner/drift.js')).schemaDrift(database, options);
}

/** Detect (or upgrade) many databases on worker threads. */
export async function runFleet(inputs: readonly string[], options: FleetOptions): Promise<FleetRun> {
  return (await import('./fleet/run-fleet.js')).runFleet(inputs, options);
}

export { createRunner } from './runner/runner.js';
export type { DownOptions, RepairResult, Runner, RunnerOptions, UpOptions, VerifyReport } from './runner/runner.js';
export { defineMigrations, loadMigrations } from './runner/migration-set.js';
export { checksumOf } from './runner/checksum.js';
export { lintMigrations, countFindings } from './runner/lint-migrations.js';
export type { LintCounts, LintFinding } from './runner/lint-migrations.js';
export { DEFAULT_TRACKING_TABLE } from './runner/tracking-table.js';
export type { DerivedSchema } from './runner/derived-schemas.js';
export type { DriftOptions, DriftReport } from './runner/drift.js';
export type { Candidate, DetectOptions, DetectedState, Detection, NearRule, NearVersion } from './bridge/detect.js';
export type { CheckEvidence } from './bridge/evaluate-rule.js';
export type { MigrationPresence, Presence } from './bridge/migration-presence.js';
export { upgrade, plan } from './bridge/upgrade.js';
export type { UpgradeOptions, UpgradeResult } from './bridge/upgrade.js';
export type { Mode, Plan, PlanAction, PlannedBackfill, PlannedMigration, PlanRefusal } from './bridge/plan.js';
export type { HistoryImport, ImportedMigration, ImportProblem, ImportSource } from './bridge/import-history.js';
export { loadRules, defineRules } from './rules/load-rules.js';
export type { FleetOptions, FleetProgress, FleetRun } from './fleet/run-fleet.js';
export { parseShard } from './fleet/shard.js';
export type { Shard } from './fleet/shard.js';
export type { FleetError, FleetResult, FleetSources, FleetTask } from './fleet/types.js';
export type { FleetFailure, FleetSummary, Histogram } from './fleet/summary.js';
export type { ImportMap, ImportTool, Rule, RuleAction, RuleImport, RuleMatch, RuleSet, SourceLocation, VersionRange } from './rules/types.js';
export type { LegacyFunction, LegacyRun } from './runner/upgrade-transaction.js';
export { probeDatabase, snapshotDatabase } from './probe/fingerprint.js';
export type { ProbeOptions } from './probe/fingerprint.js';
export { schemaHash } from './probe/snapshot.js';
export { diffSnapshots, countDifferences } from './probe/diff.js';
export type { SchemaDiff } from './probe/diff.js';
export { formatDiff } from './probe/format-diff.js';
export type {
  ColumnSnapshot,
  DatabaseFacts,
  Fingerprint,
  ForeignHistory,
  ForeignRow,
  ForeignRowStatus,
  ForeignTool,
  ForeignKeySnapshot,
  IndexSnapshot,
  SchemaSnapshot,
  TableSnapshot,
  TriggerSnapshot,
  ViewSnapshot,
} from './probe/types.js';
export type {
  AppliedStep,
  Migration,
  MigrationContext,
  MigrationDefinition,
  MigrationFunction,
  MigrationLogger,
  MigrationSet,
  MigrationState,
  MigrationStatus,
  RunProgress,
  RunResult,
  StatusReport,
  TrackingRow,
  TransactionMode,
} from './runner/types.js';
export type { SqliteDatabase, SqliteStatement, SqliteRunResult } from './sqlite/connection.js';
export { rebuildTable } from './sqlite/rebuild-table.js'; export type { RebuildOptions, RebuildResult } from './sqlite/rebuild-table.js';
export type { ForeignKeyViolation } from './sqlite/pragmas.js';
export {
  ChecksumMismatchError,
  DrawbridgeError,
  EXIT,
  ForeignKeyViolationError,
  HistoryOutOfOrderError,
  InvalidConfigError,
  InvalidMigrationsError,
  IrreversibleMigrationError,
  LockTimeoutError,
  MigrationFailedError,
  NewerDatabaseError,
  NotADatabaseError,
  SchemaDriftError,
  AmbiguousStateError,
  InvalidRulesError,
  LegacyDataLossError,
  ModeRefusedError,
  UnknownStateError,
  UpgradeMismatchError,
  UnexpectedError,
  ForeignHistoryError,
  RollbackOutOfOrderError,
  FleetFailuresError,
  UsageError,
  isDrawbridgeError,
} from './errors.js';
export type { ErrorCode, ExitCode } from './errors.js';
