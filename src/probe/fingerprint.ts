import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_TRACKING_TABLE } from '../runner/defaults.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { openReadOnly } from '../sqlite/open-read-only.js';
import { translateSqliteError } from '../sqlite/sqlite-errors.js';
import { readSchema } from './read-schema.js';
import { hashedSnapshot } from './snapshot-memo.js';
import { readForeignHistories } from './foreign-history/index.js';
import { findTrackingTables } from './tracking-tables.js';
import type { Fingerprint, SchemaSnapshot } from './types.js';

export interface ProbeOptions {
  /** drawbridge's tracking table, left out of the snapshot. Default drawbridge_migrations. */
  readonly trackingTable?: string;
  readonly lockTimeoutMs?: number;
  /** The file the handle stands for, when it is a private copy of it: sidecars are looked up there. */
  readonly file?: string;
}

/** The semantic snapshot of an open database (tracking table left out). */
export function snapshotDatabase(db: SqliteDatabase, options: ProbeOptions = {}): SchemaSnapshot {
  return hashedSnapshot(readSchema(db).raw, [options.trackingTable ?? DEFAULT_TRACKING_TABLE]).snapshot;
}

function fingerprintOf(db: SqliteDatabase, file: string, readFromCopy: boolean, options: ProbeOptions): Fingerprint {
  const trackingTable = options.trackingTable ?? DEFAULT_TRACKING_TABLE;
  const { facts, raw } = readSchema(db);
  const { snapshot, hash } = hashedSnapshot(raw, [trackingTable]);
  return {
    file,
    facts,
    sidecars: { wal: existsSync(`${file}-wal`), shm: existsSync(`${file}-shm`), journal: existsSync(`${file}-journal`) },
    trackingTables: findTrackingTables(raw, trackingTable),
    foreignHistories: readForeignHistories(db, raw, trackingTable),
    objects: raw.objects.filter((o) => !o.name.startsWith('sqlite_')),
    snapshot,
    schemaHash: hash,
    readFromCopy,
  };
}

/**
 * Fingerprint a database: a path (opened read-only; .db, -wal and -shm are
 * left byte-identical) or an open handle. One statement reads the facts and
 * the schema, whatever its size; each other tool's tracking table found adds
 * one SELECT.
 */
export function probeDatabase(database: string | SqliteDatabase, options: ProbeOptions = {}): Fingerprint {
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  if (typeof database !== 'string') {
    const file = options.file ?? database.name;
    return fingerprintOf(database, file, resolve(database.name) !== resolve(file), options);
  }
  const connection = openReadOnly(database, { lockTimeoutMs });
  try {
    return fingerprintOf(connection.db, database, connection.readFromCopy, options);
  } catch (error) {
    throw translateSqliteError(error, database, lockTimeoutMs) ?? error;
  } finally {
    connection.close();
  }
}
