import { IrreversibleMigrationError, MigrationFailedError, RollbackOutOfOrderError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import type { ForeignKeyViolation } from '../sqlite/pragmas.js';
import { primarySqliteCode } from '../sqlite/sqlite-errors.js';
import { recordsExactly } from './current-check.js';
import { executeWithUmzug, StepFailure } from './execute-with-umzug.js';
import { assertNoNewViolations, foreignKeyCheck } from './foreign-keys.js';
import { inGuardedTransaction } from './guarded-transaction.js';
import { StatementFailure } from './run-statements.js';
import { checkTarget, selectDown, selectUp, type DownTarget, type UpTarget } from './select-migrations.js';
import { assertUsable, readStatus } from './read-status.js';
import type { Settings } from './settings.js';
import { createTrackingTable } from './tracking-table.js';
import type { AppliedStep, Migration, MigrationSteps, RunResult, StatusReport, TransactionMode } from './types.js';
import { withConnection } from './with-connection.js';

/**
 * up and down: plan from the database's history, then run the plan under
 * the write lock in guarded transactions (one, or one per migration).
 */

export type UpOptions = UpTarget & { readonly dryRun?: boolean };
export type DownOptions = DownTarget & { readonly dryRun?: boolean };

export async function loadSteps(migrations: readonly Migration[], direction: 'up' | 'down', file: string): Promise<Map<string, MigrationSteps>> {
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

export function describeFailure(failure: StepFailure, file: string, mode: TransactionMode, committed: readonly AppliedStep[]): MigrationFailedError {
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

/**
 * Rollbacks go newest first. Another process may have applied more while we
 * waited for the lock: then what we planned is no longer the newest, and
 * rolling it back would leave later migrations standing on nothing.
 */
function assertNewestApplied(report: StatusReport, todo: readonly Migration[], file: string): void {
  const applied = report.migrations.filter((s) => s.state === 'applied').map((s) => s.name);
  const newest = applied.slice(applied.length - todo.length);
  if (newest.join('\n') === todo.map((m) => m.name).join('\n')) return;
  const later = applied.filter((name) => !todo.some((m) => m.name === name) && name > (todo[0]?.name ?? ''));
  throw new RollbackOutOfOrderError(
    `${file}: while this rollback waited for the lock, another process applied ${later.join(', ')}, so ${todo.map((m) => m.name).join(', ')} ${todo.length === 1 ? 'is' : 'are'} no longer the newest; nothing was rolled back. Run \`drawbridge status\`, then roll back again.`,
    { details: { file, planned: todo.map((m) => m.name), laterApplied: later } },
  );
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
    if (direction === 'down') assertNewestApplied(report, todo, file);
    const steps = await loadSteps(todo, direction, file);
    createTrackingTable(db, settings.table);
    const before = foreignKeyCheck(db);
    const done = await executeWithUmzug({ db, table: settings.table, direction, migrations: todo, logger: settings.logger, onProgress: settings.onProgress }, steps);
    assertNoNewViolations(db, file, before, `${direction === 'up' ? 'applying' : 'reverting'} ${todo.map((m) => m.name).join(', ')}`);
    return { steps: done, kept: before };
  });
}

export async function runMigrations(settings: Settings, database: string | SqliteDatabase, direction: 'up' | 'down', target: UpOptions | DownOptions): Promise<RunResult> {
  checkTarget(settings.set, target);
  const started = performance.now();
  const dryRun = target.dryRun === true;
  return withConnection(database, dryRun ? 'read' : 'write', settings.lockTimeoutMs, async (db, file) => {
    const result = (migrations: readonly AppliedStep[], kept: readonly ForeignKeyViolation[]): RunResult => ({
      database: file,
      direction,
      dryRun,
      migrations,
      transaction: settings.transaction,
      foreignKeyViolationsKept: kept,
      durationMs: performance.now() - started,
    });
    // The everyday "nothing to do": the whole sequence recorded, one read of names and checksums.
    if (direction === 'up' && db !== undefined && recordsExactly(db, settings.table, settings.set.migrations)) return result([], []);
    // Otherwise an optimistic look without the lock first.
    const report = readStatus(settings, db, file);
    assertUsable(report, settings.set);
    const planned = direction === 'up' ? selectUp(settings.set, report, target as UpTarget) : selectDown(settings.set, report, target);
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
