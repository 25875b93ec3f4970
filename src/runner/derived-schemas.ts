import { createHash } from 'node:crypto';
import { snapshotDatabase } from '../probe/fingerprint.js';
import { diffSnapshots } from '../probe/diff.js';
import { schemaHash } from '../probe/snapshot.js';
import { InvalidMigrationsError } from '../errors.js';
import type { SchemaSnapshot } from '../probe/types.js';
import { openMemoryDatabase } from '../sqlite/open.js';
import { runMigrations } from './run-migrations.js';
import { runnerSettings } from './settings.js';
import type { MigrationSet } from './types.js';

/**
 * The schema each prefix of a sequence produces: migrations 1..k replayed on
 * an in-memory database, snapshotted after every k (k = 0 is the empty
 * schema). A legacy database whose schema equals snapshot k is at bridge
 * point k. Cached per sequence (names and checksums), so detecting many
 * databases replays the sequence once.
 */

export interface DerivedSchema {
  /** How many migrations have run: 0 for the empty schema. */
  readonly index: number;
  /** The last migration applied, or null for the empty schema. */
  readonly name: string | null;
  readonly snapshot: SchemaSnapshot;
  readonly schemaHash: string;
}

const cache = new Map<string, Promise<readonly DerivedSchema[]>>();

/** Identifies a sequence by its migrations' names and checksums. */
export function sequenceKey(set: MigrationSet): string {
  const hash = createHash('sha256');
  for (const m of set.migrations) hash.update(`${m.name}\u0000${m.checksum ?? 'unchecksummed'}\u0000`);
  return hash.digest('hex');
}

async function replay(set: MigrationSet): Promise<readonly DerivedSchema[]> {
  const db = openMemoryDatabase();
  try {
    const settings = runnerSettings({ migrations: set });
    const empty = snapshotDatabase(db);
    const derived: DerivedSchema[] = [{ index: 0, name: null, snapshot: empty, schemaHash: schemaHash(empty) }];
    for (const [i, migration] of set.migrations.entries()) {
      await runMigrations(settings, db, 'up', { to: migration.name });
      const snapshot = snapshotDatabase(db);
      const previous = derived.at(-1);
      if (migration.backwardCompatible && previous !== undefined) assertAdditive(migration, previous.snapshot, snapshot);
      derived.push({ index: i + 1, name: migration.name, snapshot, schemaHash: schemaHash(snapshot) });
    }
    return Object.freeze(derived);
  } finally {
    db.close();
  }
}

/**
 * A migration that declares itself backward-compatible must only add: new
 * tables, indexes, triggers, views, and columns an older app can ignore
 * (nullable, or with a default). Anything else would break the older app
 * that trusts the declaration.
 */
function assertAdditive(migration: MigrationSet['migrations'][number], before: SchemaSnapshot, after: SchemaSnapshot): void {
  const diff = diffSnapshots(before, after);
  const problems: string[] = [];
  for (const kind of ['tables', 'indexes', 'triggers', 'views'] as const) {
    for (const name of diff[kind].removed) problems.push(`removes ${kind.slice(0, -1)} ${name}`);
    if (kind !== 'tables') for (const { name } of diff[kind].changed) problems.push(`changes ${kind.slice(0, -1)} ${name}`);
  }
  for (const change of diff.tables.changed) {
    for (const column of change.columns.removed) problems.push(`removes column ${change.table}.${column}`);
    for (const { column } of change.columns.changed) problems.push(`changes column ${change.table}.${column}`);
    for (const column of change.columns.added) {
      const added = after.tables[change.table.toLowerCase()]?.columns[column.toLowerCase()];
      if (added !== undefined && added.notNull && added.default === null) problems.push(`adds NOT NULL column ${change.table}.${column} without a default`);
    }
    if (change.checks.added.length + change.checks.removed.length + change.foreignKeys.removed.length + change.uniques.added.length + change.fields.length > 0) problems.push(`changes the constraints of ${change.table}`);
  }
  if (problems.length > 0) {
    throw new InvalidMigrationsError(`${migration.origin}: ${migration.name} declares itself backward-compatible, but it ${problems.join(', ')}. An older app would break on it: remove the declaration, or make the migration additive.`, {
      details: { migration: migration.name, problems },
    });
  }
}

export function deriveSchemas(set: MigrationSet): Promise<readonly DerivedSchema[]> {
  const key = sequenceKey(set);
  let derived = cache.get(key);
  if (derived === undefined) {
    derived = replay(set);
    cache.set(key, derived);
    derived.catch(() => cache.delete(key));
  }
  return derived;
}
