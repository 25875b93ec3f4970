import { countDifferences, diffSnapshots, type SchemaDiff } from '../probe/diff.js';
import { probeDatabase } from '../probe/fingerprint.js';
import type { Fingerprint } from '../probe/types.js';
import { deriveSchemas, type DerivedSchema } from '../runner/derived-schemas.js';
import { toMigrationSet } from '../runner/migration-set.js';
import { DEFAULT_TRACKING_TABLE } from '../runner/tracking-table.js';
import type { MigrationDefinition, MigrationSet } from '../runner/types.js';
import type { SqliteDatabase } from '../sqlite/connection.js';

/**
 * What a database is, relative to a migration sequence. This issue's
 * detection knows the exact matches; bridge rules (which name the states that
 * are not an exact prefix) refine it.
 *
 * - fresh:   no schema at all;
 * - tracked: drawbridge's tracking table is present;
 * - legacy:  untracked, and its schema equals the schema migrations 1..k produce;
 * - unknown: untracked, and no derived schema matches; `nearest` says what differs.
 */
export type DetectedState = 'fresh' | 'tracked' | 'legacy' | 'unknown';

export interface NearVersion {
  readonly index: number;
  readonly name: string | null;
  readonly differences: number;
  /** From the derived schema to the database's. */
  readonly diff: SchemaDiff;
}

export interface Detection {
  readonly file: string;
  readonly state: DetectedState;
  /** The derived version whose schema equals the database's, if any. */
  readonly derived: { readonly index: number; readonly name: string | null } | null;
  /** The closest derived versions, fewest differences first (for unknown states). */
  readonly nearest: readonly NearVersion[];
  readonly fingerprint: Fingerprint;
}

export interface DetectOptions {
  readonly migrations: MigrationSet | readonly MigrationDefinition[];
  readonly trackingTable?: string;
  readonly lockTimeoutMs?: number;
}

function isEmpty(fingerprint: Fingerprint): boolean {
  const { tables, indexes, triggers, views } = fingerprint.snapshot;
  return [tables, indexes, triggers, views].every((m) => Object.keys(m).length === 0) && fingerprint.trackingTables.length === 0;
}

function nearestVersions(fingerprint: Fingerprint, derived: readonly DerivedSchema[], count: number): NearVersion[] {
  return derived
    .map((d) => {
      const diff = diffSnapshots(d.snapshot, fingerprint.snapshot);
      return { index: d.index, name: d.name, differences: countDifferences(diff), diff };
    })
    .sort((a, b) => a.differences - b.differences || b.index - a.index)
    .slice(0, count);
}

export async function detect(database: string | SqliteDatabase, options: DetectOptions): Promise<Detection> {
  const set = toMigrationSet(options.migrations);
  const trackingTable = options.trackingTable ?? DEFAULT_TRACKING_TABLE;
  const fingerprint = probeDatabase(database, { trackingTable, ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }) });
  const base = { file: fingerprint.file, fingerprint };
  if (isEmpty(fingerprint)) return { ...base, state: 'fresh', derived: null, nearest: [] };
  const derived = await deriveSchemas(set);
  // Prefer the latest match: a migration that changes no schema (a data transform) leaves two equal prefixes.
  const match = [...derived].reverse().find((d) => d.index > 0 && d.schemaHash === fingerprint.schemaHash);
  const tracked = fingerprint.trackingTables.some((t) => t.tool === 'drawbridge');
  const exact = match === undefined ? null : { index: match.index, name: match.name };
  if (tracked) return { ...base, state: 'tracked', derived: exact, nearest: [] };
  if (exact !== null) return { ...base, state: 'legacy', derived: exact, nearest: [] };
  return { ...base, state: 'unknown', derived: null, nearest: nearestVersions(fingerprint, derived, 3) };
}
