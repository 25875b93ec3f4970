import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { BackupResult } from '../sqlite/backup.js';
import type { RuleSet } from '../rules/types.js';
import { recordsExactly, type RecordedAs } from '../runner/current-check.js';
import { DEFAULT_TRACKING_TABLE } from '../runner/defaults.js';
import type { DerivedSchema } from '../runner/derived-schemas.js';
import type { Settings } from '../runner/settings.js';
import type { MigrationDefinition, MigrationLogger, MigrationSet, RunProgress } from '../runner/types.js';
import type { LegacyFunction, LegacyRun } from '../runner/upgrade-transaction.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import type { ForeignKeyViolation } from '../sqlite/pragmas.js';
import type { DetectedState } from './detect.js';
import { resolveMode, type Mode } from './modes.js';
import type { Plan, PlanAction } from './plan.js';

/**
 * upgrade(): the one-time bridge of a shipped install, and the every-start
 * call of an app's bootstrap. On a current database it is a no-op that reads
 * the tracking table once and writes nothing. This module holds only that
 * no-op; the rest is imported when there is more to do: validating the
 * migrations, opening a path, the full status, and full-upgrade.ts (detect →
 * plan → one transaction → commit). Loading those on every start would cost
 * an app's bootstrap tens of milliseconds (bench startup).
 */

export interface UpgradeOptions {
  readonly migrations: MigrationSet | readonly MigrationDefinition[];
  /**
   * The bridge rules, or a function that returns them: called only when the
   * database is not current, so an app's every-start no-op never reads them
   * (`rules: () => loadRules('bridge-rules')`).
   */
  readonly rules?: RuleSet | (() => RuleSet | Promise<RuleSet>) | undefined;
  /** The app's old inline migration function, for `auto` and `legacy` modes. */
  readonly legacy?: { readonly run: LegacyFunction } | undefined;
  /** Default: the DRAWBRIDGE_MODE environment variable, else 'bridge'. */
  readonly mode?: Mode | undefined;
  readonly dryRun?: boolean;
  /** Stop at this migration instead of the last. */
  readonly to?: string | undefined;
  readonly table?: string;
  readonly lockTimeoutMs?: number;
  readonly logger?: MigrationLogger;
  readonly onProgress?: (event: RunProgress) => void;
  /**
   * A backup before anything is written (default: beside the database). `path`
   * names the file; `dir` a folder for the generated name; false: none.
   */
  readonly backup?: { readonly dir?: string; readonly path?: string } | false;
  /**
   * The sequence's derived schemas (deriveSchemas(migrations)), when the
   * caller already has them — a fleet derives once for all its databases —
   * instead of deriving them again here. Checked to be this sequence's.
   */
  readonly derived?: readonly DerivedSchema[] | undefined;
}

export interface UpgradeResult {
  readonly file: string;
  readonly mode: Mode;
  readonly dryRun: boolean;
  /** What the database was when the upgrade found it. */
  readonly state: DetectedState;
  readonly action: PlanAction;
  /** The rule that bridged the database (after a legacy fallback: the one that matched what it left). */
  readonly rule: string | null;
  /** The legacy-fallback rule that sent the database through the app's old migrations first, if one did. */
  readonly fallbackRule: string | null;
  readonly bridgePoint: string | null;
  readonly backfilled: readonly string[];
  /** Those of `backfilled` taken from another tool's history (method imported). */
  readonly imported: readonly string[];
  readonly applied: readonly string[];
  /** The app's old migrations, when they ran (auto/legacy modes). */
  readonly legacy: LegacyRun | null;
  readonly foreignKeyViolationsKept: readonly ForeignKeyViolation[];
  /** The backup taken before the first write (null when nothing was written, or backups were off). */
  readonly backupPath: string | null;
  readonly backup: BackupResult | null;
  readonly plan: Plan;
  readonly durations: { readonly detectMs: number; readonly applyMs: number; readonly totalMs: number };
}

export function resultOf(mode: Mode, plan: Plan, extra: Partial<UpgradeResult> & { durations: UpgradeResult['durations'] }): UpgradeResult {
  return {
    file: plan.file,
    mode,
    dryRun: false,
    state: plan.state,
    action: plan.action,
    rule: plan.rule,
    fallbackRule: null,
    bridgePoint: plan.bridgePoint,
    backfilled: plan.action === 'bridge' || plan.action === 'legacy-then-bridge' ? plan.backfill.map((m) => m.name) : [],
    imported: plan.action === 'bridge' || plan.action === 'legacy-then-bridge' ? plan.backfill.filter((m) => m.method === 'imported').map((m) => m.name) : [],
    applied: [],
    legacy: null,
    foreignKeyViolationsKept: [],
    backupPath: null,
    backup: null,
    plan,
    ...extra,
  };
}

/**
 * The app's sequence as the tracking table would record it, when that is
 * known without parsing or hashing anything: a loaded set, or embedded
 * definitions that each carry their checksum (a .sql text with a build-time
 * checksum, or an up() function). Otherwise undefined: the caller validates.
 */
function recordedAs(migrations: UpgradeOptions['migrations']): readonly RecordedAs[] | undefined {
  if (!Array.isArray(migrations)) return (migrations as MigrationSet).migrations;
  const definitions = migrations as readonly MigrationDefinition[];
  return definitions.every((d) => typeof d.sql !== 'string' || d.checksum !== undefined) ? definitions : undefined;
}

/**
 * The every-start no-op on the app's own handle: the tracking table records
 * exactly the app's sequence (names, order, checksums). That is a sequence
 * drawbridge itself validated and recorded, so it is not validated again
 * here; every other path validates the migrations before reading or writing.
 * Returns the sequence's last name when it is so (null for an empty one).
 */
function lastRecordedExactly(database: SqliteDatabase, options: UpgradeOptions): string | null | undefined {
  const expected = recordedAs(options.migrations);
  if (expected === undefined || !recordsExactly(database, options.table ?? DEFAULT_TRACKING_TABLE, expected)) return undefined;
  return expected.at(-1)?.name ?? null;
}

/**
 * A tracked database with nothing pending, known by its tracking table
 * alone: the exact match, else the full status (a newer app's
 * backward-compatible migrations, an upgrade `to` an earlier point).
 */
async function isCurrent(settings: Settings, db: SqliteDatabase, file: string, to: string | undefined): Promise<boolean> {
  if (recordsExactly(db, settings.table, settings.set.migrations)) return true;
  const { readStatus } = await import('../runner/read-status.js');
  const report = readStatus(settings, db, file);
  if (!report.tracked || (report.counts.unknown > 0 && !report.newerButCompatible) || report.counts.changed > 0 || report.gaps.length > 0) return false;
  const last = to ?? settings.set.migrations.at(-1)?.name;
  return report.migrations.every((m) => m.state === 'applied' || (last !== undefined && m.name > last));
}

function nothingToDo(last: string | null | undefined, mode: Mode, file: string, to: string | undefined, dryRun: boolean, started: number): UpgradeResult {
  const ms = performance.now() - started;
  const plan: Plan = { file, mode, state: 'tracked', action: 'nothing', rule: null, bridgePoint: null, prepare: [], backfill: [], pending: [], target: to ?? last ?? null, refusal: null };
  return resultOf(mode, plan, { dryRun, durations: { detectMs: ms, applyMs: 0, totalMs: ms } });
}

function assertBackupFolderExists(backup: UpgradeOptions['backup']): void {
  if (backup === undefined || backup === false) return;
  const folder = backup.path !== undefined ? dirname(resolve(backup.path)) : backup.dir;
  if (folder !== undefined && !existsSync(folder)) {
    throw new UsageError(`the backup folder ${folder} does not exist; nothing was changed. Create it, or choose --backup PATH in an existing folder.`, { details: { folder } });
  }
}

export async function upgrade(database: string | SqliteDatabase, options: UpgradeOptions): Promise<UpgradeResult> {
  const started = performance.now();
  const mode = resolveMode(options.mode);
  const dryRun = options.dryRun === true;
  assertBackupFolderExists(options.backup);
  if (mode !== 'legacy' && typeof database !== 'string') {
    const last = lastRecordedExactly(database, options);
    if (last !== undefined) return nothingToDo(last, mode, database.name || ':memory:', options.to, dryRun, started);
  }
  const [{ runnerSettings }, { withConnection }] = await Promise.all([import('../runner/settings.js'), import('../runner/with-connection.js')]);
  const settings = runnerSettings({
    migrations: options.migrations,
    ...(options.table === undefined ? {} : { table: options.table }),
    ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return withConnection(database, dryRun ? 'read' : 'write', settings.lockTimeoutMs, async (db, file) => {
    if (db === undefined) throw new UsageError(`${file}: no such file to plan an upgrade for.`);
    if (mode !== 'legacy' && (await isCurrent(settings, db, file, options.to))) return nothingToDo(settings.set.migrations.at(-1)?.name, mode, file, options.to, dryRun, started);
    const { fullUpgrade } = await import('./full-upgrade.js');
    return fullUpgrade({ settings, mode, options, dryRun, started }, db, file);
  });
}

/** What upgrade() would do to this database, without writing anything (a dry run's plan). */
export async function plan(database: string | SqliteDatabase, options: Omit<UpgradeOptions, 'dryRun'>): Promise<Plan> {
  return (await upgrade(database, { ...options, dryRun: true })).plan;
}
