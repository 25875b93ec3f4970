/**
 * The handle the reference app's old inline `runMigrations(db)` was written
 * against: the few better-sqlite3 calls it used. A better-sqlite3 `Database`
 * satisfies it, and so does drawbridge's own `SqliteDatabase`.
 */
export interface LegacyStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface LegacyDb {
  prepare(sql: string): LegacyStatement;
  exec(sql: string): unknown;
}

/**
 * Test seam: `checkpoint(label)` is called between the steps of a legacy
 * function (labels like "r02:conversation", "r07:copied"). Throwing from it
 * simulates the app crashing half-way: legacy code used no transaction, so
 * everything done before the checkpoint stays on disk.
 */
export interface LegacyHooks {
  checkpoint?(label: string): void;
}

/** Metadata of one shipped release of the reference app. */
export interface LegacyRelease {
  readonly id: string;
  readonly version: string;
  /** What PRAGMA user_version holds after this release's function ran (not always what it should have been). */
  readonly userVersion: number;
  /** When it shipped (fixed: fixture timestamps start from it). */
  readonly released: string;
}

/** A release's metadata together with its inline migration function. */
export interface LegacyReleaseModule {
  readonly release: LegacyRelease;
  runMigrations(db: LegacyDb, hooks?: LegacyHooks): void;
}
