import { countDifferences, type SchemaDiff } from '../probe/diff.js';
import { diffFrozen } from '../probe/frozen-memo.js';
import { probeDatabase } from '../probe/fingerprint.js';
import type { Fingerprint } from '../probe/types.js';
import type { Rule, RuleSet } from '../rules/types.js';
import { deriveSchemas, type DerivedSchema } from '../runner/derived-schemas.js';
import { describeHistory } from '../runner/history.js';
import { toMigrationSet } from '../runner/migration-set.js';
import { DEFAULT_TRACKING_TABLE } from '../runner/defaults.js';
import { readTrackingRows } from '../runner/tracking-table.js';
import type { MigrationDefinition, MigrationSet } from '../runner/types.js';
import { withConnection } from '../runner/with-connection.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { matchDerived, userAdditionsOnly, type DerivedMatch } from './derived-match.js';
import { formatDiff } from '../probe/format-diff.js';
import { evaluateRule, type CheckEvidence, type RuleEvaluation } from './evaluate-rule.js';
import { importTable } from '../rules/import-tables.js';
import { findHistory, importHistory, unfinishedWork, type HistoryImport, type ImportProblem } from './import-history.js';
import { migrationPresence, type MigrationPresence } from './migration-presence.js';

/**
 * What a database is, relative to a migration sequence and its bridge rules.
 *
 * - fresh:     no schema at all;
 * - tracked:   drawbridge's tracking table is present (and names only known migrations);
 * - newer:     tracked with migrations this app does not know, or a rule says a newer app wrote it;
 * - legacy:    untracked, and exactly one thing claims it: a rule, or the version of the
 *              sequence whose schema it has (the two agreeing counts as one);
 * - ambiguous: several rules (or a rule and the derived schemas) claim it differently;
 * - unknown:   nothing claims it; `nearest` says which rules and versions come closest, and how.
 */
export type DetectedState = 'fresh' | 'tracked' | 'newer' | 'legacy' | 'ambiguous' | 'unknown';

export interface NearVersion {
  readonly index: number;
  readonly name: string | null;
  readonly differences: number;
  /** From the derived schema to the database's. */
  readonly diff: SchemaDiff;
}

export interface NearRule {
  readonly id: string;
  readonly failed: readonly CheckEvidence[];
  readonly passed: number;
}

export interface Candidate {
  readonly source: 'rule' | 'derived';
  /** The rule id, or the migration name of the derived version. */
  readonly id: string;
  readonly bridgePoint: string | null;
}

export interface Detection {
  readonly file: string;
  readonly state: DetectedState;
  /** The rule that claimed the database, if one did. */
  readonly rule: Rule | null;
  /** The migration the database is at (for legacy-fallback rules: the point after the fallback). */
  readonly bridgePoint: string | null;
  /** The version of the sequence whose schema the database has (up to the user's own additions). */
  readonly derived: DerivedMatch | null;
  /** Each check of the claiming rule (or of the schema match): expected, found, ok. */
  readonly evidence: readonly CheckEvidence[];
  /** Everything that claimed the database (more than one means ambiguous). */
  readonly candidates: readonly Candidate[];
  /** For unknown states: the closest rules and versions, and exactly what differs. */
  readonly nearest: { readonly rules: readonly NearRule[]; readonly versions: readonly NearVersion[] };
  /** Per migration of the sequence: present, absent, partial or data-only on this database. */
  readonly migrations: readonly MigrationPresence[];
  /** The claiming rule's import of another tool's history (null when it has none). */
  readonly history: HistoryImport | null;
  /** Migrations other tools left unfinished (dirty, failed, a held lock): such a database is never bridged. */
  readonly unfinished: readonly ImportProblem[];
  /** For tracked databases: the tracking table's view. */
  readonly tracking: {
    readonly applied: number;
    readonly pending: number;
    /** Migrations recorded that this app does not have (a newer app's). */
    readonly unknown: readonly string[];
    /** All of those are backward-compatible, so this app may use the database. */
    readonly newerButCompatible: boolean;
    /** The newest applied migration that is not backward-compatible. */
    readonly compatibilityFloor: string | null;
  } | null;
  readonly fingerprint: Fingerprint;
}

export interface DetectOptions {
  readonly migrations: MigrationSet | readonly MigrationDefinition[];
  readonly rules?: RuleSet | undefined;
  readonly trackingTable?: string;
  readonly lockTimeoutMs?: number;
}

/** What detection needs besides the database; computed once, reused for many databases. */
export interface DetectionContext {
  readonly set: MigrationSet;
  readonly derived: readonly DerivedSchema[];
  readonly rules: RuleSet | undefined;
  readonly trackingTable: string;
}

export async function detectionContext(options: DetectOptions): Promise<DetectionContext> {
  const set = toMigrationSet(options.migrations);
  return { set, derived: await deriveSchemas(set), rules: options.rules, trackingTable: options.trackingTable ?? DEFAULT_TRACKING_TABLE };
}

/** A rule's `sql` check: one read-only statement, its first column of the first row. */
function sqlProbe(db: SqliteDatabase): (sql: string) => unknown {
  return (sql) => {
    const statement = db.prepare(sql) as ReturnType<SqliteDatabase['prepare']> & { readonly readonly?: boolean };
    if (statement.readonly === false) throw new Error('the sql check writes to the database; checks must be read-only (SELECT …)');
    const row = statement.get() as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  };
}

function isEmpty(fingerprint: Fingerprint): boolean {
  const { tables, indexes, triggers, views } = fingerprint.snapshot;
  return [tables, indexes, triggers, views].every((m) => Object.keys(m).length === 0) && fingerprint.trackingTables.length === 0;
}

function nearestVersions(fingerprint: Fingerprint, derived: readonly DerivedSchema[], count: number): NearVersion[] {
  return derived
    .map((d) => {
      const diff = diffFrozen(d.snapshot, fingerprint.snapshot);
      return { index: d.index, name: d.name, differences: countDifferences(diff), diff };
    })
    .sort((a, b) => a.differences - b.differences || b.index - a.index)
    .slice(0, count);
}

function nearestRules(evaluations: readonly RuleEvaluation[], count: number): NearRule[] {
  return evaluations
    .map((e) => ({ id: e.rule.id, failed: e.evidence.filter((x) => !x.ok), passed: e.evidence.filter((x) => x.ok).length }))
    .sort((a, b) => a.failed.length - b.failed.length || b.passed - a.passed)
    .slice(0, count);
}

const NO_NEAREST = { rules: [], versions: [] } as const;

function schemaEvidence(match: DerivedMatch): CheckEvidence[] {
  return [
    {
      check: 'schema',
      expected: `equals the sequence after ${match.name ?? '(nothing)'}`,
      found: match.userAdditions.length === 0 ? 'equal' : `equal, plus the user's own ${match.userAdditions.join(', ')}`,
      ok: true,
    },
  ];
}

/** Decide between what claimed an untracked, non-empty database. */
function classify(
  base: Omit<Detection, 'state' | 'rule' | 'bridgePoint' | 'evidence' | 'candidates' | 'nearest' | 'history'>,
  matched: readonly ImportingEvaluation[],
  all: readonly RuleEvaluation[],
  context: DetectionContext,
): Detection {
  const derived = base.derived;
  const candidates: Candidate[] = matched.map((e) => ({ source: 'rule', id: e.rule.id, bridgePoint: bridgePointOf(e) }));
  const only = matched[0];
  if (matched.length === 1 && only !== undefined) {
    const rule = only.rule;
    const point = bridgePointOf(only);
    // A rule and the derived schemas disagree only if the rule bridges as-is to another point.
    // (A history that cannot be imported is refused for its own reasons, whatever its point.)
    const unimportable = (only.history?.problems.length ?? 0) > 0;
    const disagrees = derived !== null && rule.then === 'bridge' && rule.prepare.length === 0 && !unimportable && point !== derived.name;
    if (!disagrees) {
      const state: DetectedState = rule.then === 'refuse' && rule.newer ? 'newer' : 'legacy';
      // A state that needs the legacy fallback is at no version yet: say which ones it is near.
      const nearest = rule.then === 'legacy-fallback' ? { rules: [], versions: nearestVersions(base.fingerprint, context.derived, 3) } : NO_NEAREST;
      return { ...base, state, rule, bridgePoint: point, evidence: only.evidence, candidates, nearest, history: only.history };
    }
  }
  if (derived !== null) candidates.push({ source: 'derived', id: derived.name ?? '(empty)', bridgePoint: derived.name });
  if (candidates.length > 1) return { ...base, state: 'ambiguous', rule: null, bridgePoint: null, evidence: [], candidates, nearest: NO_NEAREST, history: null };
  if (derived !== null) return { ...base, state: 'legacy', rule: null, bridgePoint: derived.name, evidence: schemaEvidence(derived), candidates, nearest: NO_NEAREST, history: null };
  return {
    ...base,
    history: null,
    state: 'unknown',
    rule: null,
    bridgePoint: null,
    evidence: [],
    candidates: [],
    nearest: { rules: nearestRules(all, 3), versions: nearestVersions(base.fingerprint, context.derived, 3) },
  };
}

/**
 * A rule that bridges as-is claims the database *is* the sequence at its
 * bridge point: check that claim against the derived schema, so loose checks
 * can never backfill migrations whose changes are not there. (Rules with a
 * fix-up are checked after it runs, in the upgrade transaction.)
 */
function confirmBridgePoint(evaluation: ImportingEvaluation, fingerprint: Fingerprint, context: DetectionContext): ImportingEvaluation {
  const { rule } = evaluation;
  if (!evaluation.matched || rule.then !== 'bridge' || rule.prepare.length > 0) return evaluation;
  // A history that cannot be imported is refused with its own reasons; its schema may be half-way.
  if ((evaluation.history?.problems.length ?? 0) > 0) return evaluation;
  const point = bridgePointOf(evaluation);
  const target = context.derived.find((d) => d.name === point) ?? (point === null ? context.derived[0] : undefined);
  if (target === undefined) return evaluation;
  const diff = diffFrozen(target.snapshot, fingerprint.snapshot);
  const ok = diff.identical || userAdditionsOnly(diff, context.derived);
  const check: CheckEvidence = {
    check: 'schema at the bridge point',
    expected: `equals the sequence after ${point ?? '(nothing)'}`,
    found: ok ? 'equal' : `${countDifferences(diff)} difference(s): ${formatDiff(diff).join('; ')}`,
    ok,
  };
  return { ...evaluation, matched: ok, evidence: [...evaluation.evidence, check] };
}

/** A rule's evaluation, with the history it imports. */
interface ImportingEvaluation extends RuleEvaluation {
  readonly history: HistoryImport | null;
}

/** Where a claiming rule puts the database: its bridge-to, else where its imported history ends. */
function bridgePointOf(evaluation: ImportingEvaluation): string | null {
  return evaluation.rule.bridgeTo ?? evaluation.history?.bridgePoint ?? null;
}

/**
 * A rule with `import` also needs the tool's history: present, and (when
 * the rule names a bridge-to) ending there. Problems with its rows do not
 * make the rule fail to match: the plan refuses with them, by name.
 */
function withHistory(evaluation: RuleEvaluation, fingerprint: Fingerprint, context: DetectionContext): ImportingEvaluation {
  const spec = evaluation.rule.import;
  if (spec === undefined) return { ...evaluation, history: null };
  const found = findHistory(spec, fingerprint.foreignHistories);
  const table = importTable(evaluation.rule) ?? '_migrations or migrations';
  if (found === undefined) {
    const check: CheckEvidence = { check: `history ${spec.from}`, expected: `${table} present`, found: 'missing', ok: false };
    return { ...evaluation, matched: false, evidence: [...evaluation.evidence, check], history: null };
  }
  const history = importHistory(spec, found, context.set.migrations, evaluation.rule.id);
  const evidence: CheckEvidence[] = [
    {
      check: `history ${spec.from}`,
      expected: `${table} present`,
      found: `${found.table}: ${found.rows.length} row${found.rows.length === 1 ? '' : 's'}${history.problems.length === 0 ? '' : `, ${history.problems.length} problem${history.problems.length === 1 ? '' : 's'}`}`,
      ok: true,
    },
  ];
  const { bridgeTo } = evaluation.rule;
  if (bridgeTo !== undefined && history.problems.length === 0) {
    evidence.push({ check: 'history reaches bridge-to', expected: bridgeTo, found: history.bridgePoint ?? '(nothing)', ok: history.bridgePoint === bridgeTo });
  }
  const evidenceAll = [...evaluation.evidence, ...evidence];
  return { ...evaluation, matched: evidenceAll.every((e) => e.ok), evidence: evidenceAll, history };
}

/** Detect on an open connection (a read-only one, or the upgrade's own inside its transaction). */
export function detectOn(db: SqliteDatabase, file: string, context: DetectionContext): Detection {
  const fingerprint = probeDatabase(db, { trackingTable: context.trackingTable, file });
  const derived = isEmpty(fingerprint) ? null : matchDerived(fingerprint.snapshot, fingerprint.schemaHash, context.derived);
  const migrations = migrationPresence(fingerprint.snapshot, context.derived);
  const unfinished = fingerprint.foreignHistories.flatMap(unfinishedWork);
  const base = { file, fingerprint, derived, migrations, tracking: null, unfinished };
  const empty = { rule: null, bridgePoint: null, evidence: [], candidates: [], nearest: NO_NEAREST, history: null };
  if (fingerprint.trackingTables.some((t) => t.tool === 'drawbridge')) {
    const report = describeHistory(file, context.trackingTable, true, context.set, readTrackingRows(db, context.trackingTable));
    const unknown = report.migrations.filter((m) => m.state === 'unknown').map((m) => m.name);
    const tracking = { applied: report.counts.applied, pending: report.counts.pending, unknown, newerButCompatible: report.newerButCompatible, compatibilityFloor: report.compatibilityFloor };
    // Newer only by backward-compatible migrations: this app can still use it.
    return { ...base, ...empty, tracking, state: unknown.length > 0 && !report.newerButCompatible ? 'newer' : 'tracked' };
  }
  if (isEmpty(fingerprint)) return { ...base, ...empty, state: 'fresh' };
  const probe = sqlProbe(db);
  const subject = { snapshot: fingerprint.snapshot, userVersion: fingerprint.facts.userVersion };
  const evaluations = (context.rules?.rules ?? []).map((rule) => confirmBridgePoint(withHistory(evaluateRule(rule, subject, probe), fingerprint, context), fingerprint, context));
  return classify(base, evaluations.filter((e) => e.matched), evaluations, context);
}

/** Detect a database by path (read-only: the .db, -wal and -shm stay byte-identical) or handle. */
export async function detect(database: string | SqliteDatabase, options: DetectOptions): Promise<Detection> {
  const context = await detectionContext(options);
  return withConnection(database, 'read', options.lockTimeoutMs ?? 30_000, (db, file) => {
    if (db === undefined) throw new Error('unreachable: read connections always open');
    return Promise.resolve(detectOn(db, file, context));
  });
}
