import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { FleetSummary } from '../../../src/fleet/summary.js';
import type { FleetResult } from '../../../src/fleet/types.js';
import { CLI, json, runCli } from '../../helpers/cli.js';
import { schemaOf } from '../../helpers/database.js';
import { sha256File } from '../../helpers/files.js';
import { tempDir } from '../../helpers/temp.js';
import { buildTemplates, generateFleet, KINDS, REPO_MIGRATIONS, REPO_RULES, type GeneratedFleet, type Templates } from '../../fleet/generate-fleet.js';

/**
 * `drawbridge fleet` through the real CLI, on real database files: a
 * generated fleet of 2,000 small databases of a known mix of states.
 */

type SummaryJson = FleetSummary & { ok: boolean; listed: number; error?: { code: string; exitCode: number; message: string } };

const SOURCES = ['--migrations', REPO_MIGRATIONS, '--rules', REPO_RULES];

let root: string;
let templates: Templates;
let big: GeneratedFleet;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'drawbridge-fleet-'));
  templates = await buildTemplates(join(root, 'templates'));
  big = generateFleet(join(root, 'big'), 2000, templates);
});

after(() => rmSync(root, { recursive: true, force: true }));

function readLines(path: string): FleetResult[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as FleetResult);
}

const sorted = (list: Iterable<string>): string[] => [...list].sort();

test('fleet over 2,000 databases: one line per file, the histograms the generator expects, the failures listed, exit 9', (t) => {
  const out = join(tempDir(t), 'results.jsonl');
  const result = runCli(['fleet', big.dir, ...SOURCES, '--out', out, '--json']);
  assert.equal(result.code, 9, result.stderr);
  assert.equal(result.stderr, '', 'no TTY: no progress bar, and nothing else on stderr');
  const summary = json<SummaryJson>(result);
  const lines = readLines(out);

  assert.deepEqual(sorted(lines.map((l) => l.file)), sorted(big.files.keys()), 'each database exactly once, sidecars and backups skipped');
  for (const line of lines) {
    const expected = KINDS[big.files.get(line.file) ?? 'fresh'];
    assert.deepEqual([line.state, line.action, line.rule, line.bridgePoint, line.error?.code ?? null], [expected.state, expected.action, expected.rule, expected.bridgePoint, expected.error], line.file);
  }
  const { total, failed, states, actions, rules, bridgePoints, errors } = summary;
  assert.deepEqual({ total, failed, states, actions, rules, bridgePoints, errors }, big.expected);

  assert.equal(summary.ok, false);
  assert.deepEqual([summary.error?.code, summary.error?.exitCode], ['FLEET_FAILURES', 9]);
  const failing = [...big.files].filter(([, kind]) => KINDS[kind].error !== null).map(([file]) => file);
  assert.deepEqual(summary.failures.map((f) => f.file), sorted(failing));
  assert.ok(summary.failures.every((f) => f.exitCode === 7 && f.message.startsWith(`${f.file}: `)));
  t.diagnostic(`detect: ${summary.total} databases in ${summary.durationMs} ms, ${summary.databasesPerSecond} databases/s`);
});

test('--shard 1/3, 2/3 and 3/3 together cover every file exactly once, and their results merge by concatenation', (t) => {
  const dir = tempDir(t);
  // Smaller than the big fleet only to keep the test file fast: the split is a hash of each path, whatever the count.
  const fleet = generateFleet(join(dir, 'fleet'), 600, templates);
  const runs = [1, 2, 3].map((k) => {
    const out = join(dir, `shard-${k}.jsonl`);
    const result = runCli(['fleet', fleet.dir, ...SOURCES, '--shard', `${k}/3`, '--out', out, '--json']);
    assert.ok(result.code === 0 || result.code === 9, result.stderr);
    return { summary: json<SummaryJson>(result), lines: readLines(out) };
  });
  const merged = runs.flatMap((r) => r.lines.map((l) => l.file));
  assert.equal(merged.length, fleet.files.size);
  assert.deepEqual(sorted(merged), sorted(fleet.files.keys()));
  for (const [i, { summary, lines }] of runs.entries()) {
    assert.deepEqual(summary.shard, { index: i + 1, count: 3 });
    assert.equal(summary.total, lines.length);
    assert.equal(summary.listed, fleet.files.size);
    assert.ok(lines.length > 0);
  }
});

test('--shard other than K/N with 1 ≤ K ≤ N is a usage error (exit 2) before anything runs', (t) => {
  const out = join(tempDir(t), 'results.jsonl');
  for (const shard of ['0/3', '4/3', '3', '1/0', 'two/three']) {
    const result = runCli(['fleet', big.dir, ...SOURCES, '--shard', shard, '--out', out, '--json']);
    assert.equal(result.code, 2, shard);
    assert.match(json<{ error: { message: string } }>(result).error.message, /--shard takes K\/N/);
  }
  assert.equal(existsSync(out), false);
});

test('--upgrade upgrades every upgradable database and fails the others with their own codes; a second run finds them all current', (t) => {
  const fleet = generateFleet(join(tempDir(t), 'fleet'), 48, templates);
  const out = join(fleet.dir, '..', 'upgrade.jsonl');
  const first = runCli(['fleet', fleet.dir, ...SOURCES, '--upgrade', '--out', out, '--json']);
  assert.equal(first.code, 9, first.stderr);
  for (const line of readLines(out)) {
    const kind = KINDS[fleet.files.get(line.file) ?? 'fresh'];
    assert.equal(line.error?.code ?? null, kind.upgradeError, line.file);
    if (kind.upgradeError === null && kind.state !== 'tracked') assert.ok(line.applied.length > 0, line.file);
  }

  const second = json<SummaryJson>(runCli(['fleet', fleet.dir, ...SOURCES, '--upgrade', '--json']));
  const upgradable = [...fleet.files.values()].filter((kind) => KINDS[kind].upgradeError === null).length;
  assert.equal(second.listed, 48, 'the backups the first run wrote are not databases of the fleet');
  assert.equal(second.states.tracked, upgradable);
  assert.equal(second.actions.nothing, upgradable);
  assert.equal(second.succeeded, upgradable);
});

test("--backup-dir keeps each database's backups under its own relative path, so equal names never collide", (t) => {
  const dir = tempDir(t);
  const fleet = join(dir, 'fleet');
  for (const site of ['site-a', 'site-b']) {
    mkdirSync(join(fleet, site), { recursive: true });
    copyFileSync(templates['legacy-r03'], join(fleet, site, 'app.db'));
  }
  const backups = join(dir, 'backups');
  mkdirSync(backups);
  const result = runCli(['fleet', fleet, ...SOURCES, '--upgrade', '--backup-dir', backups, '--json']);
  assert.equal(result.code, 0, result.stdout);
  for (const site of ['site-a', 'site-b']) {
    const [backup, ...rest] = readdirSync(join(backups, site));
    assert.equal(rest.length, 0);
    assert.match(backup ?? '', /^app\.db\.\d{8}T\d{6}Z\.legacy-r03-to-0010_session_tags\.backup$/);
    assert.deepEqual(schemaOf(join(backups, site, backup ?? '')), schemaOf(templates['legacy-r03']), 'the backup is the database as it was');
  }
});

test('--backup-dir with two databases of one relative path (from two arguments) is a usage error before anything runs', (t) => {
  const dir = tempDir(t);
  for (const site of ['site-a', 'site-b']) {
    mkdirSync(join(dir, site));
    copyFileSync(templates['legacy-r03'], join(dir, site, 'app.db'));
  }
  const result = runCli(['fleet', join(dir, 'site-a'), join(dir, 'site-b'), ...SOURCES, '--upgrade', '--backup-dir', dir, '--json']);
  assert.equal(result.code, 2);
  assert.match(json<{ error: { message: string } }>(result).error.message, /are both app\.db relative to their arguments/);
  assert.deepEqual(readdirSync(join(dir, 'site-a')), ['app.db']);
});

test('--upgrade --mode legacy without --legacy is a usage error before anything runs', () => {
  const result = runCli(['fleet', big.dir, ...SOURCES, '--upgrade', '--mode', 'legacy', '--json']);
  assert.equal(result.code, 2);
  assert.match(json<{ error: { message: string } }>(result).error.message, /Pass --legacy <module>/);
});

test('a database that kills its worker thread fails alone: every other one, the rest of its batch included, is done', (t) => {
  const dir = tempDir(t);
  const fleet = join(dir, 'fleet');
  mkdirSync(fleet);
  for (let i = 0; i < 40; i++) copyFileSync(templates['legacy-r03'], join(fleet, `${i === 13 ? 'poison' : 'app'}-${String(i).padStart(2, '0')}.db`));
  // The app's old migrations, which end the thread they run in on one database.
  const legacy = join(dir, 'legacy.mjs');
  writeFileSync(legacy, "export function run(db) { if (db.name.includes('poison')) process.exit(70); }\n");
  const out = join(dir, 'results.jsonl');
  // One worker, so that the poisoned database sits in the middle of a batch of five.
  const result = runCli(['fleet', fleet, ...SOURCES, '--legacy', legacy, '--upgrade', '--mode', 'legacy', '--no-backup', '--concurrency', '1', '--out', out, '--json']);
  assert.equal(result.code, 9, result.stderr);
  const lines = readLines(out);
  assert.equal(lines.length, 40);
  assert.equal(new Set(lines.map((l) => l.file)).size, 40);
  const [poisoned, ...others] = [...lines].sort((a, b) => Number(b.file.includes('poison')) - Number(a.file.includes('poison')));
  assert.equal(poisoned?.error?.code, 'UNEXPECTED');
  assert.match(poisoned?.error?.message ?? '', /the worker thread processing it stopped \(exit code 70\)/);
  assert.ok(others.every((l) => l.ok && l.action === 'legacy-only'));
});

test('a fleet killed half-way keeps a whole JSON line for every database it finished', async (t) => {
  const out = join(tempDir(t), 'results.jsonl');
  const child = spawn(process.execPath, [CLI, 'fleet', big.dir, ...SOURCES, '--out', out, '--json'], { cwd: tmpdir(), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  // Wait (as long as it takes) for the first results to be on disk, then kill -9.
  while (!existsSync(out) || readFileSync(out, 'utf8').split('\n').length <= 50) {
    assert.equal(child.exitCode, null, 'the fleet ended before it could be killed');
    await delay(20);
  }
  child.kill('SIGKILL');
  await exited;
  const lines = readLines(out);
  assert.ok(lines.length >= 50 && lines.length < big.files.size, `${lines.length} lines`);
  assert.equal(new Set(lines.map((l) => l.file)).size, lines.length);
  assert.ok(lines.every((l) => big.files.has(l.file)));
});

test('invalid rules stop the fleet with exit 8 before any database is touched', (t) => {
  const dir = tempDir(t);
  const fleet = join(dir, 'fleet');
  mkdirSync(fleet);
  const db = join(fleet, 'app.db');
  copyFileSync(templates['legacy-r03'], db);
  const before = sha256File(db);
  const rules = join(dir, 'rules.yaml');
  writeFileSync(rules, 'format: 1\nrules:\n  - id: broken\n    bridge-to: 9999_nowhere\n');
  const result = runCli(['fleet', fleet, '--migrations', REPO_MIGRATIONS, '--rules', rules, '--upgrade', '--json']);
  assert.equal(result.code, 8, result.stdout);
  assert.equal(json<{ error: { code: string } }>(result).error.code, 'INVALID_RULES');
  assert.equal(sha256File(db), before);
  assert.deepEqual(readdirSync(fleet), ['app.db'], 'no backup, no journal');
});

test('without --json the summary is text: histograms, the failures, and the error on stderr', (t) => {
  const fleet = generateFleet(join(tempDir(t), 'fleet'), 24, templates);
  const result = runCli(['fleet', fleet.dir, ...SOURCES]);
  assert.equal(result.code, 9);
  assert.match(result.stdout, /^fleet: 24 databases detected in [\d.]+ s \(\d+\/s\): 22 ok, 2 failed$/m);
  assert.match(result.stdout, /^states:\n {2}legacy +13 {2}#+$/m);
  assert.match(result.stdout, /^failures:\n {2}\S+text-\d+\.\S+: NOT_A_DATABASE \(exit 7\): is not an SQLite database/m);
  assert.match(result.stderr, /^drawbridge: 2 of 24 databases failed \(NOT_A_DATABASE 2\)/);
});

test('flags that only an upgrade uses are usage errors without --upgrade', () => {
  for (const flags of [['--no-backup'], ['--backup-dir', tmpdir()]]) {
    const result = runCli(['fleet', big.dir, ...SOURCES, ...flags, '--json']);
    assert.equal(result.code, 2, flags.join(' '));
    assert.match(json<{ error: { message: string } }>(result).error.message, /only apply with --upgrade/);
  }
});

test('on a terminal, a progress bar is drawn on stderr and cleared before the summary', (t) => {
  const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (script.status !== 0) {
    t.skip('needs script(1) to run the CLI on a pseudo-terminal');
    return;
  }
  const fleet = generateFleet(join(tempDir(t), 'fleet'), 24, templates);
  const command = [process.execPath, CLI, 'fleet', fleet.dir, ...SOURCES].map((a) => `'${a}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', cwd: tmpdir() });
  const clear = '\r\u001b[2K';
  const cleared = result.stdout.lastIndexOf(clear);
  assert.ok(cleared > 0 && cleared < result.stdout.indexOf('fleet: 24 databases detected'), 'the line is cleared before the summary');
  assert.ok(result.stdout.slice(0, cleared).includes(`${clear}[${'#'.repeat(24)}] 24/24 100%`), 'the bar was drawn, to the end');
});
