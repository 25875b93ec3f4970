import { databaseArgument } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';
import { openRunner } from '../open-runner.js';

export const repair: Command = {
  name: 'repair',
  summary: 're-record the checksums of applied migrations whose files were edited',
  synopsis: 'repair <db>',
  help: ['Use only when the edit changes nothing the database needs (comments, formatting): it accepts the files as they are now.'],
  options: {},
  async run(args, out) {
    const database = databaseArgument('repair', args);
    const result = await openRunner(database, await resolveSettings(args), out).repair();
    const text =
      result.repaired.length === 0
        ? [`${database}: nothing to repair; every recorded checksum matches its file`]
        : [`${database}: re-recorded ${result.repaired.length} checksum(s)`, ...result.repaired.map((r) => `  ${r.name}  ${r.from?.slice(0, 12) ?? '(none)'} → ${r.to?.slice(0, 12) ?? '(none)'}`)];
    out.result({ command: 'repair', ...result }, text);
    return 0;
  },
};
