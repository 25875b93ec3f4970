import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NotADatabaseError, UnknownStateError, UpgradeMismatchError, UsageError } from '../errors.js';
import { backupDatabase, type BackupResult } from '../sqlite/backup.js';
import { quickCheck } from '../sqlite/pragmas.js';
import { diffSnapshots } from '../probe/diff.js';
import { snapshotDatabase } from '../probe/fingerprint.js';
import { formatDiff } from '../probe/format-diff.js';
import type { RuleSet } from '../rules/types.js';
import type { DerivedSchema } from '../runner/derived-schemas.js';
import { assertUsable, readStatus } from '../runner/read-status.js';
import type { Settings } from '../runner/settings.js';
import type { MigrationSet } from '../runner/types.js';
import { runUpgradeTransaction, type BackfillRecord, type LegacyRun, type UpgradeSteps } from '../runner/upgrade-transaction.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { detectionContext, detectOn, type DetectionContext } from './detect.js';
import { userAdditionsOnly } from './derived-match.js';
import { planUpgrade, refusalError, type Mode, type Plan } from './plan.js';
import { resultOf, type UpgradeOptions, type UpgradeResult } from './upgrade.js';

/**
 * upgrade() for a database that is not simply current: detect → plan → one
 * transaction { legacy fallback if the mode allows; fix-ups; backfill;
 * pending migrations; comparison with the derived schema } → commit. Kept
 * apart from upgrade.ts and imported on first need, so that the every-start
 * no-op does not load detection, probing, rules, backups or umzug.
 */

/** What upgrade() settled before it found the database was not current. */
export interface UpgradeRequest {
  readonly settings: Settings;
  readonly mode: Mode;
  readonly options: UpgradeOptions;
  readonly dryRun: boolean;
  /** performance.now() when upgrade() was called. */
  readonly started: number;
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
      // assertHealthy just ran quick_check on the source under this same write lock, with nothing written since.
      sourceQuickChecked: true,
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


/** The rules, read only now that detection needs them (UpgradeOptions.rules may defer them). */
async function rulesOf(rules: UpgradeOptions['rules']): Promise<RuleSet | undefined> {
  return typeof rules === 'function' ? await rules() : rules;
}

/** Schemas the caller derived (a fleet derives once for all its databases) must be this sequence's. */
function checkedDerived(derived: readonly DerivedSchema[], set: MigrationSet): readonly DerivedSchema[] {
  const expected = [null, ...set.migrations.map((m) => m.name)];
  if (derived.length === expected.length && derived.every((d, i) => d.index === i && d.name === expected[i])) return derived;
  throw new UsageError(
    `upgrade(): options.derived holds ${derived.length} schema${derived.length === 1 ? '' : 's'} that are not those of this sequence (${set.migrations.length} migrations from ${set.source}); nothing was changed. ` +
      'Pass deriveSchemas(migrations) of the same migrations, or leave derived out.',
    { details: { derived: derived.map((d) => d.name), migrations: expected } },
  );
}

async function contextFor(request: UpgradeRequest): Promise<DetectionContext> {
  const { settings, options } = request;
  const rules = await rulesOf(options.rules);
  if (options.derived === undefined) return detectionContext({ migrations: settings.set, rules, trackingTable: settings.table });
  return { set: settings.set, derived: checkedDerived(options.derived, settings.set), rules, trackingTable: settings.table };
}

export async function fullUpgrade(request: UpgradeRequest, db: SqliteDatabase, file: string): Promise<UpgradeResult> {
  const { settings, mode, options, dryRun, started } = request;
  const run: Run = { settings, context: await contextFor(request), mode, options };
  const plan = planFor(run, db, file);
  const detectMs = performance.now() - started;
  if (dryRun || plan.action === 'nothing') return resultOf(mode, plan, { dryRun, durations: { detectMs, applyMs: 0, totalMs: detectMs } });
  if (plan.action === 'refuse') throw refusalError(plan);
  const { value, kept } = await runUpgradeTransaction(settings, db, file, (steps) => execute(run, steps, file));
  const totalMs = performance.now() - started;
  return resultOf(mode, value.plan, {
    applied: value.applied,
    fallbackRule: value.fallbackRule,
    legacy: value.legacy,
    backup: value.backup,
    backupPath: value.backup?.path ?? null,
    foreignKeyViolationsKept: kept,
    durations: { detectMs, applyMs: totalMs - detectMs, totalMs },
  });
}
