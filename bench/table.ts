import type { Figure, Measurement } from './figure.js';

/** The figures as a Markdown table: what, drawbridge, floor or peer, ratio, target, met. */

function show(m: Measurement): string {
  const digits = m.value >= 100 ? 0 : m.value >= 10 ? 1 : 2;
  return `${m.value.toFixed(digits)} ${m.unit}`;
}

export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => `| ${f.what} | ${show(f.subject)} | ${f.baseline.label}: ${show(f.baseline)} | ${f.ratio.toFixed(2)}× | ${f.target.op === '<=' ? '≤' : '≥'} ${f.target.value}× | ${f.met ? 'met' : 'MISSED'} |`);
  return ['| figure | drawbridge | floor or peer | ratio | target | |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
