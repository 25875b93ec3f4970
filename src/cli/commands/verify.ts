import { databaseArgument } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { openRunner } from '../open-runner.js';
import { statusSummary } from './status.js';

export const verify: Command = {
  name: 'verify',
  summary: 'check applied migrations\' checksums, history order and integrity',
  synopsis: 'verify <db>',
  help: ['Never writes. Exit 0 when every check passes; otherwise the exit code of the first problem (4 newer, 7 corrupt, 8 edited or out of order).'],
  options: {},
  async run(args, out) {
    const database = databaseArgument('verify', args);
    const report = await openRunner(database, await resolveSettings(args), out).verify();
    const text = report.ok
      ? [statusSummary(report.status), `${database}: verified: checksums match, history in order, quick_check ok`]
      : [statusSummary(report.status), ...report.problems.map((p) => `problem (exit ${p.exitCode}): ${p.message}`)];
    out.result({ command: 'verify', database: report.database, verified: report.ok, integrity: report.integrity, problems: report.problems, status: report.status }, text);
    return report.problems[0]?.exitCode ?? 0;
  },
};
