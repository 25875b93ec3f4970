import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { readJournalMode } from './pragmas.js';

/**
 * A byte-for-byte copy of a database file, made while SQLite itself keeps
 * the file from changing — whoever else has it open, whether or not the
 * caller holds a lock. At the speed of a plain file copy + fsync, ~2.5× that
 * of the online backup API (npm run bench -- --only backup).
 *
 * A read transaction of our own pins the file for the length of the copy:
 * - rollback journal: it holds SHARED, and the main file is only ever written
 *   under EXCLUSIVE, which no one can take while a SHARED lock stands (a hot
 *   journal is rolled back before SHARED is granted);
 * - WAL: a PASSIVE checkpoint taken once the snapshot is pinned must have
 *   folded every frame into the main file, or we give up. From then on no
 *   checkpoint can write a later frame into it: none passes a reader's read
 *   mark, and a reader of the main file alone holds read-mark 0, which every
 *   backfill needs exclusively. So the main file alone is the snapshot.
 *
 * The bytes are copied by a child process (`cp`, which uses copy_file_range
 * or a reflink), never by fs in this process: POSIX advisory locks belong to
 * a process, and closing ANY descriptor of the file drops ALL of its locks —
 * fs.copyFile here would silently release that read lock, and the caller's
 * write lock with it. The child holds no locks to lose.
 */

/** The fast path cannot be had here; the caller falls back to the backup API. */
export class FileCopyUnavailable extends Error {
  override readonly name = 'FileCopyUnavailable';
}

export interface CopiedDatabase {
  readonly pageSize: number;
  /** Pages in the snapshot that was copied. */
  readonly pageCount: number;
  readonly journalMode: string;
}

function copyInChildProcess(source: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('cp', ['--', source, target], { windowsHide: true }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new FileCopyUnavailable(`cp could not copy the file: ${stderr.trim() || error.message}`));
    });
  });
}

/** WAL only: fold every frame into the main file, on a second connection (the reader's transaction forbids a checkpoint on its own). */
function foldWalIntoFile(source: string): void {
  const checkpointer = new Database(source, { fileMustExist: true });
  try {
    const [row] = checkpointer.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (row === undefined || row.log !== row.checkpointed) {
      throw new FileCopyUnavailable(
        `the -wal could not be folded into the file (${row?.checkpointed ?? '?'} of ${row?.log ?? '?'} frames): another connection reads an older snapshot or is writing`,
      );
    }
  } finally {
    checkpointer.close();
  }
}

/**
 * Copy `source` (a database file) to `target` (a new file) while a read
 * transaction pins it. Throws FileCopyUnavailable, or SQLite's error, when
 * the copy cannot be had; `target` may then hold a partial file.
 */
export async function copyDatabaseFile(source: string, target: string): Promise<CopiedDatabase> {
  if (process.platform === 'win32') throw new FileCopyUnavailable('no child-process copy on Windows (its file locks are mandatory)');
  const reader = new Database(source, { fileMustExist: true });
  try {
    reader.exec('BEGIN');
    // The first read takes the lock: SHARED, or a WAL read mark.
    reader.prepare('SELECT count(*) FROM sqlite_master').get();
    const pageSize = Number(reader.pragma('page_size', { simple: true }));
    const pageCount = Number(reader.pragma('page_count', { simple: true }));
    const journalMode = readJournalMode(reader);
    if (journalMode === 'wal') foldWalIntoFile(source);
    await copyInChildProcess(source, target);
    return { pageSize, pageCount, journalMode };
  } finally {
    if (reader.inTransaction) reader.exec('ROLLBACK');
    reader.close();
  }
}
