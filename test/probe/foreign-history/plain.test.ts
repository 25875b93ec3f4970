import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyOf, probeWith } from './probe-with.js';

test('plain: seed 003’s _migrations (id, name, applied_at) is read in id order, applied_at as ISO', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE _migrations (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       name TEXT UNIQUE NOT NULL,
       applied_at TEXT NOT NULL DEFAULT (datetime('now'))
     );
     INSERT INTO _migrations (name, applied_at) VALUES ('001_initial_schema', '2024-01-15 10:30:22'), ('002_add_indexes', '2024-01-15 10:30:23');`,
  );
  const history = historyOf(fingerprint, '_migrations');
  assert.deepEqual([history.tool, history.cumulative], ['plain', false]);
  assert.deepEqual(history.rows.map((r) => [r.id, r.status, r.appliedAt, r.durationMs, r.checksum]), [
    ['001_initial_schema', 'applied', '2024-01-15T10:30:22.000Z', null, null],
    ['002_add_indexes', 'applied', '2024-01-15T10:30:23.000Z', null, null],
  ]);
  assert.deepEqual(fingerprint.trackingTables, [{ tool: 'plain', table: '_migrations' }]);
});

test('plain: seed 004’s _migrations keyed by filename gives checksum and execution_time_ms', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE IF NOT EXISTS _migrations (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       filename TEXT UNIQUE NOT NULL,
       applied_at TEXT DEFAULT (datetime('now')),
       checksum TEXT,
       execution_time_ms INTEGER
     );
     CREATE INDEX IF NOT EXISTS idx_migrations_filename ON _migrations(filename);
     INSERT INTO _migrations (filename, applied_at, checksum, execution_time_ms) VALUES ('0001_create_spaces.sql', '2024-05-02 14:00:00', 'sha256:4f2a', 812);`,
  );
  assert.deepEqual(historyOf(fingerprint, '_migrations').rows.map((r) => [r.id, r.appliedAt, r.durationMs, r.checksum]), [
    ['0001_create_spaces.sql', '2024-05-02T14:00:00.000Z', 812, 'sha256:4f2a'],
  ]);
});

test('plain: a migrations table keyed by migration (Laravel’s id, migration, batch) is read', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE "migrations" ("id" integer primary key autoincrement not null, "migration" varchar not null, "batch" integer not null);
     INSERT INTO migrations (migration, batch) VALUES ('2014_10_12_000000_create_users_table', 1), ('2019_08_19_000000_create_failed_jobs_table', 1);`,
  );
  assert.deepEqual(historyOf(fingerprint, 'migrations').rows.map((r) => r.id), ['2014_10_12_000000_create_users_table', '2019_08_19_000000_create_failed_jobs_table']);
});

test('plain: without an id column, rows are ordered by applied_at', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT);
     INSERT INTO migrations VALUES ('b_second', '2024-01-02 00:00:00'), ('a_first', '2024-01-01 00:00:00');`,
  );
  assert.deepEqual(historyOf(fingerprint, 'migrations').rows.map((r) => r.id), ['a_first', 'b_second']);
});

test('plain: an app’s own table called migrations, without a name column, is neither read nor listed', (t) => {
  // A bird-migration app: "migrations" is its data.
  const fingerprint = probeWith(
    t,
    `CREATE TABLE migrations (id INTEGER PRIMARY KEY, species TEXT NOT NULL, km INTEGER NOT NULL);
     INSERT INTO migrations (species, km) VALUES ('Arctic tern', 70900), ('Bar-tailed godwit', 12000);`,
  );
  assert.deepEqual(fingerprint.foreignHistories, []);
  assert.deepEqual(fingerprint.trackingTables, []);
});
