import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * CREATE SOMETHING (seed 004) before drawbridge: each package's SQL files
 * were run by hand against its D1 database (`wrangler d1 execute --file`),
 * some of them, in order or not; later, Phase 1 of the strategy added a
 * `_migrations` table that its runner script filled in. This module makes
 * such database files: it executes a file's up section directly, as
 * wrangler executed the whole file before the files had sections.
 */

export type Handle = Database.Database;

/** A package's migration files in the order they were numbered (3- or 4-digit prefixes alike). */
export function migrationFiles(dir: string): string[] {
  const number = (file: string): number => Number(/^\d+/.exec(file)?.[0] ?? Number.NaN);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort((a, b) => number(a) - number(b));
}

/** The statements between `-- migrate:up` and `-- migrate:down`: what the file did before it had sections. */
export function upSection(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^--\s*migrate:up\s*$/i.test(line.trim()));
  const end = lines.findIndex((line) => /^--\s*migrate:down\s*$/i.test(line.trim()));
  return lines.slice(start + 1, end === -1 ? lines.length : end).join('\n');
}

/**
 * `wrangler d1 execute --file`: the file as one script. The seed's originals
 * began their table recreations with PRAGMA foreign_keys=OFF; the drawbridge
 * form leaves that line out (drawbridge switches foreign keys off itself), so
 * here they are switched off around the file as those lines did.
 */
function executeFile(db: Handle, path: string): void {
  db.pragma('foreign_keys = OFF');
  try {
    db.exec(upSection(readFileSync(path, 'utf8')));
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

const PHASE_ONE_TABLE = `
CREATE TABLE IF NOT EXISTS _migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  filename TEXT UNIQUE NOT NULL,
  applied_at TEXT DEFAULT (datetime('now')),
  checksum TEXT,  -- Future: Verify migration hasn't changed
  execution_time_ms INTEGER
);
CREATE INDEX IF NOT EXISTS idx_migrations_filename ON _migrations(filename);`;

/** What the Phase 2 runner recorded for the n-th file (1-based): fixed, so tests can expect them. */
export function phaseOneRecord(n: number): { appliedAt: string; executionTimeMs: number } {
  return { appliedAt: `2025-09-${String(n).padStart(2, '0')} 12:00:00`, executionTimeMs: 12 * n };
}

/** The Phase 2 runner script: run each file, then record it with how long it took. */
function runWithPhaseOneRunner(db: Handle, dir: string, files: readonly string[]): void {
  db.exec(PHASE_ONE_TABLE);
  const record = db.prepare('INSERT INTO _migrations (filename, applied_at, execution_time_ms) VALUES (?, ?, ?)');
  files.forEach((file, index) => {
    executeFile(db, join(dir, file));
    const { appliedAt, executionTimeMs } = phaseOneRecord(index + 1);
    record.run(file, appliedAt, executionTimeMs);
  });
}

/** Rows a package's users made: one INSERT per table, run only where the table exists. */
export type SampleRows = Readonly<Record<string, string>>;

function addSampleRows(db: Handle, rows: SampleRows): void {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
  for (const [table, insert] of Object.entries(rows)) if (exists.get(table) !== undefined) db.exec(insert);
}

export interface LegacyDatabase {
  /** The package's migrations directory as it stands (its files are run from there). */
  readonly dir: string;
  /** 1-based numbers of the files run by hand, in that order. */
  readonly ran: readonly number[];
  /** Run them through the Phase 2 runner, which records them in `_migrations`. */
  readonly phaseOne?: boolean;
  readonly rows: SampleRows;
}

/** A package's database as its files, run by hand, left it; with some rows in it. */
export function createLegacyDatabase(file: string, spec: LegacyDatabase): void {
  const all = migrationFiles(spec.dir);
  const files = spec.ran.map((n) => {
    const name = all[n - 1];
    if (name === undefined) throw new Error(`${spec.dir} has no file number ${n}`);
    return name;
  });
  const db = new Database(file);
  try {
    if (spec.phaseOne === true) runWithPhaseOneRunner(db, spec.dir, files);
    else for (const name of files) executeFile(db, join(spec.dir, name));
    addSampleRows(db, spec.rows);
  } finally {
    db.close();
  }
}
