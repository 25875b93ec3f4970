/**
 * The reference app's legacy history: its old inline runMigrations() as it
 * stood in each shipped release, oldest first, and the generator of one
 * database per legacy state (./generate.js).
 */
import type { LegacyDb, LegacyHooks, LegacyReleaseModule } from './legacy-db.js';
import * as r01 from './releases/r01.js';
import * as r02 from './releases/r02.js';
import * as r03 from './releases/r03.js';
import * as r04 from './releases/r04.js';
import * as r05 from './releases/r05.js';
import * as r06 from './releases/r06.js';
import * as r07 from './releases/r07.js';
import * as r08 from './releases/r08.js';
import * as r09 from './releases/r09.js';
import * as r10 from './releases/r10.js';
import * as r11 from './releases/r11-future.js';

export type { LegacyDb, LegacyHooks, LegacyRelease, LegacyReleaseModule, LegacyStatement } from './legacy-db.js';

/** Every shipped release, oldest first (r01 … r10). The future release is not among them. */
export const RELEASES: readonly LegacyReleaseModule[] = Object.freeze([r01, r02, r03, r04, r05, r06, r07, r08, r09, r10]);

/** A release newer than this app knows (1.0.0), for databases "from the future". */
export const FUTURE_RELEASE: LegacyReleaseModule = r11;

/** The release a given id names (r01 … r10, or r11 for the future one). */
export function releaseById(id: string): LegacyReleaseModule {
  const found = [...RELEASES, FUTURE_RELEASE].find((r) => r.release.id === id);
  if (found === undefined) throw new Error(`no legacy release "${id}" (known: r01 … r10, r11)`);
  return found;
}

/**
 * The old inline function as the last release before drawbridge shipped it
 * (0.9.0): what the legacy fallback runs. It upgrades a database from any
 * earlier release and is idempotent.
 */
export function latestLegacyRun(db: LegacyDb, hooks?: LegacyHooks): void {
  r10.runMigrations(db, hooks);
}

/** The same, under the name `--legacy <module>` looks for. */
export const run = latestLegacyRun;
