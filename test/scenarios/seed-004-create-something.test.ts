import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { json, runCli } from '../helpers/cli.js';
import { openTestDb } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';
import { assertVerifies, cliJson, detectJson, rowCounts, trackingTable, upgradeJson, type StatusJson } from './scenario-helpers.js';
import { createLegacyDatabase, phaseOneRecord } from './seed-004-create-something/legacy.js';
import { drawbridgeMigrations, eachPackage, fourDigitCopy, PACKAGES, RULES, type Package } from './seed-004-create-something/packages.js';

/**
 * Seed 004, CREATE SOMETHING: one D1 database per package (space, io, lms),
 * each package with its own SQL files, run by hand — some of them, in order
 * or not — or, after Phase 1, by a runner script that kept `_migrations`.
 * Every per-package behaviour is checked on all three packages.
 */

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

interface HandRun {
  readonly ran: readonly number[];
  readonly phaseOne?: boolean;
  /** Leave the tables empty (a schema-only test). */
  readonly empty?: boolean;
}

/** A package's database with the files numbered `ran` run by hand, in that order. */
function byHand(t: TestContext, pkg: Package, spec: HandRun): string {
  const file = join(tempDir(t), `${pkg.name}.db`);
  createLegacyDatabase(file, { dir: pkg.source, ran: spec.ran, phaseOne: spec.phaseOne ?? false, rows: spec.empty === true ? {} : pkg.rows });
  return file;
}

/** The package's tables that `file` has, among those its users fill. */
function filledTables(file: string, pkg: Package): string[] {
  const db = openTestDb(file, { readonly: true });
  try {
    return Object.keys(pkg.rows).filter((table) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined);
  } finally {
    db.close();
  }
}

const presence = (migrations: readonly { name: string; presence: string }[]): string[][] => migrations.map((m) => [m.name, m.presence]);

eachPackage('with its first k files run by hand, detect says legacy at the k-th and lists files 1..k present, the rest absent', (t, { pkg, inputs, sequence }) => {
  for (let k = 1; k <= sequence.length; k += 1) {
    const detection = detectJson(byHand(t, pkg, { ran: range(1, k), empty: true }), inputs);
    assert.deepEqual([k, detection.state, detection.rule, detection.bridgePoint], [k, 'legacy', null, sequence[k - 1]]);
    assert.deepEqual(presence(detection.migrations), sequence.map((name, i) => [name, i < k ? 'present' : 'absent']), `k = ${k}`);
  }
});

eachPackage('upgrade backfills the files run by hand as bridged, with the checksums status shows (the files’ sha256), and runs the rest', (t, { pkg, migrations, inputs, sequence }) => {
  const k = pkg.ranByHand;
  const file = byHand(t, pkg, { ran: range(1, k) });
  const result = upgradeJson(file, inputs);
  assert.deepEqual([result.backfilled, result.applied], [sequence.slice(0, k), sequence.slice(k)]);
  const status = cliJson<StatusJson>(['status', file, ...inputs]);
  const fileSums = sequence.map((name) => sha256File(join(migrations, `${name}.sql`)));
  assert.deepEqual(status.migrations.map((m) => [m.name, m.state, m.checksum]), sequence.map((name, i) => [name, 'applied', fileSums[i]]));
  assert.deepEqual(trackingTable(file).map((r) => [r.name, r.method, r.checksum]), sequence.map((name, i) => [name, i < k ? 'bridged' : 'run', fileSums[i]]));
});

eachPackage('the upgrade keeps every row, through the table recreation it runs, and verify passes', (t, { pkg, inputs }) => {
  const file = byHand(t, pkg, { ran: range(1, pkg.ranByHand) });
  const tables = filledTables(file, pkg);
  const before = rowCounts(file, tables);
  upgradeJson(file, inputs);
  assert.deepEqual(rowCounts(file, tables), before);
  assertVerifies(file, inputs);
});

eachPackage('with 0002 skipped by hand (0001 and 0003 run), detect lists exactly 0001 and 0003 as present and places it nowhere', (t, { pkg, inputs, sequence }) => {
  const detection = detectJson(byHand(t, pkg, { ran: [1, 3] }), inputs);
  assert.deepEqual([detection.state, detection.bridgePoint], ['unknown', null]);
  assert.deepEqual(presence(detection.migrations), sequence.map((name, i) => [name, i === 0 || i === 2 ? 'present' : 'absent']));
});

eachPackage('with 0002 skipped by hand, upgrade refuses with exit 3 and leaves the file unchanged', (t, { pkg, inputs }) => {
  const file = byHand(t, pkg, { ran: [1, 3] });
  const before = sha256File(file);
  const result = runCli(['upgrade', file, ...inputs, '--no-backup', '--json']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(json<{ error: { code: string } }>(result).error.code, 'STATE_UNKNOWN');
  assert.equal(sha256File(file), before);
});

eachPackage("a Phase 1 _migrations history is imported by same-name, with the runner's applied_at and execution_time_ms", (t, { pkg, inputs, sequence }) => {
  const k = sequence.length - 1;
  const file = byHand(t, pkg, { ran: range(1, k), phaseOne: true });
  const result = upgradeJson(file, inputs);
  assert.deepEqual([result.rule, result.imported, result.applied], ['phase-one-runner', sequence.slice(0, k), sequence.slice(k)]);
  const expected = sequence.slice(0, k).map((name, i) => {
    const { appliedAt, executionTimeMs } = phaseOneRecord(i + 1);
    return [name, 'imported', `${appliedAt.replace(' ', 'T')}.000Z`, executionTimeMs];
  });
  assert.deepEqual(trackingTable(file).slice(0, k).map((r) => [r.name, r.method, r.applied_at, r.duration_ms]), expected);
  assertVerifies(file, inputs);
});

const io = PACKAGES.find((p) => p.name === 'io');
assert.ok(io, 'the io package');

test('seed 004 [io]: a Phase 1 history that ran 009_user_plugins.sql under its 3-digit name is refused with exit 3 naming it, and nothing is written', (t) => {
  const file = byHand(t, io, { ran: range(1, 9), phaseOne: true });
  const before = sha256File(file);
  const result = runCli(['upgrade', file, '--migrations', drawbridgeMigrations(t, io), '--rules', RULES, '--no-backup']);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /_migrations: 009_user_plugins\.sql is applied but rule phase-one-runner's import\.map maps it to no migration/);
  assert.equal(sha256File(file), before);
});

interface LintJson {
  findings: { file: string; line: number; severity: string; rule: string }[];
  counts: { errors: number; warnings: number };
}

test('seed 004 [io]: lint of the io migrations as they stand exits 8, naming the 3-digit 009_user_plugins.sql', () => {
  const result = runCli(['lint', '--migrations', io.source, '--json']);
  assert.equal(result.code, 8, result.stderr);
  const errors = json<LintJson>(result).findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((f) => [basename(f.file), f.rule]), [['009_user_plugins.sql', 'migration-name']]);
});

/** The statements io's files hold on purpose that a second run by hand would break on. */
const NOT_IDEMPOTENT = [
  ['0004_user_display_name.sql', 10, 'alter-table'],
  ['0007_fix_experiment_status.sql', 11, 'create-without-if-not-exists'],
  ['0007_fix_experiment_status.sql', 19, 'insert-without-conflict-clause'],
  ['0007_fix_experiment_status.sql', 21, 'drop-without-if-exists'],
  ['0007_fix_experiment_status.sql', 23, 'alter-table'],
];

test('seed 004 [io]: renamed to 4 digits, lint exits 0 with warnings only, exactly on the non-idempotent statements put there on purpose', (t) => {
  const renamed = fourDigitCopy(io.source, join(tempDir(t), 'io-migrations'));
  const result = runCli(['lint', '--migrations', renamed, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const { findings, counts } = json<LintJson>(result);
  assert.equal(counts.errors, 0);
  assert.deepEqual(findings.map((f) => [basename(f.file), f.line, f.rule]), NOT_IDEMPOTENT);
});

test('seed 004 [io]: with --strict those warnings fail the lint: exit 8', (t) => {
  const renamed = fourDigitCopy(io.source, join(tempDir(t), 'io-migrations'));
  assert.equal(runCli(['lint', '--migrations', renamed, '--strict']).code, 8);
});
