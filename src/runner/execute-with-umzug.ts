import type { UmzugStorage } from 'umzug';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { TOOL_VERSION } from '../version.js';
import { runScript } from './run-statements.js';
import { deleteTrackingRow, insertTrackingRow } from './tracking-table.js';
import type { AppliedStep, Migration, MigrationContext, MigrationLogger, MigrationSteps, RunProgress } from './types.js';

/**
 * The only place that knows umzug. The runner has already decided exactly
 * which migrations run (under the lock, inside its transaction); umzug gets
 * just that list and runs it in order, calling our storage to record each
 * one. The storage writes on the same connection, inside the same open
 * transaction, so a migration and its tracking row commit or vanish together
 * — unlike umzug's own storages, which record after the fact, outside any
 * transaction.
 */

export interface ExecutionPlan {
  readonly db: SqliteDatabase;
  readonly table: string;
  readonly direction: 'up' | 'down';
  /** In sequence order; for 'down' they are reverted last-first. */
  readonly migrations: readonly Migration[];
  readonly logger: MigrationLogger;
  readonly onProgress: ((event: RunProgress) => void) | undefined;
}

/** A migration step threw; the runner turns this into its user-facing error. */
export class StepFailure extends Error {
  constructor(
    readonly migration: Migration,
    readonly direction: 'up' | 'down',
    options: { cause: unknown },
  ) {
    super(`${migration.name} (${direction}) failed`, options);
    this.name = 'StepFailure';
  }
}

function contextFor(plan: ExecutionPlan, migration: Migration): MigrationContext {
  const prefix = `[${migration.name}] `;
  const started = performance.now();
  return Object.freeze({
    progress: (rowsDone: number, rowsTotal: number, what = 'rows') => {
      // The estimate assumes the rest goes at the rate so far.
      const elapsed = (performance.now() - started) / 1000;
      const secondsLeft = rowsDone > 0 && rowsTotal >= rowsDone ? Math.round(((rowsTotal - rowsDone) * elapsed) / rowsDone) : null;
      plan.onProgress?.({ type: 'rows', name: migration.name, what, rowsDone, rowsTotal, secondsLeft });
    },
    db: plan.db,
    name: migration.name,
    logger: { info: (m: string) => plan.logger.info(prefix + m), warn: (m: string) => plan.logger.warn(prefix + m) },
    sql: (script: string) => runScript(plan.db, script),
  });
}

function storageFor(plan: ExecutionPlan, durations: Map<string, number>): UmzugStorage {
  const byName = new Map(plan.migrations.map((m) => [m.name, m]));
  return {
    // Umzug asks which of *our* list ran: for up none yet, for down all of them.
    executed: () => Promise.resolve(plan.direction === 'up' ? [] : plan.migrations.map((m) => m.name)),
    logMigration: ({ name }) => {
      insertTrackingRow(plan.db, plan.table, {
        name,
        checksum: byName.get(name)?.checksum ?? null,
        appliedAt: new Date().toISOString(),
        durationMs: durations.get(name) ?? 0,
        method: 'run',
        rule: null,
        toolVersion: TOOL_VERSION,
        compatible: byName.get(name)?.backwardCompatible ?? false,
        source: null,
      });
      return Promise.resolve();
    },
    unlogMigration: ({ name }) => {
      deleteTrackingRow(plan.db, plan.table, name);
      return Promise.resolve();
    },
  };
}

export async function executeWithUmzug(plan: ExecutionPlan, steps: ReadonlyMap<string, MigrationSteps>): Promise<AppliedStep[]> {
  // Loaded only when there is work: the no-op path of an app's bootstrap never pays for umzug.
  const { Umzug } = await import('umzug');
  const durations = new Map<string, number>();
  const total = plan.migrations.length;
  const order = plan.direction === 'up' ? plan.migrations : [...plan.migrations].reverse();
  const indexOf = new Map(order.map((m, i) => [m.name, i + 1]));
  const runnable = plan.migrations.map((migration) => {
    const step = async (direction: 'up' | 'down'): Promise<void> => {
      const fn = direction === 'up' ? steps.get(migration.name)?.up : steps.get(migration.name)?.down;
      const index = indexOf.get(migration.name) ?? 0;
      plan.onProgress?.({ type: 'migration-start', direction, name: migration.name, index, total });
      const started = performance.now();
      try {
        await fn?.(contextFor(plan, migration));
      } catch (error) {
        throw new StepFailure(migration, direction, { cause: error });
      }
      const durationMs = performance.now() - started;
      durations.set(migration.name, durationMs);
      plan.onProgress?.({ type: 'migration-done', direction, name: migration.name, index, total, durationMs });
    };
    return { name: migration.name, path: migration.origin, up: () => step('up'), down: () => step('down') };
  });
  const umzug = new Umzug({ migrations: runnable, storage: storageFor(plan, durations), logger: undefined, context: {} });
  try {
    if (plan.direction === 'up') await umzug.up();
    else await umzug.down({ to: 0 });
  } catch (error) {
    // Umzug wraps our StepFailure in its MigrationError; unwrap to what we threw.
    let cause: unknown = error;
    while (cause instanceof Error && !(cause instanceof StepFailure) && cause.cause !== undefined) cause = cause.cause;
    throw cause instanceof StepFailure ? cause : error;
  }
  return order.map((m) => ({ name: m.name, checksum: m.checksum, durationMs: durations.get(m.name) ?? 0 }));
}
