import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './connection.js';
import { integrityCheck, quickCheck } from './pragmas.js';
import type { CheckRequest } from './structural-check-worker.js';

/**
 * quick_check (or integrity_check) of a big database on a worker thread,
 * while the caller does its other reads on the main one: the report's row
 * counts, foreign_key_check and detection then cost no wall time next to the
 * check when a second core is free, instead of adding ~85% to it on a 1 GB
 * file (npm run bench -- --only report).
 * Small databases, and any worker that cannot start or fails, are checked
 * inline on the caller's connection, so the result and its errors are always
 * those of the caller's own check.
 */

export interface RunningCheck {
  /** SQLite's problem lines; [] when healthy. */
  readonly result: Promise<string[]>;
  /** Stop a check still running (the caller failed elsewhere). */
  stop(): void;
}

/** Below this, the check takes about as long as starting a worker (~30 ms, at ~1.5 GB/s). */
const WORKER_MIN_BYTES = 64 * 1024 * 1024;

function databaseBytes(db: SqliteDatabase): number {
  const pages = db.prepare('PRAGMA page_count').get() as { page_count: number } | undefined;
  const size = db.prepare('PRAGMA page_size').get() as { page_size: number } | undefined;
  return (pages?.page_count ?? 0) * (size?.page_size ?? 0);
}

function checkInline(db: SqliteDatabase, pragma: CheckRequest['pragma']): string[] {
  return pragma === 'integrity_check' ? integrityCheck(db) : quickCheck(db);
}

function settled(result: Promise<string[]>): RunningCheck {
  return { result, stop: () => undefined };
}

export interface CheckOptions {
  readonly lockTimeoutMs: number;
  /** Databases smaller than this are checked inline (default 64 MiB). */
  readonly workerMinBytes?: number;
}

export function startStructuralCheck(db: SqliteDatabase, pragma: CheckRequest['pragma'], options: CheckOptions): RunningCheck {
  const { lockTimeoutMs, workerMinBytes = WORKER_MIN_BYTES } = options;
  if (db.memory || db.name === '' || databaseBytes(db) < workerMinBytes) return settled(Promise.resolve(checkInline(db, pragma)));
  let worker: Worker;
  try {
    worker = new Worker(new URL('./structural-check-worker.js', import.meta.url), { workerData: { path: db.name, pragma, lockTimeoutMs } satisfies CheckRequest });
  } catch {
    return settled(Promise.resolve(checkInline(db, pragma)));
  }
  let done = false;
  let abandon = (): void => undefined;
  const result = new Promise<string[]>((resolve, reject) => {
    abandon = () => reject(new Error('the check was stopped'));
    const fallBack = (): void => {
      if (done) return;
      done = true;
      try {
        resolve(checkInline(db, pragma));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    worker.once('message', (lines: string[]) => {
      done = true;
      resolve(lines);
    });
    worker.once('error', fallBack);
    worker.once('exit', fallBack);
  });
  // Awaited only once the caller's own reads are done: until then a failure must not count as unhandled.
  result.catch(() => undefined);
  return {
    result,
    stop: () => {
      if (done) return;
      done = true;
      abandon();
      void worker.terminate();
    },
  };
}
