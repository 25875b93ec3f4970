/**
 * The runner's defaults, in a module of their own so that the every-start
 * no-op (bridge/upgrade.ts) can read them without loading the tracking-table
 * code that writes.
 */

/** The tracking table's name unless `table` / `--table` says otherwise (DESIGN.md, "Tracking table"). */
export const DEFAULT_TRACKING_TABLE = 'drawbridge_migrations';

/** How long to wait for another process's write lock before giving up (exit 6). */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
