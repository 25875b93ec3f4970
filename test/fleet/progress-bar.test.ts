import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FleetProgressBar, progressText } from '../../src/fleet/progress-bar.js';

test('the progress line shows a bar, done of total, the rate and the failures', () => {
  assert.equal(progressText({ done: 500, total: 2000, failed: 3, elapsedMs: 1000 }), `[${'#'.repeat(6)}${' '.repeat(18)}] 500/2000 25% · 500/s · 3 failed`);
  assert.equal(progressText({ done: 0, total: 0, failed: 0, elapsedMs: 0 }), `[${'#'.repeat(24)}] 0/0 100% · 0/s`);
});

test('the bar redraws at most every 100 ms, always at the end, and clears its line when done', () => {
  const writes: string[] = [];
  const bar = new FleetProgressBar((text) => writes.push(text));
  for (let done = 1; done <= 1000; done++) bar.update({ done, total: 1000, failed: 0, elapsedMs: done / 2 });
  // 500 ms of results: a draw at 0.5 ms, then one per 100 ms, then the last one.
  assert.equal(writes.length, 6);
  assert.match(writes.at(-1) ?? '', /1000\/1000 100%/);
  bar.done();
  assert.equal(writes.at(-1), '\r\u001b[2K');
});
