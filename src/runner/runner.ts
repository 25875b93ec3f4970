import { IrreversibleMigrationError, MigrationFailedError, NotADatabaseError, type DrawbridgeError, isDrawbridgeError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { quickCheck } from '../sqlite/pragmas.js';
import { primarySqliteCode } from '../sqlite/sqlite-errors.js';
import { executeWithUmzug, StepFailure } from './execute-with-umzug.js';
import { assertNoNewViolations, foreignKeyCheck } from './foreign-keys.js';
import { inGuardedTransaction } from './guarded-transaction.js';
import { assertChecksumsMatch, assertInOrder, assertNotNewer, describeHistory } from './history.js';
import { toMigrationSet } from './migration-set.js';
import { StatementFailure } from './run-statements.js';
import { checkTarget, selectDown, selectUp, type DownTarget, type UpTarget } from './select-migrations.js';
import { createTrackingTable, DEFAULT_TRACKING_TABLE, readTrackingRows, trackingTableExists, updateTrackingChecksum } from './tracking-table.js';
import type {
  AppliedStep,
  Migration,
  MigrationDefinition,
  MigrationLogger,
  MigrationSet,
  MigrationSteps,
  RunProgress,
  RunResult,
  StatusReport,
  TransactionMode,
} from './types.js';
import { withConnection } from './with-connection.js';
import type { ForeignKeyViolation } from '../sqlite/pragmas.js';

export interface RunnerOptions {
  /** loadMigrations(dir), or an embedded array of migration definitions. */
  readonly migrations: MigrationSet | readonly MigrationDefinition[];
  /** Tracking table name; default "drawbridge_migrations". */
  readonly table?: string;
  /** How long to wait for another process's write lock before giving up (exit 6); default 30 000 ms. */
  readonly lockTimeoutMs?: number;
  /** 'all' (default): one transaction for the whole run. 'each': one per migration. */
  readonly transaction?: TransactionMode;
  readonly logger?: MigrationLogger;
  readonly onProgress?: (event: RunProgress) => void;
}

export type UpOptions = UpTarget & { readonly dryRun?: boolean };
export type DownOptions = DownTarget & { readonly dryRun?: boolean };

export interface VerifyReport {
  readonly database: string;
  readonly ok: boolean;
  readonly status: StatusReport;
  /** `PRAGMA quick_check` problem lines; empty when healthy. */
  readonly integrity: readonly string[];
  /** Each failed check as the error `up` would raise for it, in order of precedence. */
  readonly problems: readonly { readonly code: string; readonly exitCode: number; readonly message: string }[];
}

export interface RepairResult {
  readonly database: string;
  readonly repaired: readonly { readonly name: string; readonly from: string | null; readonly to: string | null }[];
}

export interface Runner {
  /** Applied / pending / unknown-to-this-app, with checksums. Never writes. */
  status(): Promise<StatusReport>;
  up(options?: UpOptions): Promise<RunResult>;
  /** Roll back, newest first. Default: one migration. */
  down(options?: DownOptions): Promise<RunResult>;
  /** Checksums, history order, newer-database check and quick_check. Never writes. */
  verify(): Promise<VerifyReport>;
  /** Re-record the checksums of applied migrations whose files changed (explicitly: it is how you accept an edit). */
  repair(): Promise<RepairResult>;
}

const SILENT: MigrationLogger = Object.freeze({ info: () => undefined, warn: () => undefined });
const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

interface Settings {
  readonly set: MigrationSet;
  readonly table: string;
  readonly lockTimeoutMs: number;
  readonly transaction: TransactionMode;
  readonly logger: MigrationLogger;
  readonly onProgress: ((event: RunProgress) => void) | undefined;
}

function readStatus(settings: Settings, db: SqliteDatabase | undefined, file: string): StatusReport {
  const tracked = db !== undefined && trackingTableExists(db, settings.table);
  const rows = db === undefined ? [] : readTrackingRows(db, settings.table);
  return describeHistory(file, settings.table, tracked, settings.set, rows);
}

function assertUsable(report: StatusReport, set: MigrationSet): void {
  assertNotNewer(report);
  assertChecksumsMatch(report, set);
  assertInOrder(report);
}

async function loadSteps(migrations: readonly Migration[], direction: 'up' | 'down', file: string): Promise<Map<string, MigrationSteps>> {
  const steps = new Map<string, MigrationSteps>();
  for (const migration of migrations) steps.set(migration.name, await migration.load());
  if (direction === 'down') {
    const irreversible = migrations.filter((m) => steps.get(m.name)?.down === undefined);
    if (irreversible.length > 0) {
      throw new IrreversibleMigrationError(
        `${file}: cannot roll back past ${irreversible.map((m) => m.name).join(', ')}: ` +
          `${irreversible.length === 1 ? 'it has' : 'they have'} no down step (no "-- migrate:down" section, or no down() export). Nothing was changed. ` +
          'Add a down step, or roll back to a later point with --to.',
        { details: { file, irreversible: irreversible.map((m) => m.name) } },
      );
    }
  }
  return steps;
}

function describeFailure(failure: StepFailure, file: string, mode: TransactionMode, committed: readonly AppliedStep[]): MigrationFailedError {
  const { migration, direction } = failure;
  const cause = failure.cause;
  const where = cause instanceof StatementFailure ? ` at statement ${cause.position} (line ${cause.statement.line})` : '';
  const sqliteError = cause instanceof StatementFailure ? cause.cause : cause;
  const sqliteCode = cause instanceof StatementFailure ? cause.sqliteCode : primarySqliteCode(cause);
  const reason = `${sqliteCode === undefined ? '' : `${sqliteCode}: `}${sqliteError instanceof Error ? sqliteError.message : String(sqliteError)}`;
  const kept =
    mode === 'each' && committed.length > 0
      ? `it was rolled back; the ${committed.length} migration${committed.length === 1 ? '' : 's'} before it in this run stay${committed.length === 1 ? 's' : ''} committed (--transaction each)`
      : 'everything was rolled back and the file is unchanged';
  const lines = [
    `${file}: migration ${migration.name} (${direction}) failed${where}; ${kept}.`,
    ...(cause instanceof StatementFailure ? [`  statement: ${cause.statement.text.replace(/\s+/g, ' ').slice(0, 300)}`] : []),
    `  error: ${reason}`,
    `Fix ${migration.origin === 'embedded' ? `the embedded migration ${migration.name}` : migration.origin} and run the command again.`,
  ];
  return new MigrationFailedError(lines.join('\n'), {
    cause: sqliteError,
    details: {
      file,
      migration: migration.name,
      origin: migration.origin,
      direction,
      statement: cause instanceof StatementFailure ? { position: cause.position, line: cause.statement.line, text: cause.statement.text } : undefined,
      sqliteCode,
      committedBeforeFailure: committed.map((s) => s.name),
    },
  });
}

/** Run `names` (re-checked against the database under the lock) in one guarded transaction. */
async function runLocked(
  settings: Settings,
  db: SqliteDatabase,
  file: string,
  direction: 'up' | 'down',
  wanted: readonly string[],
): Promise<{ steps: AppliedStep[]; kept: ForeignKeyViolation[] }> {
  return inGuardedTransaction(db, { file, lockTimeoutMs: settings.lockTimeoutMs, onWait: () => settings.onProgress?.({ type: 'waiting-for-lock', database: file }) }, async () => {
    // Someone may have moved the database on while we waited for the lock.
    const report = readStatus(settings, db, file);
    assertUsable(report, settings.set);
    const stillTodo = new Set(report.migrations.filter((s) => s.state === (direction === 'up' ? 'pending' : 'applied')).map((s) => s.name));
    const todo = settings.set.migrations.filter((m) => wanted.includes(m.name) && stillTodo.has(m.name));
    if (todo.length === 0) return { steps: [], kept: [] };
    const steps = await loadSteps(todo, direction, file);
    createTrackingTable(db, settings.table);
    const before = foreignKeyCheck(db);
    const done = await executeWithUmzug({ db, table: settings.table, direction, migrations: todo, logger: settings.logger, onProgress: settings.onProgress }, steps);
    assertNoNewViolations(db, file, before, `${direction === 'up' ? 'applying' : 'reverting'} ${todo.map((m) => m.name).join(', ')}`);
    return { steps: done, kept: before };
  });
}

async function run(settings: Settings, database: string | SqliteDatabase, direction: 'up' | 'down', target: UpOptions | DownOptions): Promise<RunResult> {
  checkTarget(settings.set, target);
  const started = performance.now();
  const dryRun = target.dryRun === true;
  return withConnection(database, dryRun ? 'read' : 'write', settings.lockTimeoutMs, async (db, file) => {
    // An optimistic look without the lock: the everyday "nothing to do" costs one read.
    const report = readStatus(settings, db, file);
    assertUsable(report, settings.set);
    const planned = direction === 'up' ? selectUp(settings.set, report, target as UpTarget) : selectDown(settings.set, report, target);
    const result = (migrations: readonly AppliedStep[], kept: readonly ForeignKeyViolation[]): RunResult => ({
      database: file,
      direction,
      dryRun,
      migrations,
      transaction: settings.transaction,
      foreignKeyViolationsKept: kept,
      durationMs: performance.now() - started,
    });
    if (dryRun || planned.length === 0 || db === undefined) {
      if (direction === 'down' && planned.length > 0) await loadSteps(planned, 'down', file); // a dry run still refuses irreversible steps
      return result(planned.map((m) => ({ name: m.name, checksum: m.checksum, durationMs: 0 })), []);
    }
    const names = planned.map((m) => m.name);
    const batches = settings.transaction === 'all' ? [names] : (direction === 'up' ? names : [...names].reverse()).map((n) => [n]);
    const done: AppliedStep[] = [];
    let kept: ForeignKeyViolation[] = [];
    for (const batch of batches) {
      try {
        const outcome = await runLocked(settings, db, file, direction, batch);
        done.push(...outcome.steps);
        if (kept.length === 0) kept = outcome.kept;
      } catch (error) {
        if (error instanceof StepFailure) throw describeFailure(error, file, settings.transaction, done);
        throw error;
      }
    }
    return result(done, kept);
  }, { allowAbsent: dryRun });
}

async function verify(settings: Settings, database: string | SqliteDatabase): Promise<VerifyReport> {
  return withConnection(database, 'read', settings.lockTimeoutMs, (db, file) => {
    const status = readStatus(settings, db, file);
    const integrity = db === undefined ? [] : quickCheck(db);
    const problems: DrawbridgeError[] = [];
    for (const check of [assertNotNewer, (r: StatusReport) => assertChecksumsMatch(r, settings.set), assertInOrder]) {
      try {
        check(status);
      } catch (error) {
        if (!isDrawbridgeError(error)) throw error;
        problems.push(error);
      }
    }
    if (integrity.length > 0) {
      problems.splice(1, 0, new NotADatabaseError(
        `${file}: PRAGMA quick_check found ${integrity.length} problem${integrity.length === 1 ? '' : 's'} (${integrity[0]}${integrity.length > 1 ? ', …' : ''}). ` +
          'Do not migrate it: restore it from a backup, or recover it with the sqlite3 shell\'s .recover.',
        { details: { file, integrity } },
      ));
    }
    return Promise.resolve({
      database: file,
      ok: problems.length === 0,
      status,
      integrity,
      problems: problems.map((p) => ({ code: p.code, exitCode: p.exitCode, message: p.message })),
    });
  });
}

async function repair(settings: Settings, database: string | SqliteDatabase): Promise<RepairResult> {
  return withConnection(database, 'write', settings.lockTimeoutMs, async (db, file) => {
    const apply = (report: StatusReport): RepairResult['repaired'] =>
      report.migrations
        .filter((s) => s.state === 'applied' && s.recorded !== undefined && s.recorded.checksum !== s.checksum && s.checksum !== null)
        .map((s) => ({ name: s.name, from: s.recorded?.checksum ?? null, to: s.checksum }));
    const first = readStatus(settings, db, file);
    assertNotNewer(first);
    if (apply(first).length === 0 || db === undefined) return { database: file, repaired: [] };
    const repaired = await inGuardedTransaction(db, { file, lockTimeoutMs: settings.lockTimeoutMs }, () => {
      const report = readStatus(settings, db, file);
      assertNotNewer(report);
      const changes = apply(report);
      for (const change of changes) updateTrackingChecksum(db, settings.table, change.name, change.to);
      return Promise.resolve(changes);
    });
    return { database: file, repaired };
  });
}

/**
 * The versioned runner over one database: a path (opened and closed per call)
 * or the app's own better-sqlite3 handle (left open; its settings restored).
 */
export function createRunner(database: string | SqliteDatabase, options: RunnerOptions): Runner {
  const settings: Settings = Object.freeze({
    set: toMigrationSet(options.migrations),
    table: options.table ?? DEFAULT_TRACKING_TABLE,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    transaction: options.transaction ?? 'all',
    logger: options.logger ?? SILENT,
    onProgress: options.onProgress,
  });
  return Object.freeze({
    status: () => withConnection(database, 'read', settings.lockTimeoutMs, (db, file) => Promise.resolve(readStatus(settings, db, file))),
    up: (target: UpOptions = {}) => run(settings, database, 'up', Object.freeze({ ...target })),
    down: (target: DownOptions = {}) => run(settings, database, 'down', Object.freeze({ ...target })),
    verify: () => verify(settings, database),
    repair: () => repair(settings, database),
  });
}
