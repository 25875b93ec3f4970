import { diffSnapshots, type SchemaDiff } from '../probe/diff.js';
import { probeDatabase } from '../probe/fingerprint.js';
import { UsageError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { deriveSchemas } from './derived-schemas.js';
import { assertInOrder, assertNotNewer, describeHistory } from './history.js';
import { DEFAULT_TRACKING_TABLE } from './defaults.js';
import { readTrackingRows, trackingTableExists } from './tracking-table.js';
import type { MigrationSet } from './types.js';
import { withConnection } from './with-connection.js';

/**
 * Drift: the database's actual schema against the schema a derived version
 * produces — by default the one its applied migrations produce.
 */
export interface DriftReport {
  readonly database: string;
  /** The derived version compared against. */
  readonly against: { readonly index: number; readonly name: string | null };
  readonly identical: boolean;
  /** From the expected (derived) schema to the actual one: `added` means the database has it and the migrations do not. */
  readonly diff: SchemaDiff;
}

export interface DriftOptions {
  readonly set: MigrationSet;
  /** A migration name, or 0 for the empty schema; default: the last applied migration. */
  readonly against?: string | 0;
  readonly table?: string;
  readonly lockTimeoutMs?: number;
}

async function appliedCount(database: string | SqliteDatabase, options: DriftOptions): Promise<number> {
  const table = options.table ?? DEFAULT_TRACKING_TABLE;
  return withConnection(database, 'read', options.lockTimeoutMs ?? 30_000, (db, file) => {
    if (db === undefined || !trackingTableExists(db, table)) {
      throw new UsageError(`${file} is not tracked by drawbridge (no ${table} table), so it has no applied migrations to compare with. Pass --against NAME to compare it with a version of the sequence.`);
    }
    const report = describeHistory(file, table, true, options.set, readTrackingRows(db, table));
    assertNotNewer(report);
    assertInOrder(report);
    return Promise.resolve(report.counts.applied);
  });
}

export async function schemaDrift(database: string | SqliteDatabase, options: DriftOptions): Promise<DriftReport> {
  const derived = await deriveSchemas(options.set);
  let index: number;
  if (options.against === 0) index = 0;
  else if (options.against !== undefined) {
    index = derived.findIndex((d) => d.name === options.against);
    if (index === -1) throw new UsageError(`--against ${options.against}: there is no migration of that name in ${options.set.source}.`);
  } else index = await appliedCount(database, options);
  const expected = derived[index];
  if (expected === undefined) throw new UsageError(`no derived schema at position ${index}`);
  const fingerprint = probeDatabase(database, { trackingTable: options.table ?? DEFAULT_TRACKING_TABLE });
  const diff = diffSnapshots(expected.snapshot, fingerprint.snapshot);
  return { database: fingerprint.file, against: { index, name: expected.name }, identical: diff.identical, diff };
}
