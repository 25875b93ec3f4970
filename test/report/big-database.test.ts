import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildReport } from '../../src/report/build-report.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { quickCheck } from '../../src/sqlite/pragmas.js';
import { openTestDb } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/**
 * A database big enough (over 64 MiB) for the report to run quick_check on a
 * worker thread beside its row counts and foreign_key_check.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('the report of a big damaged database: quick_check\'s findings from the worker, exact row counts, no foreign-key check of damaged data, the file untouched', async (t) => {
  const file = join(tempDir(t), 'big.db');
  const db = openTestDb(file);
  db.pragma('foreign_keys = OFF');
  db.exec('CREATE TABLE owner (id INTEGER PRIMARY KEY); INSERT INTO owner VALUES (1); CREATE TABLE big (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owner(id), pad BLOB)');
  db.prepare('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 70000) INSERT INTO big (owner_id, pad) SELECT 2, randomblob(1000) FROM n').run();
  db.close();
  // Scribble over the cell pointers of a leaf page of big: quick_check sees it, count(*) (which reads only page headers) does not.
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0x55, pageSize * 5 + 8, pageSize * 5 + 40);
  writeFileSync(file, bytes);
  const before = sha256File(file);

  const report = await buildReport(file, { migrations: loadMigrations(join(ROOT, 'migrations')) });
  const reader = openTestDb(file, { readonly: true });
  const expected = quickCheck(reader);
  reader.close();
  assert.ok(expected.length > 0, 'the damage is there to be found');
  assert.deepEqual([report.health.ok, report.health.problems], [false, expected]);
  assert.deepEqual(report.tables.map((table) => [table.name, table.rows]), [['owner', 1], ['big', 70_000]]);
  // Every row of big points at a missing owner, but a damaged file's foreign keys are not reported as findings.
  assert.equal(report.health.foreignKeyViolations.count, 0);
  assert.equal(sha256File(file), before);
});
