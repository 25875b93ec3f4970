import type { SqliteDatabase } from './connection.js';

/**
 * Explicit transaction control. better-sqlite3's db.transaction() wraps only
 * synchronous functions; migrations may be async (umzug awaits them), so the
 * runner brackets them with these instead, on one connection nobody else uses
 * while the transaction is open.
 */

/**
 * BEGIN IMMEDIATE takes SQLite's RESERVED lock up front: concurrent writers
 * wait here (through busy_timeout) instead of deadlocking later when a read
 * transaction tries to upgrade. A crashed holder's lock vanishes with its
 * process, unlike a lock row in a table.
 */
export function beginImmediate(db: SqliteDatabase): void {
  db.exec('BEGIN IMMEDIATE');
}

export function commit(db: SqliteDatabase): void {
  db.exec('COMMIT');
}

/** Roll back if a transaction is still open (SQLite may already have rolled back after some errors). */
export function rollbackIfOpen(db: SqliteDatabase): void {
  if (db.inTransaction) db.exec('ROLLBACK');
}
