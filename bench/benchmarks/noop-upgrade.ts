/**
 * Target 1, in process: the app's every-start `upgrade(db, options)` on a
 * current database (connection open, 200 applied migrations) against the
 * floor — one prepared SELECT of the tracking table's names and checksums,
 * rows as arrays, compared with the app's list — and against umzug's
 * `pending()` with a storage over the same table (the peer as an app would
 * wire it). Context: knex's `migrate.latest()` on a current knex database of
 * the same 200 migrations, and an ad-hoc startup of 50 `PRAGMA table_info`
 * probes.
 */
import Database from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import { join } from 'node:path';
import { Umzug } from 'umzug';
import { checksumOf, createRunner, defineMigrations, upgrade } from '../../src/index.js';
import type { MigrationSet } from '../../src/index.js';
import { figure, type Benchmark, type BenchOptions, type Figure } from '../figure.js';
import { compare } from '../measure.js';

const TABLE = 'drawbridge_migrations';
const PROBES = 50;

/** One statement each (knex runs a migration's SQL as one statement): every tenth a new table, the rest add a column to it. */
function statementOf(index: number): string {
  const table = `t_${Math.floor((index - 1) / 10) + 1}`;
  return index % 10 === 1 ? `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL)` : `ALTER TABLE ${table} ADD COLUMN c_${index} TEXT`;
}

export interface AppMigration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** The app's sequence as a bundle embeds it: .sql texts with checksums computed at build time. */
export function appMigrations(count: number): AppMigration[] {
  return Array.from({ length: count }, (_, i) => {
    const sql = `-- migrate:up\n${statementOf(i + 1)};\n`;
    return { name: `${String(i + 1).padStart(4, '0')}_step_${i + 1}`, sql, checksum: checksumOf(sql) };
  });
}

/** A database at the head of `migrations`, applied by drawbridge. */
export async function currentDatabase(file: string, migrations: readonly AppMigration[]): Promise<void> {
  await createRunner(file, { migrations: defineMigrations(migrations) }).up();
}

function floorCheck(db: Database.Database, migrations: readonly AppMigration[]): () => boolean {
  const statement = db.prepare(`SELECT name, checksum FROM ${TABLE} ORDER BY name`).raw(true);
  return () => {
    const rows = statement.all() as [string, string | null][];
    if (rows.length !== migrations.length) return false;
    return rows.every(([name, checksum], i) => name === migrations[i]?.name && checksum === migrations[i]?.checksum);
  };
}

function umzugOver(db: Database.Database, migrations: readonly AppMigration[]): Umzug<object> {
  const executed = db.prepare(`SELECT name FROM ${TABLE} ORDER BY name`).pluck();
  return new Umzug({
    migrations: migrations.map((m) => ({ name: m.name, up: () => Promise.resolve() })),
    context: {},
    logger: undefined,
    storage: {
      executed: () => Promise.resolve(executed.all() as string[]),
      logMigration: () => Promise.resolve(),
      unlogMigration: () => Promise.resolve(),
    },
  });
}

/** The same sequence as knex migrations, on a database knex itself brought to the head; `latest` is the every-start call. */
async function knexAtHead(file: string, migrations: readonly AppMigration[]): Promise<{ knex: Knex; latest: () => Promise<unknown> }> {
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
  const migrationSource: Knex.MigrationSource<AppMigration> = {
    getMigrations: () => Promise.resolve([...migrations]),
    getMigrationName: (m) => m.name,
    getMigration: (m) => Promise.resolve({ up: (k: Knex) => k.raw(statementOf(Number(m.name.slice(0, 4)))), down: () => Promise.resolve() }),
  };
  const latest = (): Promise<unknown> => knex.migrate.latest({ migrationSource });
  await latest();
  return { knex, latest };
}

/** What an app without a migration tool does on every start: ask each table what columns it has. */
function adHocProbes(db: Database.Database, tables: number): () => void {
  return () => {
    for (let i = 0; i < PROBES; i += 1) db.prepare(`PRAGMA table_info(t_${(i % tables) + 1})`).all();
  };
}

function us(label: string, ms: number): { label: string; value: number; unit: 'µs' } {
  return { label, value: ms * 1000, unit: 'µs' };
}

export const benchmark: Benchmark = {
  name: 'noop-upgrade',
  async run({ quick, dir }: BenchOptions): Promise<Figure[]> {
    const count = quick ? 20 : 200;
    const rounds = quick ? 5 : 150;
    const migrations = appMigrations(count);
    const file = join(dir, 'app.db');
    await currentDatabase(file, migrations);
    const db = new Database(file);
    const set: MigrationSet = defineMigrations(migrations);
    const subject = async (): Promise<void> => {
      const result = await upgrade(db, { migrations: set });
      if (result.action !== 'nothing') throw new Error(`noop-upgrade: expected nothing to do, got ${result.action}`);
    };
    const floor = floorCheck(db, migrations);
    if (!floor()) throw new Error('noop-upgrade: the floor does not see a current database');
    const umzug = umzugOver(db, migrations);
    if ((await umzug.pending()).length !== 0) throw new Error('noop-upgrade: umzug sees pending migrations');
    const { knex, latest } = await knexAtHead(join(dir, 'knex.db'), migrations);
    try {
      const vsFloor = await compare(subject, floor, { rounds, batch: quick ? 5 : 100, warmup: 5 });
      const vsUmzug = await compare(subject, () => umzug.pending(), { rounds, batch: quick ? 5 : 100, warmup: 5 });
      const vsKnex = await compare(subject, latest, { rounds: quick ? 3 : 40, batch: quick ? 1 : 10 });
      const vsProbes = await compare(subject, adHocProbes(db, Math.ceil(count / 10)), { rounds: quick ? 3 : 60, batch: quick ? 2 : 20 });
      const sizes = `${count} applied migrations, connection open`;
      return [
        figure('noop-upgrade-vs-floor', 'no-op upgrade() vs SELECT + compare', us('upgrade()', vsFloor.subject), us('SELECT + compare', vsFloor.baseline), { op: '<=', value: 1.3 }, `${sizes}; floor: prepared once, rows as arrays`),
        figure('noop-upgrade-vs-umzug', 'no-op upgrade() vs umzug pending()', us('upgrade()', vsUmzug.subject), us('umzug pending()', vsUmzug.baseline), { op: '<=', value: 1 }, `${sizes}; umzug storage reads the same table (no checksums)`),
        figure('noop-upgrade-vs-knex', 'no-op upgrade() vs knex migrate.latest()', us('upgrade()', vsKnex.subject), us('knex latest()', vsKnex.baseline), { op: '<=', value: 1 }, `${sizes}; context: knex on its own current database`),
        figure('noop-upgrade-vs-probes', `no-op upgrade() vs ${PROBES} PRAGMA table_info probes`, us('upgrade()', vsProbes.subject), us(`${PROBES} probes`, vsProbes.baseline), { op: '<=', value: 1 }, `${sizes}; context: an ad-hoc startup`),
      ];
    } finally {
      await knex.destroy();
      db.close();
    }
  },
};
