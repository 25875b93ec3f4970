import type { FleetSummary, Histogram } from './summary.js';

/**
 * The fleet summary for a person: the histograms as bars, biggest first,
 * then the failures (the first 20; the JSON summary and the results file
 * have all of them).
 */

const FAILURES_SHOWN = 20;
const BAR_WIDTH = 30;

function histogramLines(title: string, histogram: Histogram, total: number): string[] {
  const entries = Object.entries(histogram).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map(([name]) => name.length));
  const digits = Math.max(...entries.map(([, n]) => String(n).length));
  return [
    `${title}:`,
    ...entries.map(([name, n]) => `  ${name.padEnd(width)}  ${String(n).padStart(digits)}  ${'#'.repeat(total === 0 ? 0 : Math.max(1, Math.round((n / total) * BAR_WIDTH)))}`),
  ];
}

function headline(s: FleetSummary): string {
  const verb = s.mode === 'upgrade' ? 'upgraded' : 'detected';
  const shard = s.shard === null ? '' : ` (shard ${s.shard.index}/${s.shard.count})`;
  const failed = s.failed === 0 ? 'none failed' : `${s.failed} failed`;
  return `fleet${shard}: ${s.total} database${s.total === 1 ? '' : 's'} ${verb} in ${(s.durationMs / 1000).toFixed(1)} s (${s.databasesPerSecond}/s): ${s.succeeded} ok, ${failed}`;
}

/** The first line of a failure's message, without the file name it usually starts with (the line names it already). */
function reason(file: string, message: string): string {
  const first = message.split('\n')[0] ?? '';
  return first.startsWith(`${file}: `) ? first.slice(file.length + 2) : first;
}

function failureLines(s: FleetSummary): string[] {
  if (s.failures.length === 0) return [];
  const shown = s.failures.slice(0, FAILURES_SHOWN).map((f) => `  ${f.file}: ${f.code} (exit ${f.exitCode}): ${reason(f.file, f.message)}`);
  const more = s.failures.length - FAILURES_SHOWN;
  return ['failures:', ...shown, ...(more > 0 ? [`  and ${more} more (all of them: --json, or the --out file)`] : [])];
}

export function renderSummary(s: FleetSummary): string[] {
  return [
    headline(s),
    ...histogramLines('states', s.states, s.total),
    ...histogramLines('actions', s.actions, s.total),
    ...histogramLines('rules', s.rules, s.total),
    ...histogramLines('bridge points', s.bridgePoints, s.total),
    ...histogramLines('errors', s.errors, s.total),
    ...failureLines(s),
  ];
}
