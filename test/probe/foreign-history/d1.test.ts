import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyOf, probeWith } from './probe-with.js';

test('d1: d1_migrations rows in id order, the file name as id, applied_at (SQLite UTC text) as ISO', (t) => {
  // wrangler's initMigrationsTable DDL.
  const fingerprint = probeWith(
    t,
    `CREATE TABLE IF NOT EXISTS d1_migrations(
       id         INTEGER PRIMARY KEY AUTOINCREMENT,
       name       TEXT UNIQUE,
       applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
     );
     INSERT INTO d1_migrations (name, applied_at) VALUES ('0001_initial_schema.sql', '2024-03-01 09:15:00'), ('0002_add_orders.sql', '2024-03-08 17:40:12');`,
  );
  const history = historyOf(fingerprint, 'd1_migrations');
  assert.equal(history.tool, 'd1');
  assert.deepEqual(history.rows.map((r) => [r.id, r.status, r.appliedAt]), [
    ['0001_initial_schema.sql', 'applied', '2024-03-01T09:15:00.000Z'],
    ['0002_add_orders.sql', 'applied', '2024-03-08T17:40:12.000Z'],
  ]);
  assert.deepEqual(history.rows[1]?.source, { id: 2, name: '0002_add_orders.sql', applied_at: '2024-03-08 17:40:12' });
});
