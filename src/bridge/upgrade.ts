import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NotADatabaseError, UnknownStateError, UpgradeMismatchError, UsageError } from '../errors.js';
import { backupDatabase, type BackupResult } from '../sqlite/backup.js';
import { quickCheck } from '../sqlite/pragmas.js';
import { diffSnapshots } from '../probe/diff.js';
import { snapshotDatabase } from '../probe/fingerprint.js';
import { formatDiff } from '../probe/format-diff.js';
import type { RuleSet } from '../rules/types.js';
import { assertUsable, readStatus, runnerSettings, type Settings } from '../runner/settings.js';
import type { MigrationDefinition, MigrationLogger, MigrationSet, RunProgress } from '../runner/types.js';
import { runUpgradeTransaction, type BackfillRecord, type LegacyFunction, type LegacyRun, type UpgradeSteps } from '../runner/upgrade-transaction.js';
import { withConnection } from '../runner/with-connection.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import type { ForeignKeyViolation } from '../sqlite/pragmas.js';
import { detectionContext, detectOn, type DetectionContext, type DetectedState } from './detect.js';
import { userAdditionsOnly } from './derived-match.js';
import { MODES, planUpgrade, refusalError, type Mode, type Plan, type PlanAction } from './plan.js';

/**
 * upgrade(): the one-time bridge of a shipped install, and the every-start
 * call of an app's bootstrap. Detect → plan → one transaction { legacy
 * fallback if the mode allows; fix-ups; backfill; pending migrations;
 * comparison with the derived schema } → commit. On a current database it is
 * a no-op that writes nothing and does not even derive schemas.
 */

export interface UpgradeOptions {
  readonly migrations: MigrationSet | readonly MigrationDefinition[];
  readonly rules?: RuleSet | undefined;
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

interface Run {
  readonly settings: Settings;
  readonly context: DetectionContext;
  readonly mode: Mode;
  readonly options: UpgradeOptions;
}

function planFor(run: Run, db: SqliteDatabase, file: string, mode: Mode = run.mode): Plan {
  // A tracked database's history must be usable, as for `up`: no edited applied migration, no gap.
  const report = readStatus(run.settings, db, file);
  if (report.tracked) assertUsable(report, run.settings.set);
  const detection = detectOn(db, file, run.context);
  return planUpgrade(detection, { mode, set: run.context.set, legacyAvailable: run.options.legacy !== undefined, to: run.options.to });
}

function byName(run: Run, names: readonly { name: string }[]): MigrationSet['migrations'] {
  const wanted = new Set(names.map((n) => n.name));
  return run.context.set.migrations.filter((m) => wanted.has(m.name));
}

/** The backfill as the runner records it. */
function backfillRecords(run: Run, plan: Plan): BackfillRecord[] {
  const migrations = new Map(run.context.set.migrations.map((m) => [m.name, m]));
  return plan.backfill.flatMap((b) => {
    const migration = migrations.get(b.name);
    if (migration === undefined) return [];
    return [{ migration, method: b.method, appliedAt: b.appliedAt, durationMs: b.durationMs, source: b.source === null ? null : JSON.stringify(b.source) }];
  });
}

/** After the work, the schema must be the sequence's at the target (the user's own additions aside). */
function assertSchemaIsTarget(run: Run, db: SqliteDatabase, file: string, plan: Plan): void {
  const index = plan.target === null ? 0 : run.context.set.migrations.findIndex((m) => m.name === plan.target) + 1;
  const expected = run.context.derived[index];
  if (expected === undefined) return;
  const diff = diffSnapshots(expected.snapshot, snapshotDatabase(db, { trackingTable: run.settings.table }));
  if (diff.identical || userAdditionsOnly(diff, run.context.derived)) return;
  throw new UpgradeMismatchError(
    `${file}: after the upgrade the schema is not the sequence's at ${plan.target ?? '(nothing)'}, so everything was rolled back and the file is unchanged.\n` +
      `${formatDiff(diff, { from: `expected (${plan.target ?? 'empty'})`, to: 'after the upgrade' }).map((l) => `  ${l}`).join('\n')}\n` +
      `The bridge point ${plan.bridgePoint ?? '(none)'}${plan.rule === null ? '' : ` from rule ${plan.rule}`} is wrong for this database: fix the rule (\`drawbridge rules check\`), or report it.`,
    { details: { file, target: plan.target, rule: plan.rule, diff } },
  );
}

/**
 * Before recording migrations as applied, check the database really is the
 * sequence at the bridge point (the replay check `rules check` makes, made
 * again on this very database): a backfill is never a guess.
 */
function assertAtBridgePoint(run: Run, db: SqliteDatabase, file: string, plan: Plan): void {
  const expected = run.context.derived[plan.backfill.length];
  if (expected === undefined) return;
  const diff = diffSnapshots(expected.snapshot, snapshotDatabase(db, { trackingTable: run.settings.table }));
  if (diff.identical || userAdditionsOnly(diff, run.context.derived)) return;
  throw new UnknownStateError(
    `${file}: ${plan.rule === null ? 'the database' : `rule ${plan.rule}`} claims it is at ${plan.bridgePoint ?? '(nothing)'}${plan.prepare.length > 0 ? ' once its fix-up has run' : ''}, ` +
      `but its schema is not the sequence's there, so nothing was recorded and everything was rolled back:\n` +
      `${formatDiff(diff, { from: `expected (${plan.bridgePoint ?? 'empty'})`, to: 'this database' }).map((l) => `  ${l}`).join('\n')}\n` +
      'Fix the rule (`drawbridge rules check <db>` proves a rule on a database), or add one for this state.',
    { details: { file, rule: plan.rule, bridgePoint: plan.bridgePoint, diff } },
  );
}

/** `app.db.20261121T143300Z.legacy-r06-hotfix-to-0010_session_tags.backup`: when, from what, to what. */
function backupTarget(run: Run, file: string, plan: Plan): string | null {
  const option = run.options.backup ?? {};
  if (option === false || file === '' || file === ':memory:' || !existsSync(file) || statSync(file).size === 0) return null;
  if (option.path !== undefined) return resolve(option.path);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const from = plan.rule ?? (plan.state === 'tracked' ? `at-${plan.backfill.at(-1)?.name ?? 'start'}` : plan.state);
  const safe = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '_');
  return join(resolve(option.dir ?? dirname(file)), `${basename(file)}.${stamp}.${safe(from)}-to-${safe(plan.target ?? 'none')}.backup`);
}

/**
 * A backup killed half-way leaves `<name>.backup.partial` beside it. Backups of
 * this database are only ever written under its write lock, which we hold:
 * any partial one for it in the folder is a dead process's, safe to remove.
 */
function removeStalePartials(target: string, file: string): void {
  const folder = dirname(target);
  const prefix = `${basename(file)}.`;
  for (const entry of readdirSync(folder)) {
    if (entry.startsWith(prefix) && /\.backup\.partial(-wal|-shm|-journal)?$/.test(entry)) rmSync(join(folder, entry), { force: true });
  }
}

/** Health gate: a corrupt database is refused, never migrated. */
function assertHealthy(db: SqliteDatabase, file: string): void {
  const problems = quickCheck(db);
  if (problems.length === 0) return;
  throw new NotADatabaseError(
    `${file}: quick_check found ${problems.length} problem${problems.length === 1 ? '' : 's'} (${(problems[0] ?? '').replace(/\s+/g, ' ')}), so it was not migrated and nothing was changed. ` +
      'Restore it from a backup (`drawbridge restore`), or recover what can be read with the sqlite3 shell\'s .recover, then upgrade the result.',
    { details: { file, problems } },
  );
}

async function execute(run: Run, steps: UpgradeSteps, file: string): Promise<{ plan: Plan; legacy: LegacyRun | null; applied: string[]; fallbackRule: string | null; backup: BackupResult | null }> {
  // Re-detect under the lock: another process may have upgraded while we waited.
  let plan = planFor(run, steps.db, file);
  if (plan.action === 'nothing') return { plan, legacy: null, applied: [], fallbackRule: null, backup: null };
  if (plan.action === 'refuse') throw refusalError(plan);
  run.settings.onProgress?.({ type: 'step', step: 'health-check', detail: 'quick_check' });
  assertHealthy(steps.db, file);
  const target = backupTarget(run, file, plan);
  let backup: BackupResult | null = null;
  if (target !== null) {
    removeStalePartials(target, file);
    run.settings.onProgress?.({ type: 'step', step: 'backup', detail: target });
    backup = await backupDatabase(file, target, {
      onProgress: (copied, total) => run.settings.onProgress?.({ type: 'backup', copiedPages: copied, totalPages: total }),
    });
  }
  let legacy: LegacyRun | null = null;
  let fallbackRule: string | null = null;
  if (plan.action === 'legacy-only' || plan.action === 'legacy-then-bridge') {
    legacy = await steps.runLegacy(run.options.legacy?.run ?? (() => undefined));
    if (plan.action === 'legacy-only') return { plan, legacy, applied: [], fallbackRule: null, backup };
    const expected = plan.bridgePoint;
    fallbackRule = plan.rule;
    plan = planFor(run, steps.db, file, 'bridge');
    if (plan.action === 'refuse') {
      throw new UnknownStateError(`${file}: after the app's old migrations ran, the database is still not bridgeable, so everything was rolled back. ${plan.refusal?.message ?? ''}`, {
        details: { file, afterLegacy: plan.refusal },
      });
    }
    if (fallbackRule !== null && expected !== null && plan.bridgePoint !== expected) {
      throw new UnknownStateError(`${file}: rule ${fallbackRule} expected the app's old migrations to bring the database to ${expected}, but they brought it to ${plan.bridgePoint ?? 'an unknown state'}; everything was rolled back. Fix the rule's bridge-to.`, {
        details: { file, rule: fallbackRule, expected, reached: plan.bridgePoint },
      });
    }
  }
  steps.runSql(plan.prepare, `the fix-up of rule ${plan.rule ?? '(none)'}`);
  if (plan.backfill.length > 0) {
    assertAtBridgePoint(run, steps.db, file, plan);
    steps.recordBackfill(backfillRecords(run, plan), plan.rule);
  }
  const applied = await steps.runMigrations(byName(run, plan.pending));
  assertSchemaIsTarget(run, steps.db, file, plan);
  return { plan, legacy, applied: applied.map((a) => a.name), fallbackRule, backup };
}

function resultOf(run: Run, plan: Plan, extra: Partial<UpgradeResult> & { durations: UpgradeResult['durations'] }): UpgradeResult {
  return {
    file: plan.file,
    mode: run.mode,
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

/** The everyday no-op: a tracked database with nothing pending, known by its tracking table alone. */
function isCurrent(settings: Settings, db: SqliteDatabase, file: string, to: string | undefined): boolean {
  const report = readStatus(settings, db, file);
  if (!report.tracked || (report.counts.unknown > 0 && !report.newerButCompatible) || report.counts.changed > 0 || report.gaps.length > 0) return false;
  const last = to ?? settings.set.migrations.at(-1)?.name;
  return report.migrations.every((m) => m.state === 'applied' || (last !== undefined && m.name > last));
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
  const backup = options.backup;
  if (backup !== undefined && backup !== false) {
    const folder = backup.path !== undefined ? dirname(resolve(backup.path)) : backup.dir;
    if (folder !== undefined && !existsSync(folder)) {
      throw new UsageError(`the backup folder ${folder} does not exist; nothing was changed. Create it, or choose --backup PATH in an existing folder.`, { details: { folder } });
    }
  }
  return withConnection(database, dryRun ? 'read' : 'write', settings.lockTimeoutMs, async (db, file) => {
    if (db === undefined) throw new UsageError(`${file}: no such file to plan an upgrade for.`);
    if (mode !== 'legacy' && isCurrent(settings, db, file, options.to)) {
      const context: DetectionContext = { set: settings.set, derived: [], rules: options.rules, trackingTable: settings.table };
      const ms = performance.now() - started;
      const plan: Plan = { file, mode, state: 'tracked', action: 'nothing', rule: null, bridgePoint: null, prepare: [], backfill: [], pending: [], target: options.to ?? settings.set.migrations.at(-1)?.name ?? null, refusal: null };
      return resultOf({ settings, context, mode, options }, plan, { dryRun, durations: { detectMs: ms, applyMs: 0, totalMs: ms } });
    }
    const context = await detectionContext({ migrations: settings.set, rules: options.rules, trackingTable: settings.table });
    const run: Run = { settings, context, mode, options };
    const plan = planFor(run, db, file);
    const detectMs = performance.now() - started;
    if (dryRun || plan.action === 'nothing') return resultOf(run, plan, { dryRun, durations: { detectMs, applyMs: 0, totalMs: detectMs } });
    if (plan.action === 'refuse') throw refusalError(plan);
    const { value, kept } = await runUpgradeTransaction(settings, db, file, (steps) => execute(run, steps, file));
    const totalMs = performance.now() - started;
    return resultOf(run, value.plan, {
      applied: value.applied,
      fallbackRule: value.fallbackRule,
      legacy: value.legacy,
      backup: value.backup,
      backupPath: value.backup?.path ?? null,
      foreignKeyViolationsKept: kept,
      durations: { detectMs, applyMs: totalMs - detectMs, totalMs },
    });
  });
}

/** What upgrade() would do to this database, without writing anything (a dry run's plan). */
export async function plan(database: string | SqliteDatabase, options: Omit<UpgradeOptions, 'dryRun'>): Promise<Plan> {
  return (await upgrade(database, { ...options, dryRun: true })).plan;
}
