/**
 * drawbridge's public API, and nothing else. Everything here is covered by
 * semver; anything not exported here is internal.
 */
export { createRunner } from './runner/runner.js';
export type { DownOptions, RepairResult, Runner, RunnerOptions, UpOptions, VerifyReport } from './runner/runner.js';
export { defineMigrations, loadMigrations } from './runner/migration-set.js';
export { checksumOf } from './runner/checksum.js';
export { lintMigrations, countFindings } from './runner/lint-migrations.js';
export type { LintCounts, LintFinding } from './runner/lint-migrations.js';
export { DEFAULT_TRACKING_TABLE } from './runner/tracking-table.js';
export { deriveSchemas } from './runner/derived-schemas.js';
export type { DerivedSchema } from './runner/derived-schemas.js';
export { schemaDrift } from './runner/drift.js';
export type { DriftOptions, DriftReport } from './runner/drift.js';
export { detect } from './bridge/detect.js';
export type { Candidate, DetectOptions, DetectedState, Detection, NearRule, NearVersion } from './bridge/detect.js';
export type { CheckEvidence } from './bridge/evaluate-rule.js';
export type { MigrationPresence, Presence } from './bridge/migration-presence.js';
export { upgrade, plan } from './bridge/upgrade.js';
export type { UpgradeOptions, UpgradeResult } from './bridge/upgrade.js';
export type { Mode, Plan, PlanAction, PlannedBackfill, PlannedMigration, PlanRefusal } from './bridge/plan.js';
export type { HistoryImport, ImportedMigration, ImportProblem, ImportSource } from './bridge/import-history.js';
export { loadRules, defineRules } from './rules/load-rules.js';
export { runFleet } from './fleet/run-fleet.js';
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
