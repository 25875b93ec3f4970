import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { checkRuleTargets } from '../rules/check-targets.js';
import { loadRules } from '../rules/load-rules.js';
import type { RuleSet } from '../rules/types.js';
import { loadMigrations } from '../runner/migration-set.js';
import type { MigrationSet } from '../runner/types.js';
import type { LegacyFunction } from '../runner/upgrade-transaction.js';

/** Where a command's or a fleet's migrations and (optional) bridge rules are. */
export interface InputPaths {
  readonly migrationsDir: string;
  readonly rules: string | undefined;
}

/** The migrations and (when given) the bridge rules, loaded and validated against each other. */
export function loadInputs(paths: InputPaths): { migrations: MigrationSet; rules: RuleSet | undefined } {
  const migrations = loadMigrations(paths.migrationsDir);
  if (paths.rules === undefined) return { migrations, rules: undefined };
  const rules = loadRules(paths.rules);
  checkRuleTargets(rules, migrations.migrations.map((m) => m.name));
  return { migrations, rules };
}

/**
 * `--legacy <module>`: an ES module whose `run(db)` export (or default
 * export, a function or an object with run) is the app's old inline
 * migration function.
 */
export async function loadLegacyModule(path: string): Promise<{ run: LegacyFunction }> {
  let module: unknown;
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new UsageError(`--legacy ${path}: the module cannot be imported (${(error as Error).message}). Point --legacy at the compiled .js module that exports run(db).`, { cause: error });
  }
  const exports = module as { run?: unknown; default?: unknown };
  const candidate = exports.run ?? exports.default;
  const run = typeof candidate === 'function' ? candidate : (candidate as { run?: unknown } | undefined)?.run;
  if (typeof run !== 'function') {
    throw new UsageError(`--legacy ${path}: the module exports no run(db) function (export function run(db) {…}, or a default export).`);
  }
  return { run: run as LegacyFunction };
}
