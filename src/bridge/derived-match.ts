import { addedObjects, diffSnapshots, onlyAdditions, type SchemaDiff } from '../probe/diff.js';
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

function sequenceObjectNames(derived: readonly DerivedSchema[]): Set<string> {
  const names = new Set<string>();
  for (const { snapshot } of derived) {
    for (const [kind, map] of [['table', snapshot.tables], ['index', snapshot.indexes], ['trigger', snapshot.triggers], ['view', snapshot.views]] as const) {
      for (const key of Object.keys(map)) names.add(`${kind} ${key}`);
    }
  }
  return names;
}

/** The diff only adds objects, and none of them has a name the sequence uses: they are the user's own. */
export function userAdditionsOnly(diff: SchemaDiff, derived: readonly DerivedSchema[]): boolean {
  const sequenceNames = sequenceObjectNames(derived);
  return onlyAdditions(diff) && addedObjects(diff).every((a) => !sequenceNames.has(foldCase(a)));
}

export function matchDerived(snapshot: SchemaSnapshot, schemaHash: string, derived: readonly DerivedSchema[]): DerivedMatch | null {
  const latestFirst = [...derived].reverse().filter((d) => d.index > 0);
  // A migration that changes no schema (a data transform) leaves two equal prefixes: the later one is right.
  const exact = latestFirst.find((d) => d.schemaHash === schemaHash);
  if (exact !== undefined) return { index: exact.index, name: exact.name, userAdditions: [] };
  for (const d of latestFirst) {
    const diff = diffSnapshots(d.snapshot, snapshot);
    if (userAdditionsOnly(diff, derived)) return { index: d.index, name: d.name, userAdditions: addedObjects(diff) };
  }
  return null;
}
