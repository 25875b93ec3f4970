import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyOf, probeWith } from './probe-with.js';

// Prisma's own DDL for SQLite (schema engine, create_migrations_table).
const PRISMA_TABLE = `
  CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
  );
`;

const CHECKSUM = 'a4c2d6e0f1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5';

/** A row as Prisma writes it: times are epoch milliseconds (quaint's timestamp_millis). */
function prismaRow(uuid: string, name: string, startedAt: number, finishedAt: number | null, rolledBackAt: number | null = null, logs: string | null = null): string {
  const value = (v: number | string | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);
  return `INSERT INTO _prisma_migrations VALUES (${[uuid, CHECKSUM, finishedAt, name, logs, rolledBackAt, startedAt, finishedAt === null ? 0 : 1].map(value).join(', ')});`;
}

test('prisma: applied rows in started_at order, finished_at as ISO, duration from the two times, checksum kept', (t) => {
  // Inserted newest first: the stored order is not the applied order.
  const fingerprint = probeWith(
    t,
    PRISMA_TABLE +
      prismaRow('7b0c7e52-2c1f-4c59-9d4e-0f1f3f0b2a11', '20240201120000_add_tags', 1706788800000, 1706788800125) +
      prismaRow('0e6f1c3a-8a4b-4f4e-b1d2-3c4d5e6f7a80', '20240115103022_init', 1705314622000, 1705314622450),
  );
  const history = historyOf(fingerprint, '_prisma_migrations');
  assert.equal(history.tool, 'prisma');
  assert.deepEqual(history.rows.map((r) => [r.id, r.status, r.appliedAt, r.durationMs, r.checksum]), [
    ['20240115103022_init', 'applied', '2024-01-15T10:30:22.450Z', 450, CHECKSUM],
    ['20240201120000_add_tags', 'applied', '2024-02-01T12:00:00.125Z', 125, CHECKSUM],
  ]);
  assert.equal(history.rows[0]?.source.id, '0e6f1c3a-8a4b-4f4e-b1d2-3c4d5e6f7a80');
});

test('prisma: a row with finished_at NULL (and not rolled back) failed', (t) => {
  const fingerprint = probeWith(
    t,
    PRISMA_TABLE +
      prismaRow('0e6f1c3a-8a4b-4f4e-b1d2-3c4d5e6f7a80', '20240115103022_init', 1705314622000, 1705314622450) +
      prismaRow('5d1b2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', '20240201120000_add_tags', 1706788800000, null, null, 'Error: P3018 duplicate column name: tags'),
  );
  const failed = historyOf(fingerprint, '_prisma_migrations').rows[1];
  assert.deepEqual([failed?.id, failed?.status, failed?.appliedAt, failed?.durationMs], ['20240201120000_add_tags', 'failed', null, null]);
});

test('prisma: a row with rolled_back_at set (migrate resolve --rolled-back) is rolled-back', (t) => {
  const fingerprint = probeWith(
    t,
    PRISMA_TABLE +
      prismaRow('5d1b2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', '20240201120000_add_tags', 1706788800000, null, 1706792400000) +
      prismaRow('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', '20240201120000_add_tags', 1706796000000, 1706796000200),
  );
  assert.deepEqual(historyOf(fingerprint, '_prisma_migrations').rows.map((r) => [r.id, r.status]), [
    ['20240201120000_add_tags', 'rolled-back'],
    ['20240201120000_add_tags', 'applied'],
  ]);
});

test('prisma: times stored as SQLite text (current_timestamp) are read as UTC', (t) => {
  const fingerprint = probeWith(
    t,
    `${PRISMA_TABLE}
     INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
     VALUES ('0e6f1c3a-8a4b-4f4e-b1d2-3c4d5e6f7a80', '${CHECKSUM}', '2024-01-15 10:30:24', '20240115103022_init', '2024-01-15 10:30:22', 1);`,
  );
  const row = historyOf(fingerprint, '_prisma_migrations').rows[0];
  assert.deepEqual([row?.appliedAt, row?.durationMs], ['2024-01-15T10:30:24.000Z', 2000]);
});
