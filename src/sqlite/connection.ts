/**
 * The small subset of better-sqlite3 drawbridge uses. Typing against this
 * (instead of the whole library) lets apps and tests hand in their own handle,
 * and keeps drawbridge honest about what it touches.
 */
export interface SqliteRunResult {
  readonly changes: number | bigint;
  readonly lastInsertRowid: number | bigint;
}

export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  /** The file path the handle was opened with (":memory:" or "" for in-memory databases). */
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly readonly: boolean;
  readonly memory: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  close(): unknown;
}
