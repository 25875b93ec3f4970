import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Mode } from '../bridge/plan.js';
import { resolveMode } from '../bridge/modes.js';
import { UsageError } from '../errors.js';
import { listDatabases, type ListedDatabase } from './list-databases.js';
import { loadFleet, workerData } from './load-fleet.js';
import { FleetPool } from './pool.js';
import { inShard, type Shard } from './shard.js';
import { FleetTally, type FleetSummary } from './summary.js';
import type { FleetResult, FleetSources, FleetTask } from './types.js';

/**
 * runFleet(): detect (or upgrade) many databases on worker threads. The
 * arguments are listed and sharded, the sources loaded and checked once in
 * this thread (invalid migrations or rules stop everything before any
 * database is touched), then a pool of workers processes the databases and
 * each result is handed to onResult as soon as it is known.
 */

export interface FleetOptions {
  /** Paths, not loaded objects: each worker loads them itself. */
  readonly sources: FleetSources;
  /** Upgrade each database instead of only detecting it (and planning what an upgrade would do). */
  readonly upgrade?: boolean;
  /** Default: the DRAWBRIDGE_MODE environment variable, else 'bridge'. */
  readonly mode?: Mode | undefined;
  readonly to?: string | undefined;
  /** With upgrade: a backup beside each database (default), in a folder, or none. */
  readonly backup?: { readonly dir?: string } | false;
  /** Worker threads. Default: os.availableParallelism(). */
  readonly concurrency?: number | undefined;
  /** Only this slice of the fleet (--shard K/N). */
  readonly shard?: Shard | undefined;
  /** Each database's result as soon as it is known, in the order they finish. */
  readonly onResult?: (result: FleetResult) => void;
  /** After each result: how many are done, of how many, and how many failed. */
  readonly onProgress?: (progress: FleetProgress) => void;
}

export interface FleetProgress {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface FleetRun {
  /** Databases the arguments name, before sharding. */
  readonly listed: number;
  readonly summary: FleetSummary;
}

function taskOf(options: FleetOptions): FleetTask {
  const upgrade = options.upgrade === true;
  const backup = options.backup ?? {};
  if (!upgrade && options.backup !== undefined) throw new UsageError('fleet: --no-backup and --backup-dir only apply with --upgrade (detection writes nothing).');
  if (backup !== false && backup.dir !== undefined && !existsSync(backup.dir)) {
    throw new UsageError(`fleet: the backup folder ${backup.dir} does not exist; nothing was done. Create it, or choose another --backup-dir.`);
  }
  return { upgrade, mode: resolveMode(options.mode), to: options.to, backup: upgrade ? backup : false };
}

function concurrencyOf(options: FleetOptions): number {
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new UsageError(`fleet: concurrency must be a whole number of at least 1, got ${concurrency}.`);
  return concurrency;
}

/**
 * Under --backup-dir a database's backups go to its relative path there: two
 * databases with one relative path (from different arguments) would share
 * backup files, so that is refused before anything runs.
 */
function assertDistinctBackups(task: FleetTask, databases: readonly ListedDatabase[]): void {
  if (task.backup === false || task.backup.dir === undefined) return;
  const seen = new Map<string, string>();
  for (const { file, relativePath } of databases) {
    const other = seen.get(relativePath);
    if (other !== undefined) {
      throw new UsageError(`fleet: ${other} and ${file} are both ${relativePath} relative to their arguments, so their backups would share a name under --backup-dir ${task.backup.dir}; nothing was done. Run the fleet once per argument, or leave out --backup-dir (backups beside each database).`);
    }
    seen.set(relativePath, file);
  }
}

/** Mode legacy runs nothing but the app's old migrations: without them, every database would be refused. */
function assertLegacyGiven(task: FleetTask, sources: FleetSources): void {
  if (task.upgrade && task.mode === 'legacy' && sources.legacy === undefined) {
    throw new UsageError("fleet --upgrade --mode legacy runs only the app's old migration function, and none was given; nothing was done. Pass --legacy <module>.");
  }
}

export async function runFleet(inputs: readonly string[], options: FleetOptions): Promise<FleetRun> {
  const started = performance.now();
  const task = taskOf(options);
  const concurrency = concurrencyOf(options);
  assertLegacyGiven(task, options.sources);
  const listed = await listDatabases(inputs);
  const databases = inShard(listed, options.shard);
  assertDistinctBackups(task, databases);
  const loaded = await loadFleet(options.sources, task);
  const tally = new FleetTally(task.upgrade ? 'upgrade' : 'detect', options.shard ?? null);
  const pool = new FleetPool(databases, workerData(loaded), concurrency, (result) => {
    tally.add(result);
    options.onResult?.(result);
    options.onProgress?.({ done: tally.done, total: databases.length, failed: tally.failed, elapsedMs: performance.now() - started });
  });
  await pool.run();
  return { listed: listed.length, summary: tally.summary(performance.now() - started) };
}
