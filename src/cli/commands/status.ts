import type { MigrationStatus, StatusReport } from '../../runner/types.js';
import { databaseArgument } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { openRunner } from '../open-runner.js';

export function statusLine(s: MigrationStatus): string {
  const row = s.recorded;
  const mark = s.state === 'applied' ? (s.changed ? 'changed' : 'applied') : s.state;
  const when = row === undefined ? '' : `  ${row.appliedAt}  ${row.method}${row.rule === null ? '' : ` (${row.rule})`}`;
  const sum = (s.checksum ?? row?.checksum)?.slice(0, 12);
  return `  ${mark.padEnd(8)} ${s.name}${when}${sum === undefined ? '' : `  sha256:${sum}`}`;
}

export function statusSummary(report: StatusReport): string {
  const { applied, pending, unknown, changed } = report.counts;
  const extra = [unknown > 0 ? `${unknown} unknown to this app (database is newer)` : '', changed > 0 ? `${changed} edited since applied` : ''].filter(Boolean);
  return `${report.database}: ${applied} applied, ${pending} pending${extra.length > 0 ? `, ${extra.join(', ')}` : ''} (tracking table ${report.table}${report.tracked ? '' : ', not created yet'})`;
}

export const status: Command = {
  name: 'status',
  summary: 'applied / pending / unknown-to-this-app migrations',
  synopsis: 'status <db>',
  help: ['Never writes. Exit 0 whenever the database could be read; `verify` is the check that fails.'],
  options: {},
  async run(args, out) {
    const database = databaseArgument('status', args);
    const report = await openRunner(database, await resolveSettings(args), out).status();
    out.result({ command: 'status', ...report }, [statusSummary(report), ...report.migrations.map(statusLine)]);
    return 0;
  },
};
