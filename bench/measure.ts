/**
 * Timing for benchmarks: medians of many rounds, with the subject and its
 * baseline interleaved round by round so that a noisy neighbour or a CPU
 * frequency change hits both alike.
 */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Milliseconds one call of `fn` takes, `batch` calls per timed round (for microsecond work). */
async function timeRound(fn: () => unknown, batch: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < batch; i += 1) await fn();
  return (performance.now() - started) / batch;
}

export interface Comparison {
  /** Median milliseconds per call. */
  readonly subject: number;
  readonly baseline: number;
}

/** Interleave `subject` and `baseline` for `rounds` rounds (after `warmup` of each), medians per call in ms. */
export async function compare(subject: () => unknown, baseline: () => unknown, options: { rounds: number; batch?: number; warmup?: number }): Promise<Comparison> {
  const batch = options.batch ?? 1;
  for (let i = 0; i < (options.warmup ?? 2); i += 1) {
    await timeRound(subject, batch);
    await timeRound(baseline, batch);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    // Alternate which goes first, so neither always runs on a warmer cache.
    if (round % 2 === 0) {
      a.push(await timeRound(subject, batch));
      b.push(await timeRound(baseline, batch));
    } else {
      b.push(await timeRound(baseline, batch));
      a.push(await timeRound(subject, batch));
    }
  }
  return { subject: median(a), baseline: median(b) };
}
