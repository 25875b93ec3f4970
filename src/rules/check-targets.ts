import { invalidRules, problemAt, type RuleProblem } from './problems.js';
import type { Rule, RuleSet, SourceLocation } from './types.js';

/**
 * A rule's `bridge-to` must name a migration of the sequence: it is where the
 * tracking table's backfill stops and the pending migrations start. A name
 * that is not there is almost always a typo or a renamed file, so the error
 * lists the known names closest to it.
 */

const SUGGESTIONS = 3;

/** Levenshtein distance: the fewest single-character edits turning `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Up to three known names, nearest first; ties keep sequence order. */
export function closestNames(name: string, known: readonly string[]): string[] {
  return known
    .map((candidate, order) => ({ candidate, order, distance: editDistance(name, candidate) }))
    .sort((x, y) => x.distance - y.distance || x.order - y.order)
    .slice(0, SUGGESTIONS)
    .map((x) => x.candidate);
}

/** Every migration name a rule mentions, with what mentions it and where. */
function namedTargets(rule: Rule): { readonly name: string; readonly what: string; readonly at: SourceLocation }[] {
  const targets: { name: string; what: string; at: SourceLocation }[] = [];
  if (rule.bridgeTo !== undefined) targets.push({ name: rule.bridgeTo, what: 'bridge-to', at: rule.bridgeToLocation ?? rule.location });
  const spec = rule.import;
  if (spec === undefined) return targets;
  if (spec.baseline !== undefined) targets.push({ name: spec.baseline, what: 'import.baseline', at: spec.baselineLocation ?? spec.location });
  if (spec.map.kind === 'explicit') {
    for (const [id, names] of Object.entries(spec.map.entries)) {
      for (const name of names ?? []) targets.push({ name, what: `import.map[${JSON.stringify(id)}]`, at: spec.mapLocations[id] ?? spec.location });
    }
  }
  return targets;
}

export function checkRuleTargets(rules: RuleSet, migrationNames: readonly string[]): void {
  const known = new Set(migrationNames);
  const problems: RuleProblem[] = [];
  for (const rule of rules.rules) {
    for (const target of namedTargets(rule)) {
      if (known.has(target.name)) continue;
      const closest = closestNames(target.name, migrationNames);
      const hint = closest.length === 0 ? 'the sequence has no migrations' : `closest: ${closest.join(', ')}`;
      const message = `rule ${JSON.stringify(rule.id)}: ${target.what} ${JSON.stringify(target.name)} is not a migration in the sequence (${hint})`;
      problems.push(problemAt(target.at, message));
    }
  }
  if (problems.length > 0) {
    throw invalidRules(problems, 'Point each name listed at a migration of the sequence (`drawbridge status` lists them), or add the migration it names.');
  }
}
