import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshotOf } from '../helpers/database.js';
import { diffSnapshots } from '../../src/probe/diff.js';
import { diffFrozen, FrozenPairMemo } from '../../src/probe/frozen-memo.js';


const BEFORE = 'CREATE TABLE notes (id INTEGER PRIMARY KEY)';
const AFTER = 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)';

test('the diff of two frozen snapshots is computed once, equals diffSnapshots, and is frozen', () => {
  const [from, to] = [snapshotOf(BEFORE), snapshotOf(AFTER)];
  const diff = diffFrozen(from, to);
  assert.deepEqual(diff, diffSnapshots(from, to));
  assert.equal(diffFrozen(from, to), diff);
  assert.ok(Object.isFrozen(diff.tables.changed));
});

test('snapshots that are not frozen are diffed afresh every time: they may have changed', () => {
  const to = snapshotOf(AFTER);
  const from = structuredClone(snapshotOf(BEFORE));
  const first = diffFrozen(from, to);
  (from.tables as Record<string, unknown>).notes = structuredClone(to.tables.notes);
  assert.equal(first.identical, false);
  assert.equal(diffFrozen(from, to).identical, true);
});

test('a remembered result is per pair: the same first input with another second gets its own', () => {
  const memo = new FrozenPairMemo<object, object, string>();
  const [a, b, c] = [Object.freeze({}), Object.freeze({}), Object.freeze({})];
  assert.equal(memo.get(a, b, () => 'a-b'), 'a-b');
  assert.equal(memo.get(a, c, () => 'a-c'), 'a-c');
  assert.equal(memo.get(a, b, () => 'recomputed'), 'a-b');
});
