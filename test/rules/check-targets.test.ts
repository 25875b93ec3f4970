import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidRulesError } from '../../src/errors.js';
import { checkRuleTargets, closestNames, editDistance } from '../../src/rules/check-targets.js';
import { defineRules, loadRules } from '../../src/rules/load-rules.js';
import { tempDir } from '../helpers/temp.js';

const SEQUENCE = ['0001_core_tables', '0002_conversation_messages', '0003_execution_tracking', '0004_project_management', '0005_ui_persistence'];

const RULES = `format: 1
rules:
  - id: known
    match: { user_version: 1 }
    bridge-to: 0001_core_tables
  - id: typo
    match: { user_version: 5 }
    bridge-to: 0005_ui_persistance
  - id: refused
    match: { user_version: { min: 9 } }
    then: refuse
`;

test('bridge-to values that all name migrations pass', () => {
  const rules = defineRules({ format: 1, rules: [{ id: 'a', match: { user_version: 1 }, 'bridge-to': '0003_execution_tracking' }] });
  assert.doesNotThrow(() => checkRuleTargets(rules, SEQUENCE));
});

test('a bridge-to that names no migration fails at its line:column, listing the closest names', (t) => {
  const file = join(tempDir(t), 'rules.yaml');
  writeFileSync(file, RULES);
  let caught: unknown;
  try {
    checkRuleTargets(loadRules(file), SEQUENCE);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof InvalidRulesError);
  assert.equal(caught.code, 'INVALID_RULES');
  assert.equal(caught.exitCode, 8);
  const message = `rule "typo": bridge-to "0005_ui_persistance" is not a migration in the sequence (closest: 0005_ui_persistence, 0001_core_tables, 0002_conversation_messages)`;
  assert.equal(
    caught.message,
    `Invalid bridge rules (1 problem):\n${file}:8:16: ${message}\n` +
      'Point each name listed at a migration of the sequence (`drawbridge status` lists them), or add the migration it names.',
  );
  assert.deepEqual(caught.details['problems'], [{ file, line: 8, column: 16, message }]);
});

test('with no migrations at all, the error says so', () => {
  const rules = defineRules({ format: 1, rules: [{ id: 'a', match: { user_version: 1 }, 'bridge-to': '0001_a' }] });
  assert.throws(() => checkRuleTargets(rules, []), {
    message: /^embedded:0:0: rule "a": bridge-to "0001_a" is not a migration in the sequence \(the sequence has no migrations\)$/m,
  });
});

test('edit distance and the closest names, nearest first and ties in sequence order', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('same', 'same'), 0);
  assert.deepEqual(closestNames('0002_a', ['0001_a', '0002_b', '0003_a', '0002_a_x']), ['0001_a', '0002_b', '0003_a']);
});
