import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyOf, probeWith } from './probe-with.js';

// What knex's table-creator makes on SQLite (t.increments(), t.string, t.integer, t.timestamp).
const KNEX_TABLES = `
  CREATE TABLE \`knex_migrations\` (\`id\` integer not null primary key autoincrement, \`name\` varchar(255), \`batch\` integer, \`migration_time\` datetime);
  CREATE TABLE \`knex_migrations_lock\` (\`index\` integer not null primary key autoincrement, \`is_locked\` integer);
  CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
`;

const TWO_BATCHES = `
  INSERT INTO knex_migrations (name, batch, migration_time) VALUES
    ('20240115103022_create_notes.js', 1, 1705314622000),
    ('20240116090000_add_tags.js', 1, 1705314622350),
    ('20240201120000_add_index.js', 2, 1706788800000);
`;

test('knex: rows in id order, the file name as id, migration_time millis as ISO, every column kept', (t) => {
  const fingerprint = probeWith(t, `${KNEX_TABLES}${TWO_BATCHES} INSERT INTO knex_migrations_lock (is_locked) VALUES (0);`);
  const history = historyOf(fingerprint, 'knex_migrations');
  assert.equal(history.tool, 'knex');
  assert.equal(history.cumulative, false);
  assert.deepEqual(history.rows.map((r) => [r.id, r.status, r.appliedAt]), [
    ['20240115103022_create_notes.js', 'applied', '2024-01-15T10:30:22.000Z'],
    ['20240116090000_add_tags.js', 'applied', '2024-01-15T10:30:22.350Z'],
    ['20240201120000_add_index.js', 'applied', '2024-02-01T12:00:00.000Z'],
  ]);
  assert.deepEqual(history.rows[2]?.source, { id: 3, name: '20240201120000_add_index.js', batch: 2, migration_time: 1706788800000 });
});

test('knex: a held lock (is_locked = 1) marks the history locked', (t) => {
  const fingerprint = probeWith(t, `${KNEX_TABLES}${TWO_BATCHES} INSERT INTO knex_migrations_lock (is_locked) VALUES (1);`);
  assert.equal(historyOf(fingerprint, 'knex_migrations').locked, true);
});

test('knex: a free lock (is_locked = 0) leaves the history unlocked', (t) => {
  const fingerprint = probeWith(t, `${KNEX_TABLES}${TWO_BATCHES} INSERT INTO knex_migrations_lock (is_locked) VALUES (0);`);
  assert.equal(historyOf(fingerprint, 'knex_migrations').locked, false);
});

test('knex: both of its tables are listed as tracking tables of the tool "knex"', (t) => {
  const fingerprint = probeWith(t, KNEX_TABLES);
  assert.deepEqual(fingerprint.trackingTables, [
    { tool: 'knex', table: 'knex_migrations' },
    { tool: 'knex', table: 'knex_migrations_lock' },
  ]);
});

test('knex: a knex_migrations without batch and migration_time is not taken for knex’s', (t) => {
  const fingerprint = probeWith(t, "CREATE TABLE knex_migrations (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO knex_migrations (name) VALUES ('x.js');");
  assert.deepEqual(fingerprint.foreignHistories, []);
  assert.deepEqual(fingerprint.trackingTables, []);
});
