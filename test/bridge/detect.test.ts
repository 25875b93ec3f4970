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

const EXPECTED: Readonly<Record<string, { state: string; derived: string | null }>> = {
  'release-r01': { state: 'legacy', derived: '0001_core_tables' },
  'release-r02': { state: 'legacy', derived: '0002_conversation_messages' },
  'release-r03': { state: 'legacy', derived: '0003_execution_tracking' },
  'release-r04': { state: 'legacy', derived: '0004_project_management' },
  'release-r05': { state: 'legacy', derived: '0005_ui_persistence' },
  'release-r06': { state: 'unknown', derived: null }, // hotfix column without the 0.6.0 rebuild: half of 0006
  'release-r07': { state: 'unknown', derived: null }, // its rebuild lost idx_sessions_project_id
  'release-r08': { state: 'legacy', derived: '0007_late_indexes' },
  'release-r09': { state: 'legacy', derived: '0008_session_activity' },
  'release-r10': { state: 'legacy', derived: '0009_session_git_tracking' },
  'fresh-r01': { state: 'legacy', derived: '0001_core_tables' },
  'fresh-r02': { state: 'legacy', derived: '0002_conversation_messages' },
  'fresh-r03': { state: 'legacy', derived: '0003_execution_tracking' },
  'fresh-r04': { state: 'legacy', derived: '0004_project_management' },
  'fresh-r05': { state: 'legacy', derived: '0005_ui_persistence' },
  'fresh-r06': { state: 'unknown', derived: null },
  'fresh-r07': { state: 'legacy', derived: '0006_session_favorites_and_status_check' }, // a fresh 0.6.0 install kept the index
  'fresh-r08': { state: 'legacy', derived: '0007_late_indexes' },
  'fresh-r09': { state: 'legacy', derived: '0008_session_activity' },
  'fresh-r10': { state: 'legacy', derived: '0009_session_git_tracking' },
  'variant-crashed-r07': { state: 'unknown', derived: null },
  'variant-lying-user-version': { state: 'legacy', derived: '0005_ui_persistence' },
  'variant-user-extras': { state: 'unknown', derived: null },
  'variant-wal-uncheckpointed': { state: 'legacy', derived: '0009_session_git_tracking' },
  'variant-newer': { state: 'unknown', derived: null },
  'variant-fk-violations': { state: 'legacy', derived: '0009_session_git_tracking' },
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

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`detect ${name}: ${expected.state}${expected.derived === null ? '' : ` at ${expected.derived}`}, files byte-identical`, () => {
    const fixture = fixtures.find((f) => f.name === name);
    assert.ok(fixture, `fixture ${name} was generated`);
    const before = sidecarHashes(fixture.file);
    const result = runCli(['detect', fixture.file, '--migrations', MIGRATIONS, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const detection = json<{ state: string; derived: { name: string } | null; nearest: unknown[] }>(result);
    assert.equal(detection.state, expected.state);
    assert.equal(detection.derived?.name ?? null, expected.derived);
    if (expected.state === 'unknown') assert.ok(detection.nearest.length > 0, 'an unknown state names its nearest versions');
    assert.deepEqual(sidecarHashes(fixture.file), before);
  });
}

test('detect names what differs for a state that is not an exact prefix (release-r06: the hotfix column)', () => {
  const fixture = fixtures.find((f) => f.name === 'release-r06');
  assert.ok(fixture);
  const result = runCli(['detect', fixture.file, '--migrations', MIGRATIONS]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /nearest: 0005_ui_persistence — 1 difference/);
  assert.match(result.stdout, /is_favorite/);
});

test('detect on an empty file says fresh', (t) => {
  const empty = join(tempDir(t), 'empty.db');
  writeFileSync(empty, '');
  const result = runCli(['detect', empty, '--migrations', MIGRATIONS, '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(json<{ state: string }>(result).state, 'fresh');
});
