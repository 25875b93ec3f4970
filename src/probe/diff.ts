import { sameData } from './canonical-json.js';
import type { ColumnSnapshot, ForeignKeySnapshot, SchemaSnapshot, TableSnapshot } from './types.js';

/**
 * The difference between two snapshots, as plain data: what was added,
 * removed or changed, object by object and field by field. Maps are compared
 * by their lower-case keys, so a case change of a name shows as a changed
 * `name` field, never as a removal plus an addition. Pure: no I/O.
 */

export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

export interface ObjectChanges<C> {
  /** Display names, sorted. */
  readonly added: string[];
  /** Display names, sorted. */
  readonly removed: string[];
  readonly changed: C[];
}

export interface ColumnChange {
  readonly column: string;
  readonly changes: FieldChange[];
}

export interface ObjectFieldChanges {
  readonly name: string;
  readonly changes: FieldChange[];
}

export interface TableChange {
  readonly table: string;
  readonly columns: ObjectChanges<ColumnChange>;
  /** A changed foreign key (e.g. its ON DELETE action) shows as one removed and one added. */
  readonly foreignKeys: { readonly added: ForeignKeySnapshot[]; readonly removed: ForeignKeySnapshot[] };
  readonly checks: { readonly added: string[]; readonly removed: string[] };
  readonly uniques: { readonly added: string[][]; readonly removed: string[][] };
  /** name, primaryKey, autoincrement, withoutRowid, strict, virtual. */
  readonly fields: FieldChange[];
}

export interface SchemaDiff {
  readonly identical: boolean;
  readonly tables: ObjectChanges<TableChange>;
  readonly indexes: ObjectChanges<ObjectFieldChanges>;
  readonly triggers: ObjectChanges<ObjectFieldChanges>;
  readonly views: ObjectChanges<ObjectFieldChanges>;
}

type Named = { readonly name: string };

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The changes among `fields` (in that order), each compared as data. */
function fieldChanges<T extends object>(from: T, to: T, fields: readonly (keyof T & string)[]): FieldChange[] {
  return fields.filter((field) => !sameData(from[field], to[field])).map((field) => ({ field, from: from[field], to: to[field] }));
}

/** Compare two maps keyed by lower-case name; `compare` returns undefined when the two entries are the same. */
function compareMaps<T extends Named, C>(
  from: Readonly<Record<string, T>>,
  to: Readonly<Record<string, T>>,
  compare: (a: T, b: T) => C | undefined,
): ObjectChanges<C> {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: C[] = [];
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort(byText);
  for (const key of keys) {
    const a = from[key];
    const b = to[key];
    if (a === undefined && b !== undefined) added.push(b.name);
    else if (a !== undefined && b === undefined) removed.push(a.name);
    else if (a !== undefined && b !== undefined) {
      const change = compare(a, b);
      if (change !== undefined) changed.push(change);
    }
  }
  return { added, removed, changed };
}

/** Multiset difference of two lists, element identity by canonical JSON (compared with sameData, never printed). */
function listChanges<T>(from: readonly T[], to: readonly T[]): { added: T[]; removed: T[] } {
  const minus = (left: readonly T[], right: readonly T[]): T[] => {
    const remaining = [...right];
    return left.filter((item) => {
      const at = remaining.findIndex((other) => sameData(item, other));
      if (at === -1) return true;
      remaining.splice(at, 1);
      return false;
    });
  };
  return { added: minus(to, from), removed: minus(from, to) };
}

const COLUMN_FIELDS: readonly (keyof ColumnSnapshot)[] = [
  'name',
  'affinity',
  'declaredType',
  'notNull',
  'default',
  'primaryKey',
  'collation',
  'generated',
];
const TABLE_FIELDS: readonly (keyof TableSnapshot)[] = ['name', 'primaryKey', 'autoincrement', 'withoutRowid', 'strict', 'virtual'];

function compareTables(from: TableSnapshot, to: TableSnapshot): TableChange | undefined {
  // Outside STRICT tables the declared type is informational: the affinity is what counts.
  const strict = from.strict || to.strict;
  const columnFields = strict ? COLUMN_FIELDS : COLUMN_FIELDS.filter((f) => f !== 'declaredType');
  const columns = compareMaps(from.columns, to.columns, (a, b): ColumnChange | undefined => {
    const changes = fieldChanges(a, b, columnFields);
    return changes.length === 0 ? undefined : { column: b.name, changes };
  });
  const foreignKeys = listChanges(from.foreignKeys, to.foreignKeys);
  const checks = listChanges(from.checks, to.checks);
  const uniqueChanges = listChanges(from.uniques, to.uniques);
  const uniques = { added: uniqueChanges.added.map((u) => [...u]), removed: uniqueChanges.removed.map((u) => [...u]) };
  const fields = fieldChanges(from, to, TABLE_FIELDS);
  const change: TableChange = { table: to.name, columns, foreignKeys, checks, uniques, fields };
  return countTableChange(change) === 0 ? undefined : change;
}

function compareFields<T extends Named>(fields: readonly (keyof T & string)[]): (a: T, b: T) => ObjectFieldChanges | undefined {
  return (a, b) => {
    const changes = fieldChanges(a, b, fields);
    return changes.length === 0 ? undefined : { name: b.name, changes };
  };
}

export function diffSnapshots(from: SchemaSnapshot, to: SchemaSnapshot): SchemaDiff {
  const tables = compareMaps(from.tables, to.tables, compareTables);
  const indexes = compareMaps(from.indexes, to.indexes, compareFields(['name', 'table', 'unique', 'columns', 'where']));
  const triggers = compareMaps(from.triggers, to.triggers, compareFields(['name', 'table', 'sql']));
  const views = compareMaps(from.views, to.views, compareFields(['name', 'sql']));
  const diff = { identical: false, tables, indexes, triggers, views };
  return { ...diff, identical: countDifferences(diff) === 0 };
}

function countObjects<C>(changes: ObjectChanges<C>, count: (change: C) => number): number {
  return changes.added.length + changes.removed.length + changes.changed.reduce((sum, change) => sum + count(change), 0);
}

function countTableChange(change: TableChange): number {
  return (
    countObjects(change.columns, (c) => c.changes.length) +
    change.foreignKeys.added.length +
    change.foreignKeys.removed.length +
    change.checks.added.length +
    change.checks.removed.length +
    change.uniques.added.length +
    change.uniques.removed.length +
    change.fields.length
  );
}

/**
 * How many individual differences: one per added or removed object, column,
 * foreign key, CHECK or UNIQUE constraint, and one per changed field (the
 * number of lines formatDiff prints).
 */
export function countDifferences(diff: SchemaDiff): number {
  const fields = (c: ObjectFieldChanges): number => c.changes.length;
  return countObjects(diff.tables, countTableChange) + countObjects(diff.indexes, fields) + countObjects(diff.triggers, fields) + countObjects(diff.views, fields);
}

/** True when `to` only adds whole tables, indexes, triggers or views to `from`: nothing removed, nothing changed. */
export function onlyAdditions(diff: SchemaDiff): boolean {
  return [diff.tables, diff.indexes, diff.triggers, diff.views].every((c) => c.removed.length === 0 && c.changed.length === 0);
}

/** The names of the objects `to` adds, by kind. */
export function addedObjects(diff: SchemaDiff): string[] {
  return [...diff.tables.added.map((n) => `table ${n}`), ...diff.indexes.added.map((n) => `index ${n}`), ...diff.triggers.added.map((n) => `trigger ${n}`), ...diff.views.added.map((n) => `view ${n}`)];
}
