import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { diffSnapshots } from '../../src/probe/diff.js';
import { probeDatabase } from '../../src/probe/fingerprint.js';
import { json, runCli } from '../helpers/cli.js';
import { openTestDb } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';
import { assertVerifies, rowCounts, scenarioFolder, trackingTable, upgradeJson } from './scenario-helpers.js';
import { createDecantDatabase, LIBRARY_TABLES, type DecantOptions } from './seed-003-decant/legacy.js';

/**
 * Seed 003, Decant: installs whose own runner recorded 001 and 002 in
 * `_migrations` are carried into drawbridge's sequence of TypeScript
 * migrations by importing that history, through the real CLI; then
 * drawbridge rolls back in reverse order only, as Decant's docs promise.
 */

const SCENARIO = scenarioFolder('seed-003-decant');
const INPUTS = ['--migrations', join(SCENARIO, 'migrations'), '--rules', join(SCENARIO, 'bridge-rules.yaml')];
const SEQUENCE = ['0001_initial_schema', '0002_add_indexes', '0003_add_user_preferences', '0004_add_node_status'];

interface ImportSource {
  tool: string;
  table: string;
  ids: string[];
  rows: Record<string, unknown>[];
}

function decantDb(t: TestContext, options: DecantOptions): string {
  const file = join(tempDir(t), `decant-${options.applied}.db`);
  createDecantDatabase(file, options);
  return file;
}

/** A Decant install with 001 and 002 applied, upgraded to head. */
function upgraded(t: TestContext): string {
  const file = decantDb(t, { applied: 2 });
  upgradeJson(file, INPUTS);
  return file;
}

test("seed 003: a Decant database with 001 and 002 applied imports them as 0001 and 0002 from Decant's _migrations, then runs 0003 and 0004", (t) => {
  const result = upgradeJson(decantDb(t, { applied: 2 }), INPUTS);
  assert.deepEqual([result.state, result.rule, result.bridgePoint], ['legacy', 'decant-runner', '0002_add_indexes']);
  assert.deepEqual(result.imported, SEQUENCE.slice(0, 2));
  assert.deepEqual(result.applied, SEQUENCE.slice(2));
});

test("seed 003: each imported row keeps Decant's applied_at as ISO-8601 UTC and Decant's own row as its source", (t) => {
  const file = upgraded(t);
  const rows = trackingTable(file);
  assert.deepEqual(rows.map((r) => [r.name, r.method]), [...SEQUENCE.slice(0, 2).map((n) => [n, 'imported']), ...SEQUENCE.slice(2).map((n) => [n, 'run'])]);
  assert.deepEqual(rows.slice(0, 2).map((r) => [r.applied_at, r.rule]), [['2024-01-15T10:30:22.000Z', 'decant-runner'], ['2024-01-15T10:30:23.000Z', 'decant-runner']]);
  const source = JSON.parse(rows[1]?.source ?? 'null') as ImportSource;
  assert.deepEqual(source, { tool: 'plain', table: '_migrations', ids: ['002_add_indexes'], rows: [{ id: 2, name: '002_add_indexes', applied_at: '2024-01-15 10:30:23' }] });
});

test('seed 003: the upgrade keeps every row of the library, and verify passes', (t) => {
  const file = decantDb(t, { applied: 2 });
  const before = rowCounts(file, LIBRARY_TABLES);
  upgradeJson(file, INPUTS);
  assert.deepEqual(rowCounts(file, LIBRARY_TABLES), before);
  assertVerifies(file, INPUTS);
});

test("seed 003: 0004's data migration marks the deleted node archived and every other node active", (t) => {
  const db = openTestDb(upgraded(t), { readonly: true });
  try {
    assert.deepEqual(db.prepare('SELECT id, status FROM nodes ORDER BY id').all(), [
      { id: 'n1', status: 'active' },
      { id: 'n2', status: 'active' },
      { id: 'n3', status: 'archived' },
      { id: 'n4', status: 'active' },
    ]);
  } finally {
    db.close();
  }
});

test("seed 003: Decant's full-text index still finds the library after the upgrade", (t) => {
  const db = openTestDb(upgraded(t), { readonly: true });
  try {
    const found = db.prepare("SELECT n.id FROM nodes_fts JOIN nodes n ON n.rowid = nodes_fts.rowid WHERE nodes_fts MATCH 'payment' ORDER BY n.id").pluck().all();
    assert.deepEqual(found, ['n1']);
  } finally {
    db.close();
  }
});

test('seed 003: a Decant database with only 001 applied imports 0001 and runs 0002, 0003 and 0004', (t) => {
  const file = decantDb(t, { applied: 1 });
  const result = upgradeJson(file, INPUTS);
  assert.deepEqual([result.bridgePoint, result.imported, result.applied], ['0001_initial_schema', SEQUENCE.slice(0, 1), SEQUENCE.slice(1)]);
  assertVerifies(file, INPUTS);
});

test('seed 003: down 0002_add_indexes while 0003 and 0004 are applied exits 2, names them, and leaves the file unchanged', (t) => {
  const file = upgraded(t);
  const before = sha256File(file);
  const result = runCli(['down', file, '0002_add_indexes', ...INPUTS, '--json']);
  assert.equal(result.code, 2, result.stderr);
  const error = json<{ error: { code: string; message: string; details: { laterApplied: string[] } } }>(result).error;
  assert.equal(error.code, 'ROLLBACK_OUT_OF_ORDER');
  assert.deepEqual(error.details.laterApplied, ['0004_add_node_status', '0003_add_user_preferences']);
  assert.match(error.message, /0004_add_node_status, 0003_add_user_preferences/);
  assert.equal(sha256File(file), before);
});

test('seed 003: down 0004_add_node_status, then down 0003_add_user_preferences, bring the schema back to what Decant left at 002', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'decant.db');
  createDecantDatabase(file, { applied: 2 });
  const asDecantLeftIt = join(dir, 'decant-before.db');
  copyFileSync(file, asDecantLeftIt);
  upgradeJson(file, INPUTS);
  for (const name of ['0004_add_node_status', '0003_add_user_preferences']) {
    const result = runCli(['down', file, name, ...INPUTS]);
    assert.equal(result.code, 0, `down ${name}\n${result.stderr}`);
  }
  const diff = diffSnapshots(probeDatabase(asDecantLeftIt).snapshot, probeDatabase(file).snapshot);
  assert.equal(diff.identical, true, JSON.stringify(diff));
  assert.deepEqual(trackingTable(file).map((r) => r.name), SEQUENCE.slice(0, 2));
  assert.deepEqual(rowCounts(file, LIBRARY_TABLES), rowCounts(asDecantLeftIt, LIBRARY_TABLES));
});

test('seed 003: a _migrations row the map does not know (005_future_thing, from a newer Decant) is refused with exit 3 naming it, and nothing is written', (t) => {
  const file = decantDb(t, { applied: 2, newer: true });
  const before = sha256File(file);
  const result = runCli(['upgrade', file, ...INPUTS, '--no-backup', '--json']);
  assert.equal(result.code, 3, result.stderr);
  const error = json<{ error: { code: string; message: string } }>(result).error;
  assert.equal(error.code, 'FOREIGN_HISTORY_INCOMPLETE');
  assert.match(error.message, /_migrations: 005_future_thing is applied but rule decant-runner's import\.map maps it to no migration/);
  assert.equal(sha256File(file), before);
});

test("seed 003: detect on a newer Decant's database says the upgrade would be refused, and names the row", (t) => {
  const result = runCli(['detect', decantDb(t, { applied: 2, newer: true }), ...INPUTS]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /another tool's history cannot be imported as it stands, so an upgrade refuses it/);
  assert.match(result.stdout, /- _migrations: 005_future_thing is applied but rule decant-runner's import\.map maps it to no migration/);
});

test('seed 003: a fresh file gets all four migrations, run', (t) => {
  const file = join(tempDir(t), 'fresh.db');
  const result = upgradeJson(file, INPUTS);
  assert.equal(result.state, 'fresh');
  assert.deepEqual(result.applied, SEQUENCE);
  assert.deepEqual(trackingTable(file).map((r) => r.method), ['run', 'run', 'run', 'run']);
  assertVerifies(file, INPUTS);
});
