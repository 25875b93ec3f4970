import {
  AmbiguousStateError,
  ForeignHistoryError,
  ModeRefusedError,
  NewerDatabaseError,
  UnknownStateError,
  UsageError,
  type DrawbridgeError,
} from '../errors.js';
import type { MigrationSet } from '../runner/types.js';
import type { Detection } from './detect.js';
import { importedTiming, type HistoryImport, type ImportSource } from './import-history.js';

/**
 * Detection + mode → Plan: exactly what an upgrade would do, as plain data
 * (a dry run prints it; a report renders it). Refusals are part of the plan:
 * a plan that refuses says why and what to do.
 */

export { MODES, type Mode } from './modes.js';
import type { Mode } from './modes.js';

export type PlanAction = 'nothing' | 'run-pending' | 'bridge' | 'legacy-then-bridge' | 'legacy-only' | 'refuse';

export interface PlannedMigration {
  readonly name: string;
  readonly checksum: string | null;
}

/** A migration recorded as applied without running: bridged (its changes are there), or imported from another tool's history. */
export interface PlannedBackfill extends PlannedMigration {
  readonly method: 'bridged' | 'imported';
  /** For imported ones: when the other tool applied it; null means now. */
  readonly appliedAt: string | null;
  readonly durationMs: number;
  /** For imported ones: the other tool's rows, as stored. */
  readonly source: ImportSource | null;
}

export type RefusalKind = 'foreign-history' | 'unknown' | 'ambiguous' | 'newer' | 'rule-refuses' | 'fallback-needs-auto' | 'needs-legacy' | 'mode-legacy-on-tracked' | 'target-behind';

export interface PlanRefusal {
  readonly kind: RefusalKind;
  readonly message: string;
}

export interface Plan {
  readonly file: string;
  readonly mode: Mode;
  readonly state: Detection['state'];
  readonly action: PlanAction;
  readonly rule: string | null;
  /** Where the database is in the sequence once `prepare` has run (after the legacy fallback, for legacy-then-bridge). */
  readonly bridgePoint: string | null;
  /** Fix-up SQL from the rule, run first. */
  readonly prepare: readonly string[];
  /** Migrations recorded as applied without running (method `bridged` or `imported`). */
  readonly backfill: readonly PlannedBackfill[];
  /** Migrations that will run. For legacy-then-bridge, decided after the fallback. */
  readonly pending: readonly PlannedMigration[];
  /** The last migration the upgrade goes to. */
  readonly target: string | null;
  readonly refusal: PlanRefusal | null;
}

export interface PlanOptions {
  readonly mode: Mode;
  readonly set: MigrationSet;
  readonly legacyAvailable: boolean;
  /** Stop at this migration instead of the last. */
  readonly to?: string | undefined;
}

/** A rule's notes inside a sentence: trimmed, without a final full stop. */
const inSentence = (notes: string): string => notes.trim().replace(/\.$/, '');

const planned = (set: MigrationSet, from: number, to: number): PlannedMigration[] =>
  set.migrations.slice(from, to).map((m) => ({ name: m.name, checksum: m.checksum }));

/** The first `point` migrations, recorded as applied: imported where the history has them, bridged otherwise. */
function backfillFor(set: MigrationSet, point: number, history: HistoryImport | null): PlannedBackfill[] {
  const imported = new Map((history?.imported ?? []).map((i) => [i.name, i.rows]));
  return set.migrations.slice(0, point).map((m) => {
    const rows = imported.get(m.name);
    if (rows === undefined || history === null) return { name: m.name, checksum: m.checksum, method: 'bridged', appliedAt: null, durationMs: 0, source: null };
    const source: ImportSource = { tool: history.tool, table: history.table, ids: [...new Set(rows.map((r) => r.id))], rows: rows.map((r) => r.source) };
    return { name: m.name, checksum: m.checksum, method: 'imported', ...importedTiming(rows), source };
  });
}

/** Everything that forbids taking this database's other-tool history as it stands. */
function historyRefusal(detection: Detection): string | null {
  const problems = [...detection.unfinished, ...(detection.history?.problems ?? []).filter((p) => p.kind !== 'unfinished' && p.kind !== 'locked')];
  if (problems.length === 0) return null;
  return `${detection.file}: another migration tool's history cannot be taken as it stands, so nothing was changed:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`;
}

function refuse(base: Omit<Plan, 'action' | 'refusal' | 'prepare' | 'backfill' | 'pending'>, kind: RefusalKind, message: string): Plan {
  return { ...base, action: 'refuse', prepare: [], backfill: [], pending: [], refusal: { kind, message } };
}

function describeNearest(d: Detection): string {
  const rules = d.nearest.rules.slice(0, 2).map((r) => `rule ${r.id} (${r.failed.length} check${r.failed.length === 1 ? '' : 's'} failed: ${r.failed.map((f) => f.check).join(', ')})`);
  const versions = d.nearest.versions.slice(0, 2).map((v) => `version ${v.name ?? '(empty)'} (${v.differences} difference${v.differences === 1 ? '' : 's'})`);
  const all = [...rules, ...versions];
  return all.length === 0 ? '' : ` Nearest: ${all.join('; ')}.`;
}

export function planUpgrade(detection: Detection, options: PlanOptions): Plan {
  const { set, mode } = options;
  const file = detection.file;
  const last = options.to === undefined ? set.migrations.length : set.migrations.findIndex((m) => m.name === options.to) + 1;
  if (last === 0) throw new UsageError(`--to ${options.to ?? ''}: there is no migration of that name in ${set.source}.`);
  const target = set.migrations[last - 1]?.name ?? null;
  const base = { file, mode, state: detection.state, rule: detection.rule?.id ?? null, bridgePoint: detection.bridgePoint, target };
  const pointIndex = (name: string | null): number => (name === null ? 0 : set.migrations.findIndex((m) => m.name === name) + 1);

  if (mode === 'legacy') {
    if (detection.state === 'tracked' || detection.state === 'newer') {
      return refuse(base, 'mode-legacy-on-tracked', `${file} is tracked by drawbridge: --mode legacy runs only the app's old migrations and must not touch a database the new system manages. Nothing was changed. Use --mode bridge (the default), and unset DRAWBRIDGE_MODE if it is set.`);
    }
    if (!options.legacyAvailable) return refuse(base, 'needs-legacy', `mode legacy runs the app's old migration function, and none was given. Pass --legacy <module> (CLI) or legacy: { run } (library).`);
    return { ...base, action: 'legacy-only', prepare: [], backfill: [], pending: [], refusal: null };
  }

  switch (detection.state) {
    case 'fresh':
      return { ...base, action: 'run-pending', bridgePoint: null, prepare: [], backfill: [], pending: planned(set, 0, last), refusal: null };
    case 'tracked': {
      const applied = detection.tracking?.applied ?? 0;
      const pending = planned(set, applied, last);
      return { ...base, action: pending.length === 0 ? 'nothing' : 'run-pending', prepare: [], backfill: [], pending, refusal: null };
    }
    case 'newer': {
      const floor = detection.tracking?.compatibilityFloor;
      const why = detection.rule === null ? `its tracking table records migrations this app does not have (${detection.tracking?.unknown.join(', ') ?? ''}), and not all of them are backward-compatible (the newest that is not: ${floor ?? '?'})` : `rule ${detection.rule.id} says so${detection.rule.notes === undefined ? '' : ` (${inSentence(detection.rule.notes)})`}`;
      return refuse(base, 'newer', `${file} was written by a newer version of the app: ${why}. Nothing was changed. Run the newer app.`);
    }
    case 'ambiguous':
      return refuse(base, 'ambiguous', `${file}: ambiguous legacy schema: ${detection.candidates.map((c) => `${c.source} ${c.id}`).join(', ')} all claim it, differently. Nothing was changed. Make the rules exclusive (an absent: or user_version check); \`drawbridge rules check\` finds overlapping rules.`);
    case 'unknown':
      if (historyRefusal(detection) !== null) return refuse(base, 'foreign-history', historyRefusal(detection) ?? '');
      if (mode === 'auto') {
        if (!options.legacyAvailable) return refuse(base, 'needs-legacy', `${file}: unrecognised legacy schema, and mode auto needs the app's old migration function to bring it to a known state; none was given. Pass --legacy <module> (CLI) or legacy: { run } (library).${describeNearest(detection)}`);
        return { ...base, action: 'legacy-then-bridge', prepare: [], backfill: [], pending: [], refusal: null };
      }
      return refuse(base, 'unknown', `${file}: unrecognised legacy schema: no bridge rule and no version of the sequence matches it.${describeNearest(detection)} Nothing was changed. Add a bridge rule for this state, or run with --mode auto to let the app's old migrations bring it to a known state first.`);
    case 'legacy': {
      const rule = detection.rule;
      if (rule?.then === 'refuse') return refuse(base, 'rule-refuses', `${file}: rule ${rule.id} refuses this state${rule.notes === undefined ? '' : ` (${inSentence(rule.notes)})`}. Nothing was changed.`);
      const foreign = historyRefusal(detection);
      if (foreign !== null) return refuse(base, 'foreign-history', foreign);
      if (rule?.then === 'legacy-fallback') {
        if (mode !== 'auto') return refuse(base, 'fallback-needs-auto', `${file}: rule ${rule.id} says this state needs the app's old migrations first${rule.notes === undefined ? '' : ` (${inSentence(rule.notes)})`}; bridge mode never runs them.${describeNearest(detection)} Nothing was changed. Run with --mode auto.`);
        if (!options.legacyAvailable) return refuse(base, 'needs-legacy', `${file}: rule ${rule.id} needs the app's old migration function, and none was given. Pass --legacy <module> (CLI) or legacy: { run } (library).`);
        return { ...base, action: 'legacy-then-bridge', prepare: [], backfill: [], pending: [], refusal: null };
      }
      const point = pointIndex(detection.bridgePoint);
      if (point > last) return refuse(base, 'target-behind', `${file} is already at ${detection.bridgePoint ?? ''}, past --to ${target ?? ''}; an upgrade does not roll back. Use \`drawbridge down\` after bridging.`);
      return { ...base, action: 'bridge', prepare: rule?.prepare ?? [], backfill: backfillFor(set, point, detection.history), pending: planned(set, point, last), refusal: null };
    }
  }
}

/** The error an upgrade throws for a refusing plan (its exit code follows DESIGN.md). */
export function refusalError(plan: Plan): DrawbridgeError {
  const refusal = plan.refusal ?? { kind: 'unknown' as const, message: `${plan.file}: refused` };
  const options = { details: { file: plan.file, kind: refusal.kind, rule: plan.rule } };
  switch (refusal.kind) {
    case 'newer':
      return new NewerDatabaseError(refusal.message, options);
    case 'foreign-history':
      return new ForeignHistoryError(refusal.message, options);
    case 'ambiguous':
      return new AmbiguousStateError(refusal.message, options);
    case 'needs-legacy':
    case 'target-behind':
      return new UsageError(refusal.message, options);
    case 'mode-legacy-on-tracked':
      return new ModeRefusedError(refusal.message, options);
    case 'unknown':
    case 'rule-refuses':
    case 'fallback-needs-auto':
      return new UnknownStateError(refusal.message, options);
  }
}
