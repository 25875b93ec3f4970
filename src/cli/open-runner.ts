import { loadMigrations } from '../runner/migration-set.js';
import { createRunner, type Runner } from '../runner/runner.js';
import type { Settings } from './config.js';
import type { Output } from './output.js';

/** A runner for one database with the command's settings; migration logs and lock waits go to stderr. */
export function openRunner(database: string, settings: Settings, out: Output): Runner {
  return createRunner(database, {
    migrations: loadMigrations(settings.migrationsDir),
    table: settings.table,
    lockTimeoutMs: settings.lockTimeoutMs,
    transaction: settings.transaction,
    logger: { info: (m) => out.note(m), warn: (m) => out.note(`warning: ${m}`) },
    onProgress: (event) => {
      if (event.type === 'waiting-for-lock') out.note(`${database}: another process holds the write lock; waiting up to ${settings.lockTimeoutMs} ms…`);
    },
  });
}
