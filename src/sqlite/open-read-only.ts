import Database from 'better-sqlite3';
import { constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { NotADatabaseError } from '../errors.js';
import type { SqliteDatabase } from './connection.js';
import { checkDatabaseFile, isWalHeader, readHeader } from './file-check.js';
import { translateSqliteError } from './sqlite-errors.js';

/**
 * Open a database for reading without changing a byte of it, its -wal or its
 * -shm. For a rollback-journal database SQLite's read-only mode already
 * guarantees that. A WAL database is different: even a read-only connection
 * creates a missing -wal/-shm and writes read marks into an existing -shm,
 * and a hot journal would need rolling back. For those, we read a private
 * copy (the file and its -wal or -journal, never the -shm) in a temporary
 * folder; SQLite recovers the copy there. The copy costs a file read; it is
 * the price of the guarantee, and readFromCopy says when it was paid.
 */

export interface ReadOnlyConnection {
  readonly db: SqliteDatabase;
  readonly readFromCopy: boolean;
  close(): void;
}

function nonEmpty(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0;
}

function open(path: string, file: string, readonly: boolean, lockTimeoutMs: number): SqliteDatabase {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly, fileMustExist: true, timeout: lockTimeoutMs });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db?.close();
    throw translateSqliteError(error, file, lockTimeoutMs) ??
      new NotADatabaseError(`${file}: cannot be read (${(error as Error).message}). Check the path and its permissions.`, { cause: error, details: { file } });
  }
}

export function openReadOnly(path: string, options: { readonly lockTimeoutMs: number }): ReadOnlyConnection {
  const facts = checkDatabaseFile(path, { mustExist: true });
  const needsCopy = facts.sizeBytes > 0 && (isWalHeader(readHeader(path)) || existsSync(`${path}-wal`) || nonEmpty(`${path}-journal`));
  if (!needsCopy) {
    const db = open(path, path, true, options.lockTimeoutMs);
    return { db, readFromCopy: false, close: () => db.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-read-'));
  const copy = join(dir, basename(path));
  try {
    copyFileSync(path, copy, constants.COPYFILE_FICLONE);
    for (const suffix of ['-wal', '-journal']) {
      if (existsSync(path + suffix)) copyFileSync(path + suffix, copy + suffix, constants.COPYFILE_FICLONE);
    }
    // Read-write on the copy: recovering a hot journal or a WAL needs to write, and the copy is ours.
    const db = open(copy, path, false, options.lockTimeoutMs);
    return {
      db,
      readFromCopy: true,
      close: () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
