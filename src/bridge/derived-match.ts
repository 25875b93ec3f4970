import { addedObjects, onlyAdditions, type SchemaDiff } from '../probe/diff.js';
import { diffFrozen, FrozenPairMemo } from '../probe/frozen-memo.js';
import { foldCase } from '../sqlite/tokenize.js';
import type { SchemaSnapshot } from '../probe/types.js';
import type { DerivedSchema } from '../runner/derived-schemas.js';

/**
 * The version of the sequence whose schema a database has — exactly, or with
 * objects the user added (a table, an index of their own), which upgrades
 * leave alone. An addition only counts as the user's when no version of the
 * sequence has an object of that name: a table a later migration creates is
 * a half-applied migration, not a user's table.
 */

export interface DerivedMatch {
  readonly index: number;
  readonly name: string | null;
  /** Objects the database has beyond that version, e.g. "table my_notes". Empty for an exact match. */
  readonly userAdditions: readonly string[];
}

/** Computed once per derived array (they are made once per sequence and never changed): it is the same for every database. */
const namesByDerived = new WeakMap<readonly DerivedSchema[], ReadonlySet<string>>();

function sequenceObjectNames(derived: readonly DerivedSchema[]): ReadonlySet<string> {
  const cached = namesByDerived.get(derived);
  if (cached !== undefined) return cached;
  const names = new Set<string>();
  for (const { snapshot } of derived) {
    for (const [kind, map] of [['table', snapshot.tables], ['index', snapshot.indexes], ['trigger', snapshot.triggers], ['view', snapshot.views]] as const) {
      for (const key of Object.keys(map)) names.add(`${kind} ${key}`);
    }
  }
  namesByDerived.set(derived, names);
  return names;
}

/**
 * Whether the database has every table, index, trigger and view of the
 * version: a diff that removes one is never "only additions", so a version
 * failing this needs no diff. On the reference app matching took 1 ms per
 * database, most of it diffing later versions a database could not be at.
 */
function hasEveryObjectOf(version: SchemaSnapshot, snapshot: SchemaSnapshot): boolean {
  return (['tables', 'indexes', 'triggers', 'views'] as const).every((kind) => Object.keys(version[kind]).every((key) => Object.hasOwn(snapshot[kind], key)));
}

/** The diff only adds objects, and none of them has a name the sequence uses: they are the user's own. */
export function userAdditionsOnly(diff: SchemaDiff, derived: readonly DerivedSchema[]): boolean {
  const sequenceNames = sequenceObjectNames(derived);
  return onlyAdditions(diff) && addedObjects(diff).every((a) => !sequenceNames.has(foldCase(a)));
}

function findMatch(derived: readonly DerivedSchema[], snapshot: SchemaSnapshot, schemaHash: string): DerivedMatch | null {
  const latestFirst = [...derived].reverse().filter((d) => d.index > 0);
  // A migration that changes no schema (a data transform) leaves two equal prefixes: the later one is right.
  const exact = latestFirst.find((d) => d.schemaHash === schemaHash);
  if (exact !== undefined) return { index: exact.index, name: exact.name, userAdditions: [] };
  for (const d of latestFirst) {
    if (!hasEveryObjectOf(d.snapshot, snapshot)) continue;
    const diff = diffFrozen(d.snapshot, snapshot);
    if (userAdditionsOnly(diff, derived)) return { index: d.index, name: d.name, userAdditions: addedObjects(diff) };
  }
  return null;
}

/** Per derived list and frozen snapshot: the same answer for every database of that schema. */
const matches = new FrozenPairMemo<readonly DerivedSchema[], SchemaSnapshot, DerivedMatch | null>();

/** The version whose schema `snapshot` has; `schemaHash` is the snapshot's (Fingerprint.schemaHash). */
export function matchDerived(snapshot: SchemaSnapshot, schemaHash: string, derived: readonly DerivedSchema[]): DerivedMatch | null {
  return matches.get(derived, snapshot, () => findMatch(derived, snapshot, schemaHash));
}
