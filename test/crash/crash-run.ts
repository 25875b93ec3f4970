import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import {
  CHOSEN_POINTS,
  describeViolation,
  runChosenPoint,
  runRandomTrials,
  SABOTAGED_POINT,
  straceAvailable,
  summaryLines,
  Workspace,
  type ChosenResult,
  type FixtureName,
  type TrialResult,
} from './crash-harness.js';

/**
 * npm run test:crash -- [--trials N] [--seed S] [--concurrency C] [--warm-share F] [--keep]
 *
 * The long form of test/crash/crash.test.ts: the chosen kill points, then N
 * SIGKILLs at random instants (default 1000). Prints the counts (before,
 * during, after the transaction; violations) and exits 1 on any violation.
 * Kept trial folders of violations are printed (with --keep, the whole workspace stays).
 */

const USAGE = 'usage: node dist/test/crash/crash-run.js [--trials N] [--seed S] [--concurrency C] [--warm-share F] [--keep]\n';

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      trials: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      'warm-share': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const trials = integer(values.trials, 'trials', 1000);
  const seed = integer(values.seed, 'seed', Math.floor(Math.random() * 2 ** 32));
  const concurrency = Math.max(1, integer(values.concurrency, 'concurrency', availableParallelism()));
  const warmShare = values['warm-share'] === undefined ? 0.5 : Number(values['warm-share']);
  if (!(warmShare >= 0 && warmShare <= 1)) throw new Error('--warm-share must be between 0 and 1');
  const keep = values.keep === true;

  const started = performance.now();
  const fixtures: Partial<Record<FixtureName, number>> = { 'release-r06': 2, 'release-r01': 1, 'variant-wal-uncheckpointed': 1 };
  out(`crash trials: ${trials} random SIGKILLs + ${CHOSEN_POINTS.length} chosen points, seed ${seed}, concurrency ${concurrency}, warm share ${warmShare}`);
  const ws = await Workspace.open({
    fixtures: [...(Object.keys(fixtures) as FixtureName[]), 'variant-crashed-r07'],
    warmFixtures: Object.keys(fixtures) as FixtureName[],
    concurrency,
    log: (line) => out(`  calibrated ${line}`),
  });
  let failed = 0;
  try {
    out(`workspace ${ws.dir} ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    out();
    out('chosen points (killed at exact instants inside the transaction: die() in the library child, or strace in the real CLI):');
    const chosen: ChosenResult[] = [];
    for (const point of CHOSEN_POINTS) {
      if (point.syscallKill !== undefined && !straceAvailable()) {
        out(`  skip ${point.id.padEnd(28)} strace is not installed or may not trace here`);
        continue;
      }
      const result = await runChosenPoint(ws, point);
      chosen.push(result);
      const { traces } = result.outcome;
      out(
        `  ${result.violations.length === 0 ? 'ok  ' : 'FAIL'} ${point.id.padEnd(28)} found ${result.outcome.found.verdict}; journal ${traces.journalBytes ?? '-'} B, wal ${traces.walBytes ?? '-'} B (was ${traces.walBytesBefore ?? '-'}), main file ${traces.mainFileChanged ? 'changed' : 'untouched'}; ${traces.backups.length} backup(s) left, ${traces.partialBackups} partial; second upgrade (${point.secondVia}) exit ${result.outcome.second.exitCode} → ${result.outcome.afterSecond.verdict}; ${result.durationMs.toFixed(0)} ms`,
      );
      for (const violation of result.violations) out(`       ${violation}`);
      if (result.violations.length > 0 && point.knownIssue !== undefined) out(`       (known bug: ${point.knownIssue})`);
    }
    failed += chosen.filter((r) => r.violations.length > 0).length;
    const sabotaged = await runChosenPoint(ws, SABOTAGED_POINT);
    const caught = sabotaged.outcome.found.verdict === 'neither' && sabotaged.violations.length > 0;
    out(`  ${caught ? 'ok  ' : 'FAIL'} self-check: ${SABOTAGED_POINT.id} (atomicity broken on purpose) ${caught ? `is reported: found ${sabotaged.outcome.found.verdict}` : 'was NOT reported'}`);
    if (!caught) failed++;

    out();
    out(`random instants (${trials}):`);
    const randomStarted = performance.now();
    const results: TrialResult[] = await runRandomTrials(ws, {
      trials,
      seed,
      concurrency,
      fixtures,
      warmShare,
      keepFailures: true,
      onResult: (result, done) => {
        if (result.violations.length > 0) out(`  VIOLATION ${describeViolation(result)}`);
        if (done % 100 === 0 || done === trials) process.stderr.write(`  … ${done}/${trials} (${((performance.now() - randomStarted) / 1000).toFixed(0)} s)\n`);
      },
    });
    const randomMs = performance.now() - randomStarted;
    for (const line of summaryLines(results)) out(`  ${line}`);
    const median = (values: number[]): string => `${(values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0).toFixed(0)} ms`;
    out(
      `  random trials took ${(randomMs / 1000).toFixed(1)} s, ${concurrency} at a time; median trial ${median(results.map((r) => r.durationMs))} ` +
        `(killed process ${median(results.map((r) => r.runMs))}, check and second upgrade ${median(results.map((r) => r.inspectMs))})`,
    );
    failed += results.filter((r) => r.violations.length > 0).length;
  } finally {
    ws.close({ keep: keep || failed > 0 });
  }
  out();
  out(`total ${((performance.now() - started) / 1000).toFixed(1)} s; ${failed === 0 ? 'no violations' : `${failed} VIOLATION(S) (workspace kept: ${ws.dir})`}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n${USAGE}`);
    process.exit(2);
  },
);
