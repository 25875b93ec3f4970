import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { json, runCli } from '../helpers/cli.js';
import { openTestDb } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';
import { assertVerifies, rowCounts, scenarioFolder, trackingTable, upgradeJson as upgradeCli, type UpgradeJson } from './scenario-helpers.js';
import { createLegacyDatabase, LATEST_VERSION } from './seed-002-agent-world/legacy.js';

/**
 * Seed 002, agent-world: installs at schema versions 0–7 of the inline
 * sqlite-schema.ts, some with the late-2025 SQL-file runner's
 * schema_migrations on top, and fresh files, all carried into one tracked
 * sequence through the real CLI.
 */

const SCENARIO = scenarioFolder('seed-002-agent-world');
const LEGACY_MODULE = fileURLToPath(new URL('./seed-002-agent-world/legacy.js', import.meta.url));
const INPUTS = ['--migrations', join(SCENARIO, 'migrations'), '--rules', join(SCENARIO, 'bridge-rules.yaml')];
const LAST = '0010_add_event_sequences';

function legacyDb(t: TestContext, version: number, options: Parameters<typeof createLegacyDatabase>[2] = {}): string {
  const file = join(tempDir(t), `agent-world-v${version}.db`);
  createLegacyDatabase(file, version, options);
  return file;
}

const upgradeJson = (file: string): UpgradeJson => upgradeCli(file, INPUTS);
const tracking = trackingTable;
const verify = (file: string): void => assertVerifies(file, INPUTS);

const names = (from: number, to: number): string[] =>
  [
    '0001_init_base_schema',
    '0002_add_chats',
    '0003_add_chat_id',
    '0004_add_llm_config',
    '0005_add_current_chat',
    '0006_add_message_id',
    '0007_add_reply_to_message_id',
    '0008_add_message_indexes',
    '0009_create_events_table',
    LAST,
  ].slice(from, to);

test('seed 002: a version 0 install (user_version never set) bridges at the base schema and runs the other nine, every row kept', (t) => {
  const file = legacyDb(t, 0);
  const before = rowCounts(file, ['worlds', 'agents', 'agent_memory']);
  const result = upgradeJson(file);
  assert.equal(result.state, 'legacy');
  assert.equal(result.rule, null, 'placed by its schema alone');
  assert.equal(result.bridgePoint, '0001_init_base_schema');
  assert.deepEqual(result.backfilled, names(0, 1));
  assert.deepEqual(result.applied, names(1, 10));
  assert.deepEqual(rowCounts(file, ['worlds', 'agents', 'agent_memory']), before);
  verify(file);
});

test('seed 002: a version 7 install bridges at 0008 and runs only the two event tables', (t) => {
  const file = legacyDb(t, LATEST_VERSION);
  const before = rowCounts(file, ['worlds', 'agents', 'chats', 'agent_memory']);
  const result = upgradeJson(file);
  assert.equal(result.bridgePoint, '0008_add_message_indexes');
  assert.deepEqual(result.backfilled, names(0, 8));
  assert.deepEqual(result.applied, names(8, 10));
  assert.deepEqual(rowCounts(file, ['worlds', 'agents', 'chats', 'agent_memory']), before);
  assert.ok(tracking(file).slice(0, 8).every((row) => row.method === 'bridged'));
  verify(file);
});

test('seed 002: every schema version 0–7 is placed at its own point of the sequence', (t) => {
  for (let version = 0; version <= LATEST_VERSION; version += 1) {
    const detection = json<{ state: string; bridgePoint: string | null }>(runCli(['detect', legacyDb(t, version), ...INPUTS, '--json']));
    assert.deepEqual([version, detection.state, detection.bridgePoint], [version, 'legacy', names(0, version + 1).at(-1)]);
  }
});

test('seed 002: a fresh file gets the whole sequence', (t) => {
  const file = join(tempDir(t), 'fresh.db');
  const result = upgradeJson(file);
  assert.equal(result.state, 'fresh');
  assert.deepEqual(result.applied, names(0, 10));
  assert.deepEqual(tracking(file).map((row) => row.method), Array<string>(10).fill('run'));
});

test("seed 002: the SQL-file runner's schema_migrations is imported: its rows 1 and 2 become 0009 and 0010, version 7 below them is the baseline", (t) => {
  const file = legacyDb(t, LATEST_VERSION, { runnerFiles: 2 });
  const result = upgradeJson(file);
  assert.equal(result.rule, 'sql-file-runner');
  assert.equal(result.bridgePoint, LAST);
  assert.deepEqual(result.imported, names(8, 10));
  assert.deepEqual(result.applied, []);
  const rows = tracking(file);
  assert.deepEqual(rows.map((row) => row.method), [...Array<string>(8).fill('bridged'), 'imported', 'imported']);
  const events = rows[8];
  assert.equal(events?.applied_at, '2025-11-02T09:30:00.000Z', "the runner's own applied_at, as ISO-8601 UTC");
  const source = JSON.parse(events?.source ?? 'null') as { table: string; ids: string[]; rows: { name: string }[] };
  assert.deepEqual([source.table, source.ids, source.rows[0]?.name], ['schema_migrations', ['1'], '0001_create_events_table.sql']);
  verify(file);
});

test('seed 002: a runner that got through one file only is imported up to 0009, and 0010 runs', (t) => {
  const file = legacyDb(t, LATEST_VERSION, { runnerFiles: 1 });
  const result = upgradeJson(file);
  assert.deepEqual(result.imported, names(8, 9));
  assert.deepEqual(result.applied, [LAST]);
});

test('seed 002: a schema_migrations row this app does not know (a newer release ran it) is refused, and nothing is written', (t) => {
  const file = legacyDb(t, LATEST_VERSION, { runnerFiles: 2 });
  const db = openTestDb(file);
  db.prepare("INSERT INTO schema_migrations (version, name) VALUES (3, '0003_add_world_themes.sql')").run();
  db.close();
  const before = sha256File(file);
  const result = runCli(['upgrade', file, ...INPUTS, '--no-backup']);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /schema_migrations: 3 is applied but rule sql-file-runner's import\.map maps it to no migration/);
  assert.equal(sha256File(file), before);
});

test("seed 002: a version 7 install whose message_id column silently failed is fixed up by its rule, then bridged", (t) => {
  const file = legacyDb(t, LATEST_VERSION, { messageIdFails: true });
  const result = upgradeJson(file);
  assert.equal(result.rule, 'v7-message-id-swallowed');
  assert.equal(result.bridgePoint, '0008_add_message_indexes');
  assert.deepEqual(result.applied, names(8, 10));
  verify(file);
});

test("seed 002: the feature flag's legacy mode runs the old initializeSchema only and creates no tracking table", (t) => {
  const file = legacyDb(t, 2);
  const result = runCli(['upgrade', file, ...INPUTS, '--no-backup', '--mode', 'legacy', '--legacy', LEGACY_MODULE, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const db = openTestDb(file, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
    assert.equal(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'drawbridge_migrations'").get(), undefined);
  } finally {
    db.close();
  }
});
