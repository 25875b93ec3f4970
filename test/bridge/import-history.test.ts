import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importHistory, unfinishedWork, type SequenceEntry } from '../../src/bridge/import-history.js';
import type { ForeignHistory, ForeignRow, ForeignRowStatus } from '../../src/probe/types.js';
import type { ImportMap, RuleImport } from '../../src/rules/types.js';

const SEQUENCE: SequenceEntry[] = [
  { name: '0001_users', number: 1 },
  { name: '0002_email', number: 2 },
  { name: '0003_posts', number: 3 },
  { name: '0004_tags', number: 4 },
];

const AT = { file: 'rules.yaml', line: 1, column: 1 };

function spec(map: ImportMap, baseline?: string): RuleImport {
  return { from: 'knex', table: undefined, map, baseline, location: AT, baselineLocation: undefined, mapLocations: {} };
}

function row(id: string, status: ForeignRowStatus = 'applied', appliedAt: string | null = null, durationMs: number | null = null): ForeignRow {
  return { id, status, appliedAt, durationMs, checksum: null, source: { name: id } };
}

function history(rows: ForeignRow[], extra: Partial<ForeignHistory> = {}): ForeignHistory {
  return { tool: 'knex', table: 'knex_migrations', cumulative: false, rows, locked: false, ...extra };
}

const BY_NUMBER: ImportMap = { kind: 'by-number' };

test('by-number: applied rows become the migrations with their numbers, and the last one is the bridge point', () => {
  const result = importHistory(spec(BY_NUMBER), history([row('001_users.js'), row('002_email.js')]), SEQUENCE, 'r');
  assert.deepEqual(result.imported.map((i) => [i.name, i.rows.map((r) => r.id)]), [['0001_users', ['001_users.js']], ['0002_email', ['002_email.js']]]);
  assert.equal(result.bridgePoint, '0002_email');
  assert.deepEqual(result.problems, []);
});

test('same-name: the id without its file extension is the migration name', () => {
  const result = importHistory(spec({ kind: 'same-name' }), history([row('0001_users.sql'), row('0002_email.up.sql'), row('0003_posts')]), SEQUENCE, 'r');
  assert.deepEqual(result.imported.map((i) => i.name), ['0001_users', '0002_email', '0003_posts']);
});

test('an explicit map can split one old migration into two and fold two into one', () => {
  const map: ImportMap = { kind: 'explicit', entries: { 'a.js': ['0001_users', '0002_email'], 'b.js': ['0003_posts'], 'c.js': ['0003_posts'] } };
  const result = importHistory(spec(map), history([row('a.js'), row('b.js'), row('c.js')]), SEQUENCE, 'r');
  assert.deepEqual(result.imported.map((i) => [i.name, i.rows.map((r) => r.id)]), [['0001_users', ['a.js']], ['0002_email', ['a.js']], ['0003_posts', ['b.js', 'c.js']]]);
  assert.equal(result.bridgePoint, '0003_posts');
});

test('a folded migration with only some of its old rows applied is partial, and not imported', () => {
  const map: ImportMap = { kind: 'explicit', entries: { 'a.js': ['0001_users'], 'b.js': ['0002_email'], 'c.js': ['0002_email'] } };
  const result = importHistory(spec(map), history([row('a.js'), row('b.js')]), SEQUENCE, 'r');
  assert.deepEqual(result.problems.map((p) => [p.kind, p.ids]), [['partial', ['c.js']]]);
  assert.deepEqual(result.imported.map((i) => i.name), ['0001_users']);
});

test('a row mapped to null is ignored, and a row the map does not know is a problem naming the rule', () => {
  const map: ImportMap = { kind: 'explicit', entries: { 'a.js': ['0001_users'], 'seed.js': null } };
  const result = importHistory(spec(map), history([row('a.js'), row('seed.js'), row('z.js')]), SEQUENCE, 'rule-7');
  assert.deepEqual(result.ignored.map((r) => r.id), ['seed.js']);
  assert.deepEqual(result.problems.map((p) => [p.kind, p.ids]), [['unmapped', ['z.js']]]);
  assert.match(result.problems[0]?.message ?? '', /rule rule-7's import\.map/);
});

test('a history with a hole in it is a gap, naming the missing migrations', () => {
  const result = importHistory(spec(BY_NUMBER), history([row('1_users'), row('3_posts')]), SEQUENCE, 'r');
  assert.deepEqual(result.problems.map((p) => [p.kind, p.ids]), [['gap', ['0002_email']]]);
});

test('a baseline covers the migrations older than the history, recorded as bridged', () => {
  const result = importHistory(spec(BY_NUMBER, '0002_email'), history([row('3_posts')]), SEQUENCE, 'r');
  assert.deepEqual(result.baseline, ['0001_users', '0002_email']);
  assert.deepEqual(result.imported.map((i) => i.name), ['0003_posts']);
  assert.equal(result.bridgePoint, '0003_posts');
  assert.deepEqual(result.problems, []);
});

test('a rolled-back row undoes the earlier applied row of the same migration', () => {
  const result = importHistory(spec(BY_NUMBER), history([row('1_users'), row('2_email'), row('2_email', 'rolled-back')]), SEQUENCE, 'r');
  assert.deepEqual(result.imported.map((i) => i.name), ['0001_users']);
  assert.deepEqual(result.ignored.map((r) => r.id), ['2_email']);
});

test('golang-migrate: one clean row at version 3 means 1, 2 and 3 are applied', () => {
  const result = importHistory(spec(BY_NUMBER), history([row('3')], { tool: 'golang-migrate', table: 'schema_migrations', cumulative: true }), SEQUENCE, 'r');
  assert.deepEqual(result.imported.map((i) => i.name), ['0001_users', '0002_email', '0003_posts']);
  assert.deepEqual(result.problems, []);
});

test('golang-migrate: a dirty version is unfinished, with `migrate force` as the way out, and is not imported', () => {
  const dirty = history([row('3', 'dirty')], { tool: 'golang-migrate', table: 'schema_migrations', cumulative: true });
  const result = importHistory(spec(BY_NUMBER), dirty, SEQUENCE, 'r');
  assert.deepEqual(result.imported.map((i) => i.name), ['0001_users', '0002_email']);
  assert.deepEqual(result.problems.map((p) => p.kind), ['unfinished']);
  assert.match(result.problems[0]?.message ?? '', /migrate force 3/);
});

test('a failed row later applied again is resolved; a failed row left alone is unfinished', () => {
  const resolved = history([row('1_users', 'failed'), row('1_users', 'rolled-back'), row('1_users')], { tool: 'prisma', table: '_prisma_migrations' });
  assert.deepEqual(unfinishedWork(resolved), []);
  const failed = history([row('1_users'), row('2_email', 'failed')], { tool: 'prisma', table: '_prisma_migrations' });
  const problems = unfinishedWork(failed);
  assert.deepEqual(problems.map((p) => [p.kind, p.ids, p.table]), [['unfinished', ['2_email'], '_prisma_migrations']]);
  assert.match(problems[0]?.message ?? '', /prisma migrate resolve --applied 2_email/);
});

test('a held knex lock is unfinished work, whatever the rows say', () => {
  const problems = unfinishedWork(history([row('1_users')], { locked: true }));
  assert.deepEqual(problems.map((p) => p.kind), ['locked']);
  assert.match(problems[0]?.message ?? '', /knex migrate:unlock/);
});
