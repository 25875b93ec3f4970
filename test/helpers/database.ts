import Database from 'better-sqlite3';
import { snapshotDatabase } from '../../src/probe/fingerprint.js';
import type { SchemaSnapshot } from '../../src/probe/types.js';

/** Open a real database file for a test to set up or inspect. */
export function openTestDb(path: string, options: { readonly?: boolean } = {}): Database.Database {
  return new Database(path, { readonly: options.readonly ?? false });
}

/** Run a script on a database file and close it. */
export function execOn(path: string, sql: string): void {
  const db = openTestDb(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/**
 * The schema as SQLite stores it (every table, index, trigger and view with
 * its SQL), minus the tracking table: enough to tell whether two databases
 * have the same schema. (The semantic snapshot of src/probe/ supersedes this.)
 */
export function schemaOf(path: string, trackingTable = 'drawbridge_migrations'): { type: string; name: string; sql: string | null }[] {
  const db = openTestDb(path, { readonly: true });
  try {
    return db
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE name <> ? AND name NOT LIKE 'sqlite_autoindex_' || ? || '%' ORDER BY type, name")
      .all(trackingTable, trackingTable) as { type: string; name: string; sql: string | null }[];
  } finally {
    db.close();
  }
}

export function trackingRows(path: string, table = 'drawbridge_migrations'): { name: string; checksum: string | null; method: string }[] {
  const db = openTestDb(path, { readonly: true });
  try {
    return db.prepare(`SELECT name, checksum, method FROM "${table}" ORDER BY name`).all() as { name: string; checksum: string | null; method: string }[];
  } finally {
    db.close();
  }
}

/** The snapshot of a schema made by `sql` in a fresh in-memory database. */
export function snapshotOf(sql: string): SchemaSnapshot {
  const db = new Database(':memory:');
  try {
    db.exec(sql);
    return snapshotDatabase(db);
  } finally {
    db.close();
  }
}
