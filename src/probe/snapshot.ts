import { createHash } from 'node:crypto';
import { foldCase } from '../sqlite/tokenize.js';
import { affinityOf } from './affinity.js';
import { readCreateIndex, readCreateTable, type TableDefinition } from './create-statements.js';
import { normaliseCreateStatement, normaliseSql } from './normalise-sql.js';
import type {
  ColumnSnapshot,
  ForeignKeySnapshot,
  IndexColumnSnapshot,
  IndexSnapshot,
  RawColumn,
  RawSchema,
  SchemaSnapshot,
  TableSnapshot,
  TriggerSnapshot,
  ViewSnapshot,
} from './types.js';

/**
 * RawSchema → SchemaSnapshot: the semantic normal form (see types.ts).
 * `exclude` names tables that are not part of the app's schema (tracking
 * tables); their indexes and triggers go with them. SQLite's own sqlite_*
 * tables are always left out.
 */

export interface SnapshotOptions {
  /** Table names (any case) to leave out, e.g. the tracking table. */
  readonly exclude?: readonly string[];
}

const lower = foldCase;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

function byKey<T>(entries: readonly [string, T][]): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function columnSnapshot(column: RawColumn, definition: TableDefinition, strict: boolean): ColumnSnapshot {
  const parsed = definition.columns.get(lower(column.name));
  const generated = column.hidden === 2 || column.hidden === 3 ? { stored: column.hidden === 3, expression: parsed?.generated ?? '' } : null;
  return {
    name: column.name,
    affinity: affinityOf(column.type),
    declaredType: strict ? column.type.toUpperCase() : null,
    notNull: column.notNull,
    default: column.defaultSql === null ? null : normaliseSql(column.defaultSql),
    primaryKey: column.pk,
    collation: parsed?.collation ?? 'BINARY',
    generated,
  };
}

function foreignKeys(raw: RawSchema, table: string, primaryKeys: ReadonlyMap<string, readonly string[]>): ForeignKeySnapshot[] {
  const constraints = groupBy(
    raw.foreignKeys.filter((fk) => fk.table === table),
    (fk) => String(fk.id),
  );
  const result = [...constraints.values()].map((rows): ForeignKeySnapshot => {
    const ordered = [...rows].sort((a, b) => a.seq - b.seq);
    const first = ordered[0];
    const parentTable = lower(first?.parent ?? '');
    // REFERENCES parent (no columns) means the parent's primary key.
    const implicit = ordered.some((fk) => fk.to === null);
    return {
      columns: ordered.map((fk) => lower(fk.from)),
      parentTable,
      parentColumns: implicit ? [...(primaryKeys.get(parentTable) ?? [])] : ordered.map((fk) => lower(fk.to ?? '')),
      onUpdate: first?.onUpdate ?? 'NO ACTION',
      onDelete: first?.onDelete ?? 'NO ACTION',
      match: first?.match ?? 'NONE',
    };
  });
  return result.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function uniques(raw: RawSchema, table: string): string[][] {
  const names = new Set(raw.indexes.filter((i) => i.table === table && i.origin === 'u').map((i) => i.name));
  const columns = groupBy(
    raw.indexColumns.filter((c) => names.has(c.index) && c.key),
    (c) => c.index,
  );
  return [...columns.values()]
    .map((cols) => [...cols].sort((a, b) => a.seqno - b.seqno).map((c) => lower(c.name ?? '')))
    .sort((a, b) => a.join(',').localeCompare(b.join(',')));
}

function tables(raw: RawSchema, keep: (table: string) => boolean): Record<string, TableSnapshot> {
  const columnsByTable = groupBy(raw.columns, (c) => c.table);
  const primaryKeys = new Map<string, string[]>();
  for (const [table, columns] of columnsByTable) {
    primaryKeys.set(lower(table), columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => lower(c.name)));
  }
  const entries = raw.objects
    .filter((o) => o.type === 'table' && keep(o.name))
    .map((o): [string, TableSnapshot] => {
      const virtual = o.sql !== null && /^\s*CREATE\s+VIRTUAL\s/i.test(o.sql);
      const definition = readCreateTable(virtual ? '' : (o.sql ?? ''));
      const columns = columnsByTable.get(o.name) ?? [];
      return [
        lower(o.name),
        {
          name: o.name,
          columns: byKey(columns.map((c) => [lower(c.name), columnSnapshot(c, definition, definition.strict)])),
          primaryKey: primaryKeys.get(lower(o.name)) ?? [],
          autoincrement: definition.autoincrement,
          withoutRowid: definition.withoutRowid,
          strict: definition.strict,
          virtual: virtual ? normaliseCreateStatement(o.sql ?? '') : null,
          checks: definition.checks,
          uniques: uniques(raw, o.name),
          foreignKeys: foreignKeys(raw, o.name, primaryKeys),
        },
      ];
    });
  return byKey(entries);
}

function indexes(raw: RawSchema, keep: (table: string) => boolean): Record<string, IndexSnapshot> {
  const sqlByName = new Map(raw.objects.filter((o) => o.type === 'index').map((o) => [o.name, o.sql]));
  const columnsByIndex = groupBy(raw.indexColumns, (c) => c.index);
  const entries = raw.indexes
    .filter((i) => i.origin === 'c' && keep(i.table))
    .map((index): [string, IndexSnapshot] => {
      const definition = readCreateIndex(sqlByName.get(index.name) ?? '');
      const keyColumns = (columnsByIndex.get(index.name) ?? []).filter((c) => c.key).sort((a, b) => a.seqno - b.seqno);
      const columns = keyColumns.map((c, position): IndexColumnSnapshot => ({
        column: c.cid === -2 ? null : c.cid === -1 ? 'rowid' : lower(c.name ?? ''),
        expression: c.cid === -2 ? (definition.terms[position] ?? '') : null,
        descending: c.descending,
        collation: c.collation.toUpperCase(),
      }));
      return [lower(index.name), { name: index.name, table: lower(index.table), unique: index.unique, columns, where: definition.where }];
    });
  return byKey(entries);
}

function triggersAndViews(raw: RawSchema, keep: (table: string) => boolean): { triggers: Record<string, TriggerSnapshot>; views: Record<string, ViewSnapshot> } {
  const triggers = raw.objects
    .filter((o) => o.type === 'trigger' && keep(o.tableName))
    .map((o): [string, TriggerSnapshot] => [lower(o.name), { name: o.name, table: lower(o.tableName), sql: normaliseCreateStatement(o.sql ?? '') }]);
  const views = raw.objects
    .filter((o) => o.type === 'view')
    .map((o): [string, ViewSnapshot] => [lower(o.name), { name: o.name, sql: normaliseCreateStatement(o.sql ?? '') }]);
  return { triggers: byKey(triggers), views: byKey(views) };
}

export function buildSnapshot(raw: RawSchema, options: SnapshotOptions = {}): SchemaSnapshot {
  const excluded = new Set((options.exclude ?? []).map(lower));
  const keep = (table: string): boolean => !lower(table).startsWith('sqlite_') && !excluded.has(lower(table));
  return { tables: tables(raw, keep), indexes: indexes(raw, keep), ...triggersAndViews(raw, keep) };
}

/** JSON with object keys sorted at every level: the same snapshot always serialises the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * sha256 of the canonical snapshot: equal hashes exactly when the snapshots
 * are equal. Names keep their declared case (an app reading row.Name is not
 * reading row.name), so a case change is a change.
 */
export function schemaHash(snapshot: SchemaSnapshot): string {
  return createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
}
