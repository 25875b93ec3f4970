import { booleanOption, databaseArgument } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { openRunner } from '../open-runner.js';
import { downTarget, moveOptions, runLines } from './up.js';

export const down: Command = {
  name: 'down',
  summary: 'roll back applied migrations, newest first',
  synopsis: 'down <db> [--to NAME | --to 0 | --step K] [--transaction all|each] [--dry-run]',
  help: [
    'default         roll back the newest applied migration',
    '--to NAME       roll back everything applied after NAME (NAME stays applied); --to 0 rolls back all',
    '--step K        roll back the newest K applied migrations',
    '--dry-run       print what would be rolled back; write nothing',
  ],
  options: moveOptions,
  async run(args, out) {
    const database = databaseArgument('down', args);
    const result = await openRunner(database, await resolveSettings(args), out).down({ ...downTarget(args), dryRun: booleanOption(args, 'dry-run') });
    out.result({ command: 'down', ...result }, runLines(result));
    return 0;
  },
};
