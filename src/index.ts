/**
 * drawbridge's public API, and nothing else. Everything here is covered by
 * semver; anything not exported here is internal.
 *
 * Importing it must stay cheap: an app imports drawbridge on every start to
 * call upgrade(), which on a current database reads one table. So the entry
 * loads only upgrade()'s no-op path and the error classes; every other
 * function loads its module on first call (async ones with import(), the
 * synchronous ones with loadOnFirstUse). test/index.test.ts holds the entry
 * to that, and bench startup measures it.
 */
import type { SqliteDatabase } from './sqlite/connection.js';
import type { Detection, DetectOptions } from './bridge/detect.js';
import type { DerivedSchema } from './runner/derived-schemas.js';
import type { DriftOptions, DriftReport } from './runner/drift.js';
import type { LintCounts, LintFinding } from './runner/lint-migrations.js';
import type { MigrationDefinition, MigrationSet } from './runner/types.js';
import type { Runner, RunnerOptions } from './runner/runner.js';
import type { FleetOptions, FleetRun } from './fleet/run-fleet.js';
import type { Shard } from './fleet/shard.js';
import type { ProbeOptions } from './probe/fingerprint.js';
import type { SchemaDiff } from './probe/diff.js';
import type { Fingerprint, SchemaSnapshot } from './probe/types.js';
import type { RuleSet } from './rules/types.js';
import type { RebuildOptions, RebuildResult } from './sqlite/rebuild-table.js';
import { loadOnFirstUse } from './load-on-first-use.js';
import type * as ChecksumModule from './runner/checksum.js';
import type * as DiffModule from './probe/diff.js';
import type * as FingerprintModule from './probe/fingerprint.js';
import type * as FormatDiffModule from './probe/format-diff.js';
import type * as LintMigrationsModule from './runner/lint-migrations.js';
import type * as LoadRulesModule from './rules/load-rules.js';
import type * as MigrationSetModule from './runner/migration-set.js';
import type * as RebuildTableModule from './sqlite/rebuild-table.js';
import type * as RunnerModule from './runner/runner.js';
import type * as ShardModule from './fleet/shard.js';
import type * as SnapshotModule from './probe/snapshot.js';

const runnerModule = loadOnFirstUse<typeof RunnerModule>('./runner/runner.js');
const migrationSets = loadOnFirstUse<typeof MigrationSetModule>('./runner/migration-set.js');
const checksums = loadOnFirstUse<typeof ChecksumModule>('./runner/checksum.js');
const migrationLint = loadOnFirstUse<typeof LintMigrationsModule>('./runner/lint-migrations.js');
const rulesLoader = loadOnFirstUse<typeof LoadRulesModule>('./rules/load-rules.js');
const shards = loadOnFirstUse<typeof ShardModule>('./fleet/shard.js');
const probe = loadOnFirstUse<typeof FingerprintModule>('./probe/fingerprint.js');
const snapshots = loadOnFirstUse<typeof SnapshotModule>('./probe/snapshot.js');
const diffs = loadOnFirstUse<typeof DiffModule>('./probe/diff.js');
const diffFormat = loadOnFirstUse<typeof FormatDiffModule>('./probe/format-diff.js');
const rebuilds = loadOnFirstUse<typeof RebuildTableModule>('./sqlite/rebuild-table.js');

export { upgrade, plan } from './bridge/upgrade.js';
export { DEFAULT_TRACKING_TABLE } from './runner/defaults.js';

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

/** The versioned runner over one database: a path (opened per call) or the app's own better-sqlite3 handle. */
export function createRunner(database: string | SqliteDatabase, options: RunnerOptions): Runner {
  return runnerModule().createRunner(database, options);
}

/** Read and validate a migrations directory (NNNN_name.sql / .ts / .js). Module files are imported when first run. */
export function loadMigrations(dir: string): MigrationSet {
  return migrationSets().loadMigrations(dir);
}

/** Validate an embedded array of migrations (bundled apps, Electron asar). */
export function defineMigrations(definitions: readonly MigrationDefinition[]): MigrationSet {
  return migrationSets().defineMigrations(definitions);
}

/** The checksum drawbridge records for a migration's source text (sha256 hex; BOM and CRLF normalised). */
export function checksumOf(text: string): string {
  return checksums().checksumOf(text);
}

/** Lint a migrations directory. Throws InvalidMigrationsError only when the directory itself cannot be read. */
export function lintMigrations(dir: string): LintFinding[] {
  return migrationLint().lintMigrations(dir);
}

export function countFindings(findings: readonly LintFinding[]): LintCounts {
  return migrationLint().countFindings(findings);
}

/** Load bridge rules from a YAML file or a directory of them; problems name file:line:col. */
export function loadRules(path: string): RuleSet {
  return rulesLoader().loadRules(path);
}

/** Rules embedded in the app (e.g. an imported JSON file); problems name JSON paths, as there are no lines. */
export function defineRules(data: unknown, source?: string): RuleSet {
  return rulesLoader().defineRules(data, source);
}

/** `K/N` → a fleet shard (K of N, 1-based). */
export function parseShard(text: string): Shard {
  return shards().parseShard(text);
}

/** The Fingerprint of a database file (left byte-identical) or an open handle. */
export function probeDatabase(database: string | SqliteDatabase, options?: ProbeOptions): Fingerprint {
  return probe().probeDatabase(database, options);
}

/** The semantic snapshot of an open database (tracking table left out). */
export function snapshotDatabase(db: SqliteDatabase, options?: ProbeOptions): SchemaSnapshot {
  return probe().snapshotDatabase(db, options);
}

/** sha256 of the canonical snapshot: equal hashes exactly when the snapshots are equal. */
export function schemaHash(snapshot: SchemaSnapshot): string {
  return snapshots().schemaHash(snapshot);
}

export function diffSnapshots(from: SchemaSnapshot, to: SchemaSnapshot): SchemaDiff {
  return diffs().diffSnapshots(from, to);
}

/** How many individual differences (the number of lines formatDiff prints). */
export function countDifferences(diff: SchemaDiff): number {
  return diffs().countDifferences(diff);
}

export function formatDiff(diff: SchemaDiff, labels?: { from?: string; to?: string }): string[] {
  return diffFormat().formatDiff(diff, labels);
}

/** The 12-step rebuild of a table in SQL (no rows through JS); call it in a migration, with ctx.db. */
export function rebuildTable(db: SqliteDatabase, options: RebuildOptions): RebuildResult {
  return rebuilds().rebuildTable(db, options);
}

export type { DownOptions, RepairResult, Runner, RunnerOptions, UpOptions, VerifyReport } from './runner/runner.js';
export type { LintCounts, LintFinding } from './runner/lint-migrations.js';
export type { DerivedSchema } from './runner/derived-schemas.js';
export type { DriftOptions, DriftReport } from './runner/drift.js';
export type { Candidate, DetectOptions, DetectedState, Detection, NearRule, NearVersion } from './bridge/detect.js';
export type { CheckEvidence } from './bridge/evaluate-rule.js';
export type { MigrationPresence, Presence } from './bridge/migration-presence.js';
export type { UpgradeOptions, UpgradeResult } from './bridge/upgrade.js';
export type { Mode, Plan, PlanAction, PlannedBackfill, PlannedMigration, PlanRefusal } from './bridge/plan.js';
export type { HistoryImport, ImportedMigration, ImportProblem, ImportSource } from './bridge/import-history.js';
export type { FleetOptions, FleetProgress, FleetRun } from './fleet/run-fleet.js';
export type { Shard } from './fleet/shard.js';
export type { FleetError, FleetResult, FleetSources, FleetTask } from './fleet/types.js';
export type { FleetFailure, FleetSummary, Histogram } from './fleet/summary.js';
export type { ImportMap, ImportTool, Rule, RuleAction, RuleImport, RuleMatch, RuleSet, SourceLocation, VersionRange } from './rules/types.js';
export type { LegacyFunction, LegacyRun } from './runner/upgrade-transaction.js';
export type { ProbeOptions } from './probe/fingerprint.js';
export type { SchemaDiff } from './probe/diff.js';
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
export type { RebuildOptions, RebuildResult } from './sqlite/rebuild-table.js';
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
