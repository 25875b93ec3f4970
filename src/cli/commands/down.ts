import { UsageError } from '../../errors.js';
import type { DownTarget } from '../../runner/select-migrations.js';
import { booleanOption, stringOption, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { openRunner } from '../open-runner.js';
import { downTarget, moveOptions, runLines } from './up.js';

/** `down <db> [NAME]`: the database, and the one migration to roll back when named. */
function positionals(args: ParsedArgs): { database: string; name: string | undefined } {
  const [database, name, ...rest] = args.positionals;
  if (database === undefined) throw new UsageError('down needs a database file: drawbridge down <db> [NAME]');
  if (rest.length > 0) throw new UsageError(`down takes one database and at most one migration name; unexpected: ${rest.join(' ')}`);
  return { database, name };
}

function rollbackTarget(args: ParsedArgs, name: string | undefined): DownTarget {
  if (name === undefined) return downTarget(args);
  const flags = ['to', 'step'].filter((flag) => stringOption(args, flag) !== undefined).map((flag) => `--${flag}`);
  if (flags.length > 0) {
    throw new UsageError(
      `down <db> ${name} rolls back exactly that migration and cannot be combined with ${flags.join(' or ')}. ` +
        `Run \`drawbridge down <db> ${name}\` alone, or ${flags.join('/')} without a migration name.`,
    );
  }
  return { name };
}

export const down: Command = {
  name: 'down',
  summary: 'roll back applied migrations, newest first',
  synopsis: 'down <db> [NAME | --to NAME | --to 0 | --step K] [--transaction all|each] [--dry-run]',
  help: [
    'default         roll back the newest applied migration',
    'NAME            roll back exactly NAME; refused (exit 2, nothing changed) unless NAME is the newest applied migration',
    '--to NAME       roll back everything applied after NAME (NAME stays applied); --to 0 rolls back all',
    '--step K        roll back the newest K applied migrations',
    '--dry-run       print what would be rolled back; write nothing',
  ],
  options: moveOptions,
  async run(args, out) {
    const { database, name } = positionals(args);
    const target = rollbackTarget(args, name);
    const result = await openRunner(database, await resolveSettings(args), out).down({ ...target, dryRun: booleanOption(args, 'dry-run') });
    out.result({ command: 'down', ...result }, runLines(result));
    return 0;
  },
};
