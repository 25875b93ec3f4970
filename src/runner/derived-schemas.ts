import { createHash } from 'node:crypto';
import { snapshotDatabase } from '../probe/fingerprint.js';
import { schemaHash } from '../probe/snapshot.js';
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
      derived.push({ index: i + 1, name: migration.name, snapshot, schemaHash: schemaHash(snapshot) });
    }
    return Object.freeze(derived);
  } finally {
    db.close();
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
