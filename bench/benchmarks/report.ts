/**
 * Target 5: the dry-run report of a 1 GB database without --deep, against
 * PRAGMA quick_check alone: ≤ 1.2×. Both in process, both opening their own
 * read-only connection (the CLI adds the same process start to each). The
 * report also detects, plans, counts every table's rows exactly and runs
 * foreign_key_check; those, alone, are given as context. The same comparison
 * for --deep against integrity_check alone.
 *
 * And the same report of the same file in WAL mode (as an Electron app's
 * database usually is): a read-only connection to a WAL database would create
 * its -wal and -shm and write read marks into the -shm, so drawbridge reads a
 * private copy instead (src/sqlite/open-read-only.ts) and pays a file copy.
 * better-sqlite3 is built without URI filenames, so SQLite's `immutable=1`,
 * which would read such a file in place, cannot be asked for.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildReport } from '../../src/report/build-report.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { figure, type Benchmark, type BenchOptions, type Figure } from '../figure.js';
import { compare } from '../measure.js';
import { bigReferenceDatabase } from '../reference-database.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Open read-only, run `sql`, close: what a support engineer's `sqlite3 file 'PRAGMA quick_check'` does. */
function alone(file: string, sql: string): () => void {
  return () => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.prepare(sql).all();
    } finally {
      db.close();
    }
  };
}

function countEveryTable(file: string): () => void {
  return () => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      for (const table of tables) db.prepare(`SELECT count(*) FROM "${table.replaceAll('"', '""')}"`).get();
    } finally {
      db.close();
    }
  };
}

const run = promisify(execFile);

/** The whole CLI against a node process that only runs quick_check: the same process start on both sides. */
function wholeProcesses(file: string): { cli: () => Promise<unknown>; quickCheck: () => Promise<unknown> } {
  const cli = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  const flags = ['--migrations', join(ROOT, 'migrations'), '--rules', join(ROOT, 'bridge-rules'), '--format', 'json'];
  const script = "const D = require('better-sqlite3'); const db = new D(process.argv[1], { readonly: true }); db.pragma('quick_check'); db.close();";
  return {
    cli: () => run(process.execPath, [cli, 'report', file, ...flags], { maxBuffer: 64 << 20 }),
    quickCheck: () => run(process.execPath, ['-e', script, file], { cwd: ROOT }),
  };
}

const seconds = (ms: number): number => ms / 1000;

/** The same database switched to WAL mode and closed (its -wal checkpointed and removed, as after an app's clean exit). */
function walCopy(file: string): string {
  const walFile = file.replace(/\.db$/, '') + '-wal-mode.db';
  copyFileSync(file, walFile);
  const db = new Database(walFile);
  try {
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return walFile;
}

export const benchmark: Benchmark = {
  name: 'report',
  async run(options: BenchOptions): Promise<Figure[]> {
    const big = bigReferenceDatabase(options.dir, options.quick ? 20 : 1000);
    const inputs = { migrations: loadMigrations(join(ROOT, 'migrations')), rules: loadRules(join(ROOT, 'bridge-rules')) };
    const sample = await buildReport(big.file, inputs);
    const rounds = options.quick ? 1 : 7;
    const report = await compare(() => buildReport(big.file, inputs), alone(big.file, 'PRAGMA quick_check'), { rounds, warmup: 1 });
    const deep = await compare(() => buildReport(big.file, { ...inputs, deep: true }), alone(big.file, 'PRAGMA integrity_check'), { rounds: options.quick ? 1 : 3, warmup: 1 });
    const context = await compare(alone(big.file, 'PRAGMA foreign_key_check'), countEveryTable(big.file), { rounds: options.quick ? 1 : 3, warmup: 1 });
    const walFile = walCopy(big.file);
    const wal = await compare(() => buildReport(walFile, inputs), alone(walFile, 'PRAGMA quick_check'), { rounds: options.quick ? 1 : 3, warmup: 1 });
    const processes = wholeProcesses(big.file);
    const whole = await compare(processes.cli, processes.quickCheck, { rounds: options.quick ? 1 : 3, warmup: 1 });
    const megabytes = big.bytes / 1e6;
    const facts =
      `${big.description}; detected ${sample.detection.state} (rule ${sample.detection.rule?.id ?? 'none'}), ${sample.tables.length} tables counted exactly, ` +
      `${sample.health.foreignKeyViolations.count} foreign-key violations; in process, each opening its own read-only connection; medians`;
    return [
      figure(
        'report-vs-quick-check',
        `report of a ${megabytes.toFixed(0)} MB database (no --deep)`,
        { label: 'buildReport', value: seconds(report.subject), unit: 's' },
        { label: 'PRAGMA quick_check alone', value: seconds(report.baseline), unit: 's' },
        { op: '<=', value: 1.2 },
        `${facts}, ${rounds} rounds; context, each alone: foreign_key_check ${seconds(context.subject).toFixed(2)} s, count(*) of every table ${seconds(context.baseline).toFixed(2)} s; ` +
          `whole processes: \`drawbridge report --format json\` ${seconds(whole.subject).toFixed(2)} s, node running only quick_check ${seconds(whole.baseline).toFixed(2)} s`,
      ),
      figure(
        'report-deep-vs-integrity-check',
        `report --deep of a ${megabytes.toFixed(0)} MB database`,
        { label: 'buildReport --deep', value: seconds(deep.subject), unit: 's' },
        { label: 'PRAGMA integrity_check alone', value: seconds(deep.baseline), unit: 's' },
        { op: '<=', value: 1.2 },
        facts,
      ),
      figure(
        'report-wal-vs-quick-check',
        `report of the same ${megabytes.toFixed(0)} MB database in WAL mode (no --deep)`,
        { label: 'buildReport', value: seconds(wal.subject), unit: 's' },
        { label: 'PRAGMA quick_check alone', value: seconds(wal.baseline), unit: 's' },
        { op: '<=', value: 1.2 },
        `${facts}; the report reads a private copy of a WAL database so that its -wal and -shm stay byte-identical: a file copy before the check`,
      ),
    ];
  },
};
