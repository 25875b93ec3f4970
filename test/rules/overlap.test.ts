import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidRulesError } from '../../src/errors.js';
import { defineRules, loadRules } from '../../src/rules/load-rules.js';
import { checkOverlaps, commonVersion, findOverlaps, foldName } from '../../src/rules/overlap.js';
import type { RuleSet } from '../../src/rules/types.js';
import { tempDir } from '../helpers/temp.js';

/** Rules r1, r2, ... with the given `match` sections (everything else is incidental). */
function rules(...matches: Record<string, unknown>[]): RuleSet {
  return defineRules({ format: 1, rules: matches.map((match, i) => ({ id: `r${i + 1}`, match, 'bridge-to': '0001_a' })) });
}

/** The overlapping pairs, as ids. */
function overlaps(set: RuleSet): string[][] {
  return findOverlaps(set).map(({ a, b }) => [a.id, b.id]);
}

const BOTH = [['r1', 'r2']];

test('user_version: an exact value and a range are disjoint unless the range holds it', () => {
  assert.deepEqual(overlaps(rules({ user_version: 5 }, { user_version: { min: 6, max: 9 } })), []);
  assert.deepEqual(overlaps(rules({ user_version: 5 }, { user_version: { min: 2, max: 4 } })), []);
  assert.deepEqual(overlaps(rules({ user_version: 5 }, { user_version: { min: 5, max: 9 } })), BOTH);
  assert.deepEqual(overlaps(rules({ user_version: 5 }, { user_version: 5 })), BOTH);
  assert.deepEqual(overlaps(rules({ user_version: 5 }, { user_version: 6 })), []);
});

test('user_version: sets are disjoint when they share no value, also against exact values and ranges', () => {
  assert.deepEqual(overlaps(rules({ user_version: [1, 2] }, { user_version: [3, 4] })), []);
  assert.deepEqual(overlaps(rules({ user_version: [1, 2] }, { user_version: [2, 3] })), BOTH);
  assert.deepEqual(overlaps(rules({ user_version: [1, 3] }, { user_version: 2 })), []);
  assert.deepEqual(overlaps(rules({ user_version: [1, 7] }, { user_version: { min: 2, max: 6 } })), []);
  assert.deepEqual(overlaps(rules({ user_version: { min: 2, max: 6 } }, { user_version: [1, 6] })), BOTH);
});

test('user_version: open ranges are unbounded on their open side; bounds are inclusive', () => {
  assert.deepEqual(overlaps(rules({ user_version: { max: 4 } }, { user_version: { min: 5 } })), []);
  assert.deepEqual(overlaps(rules({ user_version: { max: 5 } }, { user_version: { min: 5 } })), BOTH);
  assert.deepEqual(overlaps(rules({ user_version: { max: 3 } }, { user_version: { max: 9 } })), BOTH);
  assert.deepEqual(overlaps(rules({ user_version: { min: 3 } }, { user_version: { min: 1, max: 2 } })), []);
  assert.equal(commonVersion({ kind: 'range', min: undefined, max: 3 }, { kind: 'range', min: undefined, max: 9 }), 3);
  assert.equal(commonVersion({ kind: 'range', min: 2, max: undefined }, { kind: 'set', values: [1, 4] }), 4);
});

test('user_version separates nothing when only one rule checks it', () => {
  assert.deepEqual(overlaps(rules({ user_version: 5 }, { tables: { sessions: [] } })), BOTH);
});

test('a table one rule requires and the other lists as absent separates them, in any ASCII case', () => {
  assert.deepEqual(overlaps(rules({ tables: { app_opens: [] } }, { absent: { tables: ['APP_OPENS'] } })), []);
  assert.deepEqual(overlaps(rules({ absent: { tables: ['app_opens'] } }, { tables: { App_Opens: ['id'] } })), []);
  assert.deepEqual(overlaps(rules({ tables: { app_opens: [] } }, { absent: { tables: ['sessions'] } })), BOTH);
});

test('a required column separates from the same column absent, or from its table absent', () => {
  assert.deepEqual(overlaps(rules({ tables: { sessions: ['id', 'base_commit'] } }, { absent: { columns: { Sessions: ['BASE_COMMIT'] } } })), []);
  assert.deepEqual(overlaps(rules({ tables: { sessions: ['base_commit'] } }, { absent: { tables: ['sessions'] } })), []);
  assert.deepEqual(overlaps(rules({ tables: { sessions: ['base_commit'] } }, { absent: { columns: { projects: ['base_commit'] } } })), BOTH);
  assert.deepEqual(overlaps(rules({ tables: { sessions: ['id'] } }, { absent: { columns: { sessions: ['base_commit'] } } })), BOTH);
});

test('a required index, trigger or view separates from the same one absent', () => {
  assert.deepEqual(overlaps(rules({ indexes: ['idx_sessions_status'] }, { absent: { indexes: ['IDX_sessions_status'] } })), []);
  assert.deepEqual(overlaps(rules({ absent: { triggers: ['trg'] } }, { triggers: ['trg'] })), []);
  assert.deepEqual(overlaps(rules({ views: ['v_recent'] }, { absent: { views: ['v_recent'] } })), []);
  // An index name is not a trigger name.
  assert.deepEqual(overlaps(rules({ indexes: ['x'] }, { absent: { triggers: ['x'] } })), BOTH);
});

test('only ASCII letters fold: non-ASCII names in another case are different names', () => {
  assert.equal(foldName('Straße_ÉTÉ_AbC'), 'straße_ÉtÉ_abc');
  assert.deepEqual(overlaps(rules({ tables: { 'été': [] } }, { absent: { tables: ['ÉTÉ'] } })), BOTH);
});

test('rules that differ only in sql overlap: sql cannot be reasoned about', () => {
  const set = rules(
    { user_version: 5, sql: "SELECT count(*) > 0 FROM preferences WHERE key = 'a'" },
    { user_version: 5, sql: "SELECT count(*) = 0 FROM preferences WHERE key = 'a'" },
  );
  assert.deepEqual(overlaps(set), BOTH);
});

test('every overlapping pair is listed, in rule order', () => {
  const set = rules({ user_version: 1 }, { user_version: { min: 1, max: 2 } }, { user_version: 2 }, { user_version: 3 });
  assert.deepEqual(overlaps(set), [
    ['r1', 'r2'],
    ['r2', 'r3'],
  ]);
});

test('checkOverlaps passes disjoint rules', () => {
  assert.doesNotThrow(() => checkOverlaps(rules({ user_version: 1 }, { user_version: 2 }, { user_version: { min: 3 } })));
});

test('checkOverlaps names both rules\' locations and suggests a separating check', (t) => {
  const file = join(tempDir(t), 'rules.yaml');
  writeFileSync(
    file,
    `format: 1
rules:
  - id: r5
    match:
      user_version: 5
      tables: { sessions: [id, base_commit] }
    bridge-to: 0005_ui_persistence
  - id: r5-hotfix
    match:
      user_version: { min: 5, max: 6 }
      tables: { sessions: [id] }
    bridge-to: 0006_session_favorites_and_status_check
  - id: r9
    match: { user_version: 9 }
    bridge-to: 0009_session_git_tracking
  - id: r9b
    match: { user_version: 9, sql: SELECT 1 }
    bridge-to: 0009_session_git_tracking
`,
  );
  let caught: unknown;
  try {
    checkOverlaps(loadRules(file));
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof InvalidRulesError);
  assert.equal(caught.code, 'INVALID_RULES');
  assert.equal(caught.exitCode, 8);
  const first =
    `rule "r5-hotfix" overlaps rule "r5" at ${file}:3:5: one database could match both, so detection would be ambiguous (sql checks do not count).` +
    ' To separate them, add `absent: { columns: { sessions: [base_commit] } }` to rule "r5-hotfix" (rule "r5" requires that column).';
  const second =
    `rule "r9b" overlaps rule "r9" at ${file}:13:5: one database could match both, so detection would be ambiguous (sql checks do not count).` +
    ' To separate them, make their `user_version` checks disjoint (both accept 9).';
  assert.equal(
    caught.message,
    [
      'Invalid bridge rules (2 problems):',
      `${file}:8:5: ${first}`,
      `${file}:16:5: ${second}`,
      'Give each pair listed a check one rule has and the other excludes; `drawbridge rules check` lints the result.',
    ].join('\n'),
  );
  assert.deepEqual(caught.details['problems'], [
    { file, line: 8, column: 5, message: first },
    { file, line: 16, column: 5, message: second },
  ]);
});
