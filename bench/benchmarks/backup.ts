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
import { closeSync, copyFileSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupDatabase, type BackupResult } from '../../src/sqlite/backup.js';
import { figure, type Benchmark, type BenchOptions, type Figure, type Measurement } from '../figure.js';
import { median } from '../measure.js';
import { bigReferenceDatabase } from '../reference-database.js';

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

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
  fsyncFile(target);
}

function vacuumInto(source: string, target: string): void {
  const db = new Database(source, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  fsyncFile(target);
}

type Contender = (source: string, target: string) => unknown;

const CONTENDERS = {
  drawbridge: (source, target) => backupAsUpgradeDoes(source, target),
  'file copy + fsync': (source, target) => {
    copyFileSync(source, target);
    fsyncFile(target);
  },
  'drawbridge, backup-API fallback': (source, target) => backupAsUpgradeDoes(source, target, { method: 'backup-api' }),
  'drawbridge standalone (quick_check of the copy)': (source, target) => backupDatabase(source, target),
  'db.backup() (100-page steps)': (source, target) => sqliteBackup(source, target, 100),
  'db.backup() (one step)': (source, target) => sqliteBackup(source, target, 1 << 30),
  'VACUUM INTO': vacuumInto,
} satisfies Record<string, Contender>;
type Name = keyof typeof CONTENDERS;

/** Seconds per run of each contender: only the copy is timed, never the removal of the last one. */
async function measure(source: string, dir: string, rounds: number): Promise<Record<Name, number>> {
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
  return Object.fromEntries(names.map((n) => [n, median(seconds[n])])) as Record<Name, number>;
}

export const benchmark: Benchmark = {
  name: 'backup',
  async run(options: BenchOptions): Promise<Figure[]> {
    const big = bigReferenceDatabase(options.dir, options.quick ? 20 : 1000);
    fsyncFile(big.file);
    const sample = await backupAsUpgradeDoes(big.file, join(options.dir, 'sample.backup'));
    rmSync(sample.path);
    const rounds = options.quick ? 1 : 7;
    const seconds = await measure(big.file, options.dir, rounds);
    const rate = (name: Name): Measurement => ({ label: name, value: big.bytes / 1e6 / seconds[name], unit: 'MB/s' });
    const notes =
      `${big.description}; upgrade's path ran: ${sample.method} (verified by ${sample.verified}); ${rounds} rounds, medians; context: ` +
      (['drawbridge, backup-API fallback', 'drawbridge standalone (quick_check of the copy)', 'db.backup() (one step)'] as const).map((n) => `${n} ${rate(n).value.toFixed(0)} MB/s`).join(', ');
    return [
      figure('backup-vs-file-copy', `backup of a ${(big.bytes / 1e6).toFixed(0)} MB database before an upgrade`, rate('drawbridge'), rate('file copy + fsync'), { op: '>=', value: 0.8 }, notes),
      figure('backup-vs-sqlite-backup-api', 'backup, against SQLite\'s online backup API', rate('drawbridge'), rate('db.backup() (100-page steps)'), { op: '>=', value: 1 }, notes),
      figure('backup-vs-vacuum-into', 'backup, against VACUUM INTO', rate('drawbridge'), rate('VACUUM INTO'), { op: '>=', value: 1 }, notes),
    ];
  },
};
