import { existsSync, statSync } from 'node:fs';
import { lastWriterVersion, readHeader } from '../sqlite/file-check.js';
import { detectionContext, detectOn, type Detection, type DetectionContext } from '../bridge/detect.js';
import { planUpgrade, type Mode, type Plan } from '../bridge/plan.js';
import { diffSnapshots } from '../probe/diff.js';
import { formatDiff } from '../probe/format-diff.js';
import { formatLocation } from '../rules/problems.js';
import type { RuleSet } from '../rules/types.js';
import type { MigrationDefinition, MigrationSet } from '../runner/types.js';
import { withConnection } from '../runner/with-connection.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { startStructuralCheck, type RunningCheck } from '../sqlite/background-check.js';
import { foreignKeyCheck, type ForeignKeyViolation } from '../sqlite/pragmas.js';
import { foldCase } from '../sqlite/tokenize.js';
import { countRows } from '../sqlite/row-counts.js';
import { TOOL_VERSION } from '../version.js';
import { flagStatements } from './step-flags.js';
import type { Report, ReportDetection, ReportFile, ReportHealth, ReportPlan, ReportStep, TimelineEntry } from './types.js';

/**
 * Build the dry-run report of a database: read-only from first to last (the
 * .db, -wal and -shm stay byte-identical), every fact a support engineer needs
 * to say what the database is, how sure we are, and what an upgrade would do.
 */

export interface ReportOptions {
  readonly migrations: MigrationSet | readonly MigrationDefinition[];
  readonly rules?: RuleSet | undefined;
  /** The mode the upgrade would run in (default: DRAWBRIDGE_MODE, else bridge). */
  readonly mode?: Mode | undefined;
  /** Whether the app's old migration function would be available to the upgrade. */
  readonly legacyAvailable?: boolean;
  /** integrity_check instead of quick_check. */
  readonly deep?: boolean;
  readonly table?: string;
  readonly lockTimeoutMs?: number;
  /** Extra flags for the command the report prints (e.g. --rules, --legacy), as the user passed them. */
  readonly commandFlags?: readonly string[];
}

/** Rows per second of a table copy (INSERT … SELECT) on a 2-core laptop: a 1M-row rebuild took 2.7 s. */
const COPY_ROWS_PER_SECOND = 370_000;

function fileFacts(path: string, detection: Detection, lastWrittenBySqlite: string): ReportFile {
  const { facts } = detection.fingerprint;
  const size = (p: string): number => (existsSync(p) ? statSync(p).size : 0);
  return {
    path,
    sizeBytes: size(path),
    pageSize: facts.pageSize,
    pageCount: facts.pageCount,
    freelistCount: facts.freelistCount,
    journalMode: facts.journalMode,
    encoding: facts.encoding,
    userVersion: facts.userVersion,
    applicationId: facts.applicationId,
    lastWrittenBySqlite,
    wal: { present: existsSync(`${path}-wal`), sizeBytes: size(`${path}-wal`) },
    shm: { present: existsSync(`${path}-shm`) },
    journal: { present: existsSync(`${path}-journal`) },
    readFromCopy: detection.fingerprint.readFromCopy,
  };
}

function detectionPart(d: Detection): ReportDetection {
  return {
    state: d.state,
    rule: d.rule === null ? null : { id: d.rule.id, title: d.rule.title ?? null, notes: d.rule.notes?.trim() ?? null, then: d.rule.then, location: formatLocation(d.rule.location) },
    bridgePoint: d.bridgePoint,
    derived: d.derived === null ? null : { name: d.derived.name, userAdditions: d.derived.userAdditions },
    evidence: d.evidence,
    candidates: d.candidates,
    nearest: {
      rules: d.nearest.rules.map((r) => ({ id: r.id, failed: r.failed })),
      versions: d.nearest.versions.map((v) => ({ name: v.name, differences: v.differences, lines: formatDiff(v.diff), diff: v.diff })),
    },
    tracking: d.tracking,
    foreignHistories: d.fingerprint.foreignHistories.map((h) => {
      const imported = d.history !== null && d.history.table === h.table;
      const own = imported ? (d.history?.problems ?? []) : d.unfinished.filter((p) => p.table === h.table);
      return { tool: h.tool, table: h.table, rows: h.rows.length, imported, problems: own.map((p) => p.message) };
    }),
  };
}

function step(name: string, sql: readonly string[] | null, rows: ReadonlyMap<string, number>): ReportStep {
  if (sql === null) return { name, sql: null, flags: [{ kind: 'code', detail: 'a code migration (TypeScript/JavaScript): what it touches cannot be read from SQL', rows: null }] };
  return { name, sql: sql.join('\n'), flags: flagStatements(sql, rows) };
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

function planPart(plan: Plan, set: MigrationSet, rows: ReadonlyMap<string, number>, options: ReportOptions): ReportPlan {
  const byName = new Map(set.migrations.map((m) => [m.name, m]));
  const pending = plan.pending.map((p) => step(p.name, byName.get(p.name)?.upSql ?? null, rows));
  const prepare = plan.prepare.length === 0 ? null : step(`fix-up of rule ${plan.rule ?? ''}`, plan.prepare, rows);
  const rowsTouched = [...(prepare?.flags ?? []), ...pending.flatMap((s) => s.flags)].reduce((n, f) => n + (f.rows ?? 0), 0);
  const command = ['npx', 'drawbridge', 'upgrade', plan.file, ...(plan.mode === 'bridge' ? [] : ['--mode', plan.mode]), ...(options.commandFlags ?? [])].map(shellQuote).join(' ');
  return {
    mode: plan.mode,
    action: plan.action,
    refusal: plan.refusal,
    prepare,
    backfill: plan.backfill.map((m) => m.name),
    imported: plan.backfill.flatMap((m) => (m.source === null ? [] : [{ name: m.name, tool: m.source.tool, table: m.source.table, ids: m.source.ids }])),
    pending,
    target: plan.target,
    estimate: { rowsTouched, seconds: Math.round((rowsTouched / COPY_ROWS_PER_SECOND) * 100) / 100, basis: `rows touched by destructive and data steps, at ~${COPY_ROWS_PER_SECOND.toLocaleString('en')} rows/s` },
    command,
  };
}

function timelinePart(d: Detection, plan: Plan, set: MigrationSet, rules: RuleSet | undefined): TimelineEntry[] {
  const applied = d.tracking?.applied ?? 0;
  const point = d.bridgePoint === null ? -1 : set.migrations.findIndex((m) => m.name === d.bridgePoint);
  const target = plan.target === null ? set.migrations.length - 1 : set.migrations.findIndex((m) => m.name === plan.target);
  return set.migrations.map((m, i) => {
    const presence = d.migrations[i]?.presence ?? 'absent';
    let status: TimelineEntry['status'];
    if (d.state === 'tracked' || d.state === 'newer') status = i < applied ? 'applied' : i <= target ? 'pending' : 'beyond-target';
    else if (point >= 0) status = i <= point ? 'backfill' : i <= target ? 'pending' : 'beyond-target';
    else if (d.state === 'fresh') status = i <= target ? 'pending' : 'beyond-target';
    else status = 'absent';
    return {
      migration: m.name,
      rules: (rules?.rules ?? []).filter((r) => r.bridgeTo === m.name).map((r) => r.id),
      status,
      presence,
      here: d.state === 'tracked' ? i === applied - 1 : i === point,
    };
  });
}

/** foreign_key_check, run while the structural check runs; its error matters only if the database passes that check. */
function foreignKeyCheckBeside(db: SqliteDatabase): () => ForeignKeyViolation[] {
  try {
    const violations = foreignKeyCheck(db);
    return () => violations;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

async function healthPart(db: SqliteDatabase, d: Detection, check: RunningCheck, deep: boolean, set: MigrationSet, derivedAt: (index: number) => Detection['fingerprint']['snapshot'] | undefined): Promise<ReportHealth> {
  const foreignKeys = foreignKeyCheckBeside(db);
  const problems = await check.result;
  // A damaged database's foreign keys cannot be trusted (nor, often, read).
  const violations = problems.length === 0 ? foreignKeys() : [];
  let drift: ReportHealth['drift'] = null;
  if (d.state === 'tracked' && d.tracking !== null) {
    const expected = derivedAt(d.tracking.applied);
    if (expected !== undefined) {
      const diff = diffSnapshots(expected, d.fingerprint.snapshot);
      drift = { against: set.migrations[d.tracking.applied - 1]?.name ?? null, identical: diff.identical, lines: formatDiff(diff) };
    }
  }
  return {
    check: deep ? 'integrity_check' : 'quick_check',
    ok: problems.length === 0,
    problems,
    foreignKeyViolations: { count: violations.length, sample: violations.slice(0, 10).map((v) => ({ table: v.table, rowid: v.rowid, parent: v.parent, values: v.values })) },
    drift,
  };
}

interface ReportInputs {
  readonly context: DetectionContext;
  readonly mode: Mode;
  readonly lastWrittenBySqlite: string;
  readonly check: RunningCheck;
}

async function reportOn(db: SqliteDatabase, file: string, inputs: ReportInputs, options: ReportOptions): Promise<Report> {
  const { context, check } = inputs;
  const detection = detectOn(db, file, context);
  const plan = planUpgrade(detection, { mode: inputs.mode, set: context.set, legacyAvailable: options.legacyAvailable ?? false });
  const rows = countRows(db);
  const snapshot = detection.fingerprint.snapshot;
  const tables = [...rows].map(([name, count]) => ({ name, rows: count, columns: Object.keys(snapshot.tables[foldCase(name)]?.columns ?? {}).length }));
  const rowsByKey = new Map([...rows].map(([name, count]) => [foldCase(name), count]));
  return {
    format: 'drawbridge-report',
    version: 1,
    generatedAt: new Date().toISOString(),
    toolVersion: TOOL_VERSION,
    file: fileFacts(file, detection, inputs.lastWrittenBySqlite),
    tables,
    detection: detectionPart(detection),
    timeline: timelinePart(detection, plan, context.set, options.rules),
    plan: planPart(plan, context.set, rowsByKey, options),
    health: await healthPart(db, detection, check, options.deep === true, context.set, (i) => context.derived[i]?.snapshot),
  };
}

export async function buildReport(path: string, options: ReportOptions): Promise<Report> {
  const mode = options.mode ?? ((process.env.DRAWBRIDGE_MODE as Mode | undefined) ?? 'bridge');
  // Read the header before any connection opens: closing a file descriptor on the
  // database would drop this process's SQLite locks on it (POSIX locks are per process).
  const lastWrittenBySqlite = existsSync(path) && statSync(path).size >= 100 ? lastWriterVersion(readHeader(path)) : 'unknown';
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  return withConnection(path, 'read', lockTimeoutMs, async (db, file) => {
    if (db === undefined) throw new Error('unreachable: read connections always open');
    // The one full read of the file starts first and runs beside everything else (on a worker
    // thread for big files): it hides the row counts, foreign_key_check, detection, and the
    // derived schemas (~200 ms in a fresh process).
    const check = startStructuralCheck(db, options.deep === true ? 'integrity_check' : 'quick_check', { lockTimeoutMs });
    try {
      const context = await detectionContext({ migrations: options.migrations, rules: options.rules, ...(options.table === undefined ? {} : { trackingTable: options.table }) });
      return await reportOn(db, file, { context, mode, lastWrittenBySqlite, check }, options);
    } finally {
      check.stop();
    }
  });
}
