import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { addActivity, addOrphans } from './activity.js';
import { FUTURE_RELEASE, RELEASES } from './index.js';
import type { LegacyHooks, LegacyReleaseModule } from './legacy-db.js';
import { Clock, Rng, seedOf } from './random.js';
import { tableExists } from './releases/probes.js';

/**
 * The fixture generator: one SQLite database per state the reference app's
 * legacy code can leave behind. Deterministic: seeded randomness and a fixed
 * clock, so two runs write identical rows.
 *
 * Databases are written with foreign keys OFF (better-sqlite3 turns them on by
 * default): the 0.6.0 rebuild of sessions deletes every child row when they
 * are on, and the installs whose data survived are the ones that had them off.
 */

export type FixtureKind = 'upgraded' | 'fresh' | 'variant';

export interface FixtureInfo {
  /** e.g. "release-r07", "fresh-r04", "variant-crashed-r07". */
  readonly name: string;
  /** The database file (`<outDir>/<name>.db`). */
  readonly file: string;
  /**
   * The legacy release whose function last ran to completion on it: r01 … r10,
   * or r11 (a release newer than this app knows) for variant-newer.
   * Null only for a state no release's function produced.
   */
  readonly release: string | null;
  /** upgraded: lived through every release up to `release`; fresh: installed at `release`; variant: a damaged or unusual state. */
  readonly kind: FixtureKind;
  readonly expectedUserVersion: number;
  readonly description: string;
  readonly journalMode: 'delete' | 'wal';
}

type FixtureMeta = Omit<FixtureInfo, 'file'>;

interface FixtureSpec extends FixtureMeta {
  readonly build: (file: string, outDir: string) => void;
}

/** Thrown from hooks.checkpoint to simulate the app dying half-way through a legacy function. */
export class SimulatedCrash extends Error {
  constructor(readonly label: string) {
    super(`simulated crash at checkpoint "${label}"`);
    this.name = 'SimulatedCrash';
  }
}

function companions(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}

function removeDatabase(file: string): void {
  for (const path of companions(file)) rmSync(path, { force: true });
}

function openForWriting(file: string): Database.Database {
  removeDatabase(file);
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  // Speed only, same rows: no waiting for the disk, no rollback journal file per statement.
  // (journal_mode MEMORY is not stored in the file: opened again, it is an ordinary rollback-journal database.)
  db.pragma('synchronous = OFF');
  db.pragma('journal_mode = MEMORY');
  return db;
}

function withDatabase(file: string, work: (db: Database.Database) => void): void {
  const db = openForWriting(file);
  try {
    work(db);
  } finally {
    db.close();
  }
}

function markerRows(db: Database.Database): Map<string, unknown> {
  if (!tableExists(db, 'user_preferences')) return new Map();
  const rows = db.prepare("SELECT key, updated_at FROM user_preferences WHERE key LIKE 'migration.%'").all() as { key: string; updated_at: unknown }[];
  return new Map(rows.map((row) => [row.key, row.updated_at]));
}

/**
 * Run one release's function, as the app did on start. The marker rows it
 * writes (user_preferences 'migration.*') get their updated_at from SQLite's
 * CURRENT_TIMESTAMP, i.e. today; they are stamped with the fixture clock so
 * that every run writes the same rows.
 */
function runRelease(db: Database.Database, module: LegacyReleaseModule, clock: Clock, hooks?: LegacyHooks): void {
  const before = markerRows(db);
  try {
    module.runMigrations(db, hooks);
  } finally {
    const stamp = clock.tick(1, 5);
    for (const [key, updatedAt] of markerRows(db)) {
      if (!before.has(key) || before.get(key) !== updatedAt) {
        db.prepare('UPDATE user_preferences SET updated_at = ? WHERE key = ?').run(stamp, key);
      }
    }
  }
}

function releaseModule(index: number): LegacyReleaseModule {
  const module = RELEASES[index];
  if (module === undefined) throw new Error(`no release at position ${index + 1}`);
  return module;
}

/** Where one install's history left its randomness and its clock, for a variant to go on from. */
interface Lineage {
  readonly rng: Rng;
  readonly clock: Clock;
}

/** A round of use of the app, in one transaction (as if the app batched it; only speed differs). */
function useApp(db: Database.Database, rng: Rng, clock: Clock): void {
  db.transaction(() => addActivity(db, rng, clock))();
}

/** One install that lived through releases 1..count, with use of the app after each upgrade. */
function liveThrough(db: Database.Database, count: number): Lineage {
  const rng = new Rng(seedOf('crystal-install-1'));
  const clock = new Clock(releaseModule(0).release.released, rng);
  for (let i = 0; i < count; i++) {
    const module = releaseModule(i);
    clock.advanceTo(module.release.released);
    runRelease(db, module, clock);
    useApp(db, rng, clock);
  }
  return { rng, clock };
}

function installFresh(db: Database.Database, module: LegacyReleaseModule): void {
  const rng = new Rng(seedOf(`crystal-fresh-${module.release.id}`));
  const clock = new Clock(module.release.released, rng);
  runRelease(db, module, clock);
  useApp(db, rng, clock);
  useApp(db, rng, clock);
}

function upgradedSpec(index: number): FixtureSpec {
  const { release } = releaseModule(index);
  return {
    name: `release-${release.id}`,
    release: release.id,
    kind: 'upgraded',
    expectedUserVersion: release.userVersion,
    description: `installed at 0.1.0 and upgraded through every release up to ${release.version}, with use of the app after each`,
    journalMode: 'delete',
    build: (file) => withDatabase(file, (db) => liveThrough(db, index + 1)),
  };
}

function freshSpec(index: number): FixtureSpec {
  const module = releaseModule(index);
  const { release } = module;
  return {
    name: `fresh-${release.id}`,
    release: release.id,
    kind: 'fresh',
    expectedUserVersion: release.userVersion,
    description: `installed fresh at ${release.version} (tables created at that release's shape), then used`,
    journalMode: 'delete',
    build: (file) => withDatabase(file, (db) => installFresh(db, module)),
  };
}

const LAST = RELEASES.length;

function buildWalUncheckpointed(file: string, outDir: string): void {
  // The writer works on a scratch file; its -wal is copied while it is still
  // open (frames not yet checkpointed), then it closes: its final checkpoint
  // touches only the scratch file, never the copies.
  const scratch = join(outDir, '.variant-wal-uncheckpointed.writer.db');
  removeDatabase(file);
  const db = openForWriting(scratch);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    const { rng, clock } = liveThrough(db, LAST);
    db.pragma('wal_checkpoint(TRUNCATE)');
    useApp(db, rng, clock); // the last activity: only in the -wal
    copyFileSync(scratch, file);
    copyFileSync(`${scratch}-wal`, `${file}-wal`);
    if (existsSync(`${scratch}-shm`)) copyFileSync(`${scratch}-shm`, `${file}-shm`);
  } finally {
    db.close();
    removeDatabase(scratch);
  }
}

const VARIANTS: readonly FixtureSpec[] = [
  {
    name: 'variant-crashed-r07',
    release: 'r06',
    kind: 'variant',
    expectedUserVersion: 5,
    description: "release-r06, then 0.6.0's function died after copying sessions into sessions_new and before the DROP: sessions_new is left behind, user_version still 5",
    journalMode: 'delete',
    build: (file) =>
      withDatabase(file, (db) => {
        const { clock } = liveThrough(db, 6);
        clock.advanceTo(releaseModule(6).release.released);
        const crashAt = 'r07:copied';
        try {
          runRelease(db, releaseModule(6), clock, {
            checkpoint: (label) => {
              if (label === crashAt) throw new SimulatedCrash(label);
            },
          });
        } catch (error) {
          if (!(error instanceof SimulatedCrash)) throw error;
          return;
        }
        throw new Error(`r07 never reached checkpoint ${crashAt}`);
      }),
  },
  {
    name: 'variant-lying-user-version',
    release: 'r05',
    kind: 'variant',
    expectedUserVersion: 9,
    description: 'release-r05 schema and data, but PRAGMA user_version says 9 (set by hand, or by a tool that guessed)',
    journalMode: 'delete',
    build: (file) =>
      withDatabase(file, (db) => {
        liveThrough(db, 5);
        db.pragma('user_version = 9');
      }),
  },
  {
    name: 'variant-user-extras',
    release: 'r10',
    kind: 'variant',
    expectedUserVersion: 9,
    description: 'release-r10 plus a table (my_notes) and an index on sessions (my_sessions_by_name) the user made',
    journalMode: 'delete',
    build: (file) =>
      withDatabase(file, (db) => {
        liveThrough(db, LAST);
        db.exec('CREATE TABLE my_notes (id INTEGER PRIMARY KEY, body TEXT)');
        db.exec('CREATE INDEX my_sessions_by_name ON sessions(name)');
        const insert = db.prepare('INSERT INTO my_notes (id, body) VALUES (?, ?)');
        insert.run(1, 'remember to rebase the billing branch');
        insert.run(2, 'sessions by name are slow without an index');
      }),
  },
  {
    name: 'variant-wal-uncheckpointed',
    release: 'r10',
    kind: 'variant',
    expectedUserVersion: 9,
    description: 'release-r10 in WAL mode (wal_autocheckpoint=0), copied while the app was running: the last activity is only in the -wal file',
    journalMode: 'wal',
    build: buildWalUncheckpointed,
  },
  {
    name: 'variant-newer',
    release: 'r11',
    kind: 'variant',
    expectedUserVersion: 10,
    description: 'release-r10, then opened by 1.0.0, a release newer than this app knows (workspaces, projects.workspace_id)',
    journalMode: 'delete',
    build: (file) =>
      withDatabase(file, (db) => {
        const { rng, clock } = liveThrough(db, LAST);
        clock.advanceTo(FUTURE_RELEASE.release.released);
        runRelease(db, FUTURE_RELEASE, clock);
        useApp(db, rng, clock);
      }),
  },
  {
    name: 'variant-fk-violations',
    release: 'r10',
    kind: 'variant',
    expectedUserVersion: 9,
    description: 'release-r10 plus session_outputs and conversation_messages rows whose session does not exist (written with foreign keys off)',
    journalMode: 'delete',
    build: (file) =>
      withDatabase(file, (db) => {
        const { rng, clock } = liveThrough(db, LAST);
        addOrphans(db, rng, clock);
      }),
  },
];

const SPECS: readonly FixtureSpec[] = [
  ...RELEASES.map((_, i) => upgradedSpec(i)),
  ...RELEASES.map((_, i) => freshSpec(i)),
  ...VARIANTS,
];

/** Every fixture's name, in generation order: release-r01 … release-r10, fresh-r01 … fresh-r10, then the variants. */
export const FIXTURE_NAMES: readonly string[] = Object.freeze(SPECS.map((s) => s.name));

function specOf(name: string): FixtureSpec {
  const spec = SPECS.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no fixture named "${name}"; known: ${FIXTURE_NAMES.join(', ')}`);
  return spec;
}

function infoOf(spec: FixtureSpec, outDir: string): FixtureInfo {
  const { name, release, kind, expectedUserVersion, description, journalMode } = spec;
  return { name, file: join(outDir, `${name}.db`), release, kind, expectedUserVersion, description, journalMode };
}

/** What a fixture is, and where generateFixture would write it, without writing anything. */
export function describeFixture(name: string, outDir: string): FixtureInfo {
  return infoOf(specOf(name), outDir);
}

/** Write one fixture (replacing any earlier copy, with its -wal/-shm) and describe it. */
export function generateFixture(name: string, outDir: string): FixtureInfo {
  const spec = specOf(name);
  mkdirSync(outDir, { recursive: true });
  const info = infoOf(spec, outDir);
  spec.build(info.file, outDir);
  return info;
}

/** Write every fixture into outDir, one database per fixture. */
export function generateFixtures(outDir: string): FixtureInfo[] {
  return FIXTURE_NAMES.map((name) => generateFixture(name, outDir));
}
