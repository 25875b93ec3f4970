import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXIT } from '../../src/errors.js';
import { renderSummary } from '../../src/fleet/render-summary.js';
import { failuresError, FleetTally, NONE } from '../../src/fleet/summary.js';
import type { FleetResult } from '../../src/fleet/types.js';

function ok(file: string, over: Partial<FleetResult> = {}): FleetResult {
  return { file, ok: true, state: 'legacy', action: 'bridge', rule: 'legacy-r03', bridgePoint: '0003_x', backfilled: [], applied: [], pending: [], durationMs: 1, ...over };
}

function failed(file: string): FleetResult {
  return { ...ok(file), ok: false, state: null, action: null, rule: null, bridgePoint: null, error: { code: 'NOT_A_DATABASE', exitCode: EXIT.notADatabase, message: `${file}: is not an SQLite database. Restore it.` } };
}

test('the tally counts states, actions, rules, bridge points and error codes; a missing value counts as (none)', () => {
  const tally = new FleetTally('detect', null);
  tally.add(ok('a.db'));
  tally.add(ok('b.db'));
  tally.add(ok('c.db', { state: 'fresh', action: 'run-pending', rule: null, bridgePoint: null }));
  tally.add(failed('d.db'));
  const s = tally.summary(2000);
  assert.deepEqual(s.states, { [NONE]: 1, fresh: 1, legacy: 2 });
  assert.deepEqual(s.actions, { [NONE]: 1, bridge: 2, 'run-pending': 1 });
  assert.deepEqual(s.rules, { [NONE]: 2, 'legacy-r03': 2 });
  assert.deepEqual(s.bridgePoints, { [NONE]: 2, '0003_x': 2 });
  assert.deepEqual(s.errors, { NOT_A_DATABASE: 1 });
  assert.deepEqual([s.total, s.succeeded, s.failed, s.databasesPerSecond], [4, 3, 1, 2]);
  assert.deepEqual(s.failures.map((f) => [f.file, f.code, f.exitCode]), [['d.db', 'NOT_A_DATABASE', 7]]);
});

test('failures are listed by file, whatever order they finished in', () => {
  const tally = new FleetTally('detect', null);
  for (const file of ['c.db', 'a.db', 'b.db']) tally.add(failed(file));
  assert.deepEqual(tally.summary(1).failures.map((f) => f.file), ['a.db', 'b.db', 'c.db']);
});

test('a fleet with failures ends with FleetFailuresError (exit 9) naming the codes; one without, with none', () => {
  const tally = new FleetTally('upgrade', { index: 1, count: 2 });
  tally.add(ok('a.db'));
  assert.equal(failuresError(tally.summary(1)), undefined);
  tally.add(failed('b.db'));
  const error = failuresError(tally.summary(1));
  assert.equal(error?.exitCode, EXIT.fleetFailures);
  assert.equal(error?.code, 'FLEET_FAILURES');
  assert.match(error?.message ?? '', /1 of 2 databases failed \(NOT_A_DATABASE 1\); the others were done/);
});

test('the text summary shows the histograms biggest first and the first 20 failures, then how many more', () => {
  const tally = new FleetTally('detect', null);
  for (let i = 0; i < 30; i++) tally.add(ok(`ok-${i}.db`));
  for (let i = 0; i < 25; i++) tally.add(failed(`bad-${String(i).padStart(2, '0')}.db`));
  const lines = renderSummary(tally.summary(1000));
  assert.match(lines[0] ?? '', /^fleet: 55 databases detected in 1\.0 s \(55\/s\): 30 ok, 25 failed$/);
  const states = lines.indexOf('states:');
  assert.match(lines[states + 1] ?? '', /^ {2}legacy\s+30 {2}#+$/);
  assert.match(lines[states + 2] ?? '', /^ {2}\(none\)\s+25 {2}#+$/);
  const failures = lines.slice(lines.indexOf('failures:') + 1);
  assert.equal(failures.length, 21);
  assert.equal(failures[0], '  bad-00.db: NOT_A_DATABASE (exit 7): is not an SQLite database. Restore it.');
  assert.equal(failures[20], '  and 5 more (all of them: --json, or the --out file)');
});
