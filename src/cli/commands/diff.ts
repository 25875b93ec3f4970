import { formatDiff } from '../../probe/format-diff.js';
import { schemaDrift } from '../../runner/drift.js';
import { loadMigrations } from '../../runner/migration-set.js';
import { databaseArgument, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';

export const diff: Command = {
  name: 'diff',
  summary: 'drift: the actual schema against what the applied migrations produce',
  synopsis: 'diff <db> [--against NAME | --against 0]',
  help: [
    'default          compare with the schema the database\'s applied migrations produce (it must be tracked)',
    '--against NAME   compare with the schema after migration NAME; 0 for the empty schema',
    'Lines read from the migrations to the database: "+" the database has it, "-" it lacks it, "~" it differs.',
    'Never writes. Exit 0 whenever the comparison ran; "identical" in --json says whether there is drift.',
  ],
  options: { against: { type: 'string' } },
  async run(args, out) {
    const database = databaseArgument('diff', args);
    const settings = await resolveSettings(args);
    const against = stringOption(args, 'against');
    const report = await schemaDrift(database, {
      set: loadMigrations(settings.migrationsDir),
      table: settings.table,
      lockTimeoutMs: settings.lockTimeoutMs,
      ...(against === undefined ? {} : { against: against === '0' ? 0 : against }),
    });
    const label = report.against.name ?? 'the empty schema';
    const head = report.identical ? `${database}: no drift from ${label}` : `${database}: differs from ${label}:`;
    out.result({ command: 'diff', ...report }, report.identical ? [head] : [head, ...formatDiff(report.diff).map((l) => `  ${l}`)]);
    return 0;
  },
};
