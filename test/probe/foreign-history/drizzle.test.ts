import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyOf, probeWith } from './probe-with.js';

const HASH_INIT = '563f0bc57d87e284c71533a5f67e1b525de720cf6727eed140f6c384ef06c995';
const HASH_TAGS = '9b2e4f6a8c0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f';

test('drizzle: rows in created_at order, the hash as id and checksum, created_at millis as ISO', (t) => {
  // drizzle-orm's SQLite migrator DDL: "SERIAL" is not INTEGER PRIMARY KEY, so every id stays NULL.
  // Stored newest first, so only created_at gives the applied order.
  const fingerprint = probeWith(
    t,
    `CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (
       id SERIAL PRIMARY KEY,
       hash text NOT NULL,
       created_at numeric
     );
     INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES ('${HASH_TAGS}', 1706788800000);
     INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES ('${HASH_INIT}', 1700000000000);`,
  );
  const history = historyOf(fingerprint, '__drizzle_migrations');
  assert.equal(history.tool, 'drizzle');
  assert.deepEqual(history.rows.map((r) => [r.id, r.checksum, r.appliedAt]), [
    [HASH_INIT, HASH_INIT, '2023-11-14T22:13:20.000Z'],
    [HASH_TAGS, HASH_TAGS, '2024-02-01T12:00:00.000Z'],
  ]);
  assert.deepEqual(history.rows[0]?.source, { id: null, hash: HASH_INIT, created_at: 1700000000000 });
});

test('drizzle: drizzle-orm 1.x’s applied_at is when the migration was applied', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE "__drizzle_migrations" (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric, name text, applied_at TEXT);
     INSERT INTO "__drizzle_migrations" ("hash", "created_at", "name", "applied_at") VALUES ('${HASH_INIT}', 1706788800000, '0000_init', '2024-03-05T08:00:01.500Z');`,
  );
  assert.equal(historyOf(fingerprint, '__drizzle_migrations').rows[0]?.appliedAt, '2024-03-05T08:00:01.500Z');
});
