import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidRulesError } from '../../src/errors.js';
import { checkRuleTargets } from '../../src/rules/check-targets.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { findOverlaps } from '../../src/rules/overlap.js';
import { tempDir } from '../helpers/temp.js';

const HEAD = 'format: 1\nrules:\n';

function rulesFile(dir: string, body: string): string {
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, `${HEAD}${body}`);
  return file;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidRulesError, `expected InvalidRulesError, got ${String(error)}`);
    return error.message.split('\n').slice(1, -1);
  }
  assert.fail('expected the rules to be rejected');
}

test('an import rule needs neither match nor bridge-to, and loads its map as data', (t) => {
  const file = rulesFile(tempDir(t), '  - id: from-knex\n    import:\n      from: knex\n      map:\n        20200101_users.js: 0001_users\n        20200202_split.js: [0002_a, 0003_b]\n        20200303_noop.js: null\n      baseline: 0001_users\n');
  const [rule] = loadRules(file).rules;
  assert.equal(rule?.import?.from, 'knex');
  assert.equal(rule?.import?.baseline, '0001_users');
  assert.deepEqual(rule?.import?.map, { kind: 'explicit', entries: { '20200101_users.js': ['0001_users'], '20200202_split.js': ['0002_a', '0003_b'], '20200303_noop.js': null } });
  assert.equal(rule?.bridgeTo, undefined);
  assert.deepEqual(rule?.match.tables, {});
});

test('map: by-number and same-name are the two named maps', (t) => {
  const file = rulesFile(tempDir(t), '  - id: a\n    import: { from: plain, table: _migrations, map: by-number }\n  - id: b\n    import: { from: d1, map: same-name }\n    match: { absent: { tables: [_migrations] } }\n');
  assert.deepEqual(loadRules(file).rules.map((r) => r.import?.map.kind), ['by-number', 'same-name']);
});

test('a rule with neither match nor import is rejected at the rule', (t) => {
  const file = rulesFile(tempDir(t), '  - id: a\n    bridge-to: 0001_a\n');
  assert.deepEqual(problems(() => loadRules(file)), [`${file}:3:5: missing "match" (or "import"): a rule recognises a database by its checks, by another tool's imported history, or both`]);
});

test('an unknown tool, an unknown named map and a bad migration name are reported at their values', (t) => {
  const file = rulesFile(tempDir(t), '  - id: a\n    import:\n      from: liquibase\n      map: by-name\n  - id: b\n    import:\n      from: knex\n      map: { x.js: users }\n');
  assert.deepEqual(problems(() => loadRules(file)), [
    `${file}:5:13: from: expected one of: knex, sequelize, prisma, drizzle, d1, dbmate, golang-migrate, flyway, plain; found the string "liquibase"`,
    `${file}:6:12: map: expected one of: by-number, same-name; found the string "by-name"`,
    `${file}:10:20: x.js: "users" is not a migration name (NNNN_description, e.g. 0005_ui_persistence)`,
  ]);
});

test('a refusing rule imports nothing', (t) => {
  const file = rulesFile(tempDir(t), '  - id: a\n    import: { from: knex, map: by-number }\n    then: refuse\n');
  assert.deepEqual(problems(() => loadRules(file)), [`${file}:4:13: import: not allowed with then: refuse (a refused database imports nothing)`]);
});

test('a legacy-fallback rule imports nothing either: only a bridge records a history', (t) => {
  const file = rulesFile(tempDir(t), '  - id: b\n    import: { from: knex, map: by-number }\n    bridge-to: 0001_a\n    then: legacy-fallback\n    match: { user_version: 3 }\n');
  assert.deepEqual(problems(() => loadRules(file)), [
    `${file}:4:13: import: goes with then: bridge (this rule has then: legacy-fallback): an imported history says where the database is, and only a bridge records it`,
  ]);
});

test('names in import.map and import.baseline must be migrations of the sequence', (t) => {
  const file = rulesFile(tempDir(t), '  - id: a\n    import:\n      from: knex\n      baseline: 0001_users\n      map: { x.js: 0002_emial }\n');
  const rules = loadRules(file);
  assert.doesNotThrow(() => checkRuleTargets(rules, ['0001_users', '0002_emial']));
  assert.deepEqual(problems(() => checkRuleTargets(rules, ['0001_user', '0002_email'])), [
    `${file}:6:17: rule "a": import.baseline "0001_users" is not a migration in the sequence (closest: 0001_user, 0002_email)`,
    `${file}:7:20: rule "a": import.map["x.js"] "0002_emial" is not a migration in the sequence (closest: 0002_email, 0001_user)`,
  ]);
});

test("an import's table counts as a required table when rules are checked for overlap", (t) => {
  const file = rulesFile(tempDir(t), '  - id: knex\n    import: { from: knex, map: by-number }\n  - id: plain\n    match: { absent: { tables: [knex_migrations] } }\n    bridge-to: 0001_a\n  - id: other\n    match: { user_version: 1 }\n    bridge-to: 0001_a\n');
  const overlaps = findOverlaps(loadRules(file)).map((o) => `${o.a.id}/${o.b.id}`);
  assert.deepEqual(overlaps, ['knex/other', 'plain/other']);
});
