import type { SchemaSnapshot } from '../probe/types.js';
import type { Rule, VersionRange } from '../rules/types.js';
import { foldCase } from '../sqlite/tokenize.js';

/**
 * Evaluate a rule's checks on a fingerprint, keeping every check's expected
 * and found values: the evidence a report shows, and for a rule that did not
 * match, exactly which checks failed.
 */

export interface CheckEvidence {
  /** What was checked, e.g. "user_version", "table sessions", "absent index idx_x", "sql". */
  readonly check: string;
  readonly expected: unknown;
  readonly found: unknown;
  readonly ok: boolean;
}

export interface RuleEvaluation {
  readonly rule: Rule;
  readonly matched: boolean;
  readonly evidence: readonly CheckEvidence[];
}

/** What a rule is checked against: a database's schema and user_version. */
export interface RuleSubject {
  readonly snapshot: SchemaSnapshot;
  readonly userVersion: number;
}

/** Runs a rule's read-only `sql` check and returns the first column of the first row. */
export type SqlProbe = (sql: string) => unknown;

export function describeRange(range: VersionRange): string | number | readonly number[] {
  switch (range.kind) {
    case 'exact':
      return range.value;
    case 'set':
      return range.values;
    case 'range':
      return `${range.min ?? ''}..${range.max ?? ''}`;
  }
}

export function inRange(range: VersionRange, value: number): boolean {
  switch (range.kind) {
    case 'exact':
      return value === range.value;
    case 'set':
      return range.values.includes(value);
    case 'range':
      return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
  }
}

function has(map: Readonly<Record<string, unknown>>, name: string): boolean {
  return Object.hasOwn(map, foldCase(name));
}

function schemaEvidence(rule: Rule, subject: RuleSubject): CheckEvidence[] {
  const { tables, indexes, triggers, views } = subject.snapshot;
  const evidence: CheckEvidence[] = [];
  for (const [table, columns] of Object.entries(rule.match.tables)) {
    const actual = tables[foldCase(table)];
    const present = actual === undefined ? [] : columns.filter((c) => has(actual.columns, c));
    evidence.push({
      check: `table ${table}`,
      expected: columns.length === 0 ? 'exists' : { columns },
      found: actual === undefined ? 'missing' : columns.length === 0 ? 'exists' : { columns: present, missing: columns.filter((c) => !present.includes(c)) },
      ok: actual !== undefined && present.length === columns.length,
    });
  }
  const kinds = [
    ['index', rule.match.indexes, indexes],
    ['trigger', rule.match.triggers, triggers],
    ['view', rule.match.views, views],
  ] as const;
  for (const [kind, names, actual] of kinds) {
    for (const name of names) evidence.push({ check: `${kind} ${name}`, expected: 'exists', found: has(actual, name) ? 'exists' : 'missing', ok: has(actual, name) });
  }
  const { absent } = rule.match;
  for (const table of absent.tables) evidence.push({ check: `absent table ${table}`, expected: 'absent', found: has(tables, table) ? 'exists' : 'absent', ok: !has(tables, table) });
  for (const [table, columns] of Object.entries(absent.columns)) {
    const actual = tables[foldCase(table)];
    const present = actual === undefined ? [] : columns.filter((c) => has(actual.columns, c));
    evidence.push({ check: `absent columns ${table}`, expected: { absent: columns }, found: { present }, ok: present.length === 0 });
  }
  const absentKinds = [
    ['index', absent.indexes, indexes],
    ['trigger', absent.triggers, triggers],
    ['view', absent.views, views],
  ] as const;
  for (const [kind, names, actual] of absentKinds) {
    for (const name of names) evidence.push({ check: `absent ${kind} ${name}`, expected: 'absent', found: has(actual, name) ? 'exists' : 'absent', ok: !has(actual, name) });
  }
  return evidence;
}

function sqlEvidence(sql: string, probe: SqlProbe): CheckEvidence {
  try {
    const found = probe(sql);
    return { check: 'sql', expected: 'truthy', found, ok: Boolean(found) && found !== '0' };
  } catch (error) {
    return { check: 'sql', expected: 'truthy', found: `error: ${(error as Error).message}`, ok: false };
  }
}

export function evaluateRule(rule: Rule, subject: RuleSubject, probe: SqlProbe): RuleEvaluation {
  const evidence: CheckEvidence[] = [];
  const range = rule.match.userVersion;
  if (range !== undefined) {
    const found = subject.userVersion;
    evidence.push({ check: 'user_version', expected: describeRange(range), found, ok: inRange(range, found) });
  }
  evidence.push(...schemaEvidence(rule, subject));
  // The sql check runs last, and only when the schema checks hold: it may name tables that are not there.
  if (rule.match.sql !== undefined) {
    evidence.push(evidence.every((e) => e.ok) ? sqlEvidence(rule.match.sql, probe) : { check: 'sql', expected: 'truthy', found: 'not run (other checks failed)', ok: false });
  }
  return { rule, matched: evidence.every((e) => e.ok), evidence };
}
