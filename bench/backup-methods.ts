/**
 * How to back up a database before an upgrade: a file copy under the write
 * lock, SQLite's online backup API, or VACUUM INTO. Measured in one run on a
 * generated database (default 200 MB), reported as MB/s and as ratios to the
 * file copy. `npm run bench:backup -- --mb 500`.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const megabytes = argument('mb', 200);
  const rounds = argument('rounds', 3);
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-bench-backup-'));
  try {
    const source = join(dir, 'source.db');
    const db = new Database(source);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB); CREATE INDEX t_payload ON t(substr(payload, 1, 8));');
    const insert = db.prepare('INSERT INTO t (payload) VALUES (randomblob(1000))');
    db.transaction(() => {
      for (let i = 0; i < megabytes * 1000; i++) insert.run();
    })();
    db.close();
    const bytes = statSync(source).size;
    const timings: Record<string, number[]> = { 'file copy': [], 'backup API': [], 'VACUUM INTO': [] };
    for (let round = 0; round < rounds; round++) {
      const target = (name: string): string => join(dir, `${name}-${round}.db`);
      let started = performance.now();
      copyFileSync(source, target('copy'));
      timings['file copy']?.push(performance.now() - started);
      const reader = new Database(source, { readonly: true });
      started = performance.now();
      await reader.backup(target('api'), { progress: () => 1 << 14 });
      timings['backup API']?.push(performance.now() - started);
      started = performance.now();
      reader.exec(`VACUUM INTO '${target('vacuum')}'`);
      timings['VACUUM INTO']?.push(performance.now() - started);
      reader.close();
      for (const name of ['copy', 'api', 'vacuum']) rmSync(target(name), { force: true });
    }
    const copy = median(timings['file copy'] ?? []);
    process.stdout.write(`database: ${(bytes / 1e6).toFixed(0)} MB, ${rounds} rounds, medians\n`);
    for (const [name, values] of Object.entries(timings)) {
      const ms = median(values);
      process.stdout.write(`${name.padEnd(12)} ${ms.toFixed(0).padStart(6)} ms  ${((bytes / 1e6) / (ms / 1000)).toFixed(0).padStart(5)} MB/s  ${(copy / ms).toFixed(2)}× the file copy's throughput\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
