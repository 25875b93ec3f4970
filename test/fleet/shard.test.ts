import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { inShard, parseShard, shardOf } from '../../src/fleet/shard.js';

test('parseShard reads K/N', () => {
  assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
  assert.deepEqual(parseShard('1/1'), { index: 1, count: 1 });
});

test('parseShard refuses anything but 1 ≤ K ≤ N with a usage error', () => {
  for (const text of ['0/3', '4/3', '3', '1/0', 'a/b', '-1/3', '1/3/5', '1.5/3', '']) {
    assert.throws(() => parseShard(text), (error) => error instanceof UsageError && /--shard takes K\/N/.test(error.message), text);
  }
});

test('every key is in exactly one of N shards', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => ({ relativePath: `site-${i % 7}/db-${i}.db` }));
  const shards = [1, 2, 3].map((index) => inShard(keys, { index, count: 3 }));
  assert.equal(shards.reduce((n, s) => n + s.length, 0), keys.length);
  assert.equal(new Set(shards.flat()).size, keys.length);
  // A sha256 spreads them evenly: no shard is empty or takes half.
  for (const shard of shards) assert.ok(shard.length > 250 && shard.length < 420, `${shard.length}`);
});

test('adding files to the fleet moves none of the files already there to another shard', () => {
  const before = Array.from({ length: 200 }, (_, i) => ({ relativePath: `db-${i}.db` }));
  const after = [...Array.from({ length: 100 }, (_, i) => ({ relativePath: `added-${i}.db` })), ...before];
  const shardIn = (fleet: readonly { relativePath: string }[], key: string): number =>
    [1, 2, 3, 4].find((index) => inShard(fleet, { index, count: 4 }).some((k) => k.relativePath === key)) ?? 0;
  for (const { relativePath } of before) assert.equal(shardIn(after, relativePath), shardIn(before, relativePath), relativePath);
});

test('shardOf is pinned: machines running the same version agree on every file without talking', () => {
  // The first 48 bits of sha256(key), modulo N, plus one. A change here reshuffles every fleet's shards: make it deliberately.
  const pinned: [string, number, number][] = [
    ['site/app.db', 3, 1],
    ['site/app.db', 1000, 961],
    ['a.db', 3, 3],
    ['a.db', 7, 4],
    ['batch-001/legacy-r03-00007.sqlite', 7, 7],
    ['batch-001/legacy-r03-00007.sqlite', 1000, 179],
  ];
  for (const [key, count, shard] of pinned) assert.equal(shardOf(key, count), shard, `${key} of ${count}`);
});
