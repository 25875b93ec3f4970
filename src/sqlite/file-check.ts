import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { NotADatabaseError, UsageError } from '../errors.js';

/**
 * Look at a file before SQLite opens it, so that a wrong path never gets
 * touched: SQLite happily "opens" a text file (it fails only at the first
 * query) and opening read-write may leave a journal behind. The rules come
 * from the file format spec (sqlite.org/fileformat.html, "The Database Header").
 */

const HEADER_SIZE = 100;
const MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

export interface DatabaseFileFacts {
  readonly path: string;
  /** false when nothing is at the path yet (an `up` will create it). */
  readonly exists: boolean;
  readonly sizeBytes: number;
  /** 0 for a new or empty file. */
  readonly pageSize: number;
}

function notADatabase(path: string, reason: string, details: Record<string, unknown> = {}): NotADatabaseError {
  return new NotADatabaseError(
    `${path}: ${reason}. drawbridge did not open or change it; check the path, or restore the file from a backup.`,
    { details: { file: path, reason, ...details } },
  );
}

/** The first 100 bytes of a file: the SQLite database header (zeros past the end of a short file). */
export function readHeader(path: string): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, HEADER_SIZE, 0);
  } finally {
    closeSync(fd);
  }
  return header;
}

const JOURNAL_MAGIC = Buffer.from('d9d505f920a163d7', 'hex');

/** A rollback journal a crashed writer left, which SQLite will play back. */
function isHotJournal(journal: string): boolean {
  if (!existsSync(journal)) return false;
  const magic = Buffer.alloc(JOURNAL_MAGIC.length);
  const fd = openSync(journal, 'r');
  try {
    return readSync(fd, magic, 0, magic.length, 0) === magic.length && magic.equals(JOURNAL_MAGIC);
  } finally {
    closeSync(fd);
  }
}

function pageSizeOf(header: Buffer): number {
  const raw = header.readUInt16BE(16);
  return raw === 1 ? 65536 : raw;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * Check that `path` is absent, empty, or starts like a whole SQLite database.
 * Throws NotADatabaseError (exit 7) with a one-line reason otherwise.
 */
export function checkDatabaseFile(path: string, options: { mustExist: boolean }): DatabaseFileFacts {
  // SQLite reads "" and ":memory:" as a private temporary database: a command would "succeed" on nothing.
  if (path === '' || path === ':memory:') {
    throw new UsageError(`${path === '' ? 'an empty path' : '":memory:"'} is not a database file: SQLite would open a temporary database and drop it. Give the path of the file (./:memory: for a file of that name).`);
  }
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !options.mustExist) {
      return { path, exists: false, sizeBytes: 0, pageSize: 0 };
    }
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const reason = code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`;
    throw notADatabase(path, reason, { errno: code });
  }
  if (stats.isDirectory()) throw notADatabase(path, 'is a directory, not a database file');
  if (!stats.isFile()) throw notADatabase(path, 'is not a regular file');
  if (stats.size === 0) return { path, exists: true, sizeBytes: 0, pageSize: 0 };

  let header: Buffer;
  try {
    header = readHeader(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw notADatabase(path, `cannot be read (${code})`, { errno: code });
  }
  if (stats.size < HEADER_SIZE) {
    const looksLikeSqlite = header.subarray(0, Math.min(stats.size, MAGIC.length)).equals(MAGIC.subarray(0, Math.min(stats.size, MAGIC.length)));
    throw notADatabase(path, looksLikeSqlite
      ? `is truncated (${stats.size} bytes, shorter than the 100-byte SQLite header)`
      : 'is not an SQLite database (it does not start with the SQLite header)');
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw notADatabase(path, 'is not an SQLite database (it does not start with "SQLite format 3")');
  }
  const pageSize = pageSizeOf(header);
  if (!isPowerOfTwo(pageSize) || pageSize < 512 || pageSize > 65536) {
    throw notADatabase(path, `has a corrupt header (page size ${pageSize} is not a power of two between 512 and 65536)`);
  }
  // A -wal file may hold pages that extend the database (SQLite replays it),
  // and a hot journal may hold the pages a crash interrupted mid-COMMIT
  // (SQLite rolls it back on open): with either, the main file alone may
  // legitimately look short. Only judge its size without them.
  if (!existsSync(`${path}-wal`) && !isHotJournal(`${path}-journal`)) {
    if (stats.size % pageSize !== 0) {
      throw notADatabase(path, `is truncated or damaged (${stats.size} bytes is not a whole number of ${pageSize}-byte pages)`);
    }
    const changeCounter = header.readUInt32BE(24);
    const validFor = header.readUInt32BE(92);
    const pageCount = header.readUInt32BE(28);
    if (changeCounter === validFor && pageCount > 0 && pageCount * pageSize > stats.size) {
      throw notADatabase(path, `is truncated (${stats.size} bytes, but its header says ${pageCount} pages of ${pageSize} bytes)`, {
        expectedBytes: pageCount * pageSize,
      });
    }
  }
  return { path, exists: true, sizeBytes: stats.size, pageSize };
}

/** The SQLite library version that last wrote the file (header bytes 96–99), e.g. "3.45.1". */
export function lastWriterVersion(header: Buffer): string {
  const n = header.readUInt32BE(96);
  return n === 0 ? 'unknown' : `${Math.floor(n / 1_000_000)}.${Math.floor(n / 1000) % 1000}.${n % 1000}`;
}

/** WAL mode is recorded in the header's read/write version bytes (18, 19). */
export function isWalHeader(header: Buffer): boolean {
  return header[18] === 2 || header[19] === 2;
}
