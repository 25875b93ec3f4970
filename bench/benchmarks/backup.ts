/**
 * Target 4: the backup an upgrade takes, of a 1 GB database, at ≥ 0.8× the
 * throughput of a plain file copy + fsync, while still consistent. As
 * upgrade() calls it: under the upgrade's write lock, right after its
 * quick_check gate (sourceQuickChecked). Every contender writes a durable
 * file (fsynced), starting from the same warm source and a synced disk;
 * rounds alternate the order, medians. Context: SQLite's online backup API (better-sqlite3's
 * db.backup(), in its default 100-page steps and in one step), VACUUM INTO,
 * and drawbridge's own fallback and standalone (quick_check of the copy) paths.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupDatabase, fsyncPath, type BackupResult } from '../../src/sqlite/backup.js';
import { figure, type Benchmark, type BenchOptions, type Figure, type Measurement } from '../figure.js';
import { median } from '../measure.js';
import { bigReferenceDatabase } from '../reference-database.js';

/** As upgrade() takes it: a connection holding BEGIN IMMEDIATE, the source just quick_checked under it. */
async function backupAsUpgradeDoes(source: string, target: string, options: Parameters<typeof backupDatabase>[2] = {}): Promise<BackupResult> {
  const db = new Database(source);
  try {
    db.exec('BEGIN IMMEDIATE');
    return await backupDatabase(source, target, { sourceQuickChecked: true, ...options });
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}

async function sqliteBackup(source: string, target: string, pagesPerStep: number): Promise<void> {
  const db = new Database(source, { readonly: true });
  try {
    await db.backup(target, { progress: () => pagesPerStep });
  } finally {
    db.close();
  }
  fsyncPath(target);
}

function vacuumInto(source: string, target: string): void {
  const db = new Database(source, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  fsyncPath(target);
}

type Contender = (source: string, target: string) => unknown;

const CONTENDERS = {
  drawbridge: (source, target) => backupAsUpgradeDoes(source, target),
  'file copy + fsync': (source, target) => {
    copyFileSync(source, target);
    fsyncPath(target);
  },
  'drawbridge, backup-API fallback': (source, target) => backupAsUpgradeDoes(source, target, { method: 'backup-api' }),
  'drawbridge standalone (quick_check of the copy)': (source, target) => backupDatabase(source, target),
  'db.backup() (100-page steps)': (source, target) => sqliteBackup(source, target, 100),
  'db.backup() (one step)': (source, target) => sqliteBackup(source, target, 1 << 30),
  'VACUUM INTO': vacuumInto,
} satisfies Record<string, Contender>;
type Name = keyof typeof CONTENDERS;

/**
 * Seconds of each contender, round by round: only the copy is timed, never
 * the removal of the last one. drawbridge and the file copy are first and
 * second in the list, so they run back to back in every round, whichever way
 * round it goes: their per-round ratio is the target's figure.
 */
async function measure(source: string, dir: string, rounds: number): Promise<Record<Name, number[]>> {
  const names = Object.keys(CONTENDERS) as Name[];
  const seconds = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
  const target = join(dir, 'copy.db');
  for (let round = 0; round < rounds; round += 1) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      for (const leftover of ['', '-journal', '-wal', '.partial']) rmSync(target + leftover, { force: true });
      // Start each from a clean disk: no writeback of an earlier contender's file lands in this one's fsync.
      execFileSync('sync');
      const started = performance.now();
      await CONTENDERS[name](source, target);
      seconds[name].push((performance.now() - started) / 1000);
    }
  }
  rmSync(target, { force: true });
  return seconds;
}

export const benchmark: Benchmark = {
  name: 'backup',
  async run(options: BenchOptions): Promise<Figure[]> {
    const big = bigReferenceDatabase(options.dir, options.quick ? 20 : 1000);
    fsyncPath(big.file);
    const sample = await backupAsUpgradeDoes(big.file, join(options.dir, 'sample.backup'));
    rmSync(sample.path);
    const rounds = options.quick ? 1 : 9;
    const perRound = await measure(big.file, options.dir, rounds);
    const rate = (name: Name): Measurement => ({ label: name, value: big.bytes / 1e6 / median(perRound[name]), unit: 'MB/s' });
    // drawbridge's throughput over another's, round by round (their seconds inverted), then the median.
    const paired = (name: Name): number => median(perRound.drawbridge.map((s, i) => (perRound[name][i] ?? Number.NaN) / s));
    const notes =
      `${big.description}; upgrade's path ran: ${sample.method} (verified by ${sample.verified}); ${rounds} rounds, medians; ratios are medians of per-round ratios (the disk's fsync speed swings between rounds; drawbridge and the file copy run back to back); context: ` +
      (['drawbridge, backup-API fallback', 'drawbridge standalone (quick_check of the copy)', 'db.backup() (one step)'] as const).map((n) => `${n} ${rate(n).value.toFixed(0)} MB/s`).join(', ');
    return [
      figure('backup-vs-file-copy', `backup of a ${(big.bytes / 1e6).toFixed(0)} MB database before an upgrade`, rate('drawbridge'), rate('file copy + fsync'), { op: '>=', value: 0.8 }, notes, paired('file copy + fsync')),
      figure('backup-vs-sqlite-backup-api', 'backup, against SQLite\'s online backup API', rate('drawbridge'), rate('db.backup() (100-page steps)'), { op: '>=', value: 1 }, notes, paired('db.backup() (100-page steps)')),
      figure('backup-vs-vacuum-into', 'backup, against VACUUM INTO', rate('drawbridge'), rate('VACUUM INTO'), { op: '>=', value: 1 }, notes, paired('VACUUM INTO')),
    ];
  },
};
