/**
 * Target 3: drawbridge's rebuildTable on a 1M-row, ~157 MB table with 2
 * indexes, against the same 12 steps written out by hand (create the new
 * table, INSERT … SELECT, drop, rename, recreate the indexes,
 * foreign_key_check, in one transaction): time ≤ 1.15× and peak RSS growth
 * ≤ 1.5× the hand-written version's. ALTER TABLE DROP COLUMN, which rewrites
 * the table in place when it applies, is given as context.
 *
 * Each run is a child process of its own (this module, run as a script) on a
 * fresh copy of the generated database, so that its RSS high-water mark
 * (process.resourceUsage().maxRSS, before and after) is its own; the time is
 * measured inside the child, from BEGIN to COMMIT. Rounds alternate which
 * variant goes first; medians.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rebuildTable } from '../../src/sqlite/rebuild-table.js';
import { fsyncPath } from '../../src/sqlite/backup.js';
import { figure, type Benchmark, type BenchOptions, type Figure } from '../figure.js';
import { median } from '../measure.js';

const VARIANTS = ['raw', 'helper', 'drop-column'] as const;
type Variant = (typeof VARIANTS)[number];

interface Run {
  readonly ms: number;
  /** Growth of the child's RSS high-water mark over the run, in MB. */
  readonly rssMb: number;
}

const INDEXES = ['CREATE INDEX idx_items_status ON items(status)', 'CREATE INDEX idx_items_created ON items(created_at)'];
/** The rebuild: status gains NOT NULL and a CHECK (what ALTER TABLE cannot add). */
const NEW_ITEMS = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('active', 'archived', 'draft')), created_at TEXT, note TEXT)";

/** `rows` rows of ~157 bytes (1M rows: a ~157 MB table, plus ~50 MB of its two indexes). */
function generate(file: string, rows: number): void {
  const db = new Database(file);
  try {
    db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT, created_at TEXT, note TEXT); ${INDEXES.join('; ')};`);
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO items SELECT i, 'item ' || i, CASE i % 3 WHEN 0 THEN 'active' WHEN 1 THEN 'archived' ELSE 'draft' END,
         datetime(1700000000 + i * 7, 'unixepoch'), hex(randomblob(51)) FROM n`,
    ).run(rows);
  } finally {
    db.close();
  }
}

/** What each variant does inside the transaction (foreign keys off, as drawbridge's runner has them). */
const STEPS: Record<Variant, (db: Database.Database) => void> = {
  raw: (db) => {
    db.exec(NEW_ITEMS.replace('TABLE items', 'TABLE items_new'));
    db.exec('INSERT INTO items_new (id, name, status, created_at, note) SELECT id, name, status, created_at, note FROM items');
    db.exec('DROP TABLE items');
    db.exec('ALTER TABLE items_new RENAME TO items');
    for (const index of INDEXES) db.exec(index);
  },
  // As a migration calls it (the rebuild template): with progress reports.
  helper: (db) => {
    rebuildTable(db, { table: 'items', createSql: NEW_ITEMS, onProgress: () => undefined });
  },
  'drop-column': (db) => {
    db.exec('ALTER TABLE items DROP COLUMN note');
  },
};

/** The child's part: one variant on `file`, its time and RSS growth as JSON on stdout. */
function child(variant: Variant, file: string): void {
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  const rssBefore = process.resourceUsage().maxRSS;
  const started = performance.now();
  db.exec('BEGIN');
  STEPS[variant](db);
  const violations = db.pragma('foreign_key_check') as unknown[];
  if (violations.length > 0) throw new Error(`${variant}: foreign_key_check found ${violations.length} violations`);
  db.exec('COMMIT');
  const ms = performance.now() - started;
  const rssMb = (process.resourceUsage().maxRSS - rssBefore) / 1024;
  db.close();
  process.stdout.write(JSON.stringify({ ms, rssMb } satisfies Run));
}

const run = promisify(execFile);
const SELF = fileURLToPath(import.meta.url);

async function runVariant(variant: Variant, base: string, dir: string): Promise<Run> {
  const file = join(dir, `${variant}.db`);
  copyFileSync(base, file);
  // On disk before the clock starts: the copy's writeback must not land in the child's COMMIT.
  fsyncPath(file);
  try {
    const { stdout } = await run(process.execPath, [SELF, '--rebuild-child', variant, file], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as Run;
  } finally {
    rmSync(file, { force: true });
    rmSync(`${file}-journal`, { force: true });
  }
}

async function measure(options: BenchOptions, rows: number, rounds: number): Promise<Record<Variant, Run[]>> {
  const base = join(options.dir, 'base.db');
  generate(base, rows);
  fsyncPath(base);
  const runs: Record<Variant, Run[]> = { raw: [], helper: [], 'drop-column': [] };
  await runVariant('raw', base, options.dir); // warm-up: the page cache, the disk
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) runs[variant].push(await runVariant(variant, base, options.dir));
  }
  return runs;
}

export const benchmark: Benchmark = {
  name: 'rebuild',
  async run(options: BenchOptions): Promise<Figure[]> {
    const rows = options.quick ? 20_000 : 1_000_000;
    const rounds = options.quick ? 1 : 7;
    const runs = await measure(options, rows, rounds);
    const seconds = (variant: Variant): number => median(runs[variant].map((r) => r.ms)) / 1000;
    const rss = (variant: Variant): number => median(runs[variant].map((r) => r.rssMb));
    const sizes = `${rows.toLocaleString('en')} rows (~${Math.round((rows * 157) / 1e6)} MB table) with 2 indexes, ${rounds} rounds, medians, each run in its own process`;
    return [
      figure(
        'rebuild-vs-raw-12-step',
        'rebuildTable of a table with 2 indexes (BEGIN … foreign_key_check, COMMIT)',
        { label: 'rebuildTable', value: seconds('helper'), unit: 's' },
        { label: 'hand-written 12 steps (INSERT … SELECT)', value: seconds('raw'), unit: 's' },
        { op: '<=', value: 1.15 },
        `${sizes}; rows copied in SQL, never through JS; context: ALTER TABLE DROP COLUMN (in place) ${seconds('drop-column').toFixed(2)} s`,
      ),
      figure(
        'rebuild-rss-vs-raw-12-step',
        'rebuildTable: peak RSS growth',
        { label: 'rebuildTable', value: rss('helper'), unit: 'MB' },
        { label: 'hand-written 12 steps', value: rss('raw'), unit: 'MB' },
        { op: '<=', value: 1.5 },
        `${sizes}; growth of process.resourceUsage().maxRSS over the run; ALTER TABLE DROP COLUMN ${rss('drop-column').toFixed(1)} MB`,
      ),
    ];
  },
};

if (process.argv[1] === SELF && process.argv[2] === '--rebuild-child') {
  const variant = process.argv[3] as Variant;
  if (!VARIANTS.includes(variant) || process.argv[4] === undefined) throw new Error(`usage: rebuild.js --rebuild-child ${VARIANTS.join('|')} FILE`);
  child(variant, process.argv[4]);
}
