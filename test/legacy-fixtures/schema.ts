import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { generateFixture } from '../../legacy-fixtures/generate.js';

/** Small readers of a legacy fixture's schema and data, for the tests in this folder. */

export function openDb(path: string, options: { readonly?: boolean; foreignKeys?: boolean } = {}): Database.Database {
  const db = new Database(path, { readonly: options.readonly ?? false });
  if (options.foreignKeys !== undefined) db.pragma(`foreign_keys = ${options.foreignKeys ? 'ON' : 'OFF'}`);
  return db;
}

/** Open, read, close. */
export function readDb<T>(path: string, read: (db: Database.Database) => T): T {
  const db = openDb(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function names(db: Database.Database, type: string): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").all(type) as { name: string }[];
  return rows.map((r) => r.name);
}

/** User tables (not sqlite_sequence), sorted. */
export function tables(db: Database.Database): string[] {
  return names(db, 'table');
}

/** Named indexes (not the automatic ones of PRIMARY KEY / UNIQUE), sorted. */
export function indexes(db: Database.Database): string[] {
  return names(db, 'index');
}

export function triggers(db: Database.Database): string[] {
  return names(db, 'trigger');
}

export function views(db: Database.Database): string[] {
  return names(db, 'view');
}

/** Column names in table order. */
export function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
}

export interface Shape {
  readonly tables: Record<string, string[]>;
  readonly indexes: string[];
  readonly triggers: string[];
  readonly views: string[];
}

/** Tables with their columns (in order), indexes, triggers and views. */
export function shape(db: Database.Database): Shape {
  return {
    tables: Object.fromEntries(tables(db).map((t) => [t, columns(db, t)])),
    indexes: indexes(db),
    triggers: triggers(db),
    views: views(db),
  };
}

/** Tables with their columns as sorted sets: what matters when column order may differ. */
export function columnSets(db: Database.Database): Record<string, string[]> {
  return Object.fromEntries(tables(db).map((t) => [t, columns(db, t).sort()]));
}

/** sqlite_master as it stands (type, name, table, SQL text). */
export function master(db: Database.Database): unknown[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
}

/** Every row of every table (sqlite_sequence included), in rowid order. */
export function dump(db: Database.Database): Record<string, unknown[]> {
  const all = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(all.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
}

export function count(db: Database.Database, sql: string, ...params: unknown[]): number {
  const row = db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
  return Number(Object.values(row ?? {})[0] ?? 0);
}

/**
 * Fixtures built at most once per test file, on first use, into one temporary
 * folder (removed after the file's tests). Read them through `readDb`; a test
 * that writes works on `copyOf` instead.
 */
export function fixtureCache(): { path(name: string): string; copyOf(name: string, dir: string): string } {
  const root = mkdtempSync(join(tmpdir(), 'drawbridge-legacy-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const built = new Map<string, string>();
  const path = (name: string): string => {
    let file = built.get(name);
    if (file === undefined) {
      file = generateFixture(name, root).file;
      built.set(name, file);
    }
    return file;
  };
  return {
    path,
    copyOf: (name, dir) => {
      const target = join(dir, `${name}.db`);
      copyFileSync(path(name), target);
      return target;
    },
  };
}
