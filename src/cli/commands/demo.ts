import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoRow } from '../../../legacy-fixtures/demo.js';
import { booleanOption } from '../args.js';
import type { Command } from '../command.js';

function table(rows: readonly DemoRow[]): string[] {
  const header = ['fixture', 'state', 'rule', 'bridge point', 'backfilled', 'applied', 'rows before → after', 'verdict'];
  const cells = rows.map((r) => [
    r.fixture,
    r.state || '-',
    r.rule ?? '-',
    r.bridgePoint ?? '-',
    String(r.backfilled),
    String(r.applied),
    `${r.rowsBefore} → ${r.rowsAfter}`,
    `${r.expected ? 'ok' : 'UNEXPECTED'}: ${r.verdict}${r.detail === '' ? '' : ` (${r.detail})`}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string => c.map((cell, i) => (i === c.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...cells.map(line)];
}

export const demo: Command = {
  name: 'demo',
  summary: 'generate the reference app\'s legacy databases in a temp dir and bridge every one',
  synopsis: 'demo [--keep]',
  help: ['Writes only to a temporary folder (removed afterwards unless --keep). Exit 0 when every fixture ends as it should.'],
  options: { keep: { type: 'boolean' } },
  async run(args, out) {
    const dir = mkdtempSync(join(tmpdir(), 'drawbridge-demo-'));
    try {
      // The reference app lives outside src/: load it only for the demo.
      const { runDemo } = await import('../../../legacy-fixtures/demo.js');
      const rows = await runDemo(dir);
      const failures = rows.filter((r) => !r.expected);
      const summary = `${rows.length} legacy databases: ${rows.filter((r) => r.verdict === 'bridged').length} bridged, ${rows.filter((r) => r.verdict === 'refused').length} refused, ${failures.length} unexpected${booleanOption(args, 'keep') ? ` — kept in ${dir}` : ''}`;
      out.result({ command: 'demo', rows, directory: booleanOption(args, 'keep') ? dir : null }, [...table(rows), '', summary]);
      return failures.length === 0 ? 0 : 1;
    } finally {
      if (!booleanOption(args, 'keep')) rmSync(dir, { recursive: true, force: true });
    }
  },
};
