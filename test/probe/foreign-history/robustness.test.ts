import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { probeDatabase } from '../../../src/probe/fingerprint.js';
import { openTestDb } from '../../helpers/database.js';
import { tempDir } from '../../helpers/temp.js';
import { historyOf, probeWith } from './probe-with.js';

test('identifiers with quotes and spaces in the table and its columns never break the SQL', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE "_MIGRATIONS" ("Name" TEXT, "applied at" TEXT, "it's ""odd""" INTEGER, "x; DROP TABLE notes; --" TEXT);
     CREATE TABLE notes (id INTEGER PRIMARY KEY);
     INSERT INTO "_MIGRATIONS" VALUES ('001_init', 'x', 7, 'y');`,
  );
  const history = historyOf(fingerprint, '_MIGRATIONS');
  assert.deepEqual(history.rows.map((r) => r.id), ['001_init']);
  assert.deepEqual(history.rows[0]?.source, { Name: '001_init', 'applied at': 'x', 'it\'s "odd"': 7, 'x; DROP TABLE notes; --': 'y' });
});

test('garbage in a tracking table is read as it is: blobs as hex, unparseable times as null, never an exception', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE knex_migrations (id integer not null primary key autoincrement, name varchar(255), batch integer, migration_time datetime);
     INSERT INTO knex_migrations (name, batch, migration_time) VALUES (X'00ff10', 'one', 'yesterday'), (NULL, NULL, 12);`,
  );
  assert.deepEqual(historyOf(fingerprint, 'knex_migrations').rows.map((r) => [r.id, r.status, r.appliedAt]), [
    ['00ff10', 'applied', null],
    ['', 'applied', null],
  ]);
});

test('integers beyond 2^53 keep every digit', (t) => {
  const fingerprint = probeWith(t, 'CREATE TABLE schema_migrations (version uint64, dirty bool); INSERT INTO schema_migrations VALUES (9223372036854775807, 0);');
  const row = historyOf(fingerprint, 'schema_migrations').rows[0];
  assert.deepEqual([row?.id, row?.source.version], ['9223372036854775807', '9223372036854775807']);
});

test('a garbled success or dirty flag is never taken for a finished migration', (t) => {
  const fingerprint = probeWith(t, "CREATE TABLE schema_migrations (version uint64, dirty bool); INSERT INTO schema_migrations VALUES (4, 'perhaps');");
  assert.equal(historyOf(fingerprint, 'schema_migrations').rows[0]?.status, 'dirty');
});

test('a tracking table SQLite cannot query is left out, and the other tools’ tables are still read', (t) => {
  const path = join(tempDir(t), 'damaged.db');
  const db = openTestDb(path);
  db.exec(`CREATE TABLE "SequelizeMeta" (name VARCHAR(255) NOT NULL PRIMARY KEY);
           INSERT INTO "SequelizeMeta" VALUES ('20240110-create-notes.js');
           CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
           INSERT INTO d1_migrations (name, applied_at) VALUES ('0001_init.sql', '2024-03-01 09:15:00');`);
  // A collation the app registered and we lack: SQLite refuses any ORDER BY on that column.
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.prepare("UPDATE sqlite_schema SET sql = 'CREATE TABLE \"SequelizeMeta\" (name VARCHAR(255) NOT NULL PRIMARY KEY COLLATE app_natural)' WHERE name = 'SequelizeMeta'").run();
  db.close();
  const fingerprint = probeDatabase(path);
  assert.deepEqual(fingerprint.foreignHistories.map((h) => h.table), ['d1_migrations']);
});

test('drawbridge’s own tracking table is never read as another tool’s, whatever its name', (t) => {
  const fingerprint = probeWith(t, "CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO _migrations (name) VALUES ('0001_init');", { trackingTable: '_Migrations' });
  assert.deepEqual(fingerprint.foreignHistories, []);
  assert.deepEqual(fingerprint.trackingTables, [{ tool: 'drawbridge', table: '_migrations' }]);
});

test('several tools’ tables in one database are each read, in a fixed order', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT);
     CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
     CREATE TABLE "SequelizeMeta" (name VARCHAR(255) NOT NULL PRIMARY KEY);`,
  );
  assert.deepEqual(fingerprint.foreignHistories.map((h) => [h.tool, h.table, h.rows.length]), [
    ['sequelize', 'SequelizeMeta', 0],
    ['d1', 'd1_migrations', 0],
    ['plain', '_migrations', 0],
  ]);
});
