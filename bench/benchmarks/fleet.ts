/**
 * Target 6: `fleet` detect over 2,000 small databases (the reference app's
 * installs in a known mix of states, generated as the fleet tests do) on 2
 * worker threads: databases per second, ≥ 1,000.
 *
 * The subject is a `drawbridge fleet <dir> --json --out r.jsonl
 * --concurrency 2` process, started afresh each round as a user runs it
 * (in process, later rounds would find the schemas already derived):
 * listing, loading and checking the migrations and rules, deriving the
 * schemas, starting the workers, one detection and plan per database, one
 * JSON line each. Its rate is the summary's own (databases over the run's
 * wall time); the notes add the rate over the whole process.
 *
 * The baseline is an honest floor, measured in the same run, interleaved:
 * the same listing, 2 worker threads started the same way, and per database
 * a raw better-sqlite3 read-only open, one query (sqlite_schema ⋈
 * pragma_table_info, rows returned) and a close. The issue's target, 1,000
 * databases/s, is given as a share of that floor, so the figure is met
 * exactly when the fleet runs at 1,000 databases/s or more.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { listDatabases } from '../../src/fleet/list-databases.js';
import type { FleetSummary } from '../../src/fleet/summary.js';
import { buildTemplates, generateFleet, REPO_MIGRATIONS, REPO_RULES, type ExpectedSummary } from '../../test/fleet/generate-fleet.js';
import { median } from '../measure.js';
import { figure, type Benchmark, type BenchOptions, type Figure } from '../figure.js';

const WORKERS = 2;
const TARGET_RATE = 1000;

/** A floor worker: open, one query, close, for each file it is given; it posts how many it read. */
const FLOOR_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let read = 0;
for (const file of workerData.files) {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.prepare("SELECT s.name AS tbl, p.* FROM sqlite_schema s, pragma_table_info(s.name) p WHERE s.type = 'table'").all();
      read += 1;
    } finally {
      db.close();
    }
  } catch {}
}
parentPort.postMessage(read);
`;

async function floorRun(dir: string): Promise<number> {
  const started = performance.now();
  const files = (await listDatabases([dir])).map((d) => d.file);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const shares = Array.from({ length: WORKERS }, (_, w) => files.filter((_file, i) => i % WORKERS === w));
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(FLOOR_WORKER, { eval: true, workerData: { files: share, driver } });
          worker.once('message', (read: number) => resolve(read));
          worker.once('error', reject);
        }),
    ),
  );
  return (files.length / (performance.now() - started)) * 1000;
}

const sorted = (histogram: Readonly<Record<string, number>>): string => JSON.stringify(Object.entries(histogram).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A fast wrong answer is no figure: the fleet must say what the generator knows about every database. */
function check(summary: FleetSummary, expected: ExpectedSummary): void {
  const same = summary.total === expected.total && sorted(summary.states) === sorted(expected.states) && sorted(summary.rules) === sorted(expected.rules);
  if (!same) throw new Error(`fleet: the detection is not what the generator expects: ${JSON.stringify({ states: summary.states, rules: summary.rules })}`);
}

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** One `drawbridge fleet` process, as a user runs it: its summary's rate, and the whole process's. */
function fleetRun(dir: string, out: string, expected: ExpectedSummary): { rate: number; processRate: number } {
  const started = performance.now();
  const args = [CLI, 'fleet', dir, '--migrations', REPO_MIGRATIONS, '--rules', REPO_RULES, '--json', '--out', out, '--concurrency', String(WORKERS)];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - started;
  // Exit 9: some databases failed, as the generator's text files and truncated copies must.
  if (child.status !== 0 && child.status !== 9) throw new Error(`fleet: drawbridge fleet exited ${String(child.status)}: ${child.stderr}`);
  const summary = JSON.parse(child.stdout) as FleetSummary;
  check(summary, expected);
  return { rate: summary.total / (summary.durationMs / 1000), processRate: summary.total / (wall / 1000) };
}

export const benchmark: Benchmark = {
  name: 'fleet',
  async run({ quick, dir }: BenchOptions): Promise<Figure[]> {
    const count = quick ? 48 : 2000;
    const rounds = quick ? 1 : 5;
    const templates = await buildTemplates(join(dir, 'templates'));
    const fleet = generateFleet(join(dir, 'fleet'), count, templates);
    const subject: { rate: number; processRate: number }[] = [];
    const floor: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so neither always runs on a warmer page cache.
      if (round % 2 === 1) floor.push(await floorRun(fleet.dir));
      subject.push(fleetRun(fleet.dir, join(dir, 'results.jsonl'), fleet.expected));
      if (round % 2 === 0) floor.push(await floorRun(fleet.dir));
    }
    const rate = median(subject.map((s) => s.rate));
    const processRate = median(subject.map((s) => s.processRate));
    const floorRate = median(floor);
    // The target rate as a share of this run's floor, rounded up: met exactly when rate ≥ 1,000/s.
    const share = Math.ceil((TARGET_RATE / floorRate) * 1000) / 1000;
    return [
      figure(
        'fleet-detect-rate',
        `fleet detect, ${count} databases, ${WORKERS} workers`,
        { label: 'drawbridge fleet', value: rate, unit: 'db/s' },
        { label: 'open + 1 query + close', value: floorRate, unit: 'db/s' },
        { op: '>=', value: share },
        `median of ${rounds} runs each, interleaved; target ${TARGET_RATE} db/s = ${share}× this run's floor; subject: a \`drawbridge fleet --json --out --concurrency ${WORKERS}\` process, its summary's rate (listing, loading and checking sources, deriving schemas, workers, detection + plan and a JSON line per database); counting the process's start and imports too: ${Math.round(processRate)} db/s; floor: the same listing and ${WORKERS} worker threads, a raw read-only open, one schema query and a close per database`,
      ),
    ];
  },
};
