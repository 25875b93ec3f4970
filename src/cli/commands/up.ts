import type { DownTarget, UpTarget } from '../../runner/select-migrations.js';
import type { RunResult } from '../../runner/types.js';
import { booleanOption, databaseArgument, integerOption, stringOption, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { openRunner } from '../open-runner.js';
import { UsageError } from '../../errors.js';

function targetFlags(args: ParsedArgs): { to: string | undefined; step: number | undefined } {
  const to = stringOption(args, 'to');
  const step = integerOption(args, 'step', 1);
  if (to !== undefined && step !== undefined) {
    throw new UsageError('--to and --step cannot be combined: --to names the migration to end at, --step counts migrations. Use one.');
  }
  return { to, step };
}

export function upTarget(args: ParsedArgs): UpTarget {
  const { to, step } = targetFlags(args);
  return to !== undefined ? { to } : step !== undefined ? { step } : {};
}

export function downTarget(args: ParsedArgs): DownTarget {
  const { to, step } = targetFlags(args);
  return to !== undefined ? { to: to === '0' ? 0 : to } : step !== undefined ? { step } : {};
}

export function runLines(result: RunResult): string[] {
  const verb = result.direction === 'up' ? 'applied' : 'reverted';
  const n = result.migrations.length;
  if (n === 0) return [`${result.database}: nothing to ${result.direction === 'up' ? 'apply' : 'roll back'}${result.direction === 'up' ? '; up to date' : ''}`];
  const head = result.dryRun
    ? `${result.database}: would ${result.direction === 'up' ? 'apply' : 'revert'} ${n} migration${n === 1 ? '' : 's'} (dry run, nothing written)`
    : `${result.database}: ${verb} ${n} migration${n === 1 ? '' : 's'} in ${Math.round(result.durationMs)} ms (${result.transaction === 'all' ? 'one transaction' : 'one transaction each'})`;
  const lines = [head, ...result.migrations.map((m) => `  ${m.name}${result.dryRun ? '' : `  ${m.durationMs.toFixed(1)} ms`}`)];
  if (result.foreignKeyViolationsKept.length > 0) {
    lines.push(`note: ${result.foreignKeyViolationsKept.length} foreign-key violation(s) were already in the data; kept exactly as they were (see --json for the rows).`);
  }
  return lines;
}

export const moveOptions = {
  to: { type: 'string' },
  step: { type: 'string' },
  transaction: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

export const up: Command = {
  name: 'up',
  summary: 'apply pending migrations (one transaction, under the write lock)',
  synopsis: 'up <db> [--to NAME | --step K] [--transaction all|each] [--dry-run]',
  help: [
    '--to NAME       apply up to and including NAME',
    '--step K        apply the next K pending migrations',
    '--transaction   all (default): one transaction for the whole run; each: commit after every migration',
    '--dry-run       print what would run; write nothing',
    '--lock-timeout  ms to wait for another process holding the write lock (default 30000); then exit 6',
  ],
  options: moveOptions,
  async run(args, out) {
    const database = databaseArgument('up', args);
    const result = await openRunner(database, await resolveSettings(args), out).up({ ...upTarget(args), dryRun: booleanOption(args, 'dry-run') });
    out.result({ command: 'up', ...result }, runLines(result));
    return 0;
  },
};
