import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { integrityCheck, quickCheck } from './pragmas.js';

/**
 * The worker-thread half of background-check.ts: quick_check or
 * integrity_check on a read-only connection of its own, its problem lines
 * posted back. A thread, not a process, is safe here: it only reads, through
 * SQLite, which shares one lock table per file across a process's connections.
 */

export interface CheckRequest {
  readonly path: string;
  readonly pragma: 'quick_check' | 'integrity_check';
  readonly lockTimeoutMs: number;
}

const request = workerData as CheckRequest;
const db = new Database(request.path, { readonly: true, fileMustExist: true, timeout: request.lockTimeoutMs });
try {
  parentPort?.postMessage(request.pragma === 'integrity_check' ? integrityCheck(db) : quickCheck(db));
} finally {
  db.close();
}
