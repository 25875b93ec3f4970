import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyOf, probeWith } from './probe-with.js';

// Flyway's SQLite createMetaDataTable.sql (schema "main").
const FLYWAY_TABLE = `
  CREATE TABLE "main"."flyway_schema_history" (
    "installed_rank" INT NOT NULL PRIMARY KEY,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INT,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
    "execution_time" INT NOT NULL,
    "success" BOOLEAN NOT NULL
  );
  CREATE INDEX "main"."flyway_schema_history_s_idx" ON "flyway_schema_history" ("success");
`;

type FlywayRow = [rank: number, version: string | null, description: string, type: string, script: string, checksum: number | null, on: string, ms: number, success: 0 | 1];

function flyway(rows: readonly FlywayRow[]): string {
  const value = (v: string | number | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);
  const values = rows.map(([rank, version, description, type, script, checksum, on, ms, success]) => `(${[rank, version, description, type, script, checksum, 'app', on, ms, success].map(value).join(', ')})`);
  return `${FLYWAY_TABLE} INSERT INTO flyway_schema_history VALUES ${values.join(', ')};`;
}

const BASELINE: FlywayRow = [1, '1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', null, '2024-02-01 11:59:59.000', 0, 1];
const V2: FlywayRow = [2, '2', 'add users', 'SQL', 'V2__add_users.sql', -1237512, '2024-02-01 12:00:00.250', 15, 1];
const V3: FlywayRow = [3, '3', 'add index', 'SQL', 'V3__add_index.sql', 99120, '2024-02-02 09:00:00.000', 4, 1];

test('flyway: rows in installed_rank order, the version as id, installed_on as ISO, execution_time as duration, checksum as text', (t) => {
  const fingerprint = probeWith(t, flyway([V3, BASELINE, V2]));
  const history = historyOf(fingerprint, 'flyway_schema_history');
  assert.equal(history.tool, 'flyway');
  assert.deepEqual(history.rows.map((r) => [r.id, r.status, r.appliedAt, r.durationMs, r.checksum]), [
    ['1', 'applied', '2024-02-01T11:59:59.000Z', 0, null],
    ['2', 'applied', '2024-02-01T12:00:00.250Z', 15, '-1237512'],
    ['3', 'applied', '2024-02-02T09:00:00.000Z', 4, '99120'],
  ]);
  assert.equal(history.rows[1]?.source.script, 'V2__add_users.sql');
});

test('flyway: a repeatable migration (version NULL) is named by its script', (t) => {
  const fingerprint = probeWith(t, flyway([V2, [3, null, 'views', 'SQL', 'R__views.sql', 5531, '2024-02-01 12:00:01.000', 3, 1]]));
  assert.deepEqual(historyOf(fingerprint, 'flyway_schema_history').rows.map((r) => r.id), ['2', 'R__views.sql']);
});

test('flyway: a failed row (success = 0) is failed', (t) => {
  const fingerprint = probeWith(t, flyway([V2, [3, '3', 'broken', 'SQL', 'V3__broken.sql', 1, '2024-02-02 09:00:00.000', 2, 0]]));
  assert.deepEqual(historyOf(fingerprint, 'flyway_schema_history').rows.map((r) => [r.id, r.status]), [
    ['2', 'applied'],
    ['3', 'failed'],
  ]);
});

test('flyway: an undo rolls back the earlier applied row of its version, and is itself rolled-back', (t) => {
  const fingerprint = probeWith(t, flyway([V2, V3, [4, '3', 'add index', 'UNDO_SQL', 'U3__add_index.sql', 7, '2024-02-03 10:00:00.000', 3, 1]]));
  assert.deepEqual(historyOf(fingerprint, 'flyway_schema_history').rows.map((r) => [r.id, r.status]), [
    ['2', 'applied'],
    ['3', 'rolled-back'],
    ['3', 'rolled-back'],
  ]);
});

test('flyway: a version applied again after its undo is applied', (t) => {
  const fingerprint = probeWith(
    t,
    flyway([V2, V3, [4, '3', 'add index', 'UNDO_SQL', 'U3__add_index.sql', 7, '2024-02-03 10:00:00.000', 3, 1], [5, '3', 'add index', 'SQL', 'V3__add_index.sql', 99120, '2024-02-04 10:00:00.000', 4, 1]]),
  );
  assert.deepEqual(historyOf(fingerprint, 'flyway_schema_history').rows.map((r) => r.status), ['applied', 'rolled-back', 'rolled-back', 'applied']);
});

test('flyway: a DELETE row (flyway repair of a missing migration) takes that version back', (t) => {
  const fingerprint = probeWith(t, flyway([V2, V3, [4, '3', 'add index', 'DELETE', 'V3__add_index.sql', 99120, '2024-02-05 10:00:00.000', 0, 1]]));
  assert.deepEqual(historyOf(fingerprint, 'flyway_schema_history').rows.map((r) => [r.id, r.status]), [
    ['2', 'applied'],
    ['3', 'rolled-back'],
    ['3', 'rolled-back'],
  ]);
});

test('flyway: the SCHEMA marker row (Flyway created a schema) is not a migration', (t) => {
  const fingerprint = probeWith(t, flyway([[0, null, '<< Flyway Schema Creation >>', 'SCHEMA', '"main"', null, '2024-02-01 11:59:58.000', 0, 1], V2]));
  assert.deepEqual(historyOf(fingerprint, 'flyway_schema_history').rows.map((r) => r.id), ['2']);
});
