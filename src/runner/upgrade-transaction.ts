import { LegacyDataLossError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import type { ForeignKeyViolation } from '../sqlite/pragmas.js';
import { countRows } from '../sqlite/row-counts.js';
import { splitStatements } from '../sqlite/split-statements.js';
import { executeWithUmzug, StepFailure } from './execute-with-umzug.js';
import { assertNoNewViolations, foreignKeyCheck } from './foreign-keys.js';
import { inGuardedTransaction } from './guarded-transaction.js';
import { runStatements } from './run-statements.js';
import { describeFailure, loadSteps } from './run-migrations.js';
import type { Settings } from './settings.js';
import { createTrackingTable, insertTrackingRow } from './tracking-table.js';
import { TOOL_VERSION } from '../version.js';
import type { AppliedStep, Migration } from './types.js';

/**
 * The one transaction of an upgrade, with the steps the bridge may take in it.
 * The bridge decides (which fix-ups, which rows to backfill, which migrations
 * to run); the runner owns the lock, the transaction, foreign keys, umzug and
 * the tracking table. Whatever the bridge does inside `work` commits together
 * or not at all.
 */

export type LegacyFunction = (db: SqliteDatabase) => void | Promise<void>;

export interface LegacyRun {
  /** Tables the old function dropped, with the rows they held (rebuild leftovers, usually). */
  readonly droppedTables: readonly { readonly table: string; readonly rows: number }[];
  readonly durationMs: number;
}

export interface BackfillRecord {
  readonly migration: Migration;
  readonly method: 'bridged' | 'imported';
  /** When the other tool applied it (imported rows); null: now. */
  readonly appliedAt: string | null;
  readonly durationMs: number;
  /** JSON of the source rows, for imported ones. */
  readonly source: string | null;
}

export interface UpgradeSteps {
  readonly db: SqliteDatabase;
  /** Run fix-up SQL (a rule's `prepare`), statement by statement; a failure names the statement. */
  runSql(statements: readonly string[], label: string): void;
  /**
   * Run the app's old inline migrations under the same guard as a migration,
   * and refuse (roll back) if any table that survives it lost rows.
   */
  runLegacy(fn: LegacyFunction): Promise<LegacyRun>;
  /**
   * Record migrations as applied without running them: method `bridged` (the
   * rule id says why), or `imported` with the other tool's rows it came from.
   */
  recordBackfill(entries: readonly BackfillRecord[], rule: string | null): void;
  /** Run migrations through umzug, recording each (method `run`). */
  runMigrations(migrations: readonly Migration[]): Promise<AppliedStep[]>;
}

function prepareFailure(label: string, file: string, error: unknown): Error {
  const pseudo: Migration = { name: label, number: 0, checksum: null, origin: 'the bridge rule', kind: 'embedded', upSql: null, backwardCompatible: false, load: () => Promise.reject(new Error('not loadable')) };
  return describeFailure(new StepFailure(pseudo, 'up', { cause: error }), file, 'all', []);
}

function lostRows(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): { table: string; before: number; after: number }[] {
  return [...before].flatMap(([table, rows]) => {
    const now = after.get(table);
    return now !== undefined && now < rows ? [{ table, before: rows, after: now }] : [];
  });
}

function stepsFor(settings: Settings, db: SqliteDatabase, file: string): UpgradeSteps {
  return {
    db,
    runSql(statements, label) {
      try {
        runStatements(db, statements.flatMap((sql) => splitStatements(sql).statements));
      } catch (error) {
        throw prepareFailure(label, file, error);
      }
    },
    async runLegacy(fn) {
      const before = countRows(db);
      const started = performance.now();
      try {
        await fn(db);
      } catch (error) {
        throw prepareFailure("the app's legacy migrations", file, error);
      }
      const after = countRows(db);
      const lost = lostRows(before, after);
      if (lost.length > 0) {
        throw new LegacyDataLossError(
          `${file}: the app's legacy migrations deleted rows (${lost.map((l) => `${l.table}: ${l.before} → ${l.after}`).join(', ')}), ` +
            'so everything was rolled back and the file is unchanged. Fix the legacy function (a table rebuild must not cascade deletes), or bridge this state with a rule instead.',
          { details: { file, lost } },
        );
      }
      const droppedTables = [...before].filter(([table]) => !after.has(table)).map(([table, rows]) => ({ table, rows }));
      return { droppedTables, durationMs: performance.now() - started };
    },
    recordBackfill(entries, rule) {
      createTrackingTable(db, settings.table);
      const now = new Date().toISOString();
      for (const { migration: m, method, appliedAt, durationMs, source } of entries) {
        insertTrackingRow(db, settings.table, {
          name: m.name,
          checksum: m.checksum,
          appliedAt: appliedAt ?? now,
          durationMs,
          method,
          rule,
          toolVersion: TOOL_VERSION,
          compatible: m.backwardCompatible,
          source,
        });
      }
    },
    async runMigrations(migrations) {
      if (migrations.length === 0) return [];
      createTrackingTable(db, settings.table);
      const steps = await loadSteps(migrations, 'up', file);
      try {
        return await executeWithUmzug({ db, table: settings.table, direction: 'up', migrations, logger: settings.logger, onProgress: settings.onProgress }, steps);
      } catch (error) {
        if (error instanceof StepFailure) throw describeFailure(error, file, 'all', []);
        throw error;
      }
    },
  };
}

/**
 * Run `work` in one guarded transaction under the write lock (see
 * inGuardedTransaction). Foreign-key violations are checked against those
 * the data had when the transaction began: new ones roll everything back.
 */
export async function runUpgradeTransaction<T>(
  settings: Settings,
  db: SqliteDatabase,
  file: string,
  work: (steps: UpgradeSteps) => Promise<T>,
): Promise<{ value: T; kept: ForeignKeyViolation[] }> {
  return inGuardedTransaction(db, { file, lockTimeoutMs: settings.lockTimeoutMs, onWait: () => settings.onProgress?.({ type: 'waiting-for-lock', database: file }) }, async () => {
    const before = foreignKeyCheck(db);
    const value = await work(stepsFor(settings, db, file));
    assertNoNewViolations(db, file, before, 'the upgrade');
    return { value, kept: before };
  });
}
