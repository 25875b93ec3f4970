import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyOf, probeWith } from './probe-with.js';

// golang-migrate's sqlite3 driver DDL (ensureVersionTable).
const GOLANG_MIGRATE_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);
  CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);
`;

test('golang-migrate: the one row is the current version, cumulative, applied when not dirty', (t) => {
  const fingerprint = probeWith(t, `${GOLANG_MIGRATE_TABLE} INSERT INTO schema_migrations (version, dirty) VALUES (20240115103022, 0);`);
  const history = historyOf(fingerprint, 'schema_migrations');
  assert.deepEqual([history.tool, history.cumulative], ['golang-migrate', true]);
  assert.deepEqual(history.rows.map((r) => [r.id, r.status, r.appliedAt]), [['20240115103022', 'applied', null]]);
  assert.deepEqual(history.rows[0]?.source, { version: 20240115103022, dirty: 0 });
});

test('golang-migrate: dirty = 1 makes the current version dirty', (t) => {
  const fingerprint = probeWith(t, `${GOLANG_MIGRATE_TABLE} INSERT INTO schema_migrations (version, dirty) VALUES (3, 1);`);
  assert.deepEqual(historyOf(fingerprint, 'schema_migrations').rows.map((r) => [r.id, r.status]), [['3', 'dirty']]);
});

test('golang-migrate: listed as the tracking table of "golang-migrate"', (t) => {
  const fingerprint = probeWith(t, GOLANG_MIGRATE_TABLE);
  assert.deepEqual(fingerprint.trackingTables, [{ tool: 'golang-migrate', table: 'schema_migrations' }]);
});

test('dbmate: a version-only schema_migrations is a row per applied version, in version order', (t) => {
  // dbmate's sqlite driver DDL (CreateMigrationsTable); rows stored out of order.
  const fingerprint = probeWith(
    t,
    `create table if not exists "schema_migrations" (version varchar(128) primary key);
     insert into "schema_migrations" (version) values ('20240201120000'), ('20240115103022');`,
  );
  const history = historyOf(fingerprint, 'schema_migrations');
  assert.deepEqual([history.tool, history.cumulative], ['dbmate', false]);
  assert.deepEqual(history.rows.map((r) => [r.id, r.status]), [
    ['20240115103022', 'applied'],
    ['20240201120000', 'applied'],
  ]);
  assert.deepEqual(fingerprint.trackingTables, [{ tool: 'dbmate', table: 'schema_migrations' }]);
});

test('plain: a schema_migrations with version, name and applied_at (seed 002’s runner) is a plain per-row history keyed by version', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')));
     INSERT INTO schema_migrations VALUES (1, '0001_create_events_table.sql', '2025-11-02 08:00:00'), (2, '0002_add_event_sequences.sql', '2025-11-02 08:00:01'), (8, '0008_init_base_schema.sql', '2025-11-02 08:00:01');`,
  );
  const history = historyOf(fingerprint, 'schema_migrations');
  assert.deepEqual([history.tool, history.cumulative], ['plain', false]);
  assert.deepEqual(history.rows.map((r) => [r.id, r.status, r.appliedAt]), [
    ['1', 'applied', '2025-11-02T08:00:00.000Z'],
    ['2', 'applied', '2025-11-02T08:00:01.000Z'],
    ['8', 'applied', '2025-11-02T08:00:01.000Z'],
  ]);
  assert.deepEqual(fingerprint.trackingTables, [{ tool: 'plain', table: 'schema_migrations' }]);
});
