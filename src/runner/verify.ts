import { NotADatabaseError, SchemaDriftError, type DrawbridgeError, isDrawbridgeError } from '../errors.js';
import { countDifferences, diffSnapshots, onlyAdditions, type SchemaDiff } from '../probe/diff.js';
import { formatDiff } from '../probe/format-diff.js';
import { snapshotDatabase } from '../probe/fingerprint.js';
import { deriveSchemas } from './derived-schemas.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { quickCheck } from '../sqlite/pragmas.js';
import { assertChecksumsMatch, assertInOrder, assertNotNewer } from './history.js';
import { readStatus } from './read-status.js';
import type { Settings } from './settings.js';
import type { StatusReport } from './types.js';
import { withConnection } from './with-connection.js';

export interface VerifyReport {
  readonly database: string;
  readonly ok: boolean;
  readonly status: StatusReport;
  /** `PRAGMA quick_check` problem lines; empty when healthy. */
  readonly integrity: readonly string[];
  /**
   * The schema against what the applied migrations produce; null when that
   * cannot be judged (untracked, newer, or out-of-order history).
   */
  readonly drift: { readonly against: string | null; readonly identical: boolean; readonly onlyAdditions: boolean; readonly diff: SchemaDiff } | null;
  /** Each failed check as the error `up` would raise for it, in order of precedence. */
  readonly problems: readonly { readonly code: string; readonly exitCode: number; readonly message: string }[];
}

async function checkDrift(settings: Settings, db: SqliteDatabase, status: StatusReport): Promise<VerifyReport['drift']> {
  if (!status.tracked || status.counts.unknown > 0 || status.gaps.length > 0) return null;
  const expected = (await deriveSchemas(settings.set))[status.counts.applied];
  if (expected === undefined) return null;
  const diff = diffSnapshots(expected.snapshot, snapshotDatabase(db, { trackingTable: settings.table }));
  return { against: expected.name, identical: diff.identical, onlyAdditions: onlyAdditions(diff), diff };
}

function driftProblem(file: string, drift: NonNullable<VerifyReport['drift']>): SchemaDriftError {
  const lines = formatDiff(drift.diff).map((l) => `  ${l}`);
  return new SchemaDriftError(
    `${file}: the schema differs from what its applied migrations produce (after ${drift.against ?? 'nothing'}) in ${countDifferences(drift.diff)} way(s):\n${lines.join('\n')}\n` +
      'Something changed the schema outside the migrations. Put the change into a migration, or undo it; `drawbridge diff` shows the same comparison.',
    { details: { file, against: drift.against, diff: drift.diff } },
  );
}

export async function verify(settings: Settings, database: string | SqliteDatabase): Promise<VerifyReport> {
  return withConnection(database, 'read', settings.lockTimeoutMs, async (db, file) => {
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
    const drift = db === undefined || integrity.length > 0 ? null : await checkDrift(settings, db, status);
    if (drift !== null && !drift.onlyAdditions) problems.push(driftProblem(file, drift));
    return {
      database: file,
      ok: problems.length === 0,
      status,
      integrity,
      drift,
      problems: problems.map((p) => ({ code: p.code, exitCode: p.exitCode, message: p.message })),
    };
  });
}
