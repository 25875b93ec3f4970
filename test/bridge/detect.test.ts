import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateFixtures, type FixtureInfo } from '../../legacy-fixtures/generate.js';
import { json, runCli } from '../helpers/cli.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Every reference fixture, detected through the real CLI against the
 * reference sequence: the state and the derived version it names, and the
 * files (.db, -wal, -shm) byte-identical afterwards.
 */

const MIGRATIONS = fileURLToPath(new URL('../../../migrations', import.meta.url));

const RULES = fileURLToPath(new URL('../../../bridge-rules', import.meta.url));

interface Expected {
  readonly state: string;
  readonly rule: string | null;
  readonly bridgePoint: string | null;
  /** The version whose schema it has (rules aside), or null. */
  readonly derived: string | null;
}

const at = (state: string, rule: string | null, bridgePoint: string | null, derived: string | null = bridgePoint): Expected => ({ state, rule, bridgePoint, derived });

const M1 = '0001_core_tables';
const M2 = '0002_conversation_messages';
const M3 = '0003_execution_tracking';
const M4 = '0004_project_management';
const M5 = '0005_ui_persistence';
const M6 = '0006_session_favorites_and_status_check';
const M7 = '0007_late_indexes';
const M8 = '0008_session_activity';
const M9 = '0009_session_git_tracking';

const EXPECTED: Readonly<Record<string, Expected>> = {
  'release-r01': at('legacy', 'legacy-r01', M1),
  'release-r02': at('legacy', 'legacy-r02', M2),
  'release-r03': at('legacy', 'legacy-r03', M3),
  'release-r04': at('legacy', 'legacy-r04', M4), // user_version 3: the release forgot its bump
  'release-r05': at('legacy', 'legacy-r05', M5),
  'release-r06': at('legacy', 'legacy-r06-hotfix', M6, null), // hotfix column without the 0.6.0 rebuild: half of 0006
  'release-r07': at('legacy', 'legacy-r07-lost-index', M6, null), // its rebuild lost idx_sessions_project_id
  'release-r08': at('legacy', 'legacy-r08', M7),
  'release-r09': at('legacy', 'legacy-r09', M8),
  'release-r10': at('legacy', 'legacy-r10', M9),
  'fresh-r01': at('legacy', 'legacy-r01', M1),
  'fresh-r02': at('legacy', 'legacy-r02', M2),
  'fresh-r03': at('legacy', 'legacy-r03', M3),
  'fresh-r04': at('legacy', 'legacy-r04', M4),
  'fresh-r05': at('legacy', 'legacy-r05', M5),
  'fresh-r06': at('legacy', 'legacy-r06-hotfix', M6, null),
  'fresh-r07': at('legacy', 'legacy-r07', M6), // a fresh 0.6.0 install kept the index
  'fresh-r08': at('legacy', 'legacy-r08', M7),
  'fresh-r09': at('legacy', 'legacy-r09', M8),
  'fresh-r10': at('legacy', 'legacy-r10', M9),
  'variant-crashed-r07': at('legacy', 'legacy-r07-crashed', M9, null), // bridge point after the legacy fallback
  'variant-lying-user-version': at('legacy', 'legacy-r05', M5),
  'variant-user-extras': at('legacy', 'legacy-r10', M9),
  'variant-wal-uncheckpointed': at('legacy', 'legacy-r10', M9),
  'variant-newer': at('newer', 'legacy-newer', null),
  'variant-fk-violations': at('legacy', 'legacy-r10', M9),
};

let fixtures: FixtureInfo[] = [];
let dir = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'drawbridge-fixtures-'));
  fixtures = generateFixtures(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function sidecarHashes(file: string): string[] {
  return ['', '-wal', '-shm', '-journal'].map((suffix) => (existsSync(file + suffix) ? sha256File(file + suffix) : '(absent)'));
}

test('the expectation table covers every generated fixture', () => {
  assert.deepEqual(fixtures.map((f) => f.name).sort(), Object.keys(EXPECTED).sort());
});

interface DetectJson {
  state: string;
  rule: { id: string } | null;
  bridgePoint: string | null;
  derived: { name: string } | null;
  evidence: { ok: boolean }[];
  nearest: { rules: unknown[]; versions: { name: string; differences: number }[] };
  migrations: { name: string; presence: string }[];
}

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`detect ${name}: ${expected.state}, rule ${expected.rule ?? '(none)'}, bridge point ${expected.bridgePoint ?? '(none)'}; files byte-identical`, () => {
    const fixture = fixtures.find((f) => f.name === name);
    assert.ok(fixture, `fixture ${name} was generated`);
    const before = sidecarHashes(fixture.file);
    const result = runCli(['detect', fixture.file, '--migrations', MIGRATIONS, '--rules', RULES, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const detection = json<DetectJson>(result);
    assert.equal(detection.state, expected.state);
    assert.equal(detection.rule?.id ?? null, expected.rule);
    assert.equal(detection.bridgePoint, expected.bridgePoint);
    assert.equal(detection.derived?.name ?? null, expected.derived);
    assert.ok(detection.evidence.length > 0 && detection.evidence.every((e) => e.ok), 'every check of the claiming rule holds, with evidence');
    assert.equal(detection.migrations.length, 10);
    assert.deepEqual(sidecarHashes(fixture.file), before);
  });
}

test('without rules, a state that is not an exact prefix is unknown, with its nearest versions and what differs (release-r06)', () => {
  const fixture = fixtures.find((f) => f.name === 'release-r06');
  assert.ok(fixture);
  const result = runCli(['detect', fixture.file, '--migrations', MIGRATIONS, '--json']);
  const detection = json<DetectJson>(result);
  assert.equal(detection.state, 'unknown');
  assert.deepEqual(detection.nearest.versions[0], { ...detection.nearest.versions[0], name: M5, differences: 1 });
  const text = runCli(['detect', fixture.file, '--migrations', MIGRATIONS]);
  assert.match(text.stdout, /nearest version: 0005_ui_persistence — 1 difference/);
  assert.match(text.stdout, /\+ column is_favorite/);
});

test('per migration, detect says which are present, absent or partial (release-r06: half of 0006)', () => {
  const fixture = fixtures.find((f) => f.name === 'release-r06');
  assert.ok(fixture);
  const detection = json<DetectJson>(runCli(['detect', fixture.file, '--migrations', MIGRATIONS, '--rules', RULES, '--json']));
  const presence = Object.fromEntries(detection.migrations.map((m) => [m.name, m.presence]));
  assert.equal(presence[M5], 'present');
  assert.equal(presence[M6], 'partial');
  assert.equal(presence[M7], 'absent');
});

test('detect on an empty file says fresh', (t) => {
  const empty = join(tempDir(t), 'empty.db');
  writeFileSync(empty, '');
  const result = runCli(['detect', empty, '--migrations', MIGRATIONS, '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(json<{ state: string }>(result).state, 'fresh');
});
