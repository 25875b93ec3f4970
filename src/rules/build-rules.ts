import type { Origin } from './origin.js';
import type { RuleProblem } from './problems.js';
import type { RawImport, RawRule, RawRulesFile, RawUserVersion } from './schema.js';
import type { ImportMap, Rule, RuleImport, RuleMatch, VersionRange } from './types.js';

/**
 * Turn a rules file the schema accepted into Rule objects: one shape per
 * idea (user_version as a VersionRange, prepare as a list, the defaults
 * `then: bridge` and `newer: false` filled in, absent lists as empty lists),
 * so that matchers never re-interpret YAML shorthand. Also the checks the
 * schema cannot express about one value (a range whose min exceeds its max).
 * The result is frozen: rules are shared by every detection that uses them.
 */

export interface BuiltRules {
  readonly rules: readonly Rule[];
  readonly problems: readonly RuleProblem[];
}

function versionRange(raw: RawUserVersion): VersionRange {
  if (typeof raw === 'number') return { kind: 'exact', value: raw };
  if (Array.isArray(raw)) return { kind: 'set', values: Object.freeze([...raw]) };
  return { kind: 'range', min: raw.min, max: raw.max };
}

function names(list: readonly string[] | undefined): readonly string[] {
  return Object.freeze([...(list ?? [])]);
}

/** Object.fromEntries, not assignment: a table named "__proto__" stays a table. */
function byTable(record: Readonly<Record<string, readonly string[]>> | undefined): Readonly<Record<string, readonly string[]>> {
  return Object.freeze(Object.fromEntries(Object.entries(record ?? {}).map(([table, columns]) => [table, names(columns)])));
}

function ruleMatch(raw: RawRule['match'] = {}): RuleMatch {
  const absent = raw.absent ?? {};
  return Object.freeze({
    userVersion: raw.user_version === undefined ? undefined : Object.freeze(versionRange(raw.user_version)),
    tables: byTable(raw.tables),
    indexes: names(raw.indexes),
    triggers: names(raw.triggers),
    views: names(raw.views),
    absent: Object.freeze({
      tables: names(absent.tables),
      columns: byTable(absent.columns),
      indexes: names(absent.indexes),
      triggers: names(absent.triggers),
      views: names(absent.views),
    }),
    sql: raw.sql,
  });
}

function importMap(raw: RawImport['map']): ImportMap {
  if (raw === 'by-number' || raw === 'same-name') return { kind: raw };
  const entries = Object.entries(raw).map(([id, names]) => [id, names === null ? null : Object.freeze(typeof names === 'string' ? [names] : [...names])] as const);
  return Object.freeze({ kind: 'explicit' as const, entries: Object.freeze(Object.fromEntries(entries)) });
}

function ruleImport(raw: RawImport | undefined, path: readonly (string | number)[], origin: Origin): RuleImport | undefined {
  if (raw === undefined) return undefined;
  const mapLocations = typeof raw.map === 'string' ? {} : Object.fromEntries(Object.keys(raw.map).map((id) => [id, origin.locate([...path, 'map', id])]));
  return Object.freeze({
    from: raw.from,
    table: raw.table,
    map: importMap(raw.map),
    baseline: raw.baseline,
    location: origin.locate(path),
    baselineLocation: raw.baseline === undefined ? undefined : origin.locate([...path, 'baseline']),
    mapLocations: Object.freeze(mapLocations),
  });
}

export function buildRules(raw: RawRulesFile, origin: Origin): BuiltRules {
  const problems: RuleProblem[] = [];
  const rules = raw.rules.map((rule, index): Rule => {
    const path = ['rules', index] as const;
    const version = rule.match?.user_version;
    if (typeof version === 'object' && !Array.isArray(version) && version.min !== undefined && version.max !== undefined && version.min > version.max) {
      const at = [...path, 'match', 'user_version'];
      problems.push(origin.problem(at, 'user_version', `min ${version.min} is greater than max ${version.max}; no database can match`));
    }
    const bridgeTo = rule['bridge-to'];
    const then = rule.then ?? 'bridge';
    if (rule.import !== undefined && then !== 'bridge') {
      problems.push(origin.problem([...path, 'import'], 'import', `goes with then: bridge (this rule has then: ${then}): an imported history says where the database is, and only a bridge records it`));
    }
    return Object.freeze({
      id: rule.id,
      title: rule.title,
      match: ruleMatch(rule.match),
      prepare: Object.freeze(rule.prepare === undefined ? [] : typeof rule.prepare === 'string' ? [rule.prepare] : [...rule.prepare]),
      bridgeTo,
      then,
      import: ruleImport(rule.import, [...path, 'import'], origin),
      newer: rule.newer ?? false,
      notes: rule.notes,
      location: origin.locate(path),
      bridgeToLocation: bridgeTo === undefined ? undefined : origin.locate([...path, 'bridge-to']),
    });
  });
  return { rules: Object.freeze(rules), problems };
}
