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

/**
 * Milliseconds per call of each of `fns`, for `rounds` rounds (after `warmup`
 * rounds), all of them run once per round in an order that rotates, so that
 * none always runs first, on the coldest or the warmest cache.
 */
export async function sampleInterleaved(fns: readonly (() => unknown)[], options: { rounds: number; batch?: number; warmup?: number }): Promise<number[][]> {
  const batch = options.batch ?? 1;
  for (let i = 0; i < (options.warmup ?? 2); i += 1) for (const fn of fns) await timeRound(fn, batch);
  const samples = fns.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round += 1) {
    for (let k = 0; k < fns.length; k += 1) {
      const index = (round + k) % fns.length;
      const fn = fns[index];
      if (fn !== undefined) samples[index]?.push(await timeRound(fn, batch));
    }
  }
  return samples;
}

/** Interleave `subject` and `baseline` for `rounds` rounds (after `warmup` of each), medians per call in ms. */
export async function compare(subject: () => unknown, baseline: () => unknown, options: { rounds: number; batch?: number; warmup?: number }): Promise<Comparison> {
  const [a = [], b = []] = await sampleInterleaved([subject, baseline], options);
  return { subject: median(a), baseline: median(b) };
}
