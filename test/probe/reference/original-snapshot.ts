import { foldCase } from '../../../src/sqlite/tokenize.js';
import { affinityOf } from '../../../src/probe/affinity.js';
import { normaliseCreateStatement, normaliseSql } from '../../../src/probe/normalise-sql.js';
import { readCreateIndex, readCreateTable, type TableDefinition } from './original-create-statements.js';
import type {
  ColumnSnapshot,
  ForeignKeySnapshot,
  IndexColumnSnapshot,
  IndexSnapshot,
  RawColumn,
  RawForeignKey,
  RawIndex,
  RawIndexColumn,
  RawSchema,
  SchemaSnapshot,
  TableSnapshot,
  TriggerSnapshot,
  ViewSnapshot,
} from '../../../src/probe/types.js';

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The snapshot builder as it was before it was made faster (keys in their
 * old order, nothing frozen), kept only as the definition the one in
 * src/probe/snapshot.ts must agree with under canonicalJson.
 *
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
  return Object.fromEntries([...entries].sort(([a], [b]) => byCodeUnits(a, b)));
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

function foreignKeys(rows: readonly RawForeignKey[], primaryKeys: ReadonlyMap<string, readonly string[]>): ForeignKeySnapshot[] {
  const constraints = groupBy(rows, (fk) => String(fk.id));
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
  // The one deliberate change from the original: code-unit order instead of localeCompare (see src/probe/snapshot.ts).
  return result.sort((a, b) => byCodeUnits(JSON.stringify(a), JSON.stringify(b)));
}

function uniques(indexes: readonly RawIndex[], keyColumns: ReadonlyMap<string, readonly RawIndexColumn[]>): string[][] {
  return indexes
    .filter((i) => i.origin === 'u')
    .map((i) => [...(keyColumns.get(i.name) ?? [])].sort((a, b) => a.seqno - b.seqno).map((c) => lower(c.name ?? '')))
    .filter((columns) => columns.length > 0)
    .sort((a, b) => byCodeUnits(a.join(','), b.join(',')));
}

/**
 * The raw rows grouped once by the table or index they belong to: looking
 * them up per table instead of filtering every list for every table took a
 * 200-table snapshot from 20 ms to 10 ms.
 */
interface RawGroups {
  readonly columnsByTable: ReadonlyMap<string, RawColumn[]>;
  readonly indexesByTable: ReadonlyMap<string, RawIndex[]>;
  readonly keyColumnsByIndex: ReadonlyMap<string, RawIndexColumn[]>;
  readonly foreignKeysByTable: ReadonlyMap<string, RawForeignKey[]>;
}

function groupRaw(raw: RawSchema): RawGroups {
  return {
    columnsByTable: groupBy(raw.columns, (c) => c.table),
    indexesByTable: groupBy(raw.indexes, (i) => i.table),
    keyColumnsByIndex: groupBy(
      raw.indexColumns.filter((c) => c.key),
      (c) => c.index,
    ),
    foreignKeysByTable: groupBy(raw.foreignKeys, (fk) => fk.table),
  };
}

function tables(raw: RawSchema, groups: RawGroups, keep: (table: string) => boolean): Record<string, TableSnapshot> {
  const { columnsByTable } = groups;
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
          uniques: uniques(groups.indexesByTable.get(o.name) ?? [], groups.keyColumnsByIndex),
          foreignKeys: foreignKeys(groups.foreignKeysByTable.get(o.name) ?? [], primaryKeys),
        },
      ];
    });
  return byKey(entries);
}

function indexes(raw: RawSchema, groups: RawGroups, keep: (table: string) => boolean): Record<string, IndexSnapshot> {
  const sqlByName = new Map(raw.objects.filter((o) => o.type === 'index').map((o) => [o.name, o.sql]));
  const entries = raw.indexes
    .filter((i) => i.origin === 'c' && keep(i.table))
    .map((index): [string, IndexSnapshot] => {
      const definition = readCreateIndex(sqlByName.get(index.name) ?? '');
      const keyColumns = [...(groups.keyColumnsByIndex.get(index.name) ?? [])].sort((a, b) => a.seqno - b.seqno);
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

export function originalBuildSnapshot(raw: RawSchema, options: SnapshotOptions = {}): SchemaSnapshot {
  const excluded = new Set((options.exclude ?? []).map(lower));
  const keep = (table: string): boolean => !lower(table).startsWith('sqlite_') && !excluded.has(lower(table));
  const groups = groupRaw(raw);
  return { tables: tables(raw, groups, keep), indexes: indexes(raw, groups, keep), ...triggersAndViews(raw, keep) };
}
