import type { FieldChange, ObjectChanges, ObjectFieldChanges, SchemaDiff, TableChange } from './diff.js';
import type { ForeignKeySnapshot, IndexColumnSnapshot } from './types.js';

/**
 * A SchemaDiff as readable lines, one per difference: "+" only in `to`,
 * "-" only in `from`, "~" in both but different. Tables, then indexes,
 * triggers and views; within each, removed, added, then changed, each
 * alphabetical.
 */

/** A value, compactly: strings bare unless that would be ambiguous, everything else as JSON. */
function render(value: unknown): string {
  if (typeof value === 'string') return value === '' || value !== value.trim() || ['null', 'true', 'false'].includes(value) ? JSON.stringify(value) : value;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

function renderIndexColumns(columns: unknown): string {
  if (!Array.isArray(columns)) return render(columns);
  const terms = (columns as IndexColumnSnapshot[]).map(
    (c) => `${c.expression ?? c.column ?? ''}${c.collation === 'BINARY' ? '' : ` COLLATE ${c.collation}`}${c.descending ? ' DESC' : ''}`,
  );
  return `(${terms.join(', ')})`;
}

function renderGenerated(value: unknown): string {
  if (value === null || typeof value !== 'object') return render(value);
  const generated = value as { stored: boolean; expression: string };
  return `${generated.stored ? 'stored' : 'virtual'} (${generated.expression})`;
}

function renderField(change: FieldChange, kind: string): string {
  if (kind === 'trigger' && change.field === 'sql') return 'body changed';
  if (kind === 'view' && change.field === 'sql') return 'definition changed';
  const show = kind === 'index' && change.field === 'columns' ? renderIndexColumns : change.field === 'generated' ? renderGenerated : render;
  return `${change.field} ${show(change.from)} → ${show(change.to)}`;
}

function renderForeignKey(fk: ForeignKeySnapshot): string {
  let text = `foreign key (${fk.columns.join(', ')}) → ${fk.parentTable}(${fk.parentColumns.join(', ')})`;
  if (fk.onUpdate !== 'NO ACTION') text += ` on update ${fk.onUpdate}`;
  if (fk.onDelete !== 'NO ACTION') text += ` on delete ${fk.onDelete}`;
  if (fk.match !== 'NONE') text += ` match ${fk.match}`;
  return text;
}

function tableLines(change: TableChange): string[] {
  const head = `~ table ${change.table}:`;
  return [
    ...change.fields.map((f) => `${head} ${renderField(f, 'table')}`),
    ...change.columns.removed.map((name) => `${head} - column ${name}`),
    ...change.columns.added.map((name) => `${head} + column ${name}`),
    ...change.columns.changed.flatMap((c) => c.changes.map((f) => `~ column ${change.table}.${c.column}: ${renderField(f, 'column')}`)),
    ...change.foreignKeys.removed.map((fk) => `${head} - ${renderForeignKey(fk)}`),
    ...change.foreignKeys.added.map((fk) => `${head} + ${renderForeignKey(fk)}`),
    ...change.checks.removed.map((check) => `${head} - check (${check})`),
    ...change.checks.added.map((check) => `${head} + check (${check})`),
    ...change.uniques.removed.map((columns) => `${head} - unique (${columns.join(', ')})`),
    ...change.uniques.added.map((columns) => `${head} + unique (${columns.join(', ')})`),
  ];
}

function objectLines<C>(kind: string, changes: ObjectChanges<C>, changed: (change: C) => string[]): string[] {
  return [...changes.removed.map((name) => `- ${kind} ${name}`), ...changes.added.map((name) => `+ ${kind} ${name}`), ...changes.changed.flatMap(changed)];
}

function fieldLines(kind: string): (change: ObjectFieldChanges) => string[] {
  return (change) => change.changes.map((f) => `~ ${kind} ${change.name}: ${renderField(f, kind)}`);
}

export function formatDiff(diff: SchemaDiff, labels: { from?: string; to?: string } = {}): string[] {
  const header = labels.from === undefined && labels.to === undefined ? [] : [`--- ${labels.from ?? 'from'}`, `+++ ${labels.to ?? 'to'}`];
  if (diff.identical) return [...header, 'identical'];
  return [
    ...header,
    ...objectLines('table', diff.tables, tableLines),
    ...objectLines('index', diff.indexes, fieldLines('index')),
    ...objectLines('trigger', diff.triggers, fieldLines('trigger')),
    ...objectLines('view', diff.views, fieldLines('view')),
  ];
}
