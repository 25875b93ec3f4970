import { InvalidRulesError } from '../errors.js';
import type { SourceLocation } from './types.js';

/**
 * Everything wrong with a set of rules is reported at once, in one
 * InvalidRulesError (exit 8): one line per problem, `file:line:column: message`
 * (the form editors and CI annotations jump to), then one line that says the
 * way out. Fixing rules one error per run is slow; seeing them all is not.
 */

export interface RuleProblem extends SourceLocation {
  readonly message: string;
}

export function problemAt(location: SourceLocation, message: string): RuleProblem {
  return { file: location.file, line: location.line, column: location.column, message };
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** The error for `problems` (at least one), in the order given, without repeats. */
export function invalidRules(problems: readonly RuleProblem[], wayOut: string): InvalidRulesError {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const line = `${formatLocation(p)}: ${p.message}`;
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
  const lines = unique.map((p) => `${formatLocation(p)}: ${p.message}`);
  const count = `${unique.length} problem${unique.length === 1 ? '' : 's'}`;
  return new InvalidRulesError(`Invalid bridge rules (${count}):\n${lines.join('\n')}\n${wayOut}`, {
    details: { problems: unique.map((p) => ({ file: p.file, line: p.line, column: p.column, message: p.message })) },
  });
}
