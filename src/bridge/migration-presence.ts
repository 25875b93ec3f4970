import { sameData } from '../probe/canonical-json.js';
import { diffSnapshots, type SchemaDiff } from '../probe/diff.js';
import { FrozenPairMemo } from '../probe/frozen-memo.js';
import type { SchemaSnapshot } from '../probe/types.js';
import type { DerivedSchema } from '../runner/derived-schemas.js';
import { foldCase } from '../sqlite/tokenize.js';

/**
 * For each migration of the sequence, whether what it does to the schema is
 * on this database: present (all of it), absent (none), partial (some), or
 * data-only (it changes no schema, so the schema cannot tell).
 */

export type Presence = 'present' | 'absent' | 'partial' | 'data-only';

export interface MigrationPresence {
  readonly name: string;
  readonly presence: Presence;
  /** How many of the migration's schema changes the database shows, of how many. */
  readonly found: number;
  readonly total: number;
}

type ChangeTest = (s: SchemaSnapshot) => boolean;

/** Each schema change a migration makes, as a test on a database's snapshot. */
function changeTests(step: SchemaDiff, after: SchemaSnapshot): ChangeTest[] {
  const tests: ChangeTest[] = [];
  const same = sameData;
  for (const kind of ['tables', 'indexes', 'triggers', 'views'] as const) {
    for (const name of step[kind].added) tests.push((s) => Object.hasOwn(s[kind], foldCase(name)));
    for (const name of step[kind].removed) tests.push((s) => !Object.hasOwn(s[kind], foldCase(name)));
  }
  for (const kind of ['indexes', 'triggers', 'views'] as const) {
    for (const { name } of step[kind].changed) tests.push((s) => same(s[kind][foldCase(name)], after[kind][foldCase(name)]));
  }
  for (const change of step.tables.changed) {
    const key = foldCase(change.table);
    for (const column of change.columns.added) tests.push((s) => s.tables[key]?.columns[foldCase(column)] !== undefined);
    for (const column of change.columns.removed) tests.push((s) => s.tables[key] !== undefined && s.tables[key].columns[foldCase(column)] === undefined);
    for (const { column } of change.columns.changed) tests.push((s) => same(s.tables[key]?.columns[foldCase(column)], after.tables[key]?.columns[foldCase(column)]));
    const whole = change.checks.added.length + change.checks.removed.length + change.foreignKeys.added.length + change.foreignKeys.removed.length + change.uniques.added.length + change.uniques.removed.length + change.fields.length;
    if (whole > 0) {
      const expected = after.tables[key];
      tests.push((s) => same(s.tables[key]?.checks, expected?.checks) && same(s.tables[key]?.foreignKeys, expected?.foreignKeys) && same(s.tables[key]?.uniques, expected?.uniques) && same(s.tables[key]?.primaryKey, expected?.primaryKey));
    }
  }
  return tests;
}

/**
 * Each step's change tests, per derived array: the derived schemas of a
 * sequence are computed once and shared by every detection, and building the
 * tests (one schema diff per step) cost 3.6 ms of a 7.6 ms detection on the
 * reference app when it ran for every database.
 */
const testsByDerived = new WeakMap<readonly DerivedSchema[], readonly (readonly ChangeTest[])[]>();

function stepTests(derived: readonly DerivedSchema[]): readonly (readonly ChangeTest[])[] {
  let tests = testsByDerived.get(derived);
  if (tests === undefined) {
    tests = derived.slice(1).map((d, i) => {
      const before = derived[i];
      return before === undefined ? [] : changeTests(diffSnapshots(before.snapshot, d.snapshot), d.snapshot);
    });
    testsByDerived.set(derived, tests);
  }
  return tests;
}

const presences = new FrozenPairMemo<readonly DerivedSchema[], SchemaSnapshot, readonly MigrationPresence[]>();

/** Per migration of the sequence, how much of it the snapshot shows (remembered per frozen derived list and snapshot). */
export function migrationPresence(snapshot: SchemaSnapshot, derived: readonly DerivedSchema[]): readonly MigrationPresence[] {
  return presences.get(derived, snapshot, () => presenceOf(snapshot, derived));
}

function presenceOf(snapshot: SchemaSnapshot, derived: readonly DerivedSchema[]): MigrationPresence[] {
  const steps = stepTests(derived);
  return derived.slice(1).map((d, i) => {
    const tests = steps[i] ?? [];
    const found = tests.filter((test) => test(snapshot)).length;
    const presence: Presence = tests.length === 0 ? 'data-only' : found === tests.length ? 'present' : found === 0 ? 'absent' : 'partial';
    return { name: d.name ?? '', presence, found, total: tests.length };
  });
}
