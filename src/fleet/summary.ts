import { FleetFailuresError } from '../errors.js';
import type { Shard } from './shard.js';
import type { FleetError, FleetResult } from './types.js';

/**
 * The fleet at a glance: how many databases are in each state, take each
 * action, were claimed by each rule, join the sequence at each bridge
 * point, and failed with each error code; and the failures, by file.
 * Built up one result at a time, so a fleet of any size needs no list of
 * its results in memory.
 */

/** The histogram key for "no value" (no rule, no bridge point, a database that could not be read). */
export const NONE = '(none)';

export type Histogram = Readonly<Record<string, number>>;

export interface FleetFailure extends FleetError {
  readonly file: string;
}

export interface FleetSummary {
  readonly mode: 'detect' | 'upgrade';
  readonly shard: Shard | null;
  /** Databases done (all of this shard's when the run finished). */
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly states: Histogram;
  readonly actions: Histogram;
  readonly rules: Histogram;
  readonly bridgePoints: Histogram;
  /** Failures by error code. */
  readonly errors: Histogram;
  /** Every failure, sorted by file. */
  readonly failures: readonly FleetFailure[];
  readonly durationMs: number;
  readonly databasesPerSecond: number;
}

function count(histogram: Map<string, number>, key: string | null): void {
  const name = key ?? NONE;
  histogram.set(name, (histogram.get(name) ?? 0) + 1);
}

/** Keys sorted, so that two runs over the same fleet print the same document. */
function sorted(histogram: Map<string, number>): Histogram {
  return Object.fromEntries([...histogram].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class FleetTally {
  private total = 0;
  private readonly states = new Map<string, number>();
  private readonly actions = new Map<string, number>();
  private readonly rules = new Map<string, number>();
  private readonly bridgePoints = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private readonly failures: FleetFailure[] = [];

  constructor(private readonly mode: FleetSummary['mode'], private readonly shard: Shard | null) {}

  get done(): number {
    return this.total;
  }

  get failed(): number {
    return this.failures.length;
  }

  add(result: FleetResult): void {
    this.total++;
    count(this.states, result.state);
    count(this.actions, result.action);
    count(this.rules, result.rule);
    count(this.bridgePoints, result.bridgePoint);
    if (result.error === undefined) return;
    count(this.errors, result.error.code);
    this.failures.push({ file: result.file, ...result.error });
  }

  summary(durationMs: number): FleetSummary {
    return {
      mode: this.mode,
      shard: this.shard,
      total: this.total,
      succeeded: this.total - this.failures.length,
      failed: this.failures.length,
      states: sorted(this.states),
      actions: sorted(this.actions),
      rules: sorted(this.rules),
      bridgePoints: sorted(this.bridgePoints),
      errors: sorted(this.errors),
      failures: [...this.failures].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
      durationMs: Math.round(durationMs),
      databasesPerSecond: durationMs <= 0 ? 0 : Math.round((this.total / durationMs) * 1000),
    };
  }
}

/** The error a fleet with failures ends with (exit 9): how many, which codes, and what to do. */
export function failuresError(summary: FleetSummary): FleetFailuresError | undefined {
  if (summary.failed === 0) return undefined;
  const codes = Object.entries(summary.errors).map(([code, n]) => `${code} ${n}`).join(', ');
  return new FleetFailuresError(
    `${summary.failed} of ${summary.total} databases failed (${codes}); the others were done. Each failure is listed with its own exit code and reason; ` +
      'fix or set aside those databases, then run the fleet again on them.',
    { details: { failed: summary.failed, total: summary.total, errors: summary.errors } },
  );
}
