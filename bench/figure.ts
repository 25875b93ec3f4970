/**
 * What every benchmark reports: a figure for drawbridge, the floor or peer
 * it is held against, measured in the same run, and their ratio against the
 * issue's target. Absolute numbers drift between machines; ratios are what
 * the targets are about.
 */

export type Unit = 'µs' | 'ms' | 's' | 'MB/s' | 'db/s' | 'MB';

export interface Measurement {
  readonly label: string;
  readonly value: number;
  readonly unit: Unit;
}

/** `<=`: drawbridge / baseline must be at most `value` (times, memory); `>=`: at least (throughputs). */
export interface Target {
  readonly op: '<=' | '>=';
  readonly value: number;
}

export interface Figure {
  /** Stable id, e.g. "noop-upgrade-vs-floor". */
  readonly id: string;
  /** What is measured, in words. */
  readonly what: string;
  readonly subject: Measurement;
  readonly baseline: Measurement;
  /** subject.value / baseline.value, or the median of per-round ratios when the rounds were paired (see figure()). */
  readonly ratio: number;
  readonly target: Target;
  readonly met: boolean;
  /** Which path ran, sizes, anything a reader needs to trust the figure. */
  readonly notes?: string;
}

export interface BenchOptions {
  /** Small sizes and few rounds: a CI smoke run, not a measurement. */
  readonly quick: boolean;
  /** A scratch folder for this benchmark, removed afterwards. */
  readonly dir: string;
}

export interface Benchmark {
  readonly name: string;
  run(options: BenchOptions): Promise<Figure[]>;
}

/**
 * `pairedRatio`: the median of subject/baseline taken round by round, for
 * figures whose rounds swing more than the difference being measured (a
 * 1 GB fsync on a virtual disk varies 2× from one round to the next); the
 * two ran back to back in every round, so each round's ratio compares like
 * with like. Otherwise the ratio is of the two medians.
 */
export function figure(id: string, what: string, subject: Measurement, baseline: Measurement, target: Target, notes?: string, pairedRatio?: number): Figure {
  const ratio = pairedRatio ?? (baseline.value === 0 ? Number.POSITIVE_INFINITY : subject.value / baseline.value);
  const met = target.op === '<=' ? ratio <= target.value : ratio >= target.value;
  return { id, what, subject, baseline, ratio, target, met, ...(notes === undefined ? {} : { notes }) };
}
