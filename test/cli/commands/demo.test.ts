import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json, runCli } from '../../helpers/cli.js';

test('demo bridges every reference fixture and prints one row per fixture', () => {
  const result = runCli(['demo']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^fixture\s+state\s+rule\s+bridge point\s+backfilled\s+applied\s+rows before → after\s+verdict/m);
  assert.match(result.stdout, /^release-r06\s+legacy\s+legacy-r06-hotfix\s+0006_session_favorites_and_status_check\s+6\s+4\s+(\d+) → \1\s+ok: bridged/m);
  assert.match(result.stdout, /^variant-newer\s+newer .* ok: refused \(exit 4\)/m);
  assert.match(result.stdout, /26 legacy databases: 25 bridged, 1 refused, 0 unexpected/);
});

test('demo --json gives one row per fixture, every verdict as expected and no table losing rows', () => {
  const result = runCli(['demo', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const rows = json<{ rows: { fixture: string; expected: boolean; tablesThatLostRows: string[] }[] }>(result).rows;
  assert.equal(rows.length, 26);
  assert.deepEqual(rows.filter((r) => !r.expected || r.tablesThatLostRows.length > 0), []);
});
