import { UsageError } from '../../errors.js';
import { createMigrationFile, TEMPLATES } from '../../runner/templates.js';
import { booleanOption, oneOf } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';

export const create: Command = {
  name: 'create',
  summary: 'write the next migration file from a template',
  synopsis: `create <name> [--template ${TEMPLATES.filter((t) => t !== 'blank').join('|')}] [--ts]`,
  help: ['Writes NNNN_<name>.sql (or .ts with --ts) into the migrations directory, numbered after the last one.'],
  options: { template: { type: 'string' }, ts: { type: 'boolean' } },
  async run(args, out) {
    const [name, ...rest] = args.positionals;
    if (name === undefined) throw new UsageError('create needs a name: drawbridge create add_session_status');
    if (rest.length > 0) throw new UsageError(`create takes one name; unexpected: ${rest.join(' ')}`);
    const settings = await resolveSettings(args);
    const template = oneOf(args, 'template', TEMPLATES) ?? 'blank';
    const created = createMigrationFile(settings.migrationsDir, name, { template, typescript: booleanOption(args, 'ts') });
    out.result({ command: 'create', ...created, template }, [`created ${created.path}`]);
    return 0;
  },
};
