import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateFixtures, type FixtureInfo } from '../../legacy-fixtures/generate.js';
import { latestLegacyRun } from '../../legacy-fixtures/index.js';
import { upgrade } from '../../src/bridge/upgrade.js';
import { diffSnapshots } from '../../src/probe/diff.js';
import { probeDatabase } from '../../src/probe/fingerprint.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { createRunner } from '../../src/runner/runner.js';
import { json, runCli, startCli } from '../helpers/cli.js';
import { openTestDb, trackingRows } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/** upgrade() on the reference app's legacy databases: nothing lost, no drift, refusals that change nothing. */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MIGRATIONS = join(ROOT, 'migrations');
const RULES = join(ROOT, 'bridge-rules');
const LEGACY = join(ROOT, 'dist/legacy-fixtures/index.js');
const REFERENCE = ['--migrations', MIGRATIONS, '--rules', RULES, '--legacy', LEGACY];

/** Columns the sequence transforms on purpose: 0006 (and its fix-up) map statuses outside the new CHECK to 'stopped'. */
const TRANSFORMED: Readonly<Record<string, readonly string[]>> = { sessions: ['status'] };

let dir = '';
let fixtures: FixtureInfo[] = [];
let headFile = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drawbridge-upgrade-'));
  fixtures = generateFixtures(join(dir, 'fixtures'));
  headFile = join(dir, 'head.db');
  await createRunner(headFile, { migrations: loadMigrations(MIGRATIONS) }).up();
});
after(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string): FixtureInfo {
  const found = fixtures.find((f) => f.name === name);
  assert.ok(found, `fixture ${name}`);
  return found;
}

/** A private copy of a fixture (with its -wal), so each test starts from the original. */
function copyOf(t: Parameters<typeof tempDir>[0], name: string): string {
  const source = fixture(name).file;
  const target = join(tempDir(t), `${name}.db`);
  copyFileSync(source, target);
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${target}-wal`);
  return target;
}

/** Every table's columns and rows (transformed columns left out). */
function tablesOf(file: string): Map<string, { columns: string[]; rows: Record<string, unknown>[] }> {
  const db = openTestDb(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'drawbridge_migrations'").pluck().all() as string[];
    return new Map(
      tables.map((table) => {
        const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter((c) => !(TRANSFORMED[table] ?? []).includes(c));
        return [table, { columns, rows: db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[] }];
      }),
    );
  } finally {
    db.close();
  }
}

/** Rows as a multiset of their values in `columns`. */
function multiset(rows: readonly Record<string, unknown>[], columns: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = JSON.stringify(columns.map((c) => row[c]));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Every row `before` had is still there in `after`, on the original columns `after` still has. */
function assertNoRowLost(name: string, before: ReturnType<typeof tablesOf>, after: ReturnType<typeof tablesOf>): void {
  for (const [table, { columns, rows }] of before) {
    const now = after.get(table);
    if (now === undefined) {
      // Only the crashed fixture's rebuild leftover may go: the app's old migrations drop it.
      assert.deepEqual([name, table], ['variant-crashed-r07', 'sessions_new'], `${name}: table ${table} disappeared`);
      continue;
    }
    const kept = columns.filter((c) => now.columns.includes(c));
    assert.deepEqual(kept, columns, `${name}: ${table} lost a column`);
    const had = multiset(rows, kept);
    const has = multiset(now.rows, kept);
    for (const [key, count] of had) assert.ok((has.get(key) ?? 0) >= count, `${name}: ${table} lost the row ${key}`);
  }
}

const BRIDGEABLE = (): FixtureInfo[] => fixtures.filter((f) => f.name !== 'variant-newer');

test('every bridgeable fixture upgrades with no drift from a fresh file migrated to head, and keeps every original row', async (t) => {
  const migrations = loadMigrations(MIGRATIONS);
  const rules = loadRules(RULES);
  const head = probeDatabase(headFile).snapshot;
  assert.equal(BRIDGEABLE().length, 25);
  for (const f of BRIDGEABLE()) {
    const file = copyOf(t, f.name);
    const before = tablesOf(file);
    const result = await upgrade(file, { migrations, rules, mode: 'auto', legacy: { run: latestLegacyRun } });
    assert.ok(result.applied.length > 0, `${f.name}: something was applied`);
    const diff = diffSnapshots(head, probeDatabase(file).snapshot);
    const extras = f.name === 'variant-user-extras' ? ['my_notes'] : [];
    assert.deepEqual(diff.tables.added, extras, `${f.name}: tables beyond head`);
    assert.deepEqual([diff.tables.removed, diff.tables.changed, diff.indexes.removed, diff.indexes.changed, diff.triggers, diff.views], [[], [], [], [], { added: [], removed: [], changed: [] }, { added: [], removed: [], changed: [] }], `${f.name}: drift`);
    assertNoRowLost(f.name, before, tablesOf(file));
  }
});

test('the crashed-half-way fixture: --mode bridge exits 3 naming the nearest candidates and changes nothing', (t) => {
  const file = copyOf(t, 'variant-crashed-r07');
  const before = sha256File(file);
  const result = runCli(['upgrade', file, ...REFERENCE, '--mode', 'bridge']);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /rule legacy-r07-crashed/);
  assert.match(result.stderr, /Nearest: version 0005_ui_persistence \(2 differences\); version 0006_session_favorites_and_status_check/);
  assert.match(result.stderr, /--mode auto/);
  assert.equal(sha256File(file), before);
});

test('the crashed-half-way fixture: --mode auto runs the legacy function, bridges, and leaves no drift', (t) => {
  const file = copyOf(t, 'variant-crashed-r07');
  const result = runCli(['upgrade', file, ...REFERENCE, '--mode', 'auto', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<{ fallbackRule: string; rule: string; bridgePoint: string; legacy: { droppedTables: { table: string }[] } }>(result);
  assert.equal(body.fallbackRule, 'legacy-r07-crashed');
  assert.equal(body.rule, 'legacy-r10');
  assert.equal(body.bridgePoint, '0009_session_git_tracking');
  assert.deepEqual(body.legacy.droppedTables.map((d) => d.table), ['sessions_new']);
  const drift = json<{ identical: boolean }>(runCli(['diff', file, '--migrations', MIGRATIONS, '--json']));
  assert.equal(drift.identical, true);
  assert.equal(runCli(['verify', file, '--migrations', MIGRATIONS]).code, 0);
});

test('--mode legacy on a tracked database refuses (exit 2) and changes nothing', (t) => {
  const file = copyOf(t, 'release-r05');
  assert.equal(runCli(['upgrade', file, ...REFERENCE]).code, 0);
  const before = sha256File(file);
  const result = runCli(['upgrade', file, ...REFERENCE, '--mode', 'legacy']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /is tracked by drawbridge: --mode legacy/);
  assert.equal(sha256File(file), before);
});

test('--mode legacy on an untracked database runs only the old migrations and never creates a tracking table', (t) => {
  const file = copyOf(t, 'release-r03');
  const result = runCli(['upgrade', file, ...REFERENCE, '--mode', 'legacy']);
  assert.equal(result.code, 0, result.stderr);
  const db = openTestDb(file, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), 9, 'the old function brought it to its last release');
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'drawbridge_migrations'").pluck().get(), 0);
  } finally {
    db.close();
  }
});

test('DRAWBRIDGE_MODE=auto is the feature flag when --mode is not given', (t) => {
  const file = copyOf(t, 'variant-crashed-r07');
  const result = runCli(['upgrade', file, ...REFERENCE, '--json'], { env: { DRAWBRIDGE_MODE: 'auto' } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(json<{ mode: string }>(result).mode, 'auto');
  const invalid = runCli(['upgrade', file, ...REFERENCE], { env: { DRAWBRIDGE_MODE: 'yolo' } });
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /DRAWBRIDGE_MODE/);
});

test('upgrade records bridged rows with the rule id and runs the rest; a second upgrade is a no-op that writes nothing', (t) => {
  const file = copyOf(t, 'release-r07');
  const result = runCli(['upgrade', file, ...REFERENCE, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const rows = trackingRows(file);
  assert.deepEqual(rows.filter((r) => r.method === 'bridged').map((r) => r.name), ['0001_core_tables', '0002_conversation_messages', '0003_execution_tracking', '0004_project_management', '0005_ui_persistence', '0006_session_favorites_and_status_check']);
  assert.deepEqual(rows.filter((r) => r.method === 'run').map((r) => r.name), ['0007_late_indexes', '0008_session_activity', '0009_session_git_tracking', '0010_session_tags']);
  const db = openTestDb(file, { readonly: true });
  try {
    assert.deepEqual(db.prepare("SELECT DISTINCT rule FROM drawbridge_migrations WHERE method = 'bridged'").pluck().all(), ['legacy-r07-lost-index']);
  } finally {
    db.close();
  }
  const before = sha256File(file);
  const again = runCli(['upgrade', file, ...REFERENCE, '--json']);
  assert.equal(again.code, 0);
  assert.equal(json<{ action: string }>(again).action, 'nothing');
  assert.equal(sha256File(file), before);
});

test('upgrade --dry-run prints the plan and writes nothing', (t) => {
  const file = copyOf(t, 'release-r06');
  const before = sha256File(file);
  const result = runCli(['upgrade', file, ...REFERENCE, '--dry-run']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /rule legacy-r06-hotfix/);
  assert.match(result.stdout, /record 6 migration\(s\) as already applied/);
  assert.match(result.stdout, /run 4 migration\(s\): 0007_late_indexes/);
  assert.equal(sha256File(file), before);
});

test('a database written by a newer app is refused with exit 4 and left unchanged', (t) => {
  const file = copyOf(t, 'variant-newer');
  const before = sha256File(file);
  const result = runCli(['upgrade', file, ...REFERENCE, '--mode', 'auto']);
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /newer version of the app/);
  assert.equal(sha256File(file), before);
});

test('a rule whose bridge point does not fit the schema never backfills: refused with exit 3, the file unchanged', (t) => {
  const file = copyOf(t, 'release-r07');
  const rules = join(tempDir(t), 'wrong.yaml');
  // Claims upgraded 0.6.0 is at 0006 as it is, forgetting the index its rebuild lost.
  writeFileSync(rules, 'format: 1\nrules:\n  - id: too-hopeful\n    match:\n      user_version: 6\n    bridge-to: 0006_session_favorites_and_status_check\n');
  const before = sha256File(file);
  const result = runCli(['upgrade', file, '--migrations', MIGRATIONS, '--rules', rules]);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /too-hopeful \(1 check failed: schema at the bridge point\)/);
  assert.equal(sha256File(file), before);
  const detection = json<{ nearest: { rules: { failed: { found: string }[] }[] } }>(runCli(['detect', file, '--migrations', MIGRATIONS, '--rules', rules, '--json']));
  assert.match(detection.nearest.rules[0]?.failed[0]?.found ?? '', /idx_sessions_project_id/);
});

test('a rule whose fix-up does not reach its bridge point is caught before anything is recorded: exit 3, the diff shown, the file unchanged', (t) => {
  const file = copyOf(t, 'release-r07');
  const rules = join(tempDir(t), 'wrong-fix.yaml');
  writeFileSync(rules, "format: 1\nrules:\n  - id: wrong-fix\n    match:\n      user_version: 6\n    prepare:\n      - UPDATE sessions SET status = status\n    bridge-to: 0006_session_favorites_and_status_check\n");
  const before = sha256File(file);
  const result = runCli(['upgrade', file, '--migrations', MIGRATIONS, '--rules', rules]);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /rule wrong-fix claims it is at 0006_session_favorites_and_status_check once its fix-up has run/);
  assert.match(result.stderr, /- index idx_sessions_project_id/);
  assert.equal(sha256File(file), before);
});

test('a database two rules claim is ambiguous: exit 3 naming both, the file unchanged', (t) => {
  const file = copyOf(t, 'release-r01');
  const rules = join(tempDir(t), 'two.yaml');
  writeFileSync(rules, 'format: 1\nrules:\n  - id: by-version\n    match:\n      user_version: 1\n    bridge-to: 0001_core_tables\n  - id: by-table\n    match:\n      tables:\n        projects: [run_script]\n      absent:\n        tables: [conversation_messages]\n    bridge-to: 0001_core_tables\n');
  const before = sha256File(file);
  const result = runCli(['upgrade', file, '--migrations', MIGRATIONS, '--rules', rules]);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /ambiguous legacy schema: rule by-version, rule by-table/);
  assert.equal(sha256File(file), before);
});

test("a legacy function that deletes rows is rolled back (exit 5) and the file is unchanged", (t) => {
  const file = copyOf(t, 'release-r05');
  const module = join(tempDir(t), 'careless.mjs');
  writeFileSync(module, "export function run(db) { db.exec('DELETE FROM session_outputs WHERE id % 2 = 0'); }\n");
  const before = sha256File(file);
  const result = runCli(['upgrade', file, '--migrations', MIGRATIONS, '--rules', RULES, '--legacy', module, '--mode', 'legacy']);
  assert.equal(result.code, 5, result.stderr);
  assert.match(result.stderr, /legacy migrations deleted rows \(session_outputs: \d+ → \d+\)/);
  assert.equal(sha256File(file), before);
});

test('invalid rules files exit 8 with file:line:column: bad YAML, a wrong type, an unknown key, an unknown migration', (t) => {
  const file = copyOf(t, 'release-r01');
  const folder = tempDir(t);
  const cases: [string, string, RegExp][] = [
    ['syntax.yaml', 'format: 1\nrules:\n  - id: a\n    match: [unclosed\n', /syntax\.yaml:\d+:\d+/],
    ['type.yaml', 'format: 1\nrules:\n  - id: a\n    match:\n      user_version: five\n    bridge-to: 0001_core_tables\n', /type\.yaml:5:\d+: .*user_version/],
    ['key.yaml', 'format: 1\nrules:\n  - id: a\n    match:\n      user_version: 1\n    bridge-to: 0001_core_tables\n    colour: blue\n', /key\.yaml:7:\d+: .*unknown key "colour"/],
    ['target.yaml', 'format: 1\nrules:\n  - id: a\n    match:\n      user_version: 1\n    bridge-to: 0042_no_such_thing\n', /target\.yaml:6:\d+: .*0042_no_such_thing/],
  ];
  for (const [name, text, expected] of cases) {
    const path = join(folder, name);
    writeFileSync(path, text);
    const before = sha256File(file);
    const result = runCli(['upgrade', file, '--migrations', MIGRATIONS, '--rules', path]);
    assert.equal(result.code, 8, `${name}: ${result.stderr}`);
    assert.match(result.stderr, expected, name);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(sha256File(file), before);
  }
});

test('rules check on the reference rules proves every rule on the generated fixtures', () => {
  const result = runCli(['rules', 'check', ...REFERENCE, '--json']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const body = json<{ ok: boolean; proven: Record<string, string[]> }>(result);
  assert.equal(body.ok, true);
  assert.equal(Object.keys(body.proven).length, loadRules(RULES).rules.length, 'every rule matched at least one fixture');
});

test('rules check fails with exit 8 on overlapping rules, naming both', (t) => {
  const rules = join(tempDir(t), 'overlap.yaml');
  writeFileSync(rules, 'format: 1\nrules:\n  - id: one\n    match:\n      user_version: 1\n    bridge-to: 0001_core_tables\n  - id: two\n    match:\n      tables:\n        projects: []\n    bridge-to: 0001_core_tables\n');
  const result = runCli(['rules', 'check', '--migrations', MIGRATIONS, '--rules', rules]);
  assert.equal(result.code, 8, result.stderr);
  assert.match(result.stderr, /rules one and two .* can match the same database/);
  assert.match(result.stderr, /overlap\.yaml:3:5/);
});

test('8 processes upgrading one legacy file at once: one applies, all exit 0, each migration recorded once, every row intact', async (t) => {
  const file = copyOf(t, 'release-r04');
  const before = tablesOf(file);
  // A generous lock timeout: on a loaded 2-core machine the queue behind the first upgrade can be long; this is about correctness, not speed.
  const results = await Promise.all(Array.from({ length: 8 }, () => startCli(['upgrade', file, ...REFERENCE, '--json', '--lock-timeout', '300000'])));
  for (const r of results) assert.equal(r.code, 0, r.stdout + r.stderr);
  const actions = results.map((r) => (JSON.parse(r.stdout) as { action: string }).action).sort();
  assert.deepEqual(actions.filter((a) => a === 'bridge'), ['bridge'], `exactly one bridged: ${actions.join(',')}`);
  assert.deepEqual(actions.filter((a) => a !== 'bridge'), Array.from({ length: 7 }, () => 'nothing'));
  const names = trackingRows(file).map((r) => r.name);
  assert.equal(names.length, 10);
  assert.equal(new Set(names).size, 10);
  assertNoRowLost('release-r04 (8 processes)', before, tablesOf(file));
  for (const r of results) assert.doesNotMatch(r.stderr, /SQLITE_BUSY/);
});
