import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { BackupResult } from '../sqlite/backup.js';
import type { RuleSet } from '../rules/types.js';
import { recordsExactly } from '../runner/current-check.js';
import type { DerivedSchema } from '../runner/derived-schemas.js';
import { readStatus, runnerSettings, type Settings } from '../runner/settings.js';
import type { MigrationDefinition, MigrationLogger, MigrationSet, RunProgress } from '../runner/types.js';
import type { LegacyFunction, LegacyRun } from '../runner/upgrade-transaction.js';
import { withConnection } from '../runner/with-connection.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import type { ForeignKeyViolation } from '../sqlite/pragmas.js';
import type { DetectedState } from './detect.js';
import { MODES, type Mode, type Plan, type PlanAction } from './plan.js';

/**
 * upgrade(): the one-time bridge of a shipped install, and the every-start
 * call of an app's bootstrap. On a current database it is a no-op that reads
 * the tracking table once and writes nothing; only when there is something
 * to do does it load the rest (full-upgrade.ts: detect → plan → one
 * transaction → commit). Loading that on every start would cost an app's
 * bootstrap tens of milliseconds (bench startup).
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

export function resolveMode(mode: Mode | undefined): Mode {
  const chosen = mode ?? process.env.DRAWBRIDGE_MODE ?? 'bridge';
  if (!(MODES as readonly string[]).includes(chosen)) {
    throw new UsageError(`mode "${chosen}" is not one of ${MODES.join(', ')}${mode === undefined ? ' (from DRAWBRIDGE_MODE)' : ''}.`);
  }
  return chosen as Mode;
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
 * The everyday no-op: a tracked database with nothing pending, known by its
 * tracking table alone. The exact match is one read of names and checksums;
 * the full status covers the rest (a newer app's backward-compatible
 * migrations, an upgrade `to` an earlier point).
 */
function isCurrent(settings: Settings, db: SqliteDatabase, file: string, to: string | undefined): boolean {
  if (recordsExactly(db, settings.table, settings.set)) return true;
  const report = readStatus(settings, db, file);
  if (!report.tracked || (report.counts.unknown > 0 && !report.newerButCompatible) || report.counts.changed > 0 || report.gaps.length > 0) return false;
  const last = to ?? settings.set.migrations.at(-1)?.name;
  return report.migrations.every((m) => m.state === 'applied' || (last !== undefined && m.name > last));
}

function nothingToDo(settings: Settings, mode: Mode, file: string, to: string | undefined, dryRun: boolean, started: number): UpgradeResult {
  const ms = performance.now() - started;
  const plan: Plan = { file, mode, state: 'tracked', action: 'nothing', rule: null, bridgePoint: null, prepare: [], backfill: [], pending: [], target: to ?? settings.set.migrations.at(-1)?.name ?? null, refusal: null };
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
  const settings = runnerSettings({
    migrations: options.migrations,
    ...(options.table === undefined ? {} : { table: options.table }),
    ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const dryRun = options.dryRun === true;
  assertBackupFolderExists(options.backup);
  return withConnection(database, dryRun ? 'read' : 'write', settings.lockTimeoutMs, async (db, file) => {
    if (db === undefined) throw new UsageError(`${file}: no such file to plan an upgrade for.`);
    if (mode !== 'legacy' && isCurrent(settings, db, file, options.to)) return nothingToDo(settings, mode, file, options.to, dryRun, started);
    const { fullUpgrade } = await import('./full-upgrade.js');
    return fullUpgrade({ settings, mode, options, dryRun, started }, db, file);
  });
}

/** What upgrade() would do to this database, without writing anything (a dry run's plan). */
export async function plan(database: string | SqliteDatabase, options: Omit<UpgradeOptions, 'dryRun'>): Promise<Plan> {
  return (await upgrade(database, { ...options, dryRun: true })).plan;
}
