import type { Origin } from './origin.js';
import type { RuleProblem } from './problems.js';

/**
 * Checks across every file of a rule set, run on the raw data so that they
 * also cover files that failed the schema (one run reports everything).
 */

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The raw rule items of a file that have a string id, also when the file failed the schema. */
function idsOf(origin: Origin): { id: string; index: number }[] {
  const rules = property(origin.data, 'rules');
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((item: unknown, index) => {
    const id = property(item, 'id');
    return typeof id === 'string' ? [{ id, index }] : [];
  });
}

/** Ids are unique across all files: reports and the tracking table name a rule by its id alone. */
export function duplicateIds(origins: readonly Origin[]): RuleProblem[] {
  const first = new Map<string, { origin: Origin; index: number }>();
  const problems: RuleProblem[] = [];
  for (const origin of origins) {
    for (const { id, index } of idsOf(origin)) {
      const earlier = first.get(id);
      if (earlier === undefined) {
        first.set(id, { origin, index });
      } else {
        const message = `duplicate rule id ${JSON.stringify(id)}; it is also the id of the rule at ${earlier.origin.where(['rules', earlier.index])}`;
        problems.push(origin.problem(['rules', index], undefined, message));
      }
    }
  }
  return problems;
}

function appOf(origin: Origin): string | undefined {
  const app = property(origin.data, 'app');
  return typeof app === 'string' ? app : undefined;
}

/** Files of one set describe one app; the first file that names it decides. */
export function appName(origins: readonly Origin[]): { app: string | undefined; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  let first: { origin: Origin; app: string } | undefined;
  for (const origin of origins) {
    const app = appOf(origin);
    if (app === undefined) continue;
    if (first === undefined) {
      first = { origin, app };
    } else if (app !== first.app) {
      const message = `${JSON.stringify(app)} differs from ${JSON.stringify(first.app)} at ${first.origin.where(['app'])}; one set of rules describes one app`;
      problems.push(origin.problem(['app'], 'app', message));
    }
  }
  return { app: first?.app, problems };
}
