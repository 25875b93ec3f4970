import { UsageError } from '../../errors.js';
import { restoreDatabase } from '../../sqlite/restore.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';

export const restore: Command = {
  name: 'restore',
  summary: 'put a backup back, safely (the backup checked first, the current database saved beside it)',
  synopsis: 'restore <db> <backup>',
  help: ['The backup must pass quick_check. The database as it is now is first saved as <db>.<time>.before-restore.backup.'],
  options: {},
  async run(args, out) {
    const [database, backup, ...rest] = args.positionals;
    if (database === undefined || backup === undefined || rest.length > 0) throw new UsageError('restore takes a database and a backup: drawbridge restore <db> <backup>');
    const settings = await resolveSettings(args);
    const result = await restoreDatabase(database, backup, { lockTimeoutMs: settings.lockTimeoutMs });
    out.result({ command: 'restore', ...result }, [
      `${database}: restored from ${backup} in ${Math.round(result.durationMs)} ms`,
      ...(result.previous === null ? [] : [`  the database as it was is saved at ${result.previous.path}`]),
    ]);
    return 0;
  },
};
