import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { probeDatabase } from '../../src/probe/fingerprint.js';
import type { SqliteDatabase } from '../../src/sqlite/connection.js';
import { quoteIdentifier } from '../../src/sqlite/quote.js';
import { execOn, openTestDb } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/** Which of SQLite's side files exist beside `path`. */
function sideFiles(path: string): string[] {
  return SIDE_FILES.filter((suffix) => existsSync(path + suffix));
}

// ---- facts ----------------------------------------------------------------------

test('user_version, application_id, journal mode and page size are reported', (t) => {
  const path = join(tempDir(t), 'facts.db');
  const db = openTestDb(path);
  db.pragma('page_size = 8192');
  db.pragma('user_version = 42');
  db.pragma('application_id = 1684234849');
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  db.close();
  const fingerprint = probeDatabase(path);
  assert.equal(fingerprint.file, path);
  assert.deepEqual(fingerprint.facts, {
    userVersion: 42,
    applicationId: 1684234849,
    journalMode: 'delete',
    pageSize: 8192,
    pageCount: 2,
    freelistCount: 0,
    encoding: 'UTF-8',
    schemaVersion: 1,
  });
});

// ---- hostile identifiers -------------------------------------------------------------

const HOSTILE = [
  `it's a "quoted" name`,
  'semi;colon); DROP TABLE victims; --',
  '<script>alert(1)</script>',
  'données',
  '🦄 émoji 表',
  '[bracketed]',
  'back`tick',
  `n${'x'.repeat(199)}`,
];

test('hostile identifiers are read back exactly, without an SQL error', (t) => {
  assert.equal(HOSTILE.at(-1)?.length, 200);
  const path = join(tempDir(t), 'hostile.db');
  const q = quoteIdentifier;
  execOn(
    path,
    HOSTILE.map((name, i) => {
      const previous = HOSTILE[i - 1];
      const reference = previous === undefined ? '' : `, ${q(`${name} ref`)} INTEGER REFERENCES ${q(previous)}(id) ON DELETE CASCADE`;
      return `CREATE TABLE ${q(name)} (id INTEGER PRIMARY KEY, ${q(name)} TEXT DEFAULT ';--' CHECK (${q(name)} <> '"')${reference});
        CREATE INDEX ${q(`${name} idx`)} ON ${q(name)} (${q(name)}) WHERE ${q(name)} IS NOT NULL;
        CREATE TRIGGER ${q(`${name} trg`)} AFTER INSERT ON ${q(name)} BEGIN UPDATE ${q(name)} SET ${q(name)} = ';' WHERE 0; END;
        CREATE VIEW ${q(`${name} view`)} AS SELECT ${q(name)} FROM ${q(name)};`;
    }).join('\n'),
  );
  const fingerprint = probeDatabase(path);
  const { tables, indexes, triggers, views } = fingerprint.snapshot;
  const sorted = (names: string[]): string[] => names.sort();
  assert.deepEqual(sorted(Object.values(tables).map((x) => x.name)), sorted([...HOSTILE]));
  assert.deepEqual(sorted(Object.values(indexes).map((x) => x.name)), sorted(HOSTILE.map((n) => `${n} idx`)));
  assert.deepEqual(sorted(Object.values(triggers).map((x) => x.name)), sorted(HOSTILE.map((n) => `${n} trg`)));
  assert.deepEqual(sorted(Object.values(views).map((x) => x.name)), sorted(HOSTILE.map((n) => `${n} view`)));
  assert.deepEqual(sorted(fingerprint.objects.map((o) => o.name)), sorted(HOSTILE.flatMap((n) => [n, `${n} idx`, `${n} trg`, `${n} view`])));
  for (const [i, name] of HOSTILE.entries()) {
    const key = name.toLowerCase();
    const table = tables[key];
    assert.deepEqual(Object.values(table?.columns ?? {}).map((c) => c.name).sort(), i === 0 ? ['id', name].sort() : ['id', name, `${name} ref`].sort());
    assert.equal(table?.columns[key]?.default, "';--'");
    // Identifiers SQLite accepts unquoted (non-ASCII included) are written bare.
    const identifier = /^[a-z_\u0080-\uffff][a-z0-9_$\u0080-\uffff]*$/.test(key) ? key : quoteIdentifier(key);
    assert.deepEqual(table?.checks, [`${identifier}<>'"'`]);
    assert.deepEqual(indexes[`${key} idx`]?.table, key);
    assert.deepEqual(indexes[`${key} idx`]?.columns.map((c) => c.column), [key]);
    assert.equal(triggers[`${key} trg`]?.table, key);
    const previous = HOSTILE[i - 1];
    assert.deepEqual(
      table?.foreignKeys.map((fk) => [fk.columns, fk.parentTable, fk.parentColumns, fk.onDelete]),
      previous === undefined ? [] : [[[`${key} ref`], previous.toLowerCase(), ['id'], 'CASCADE']],
    );
  }
});

// ---- one query pass ----------------------------------------------------------------

/** A better-sqlite3 handle behind the SqliteDatabase interface, recording every statement it is given. */
function recordingHandle(db: Database.Database): { handle: SqliteDatabase; statements: string[] } {
  const statements: string[] = [];
  const handle: SqliteDatabase = {
    get name() {
      return db.name;
    },
    get open() {
      return db.open;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    get readonly() {
      return db.readonly;
    },
    get memory() {
      return db.memory;
    },
    prepare(sql: string) {
      statements.push(sql);
      return db.prepare(sql);
    },
    exec(sql: string) {
      statements.push(sql);
      return db.exec(sql);
    },
    close() {
      return db.close();
    },
  };
  return { handle, statements };
}

function schemaOfTables(count: number): string {
  const tables: string[] = [];
  for (let i = 0; i < count; i++) {
    const columns = Array.from({ length: 13 }, (_, c) => `c${c} ${c % 2 === 0 ? 'TEXT' : 'INTEGER'}`);
    const parent = i === 0 ? `t${count - 1}` : `t${i - 1}`;
    tables.push(`CREATE TABLE t${i} (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES ${parent}(id), ${columns.join(', ')});
      CREATE INDEX idx_t${i} ON t${i} (c0, c1);`);
  }
  return tables.join('\n');
}

function statementsToProbe(tableCount: number): { statements: string[]; tables: number; foreignKeys: number; indexes: number } {
  const db = new Database(':memory:');
  try {
    db.exec(schemaOfTables(tableCount));
    const { handle, statements } = recordingHandle(db);
    const fingerprint = probeDatabase(handle);
    const tables = Object.values(fingerprint.snapshot.tables);
    return {
      statements,
      tables: tables.length,
      foreignKeys: tables.reduce((n, t) => n + t.foreignKeys.length, 0),
      indexes: Object.keys(fingerprint.snapshot.indexes).length,
    };
  } finally {
    db.close();
  }
}

test('probing prepares the same few statements for 2 tables as for 200', () => {
  const small = statementsToProbe(2);
  const large = statementsToProbe(200);
  assert.deepEqual([large.tables, large.foreignKeys, large.indexes], [200, 200, 200]);
  assert.deepEqual([small.tables, small.foreignKeys, small.indexes], [2, 2, 2]);
  assert.equal(large.statements.length, small.statements.length);
  assert.ok(large.statements.length <= 3, `expected at most 3 statements, got ${large.statements.length}`);
  assert.deepEqual(large.statements, small.statements);
});

// ---- read-only guarantees -----------------------------------------------------------

test('a rollback-journal database is read in place and left byte-identical, with no side file created', (t) => {
  const path = join(tempDir(t), 'rollback.db');
  execOn(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');");
  const before = sha256File(path);
  assert.deepEqual(sideFiles(path), []);
  const fingerprint = probeDatabase(path);
  assert.equal(fingerprint.readFromCopy, false);
  assert.deepEqual(Object.keys(fingerprint.snapshot.tables), ['notes']);
  assert.equal(sha256File(path), before);
  assert.deepEqual(sideFiles(path), []);
});

test('a WAL database with an open writer is read with its -wal frames, leaving .db, -wal and -shm byte-identical', (t) => {
  const path = join(tempDir(t), 'wal.db');
  execOn(path, 'CREATE TABLE checkpointed (id INTEGER PRIMARY KEY)');
  const writer = openTestDb(path);
  t.after(() => writer.close());
  assert.equal(writer.pragma('journal_mode = WAL', { simple: true }), 'wal');
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec("CREATE TABLE only_in_wal (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO only_in_wal (body) VALUES ('x');");
  assert.ok(statSync(`${path}-wal`).size > 0, 'the -wal holds frames');
  assert.equal(readFileSync(path).includes('only_in_wal'), false, 'the new table is in the -wal only');
  const before = [sha256File(path), sha256File(`${path}-wal`), sha256File(`${path}-shm`)];

  const fingerprint = probeDatabase(path);

  assert.deepEqual(Object.keys(fingerprint.snapshot.tables), ['checkpointed', 'only_in_wal']);
  assert.equal(fingerprint.readFromCopy, true);
  assert.equal(fingerprint.facts.journalMode, 'wal');
  assert.deepEqual(fingerprint.sidecars, { wal: true, shm: true, journal: false });
  assert.deepEqual([sha256File(path), sha256File(`${path}-wal`), sha256File(`${path}-shm`)], before);
});

test('a WAL-mode database with no -wal or -shm is read without creating them', (t) => {
  const path = join(tempDir(t), 'wal-closed.db');
  execOn(path, 'PRAGMA journal_mode = WAL; CREATE TABLE notes (id INTEGER PRIMARY KEY);');
  assert.deepEqual(sideFiles(path), [], 'closing the last connection removes the -wal and -shm');
  const before = sha256File(path);
  const fingerprint = probeDatabase(path);
  assert.deepEqual(Object.keys(fingerprint.snapshot.tables), ['notes']);
  assert.equal(fingerprint.readFromCopy, true);
  assert.equal(fingerprint.facts.journalMode, 'wal');
  assert.deepEqual(sideFiles(path), []);
  assert.equal(sha256File(path), before);
});

// ---- tracking tables ---------------------------------------------------------------

test('trackingTables lists drawbridge_migrations and other tools’ tables that are present', (t) => {
  const path = join(tempDir(t), 'tracked.db');
  execOn(
    path,
    `CREATE TABLE notes (id INTEGER PRIMARY KEY);
     CREATE TABLE drawbridge_migrations (name TEXT PRIMARY KEY);
     CREATE TABLE knex_migrations (id INTEGER PRIMARY KEY, name TEXT, batch INTEGER, migration_time DATETIME);`,
  );
  const fingerprint = probeDatabase(path);
  assert.deepEqual(fingerprint.trackingTables, [
    { tool: 'drawbridge', table: 'drawbridge_migrations' },
    { tool: 'knex', table: 'knex_migrations' },
  ]);
  assert.deepEqual(Object.keys(fingerprint.snapshot.tables), ['knex_migrations', 'notes']);
});

test('trackingTables is empty when no tracking table is present', (t) => {
  const path = join(tempDir(t), 'untracked.db');
  execOn(path, 'CREATE TABLE notes (id INTEGER PRIMARY KEY);');
  assert.deepEqual(probeDatabase(path).trackingTables, []);
});

test('a configured tracking table is listed as drawbridge’s and left out of the snapshot', (t) => {
  const path = join(tempDir(t), 'custom.db');
  execOn(path, 'CREATE TABLE notes (id INTEGER PRIMARY KEY); CREATE TABLE "App_Schema_History" (name TEXT PRIMARY KEY);');
  const fingerprint = probeDatabase(path, { trackingTable: 'app_schema_history' });
  assert.deepEqual(fingerprint.trackingTables, [{ tool: 'drawbridge', table: 'App_Schema_History' }]);
  assert.deepEqual(Object.keys(fingerprint.snapshot.tables), ['notes']);
});
