import { formatLocation, invalidRules, problemAt } from './problems.js';
import { matchWithImport } from './import-tables.js';
import type { Rule, RuleMatch, RuleSet, VersionRange } from './types.js';

/**
 * Two rules overlap when one database could match both; detection would then
 * be ambiguous, so `rules check` rejects it. Rules are kept apart only by a
 * check that provably contradicts: user_version sets with nothing in common,
 * or something one rule requires (a table, a column, an index, a trigger, a
 * view; an imported history's table) that the other requires to be absent. `sql` checks cannot be reasoned
 * about and never separate two rules. Names compare as SQLite compares
 * identifiers: case-insensitively for ASCII letters only.
 */

export interface Overlap {
  readonly a: Rule;
  readonly b: Rule;
}

/** SQLite folds only A-Z when comparing identifiers; toLowerCase() would fold more. */
export function foldName(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function folded(names: readonly string[]): Set<string> {
  return new Set(names.map(foldName));
}

/** The columns `record` lists for `table`, under any spelling of the table's name. */
function columnsOf(record: Readonly<Record<string, readonly string[]>>, table: string): Set<string> {
  const wanted = foldName(table);
  return folded(Object.entries(record).flatMap(([name, columns]) => (foldName(name) === wanted ? columns : [])));
}

// user_version sets. Ranges are inclusive; an open end is unbounded.

function contains(range: VersionRange, value: number): boolean {
  switch (range.kind) {
    case 'exact':
      return range.value === value;
    case 'set':
      return range.values.includes(value);
    case 'range':
      return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
  }
}

/** A user_version both accept, or undefined when none is (the sets are disjoint). */
export function commonVersion(x: VersionRange, y: VersionRange): number | undefined {
  if (x.kind !== 'range') return (x.kind === 'exact' ? [x.value] : x.values).find((value) => contains(y, value));
  if (y.kind !== 'range') return commonVersion(y, x);
  const low = Math.max(x.min ?? -Infinity, y.min ?? -Infinity);
  const high = Math.min(x.max ?? Infinity, y.max ?? Infinity);
  if (low > high) return undefined;
  return Number.isFinite(low) ? low : high;
}

/** True when `required` needs something that `forbidding` lists as absent. */
function requiresAbsent(required: RuleMatch, forbidding: RuleMatch): boolean {
  const absentTables = folded(forbidding.absent.tables);
  for (const [table, columns] of Object.entries(required.tables)) {
    if (absentTables.has(foldName(table))) return true;
    const absentColumns = columnsOf(forbidding.absent.columns, table);
    if (columns.some((column) => absentColumns.has(foldName(column)))) return true;
  }
  return (['indexes', 'triggers', 'views'] as const).some((kind) => {
    const absent = folded(forbidding.absent[kind]);
    return required[kind].some((name) => absent.has(foldName(name)));
  });
}

function disjoint(a: RuleMatch, b: RuleMatch): boolean {
  if (a.userVersion !== undefined && b.userVersion !== undefined && commonVersion(a.userVersion, b.userVersion) === undefined) return true;
  return requiresAbsent(a, b) || requiresAbsent(b, a);
}

/** Every pair of rules that could match the same database, in rule order. */
export function findOverlaps(rules: RuleSet): Overlap[] {
  const overlaps: Overlap[] = [];
  rules.rules.forEach((a, i) => {
    for (const b of rules.rules.slice(i + 1)) if (!disjoint(matchWithImport(a), matchWithImport(b))) overlaps.push({ a, b });
  });
  return overlaps;
}

/** An `absent:` check for `other` naming something `rule` requires and `other` does not mention. */
function absentSuggestion(rule: Rule, other: Rule): string | undefined {
  const otherTables = folded(Object.keys(other.match.tables));
  for (const table of Object.keys(rule.match.tables)) {
    if (!otherTables.has(foldName(table))) return `add \`absent: { tables: [${table}] }\` to rule "${other.id}" (rule "${rule.id}" requires that table)`;
  }
  for (const [table, columns] of Object.entries(rule.match.tables)) {
    const otherColumns = columnsOf(other.match.tables, table);
    const column = columns.find((c) => !otherColumns.has(foldName(c)));
    if (column !== undefined) return `add \`absent: { columns: { ${table}: [${column}] } }\` to rule "${other.id}" (rule "${rule.id}" requires that column)`;
  }
  for (const kind of ['indexes', 'triggers', 'views'] as const) {
    const otherNames = folded(other.match[kind]);
    const name = rule.match[kind].find((n) => !otherNames.has(foldName(n)));
    if (name !== undefined) return `add \`absent: { ${kind}: [${name}] }\` to rule "${other.id}" (rule "${rule.id}" requires it)`;
  }
  return undefined;
}

function versionSuggestion({ a, b }: Overlap): string {
  const x = a.match.userVersion;
  const y = b.match.userVersion;
  if (x !== undefined && y !== undefined) return `make their \`user_version\` checks disjoint (both accept ${String(commonVersion(x, y))})`;
  if (x !== undefined) return `add a \`user_version\` check to rule "${b.id}" that rule "${a.id}"'s does not accept`;
  if (y !== undefined) return `add a \`user_version\` check to rule "${a.id}" that rule "${b.id}"'s does not accept`;
  return 'give them `user_version` checks that cannot both hold, or an `absent:` check naming a table, column or index only the other requires';
}

export function checkOverlaps(rules: RuleSet): void {
  const problems = findOverlaps(rules).map((overlap) => {
    const { a, b } = overlap;
    const fix = absentSuggestion(a, b) ?? absentSuggestion(b, a) ?? versionSuggestion(overlap);
    const message =
      `rule "${b.id}" overlaps rule "${a.id}" at ${formatLocation(a.location)}: one database could match both, so detection would be ambiguous` +
      ` (sql checks do not count). To separate them, ${fix}.`;
    return problemAt(b.location, message);
  });
  if (problems.length > 0) {
    throw invalidRules(problems, 'Give each pair listed a check one rule has and the other excludes; `drawbridge rules check` lints the result.');
  }
}
