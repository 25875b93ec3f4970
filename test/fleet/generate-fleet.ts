import Database from 'better-sqlite3';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFixture } from '../../legacy-fixtures/generate.js';
import { upgrade } from '../../src/bridge/upgrade.js';
import { NONE } from '../../src/fleet/summary.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { loadMigrations } from '../../src/runner/migration-set.js';

/**
 * A fleet of small databases with a known mix of states, written fast: one
 * template database per kind (the reference app's legacy fixtures, an
 * upgraded one, an unknown schema, a text file…), then copies of the
 * templates. The generator knows what `fleet` must say about every kind, so
 * it returns the histograms a detection of the fleet must print.
 */

/** The repository's own migrations and rules (the reference app), as the tests pass them with --migrations/--rules. */
export const REPO_MIGRATIONS = fileURLToPath(new URL('../../../migrations', import.meta.url));
export const REPO_RULES = fileURLToPath(new URL('../../../bridge-rules', import.meta.url));

export type KindName = 'legacy-r03' | 'legacy-r07-lost-index' | 'legacy-r10' | 'crashed-r07' | 'newer' | 'fresh' | 'tracked' | 'unknown' | 'text' | 'truncated';

/** What `fleet` (detect, mode bridge) says about a database of the kind. */
interface Expectation {
  readonly state: string | null;
  readonly action: string | null;
  readonly rule: string | null;
  readonly bridgePoint: string | null;
  readonly error: string | null;
  /** What `fleet --upgrade` (mode bridge) fails with; null: it brings the database to the end of the sequence (or finds it there). */
  readonly upgradeError: string | null;
}

const bridge = (rule: string, bridgePoint: string): Expectation => ({ state: 'legacy', action: 'bridge', rule, bridgePoint, error: null, upgradeError: null });

export const KINDS: Readonly<Record<KindName, Expectation>> = {
  'legacy-r03': bridge('legacy-r03', '0003_execution_tracking'),
  'legacy-r07-lost-index': bridge('legacy-r07-lost-index', '0006_session_favorites_and_status_check'),
  'legacy-r10': bridge('legacy-r10', '0009_session_git_tracking'),
  // A crash half-way through 0.6.0's rebuild: only mode auto (the app's old migrations first) can bridge it.
  'crashed-r07': { state: 'legacy', action: 'refuse', rule: 'legacy-r07-crashed', bridgePoint: '0009_session_git_tracking', error: null, upgradeError: 'STATE_UNKNOWN' },
  newer: { state: 'newer', action: 'refuse', rule: 'legacy-newer', bridgePoint: null, error: null, upgradeError: 'NEWER_DATABASE' },
  fresh: { state: 'fresh', action: 'run-pending', rule: null, bridgePoint: null, error: null, upgradeError: null },
  tracked: { state: 'tracked', action: 'nothing', rule: null, bridgePoint: null, error: null, upgradeError: null },
  unknown: { state: 'unknown', action: 'refuse', rule: null, bridgePoint: null, error: null, upgradeError: 'STATE_UNKNOWN' },
  text: { state: null, action: null, rule: null, bridgePoint: null, error: 'NOT_A_DATABASE', upgradeError: 'NOT_A_DATABASE' },
  truncated: { state: null, action: null, rule: null, bridgePoint: null, error: 'NOT_A_DATABASE', upgradeError: 'NOT_A_DATABASE' },
};

/** How often each kind comes up, per 24 databases: mostly legacy installs, a few of every odd kind. */
const PATTERN: readonly KindName[] = [
  ...Array<KindName>(4).fill('legacy-r03'),
  ...Array<KindName>(3).fill('legacy-r07-lost-index'),
  ...Array<KindName>(5).fill('legacy-r10'),
  'crashed-r07',
  'newer',
  ...Array<KindName>(3).fill('fresh'),
  ...Array<KindName>(4).fill('tracked'),
  'unknown',
  'text',
  'truncated',
];

const EXTENSIONS = ['.db', '.sqlite', '.sqlite3', '.db3'];

export type Templates = Readonly<Record<KindName, string>>;

function fixtureTemplate(dir: string, fixture: string, file: string): string {
  copyFileSync(generateFixture(fixture, join(dir, 'fixtures')).file, file);
  return file;
}

/** A database of the reference app, upgraded to the end of the sequence: tracked by drawbridge. */
async function trackedTemplate(dir: string): Promise<string> {
  const file = fixtureTemplate(dir, 'fresh-r03', join(dir, 'tracked.db'));
  await upgrade(file, { migrations: loadMigrations(REPO_MIGRATIONS), rules: loadRules(REPO_RULES), backup: false });
  return file;
}

function unknownTemplate(dir: string): string {
  const file = join(dir, 'unknown.db');
  const db = new Database(file);
  db.exec('CREATE TABLE inventory (sku TEXT PRIMARY KEY, count INTEGER NOT NULL); INSERT INTO inventory VALUES (\'a-1\', 3)');
  db.close();
  return file;
}

/** The first 1000 bytes of a database: a copy cut short, not a whole number of pages. */
function truncatedTemplate(dir: string, from: string): string {
  const file = join(dir, 'truncated.db');
  const fd = openSync(file, 'w');
  writeSync(fd, readFileSync(from).subarray(0, 1000));
  closeSync(fd);
  return file;
}

/** One file per kind, in `dir` (outside any fleet: templates must not be part of one). */
export async function buildTemplates(dir: string): Promise<Templates> {
  mkdirSync(dir, { recursive: true });
  const text = join(dir, 'text.db');
  writeFileSync(text, 'this is a shopping list, not a database\n'.repeat(20));
  const fresh = join(dir, 'fresh.db');
  writeFileSync(fresh, '');
  const r03 = fixtureTemplate(dir, 'fresh-r03', join(dir, 'legacy-r03.db'));
  return {
    'legacy-r03': r03,
    'legacy-r07-lost-index': fixtureTemplate(dir, 'release-r07', join(dir, 'legacy-r07-lost-index.db')),
    'legacy-r10': fixtureTemplate(dir, 'fresh-r10', join(dir, 'legacy-r10.db')),
    'crashed-r07': fixtureTemplate(dir, 'variant-crashed-r07', join(dir, 'crashed-r07.db')),
    newer: fixtureTemplate(dir, 'variant-newer', join(dir, 'newer.db')),
    fresh,
    tracked: await trackedTemplate(dir),
    unknown: unknownTemplate(dir),
    text,
    truncated: truncatedTemplate(dir, r03),
  };
}

export type Histogram = Record<string, number>;

export interface ExpectedSummary {
  readonly total: number;
  readonly failed: number;
  readonly states: Histogram;
  readonly actions: Histogram;
  readonly rules: Histogram;
  readonly bridgePoints: Histogram;
  readonly errors: Histogram;
}

export interface GeneratedFleet {
  readonly dir: string;
  /** Every database file written, with its kind. */
  readonly files: ReadonlyMap<string, KindName>;
  /** What `fleet <dir>` (detect) must report. */
  readonly expected: ExpectedSummary;
}

function bump(histogram: Histogram, key: string | null): void {
  const name = key ?? NONE;
  histogram[name] = (histogram[name] ?? 0) + 1;
}

/** Files the fleet must skip: sidecars without a database, drawbridge backups, other files. */
function writeNoise(dir: string, template: string): void {
  writeFileSync(join(dir, 'README.txt'), 'not a database\n');
  writeFileSync(join(dir, 'ghost.db-wal'), '');
  writeFileSync(join(dir, 'ghost.db-shm'), '');
  writeFileSync(join(dir, 'ghost.db-journal'), '');
  copyFileSync(template, join(dir, 'old.db.20260101T000000Z.legacy-r03-to-0010_session_tags.backup'));
  copyFileSync(template, join(dir, 'old.db.20260101T000000Z.legacy-r03-to-0010_session_tags.backup.partial'));
}

/**
 * `count` databases in `dir`, spread over nested folders and the four
 * database extensions, kinds in a fixed proportion (or only `kinds`).
 */
export function generateFleet(dir: string, count: number, templates: Templates, kinds: readonly KindName[] = PATTERN): GeneratedFleet {
  const files = new Map<string, KindName>();
  const histograms = { states: {}, actions: {}, rules: {}, bridgePoints: {}, errors: {} } satisfies Omit<ExpectedSummary, 'total' | 'failed'>;
  let failed = 0;
  const folders = Math.max(1, Math.ceil(count / 100));
  for (let f = 0; f < folders; f++) {
    const folder = join(dir, `site-${String(f % 4).padStart(2, '0')}`, `batch-${String(f).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    writeNoise(folder, templates['legacy-r03']);
  }
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length] ?? 'fresh';
    const folder = join(dir, `site-${String(i % folders % 4).padStart(2, '0')}`, `batch-${String(i % folders).padStart(3, '0')}`);
    const file = join(folder, `${kind}-${String(i).padStart(5, '0')}${EXTENSIONS[i % EXTENSIONS.length] ?? '.db'}`);
    copyFileSync(templates[kind], file);
    files.set(file, kind);
    const e = KINDS[kind];
    bump(histograms.states, e.state);
    bump(histograms.actions, e.action);
    bump(histograms.rules, e.rule);
    bump(histograms.bridgePoints, e.bridgePoint);
    if (e.error !== null) {
      bump(histograms.errors, e.error);
      failed++;
    }
  }
  return { dir, files, expected: { total: count, failed, ...histograms } };
}
