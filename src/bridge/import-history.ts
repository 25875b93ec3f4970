import type { ForeignHistory, ForeignRow, ForeignTool, SourceValue } from '../probe/types.js';
import type { RuleImport } from '../rules/types.js';
import { foldCase } from '../sqlite/tokenize.js';

/**
 * Another tool's tracking table, read as this sequence's history: which of
 * the new migrations its rows say are applied (through the rule's map), and
 * everything that forbids importing it. Only rows the tool itself considers
 * finished are imported; a dirty, failed or locked history is never taken as
 * applied, and neither is one with gaps or rows the map does not know.
 */

export type ImportProblemKind = 'unfinished' | 'locked' | 'unmapped' | 'partial' | 'gap';

export interface ImportProblem {
  readonly kind: ImportProblemKind;
  /** The other tool's table it is about. */
  readonly table: string;
  /** The tool's ids of the rows concerned (or the migration names, for gaps). */
  readonly ids: readonly string[];
  /** What is wrong and the way out, in the tool's own terms. */
  readonly message: string;
}

export interface ImportedMigration {
  readonly name: string;
  /** The other tool's rows this migration stands for (several when squashed). */
  readonly rows: readonly ForeignRow[];
}

export interface HistoryImport {
  readonly tool: ForeignTool;
  readonly table: string;
  /** Migrations up to the rule's baseline: older than the tool's history, recorded as bridged. */
  readonly baseline: readonly string[];
  readonly imported: readonly ImportedMigration[];
  /** Rows not imported: rolled back, or mapped to nothing (null). */
  readonly ignored: readonly ForeignRow[];
  /** The last migration the history covers; null when it covers none. */
  readonly bridgePoint: string | null;
  readonly problems: readonly ImportProblem[];
}

/** What a map needs of the sequence: its names and numbers, in order. */
export interface SequenceEntry {
  readonly name: string;
  readonly number: number;
}

/** The JSON stored in the tracking table's `source` column of an imported row. */
export interface ImportSource {
  readonly tool: ForeignTool;
  readonly table: string;
  /** The tool's ids of the rows (several when squashed). */
  readonly ids: readonly string[];
  readonly rows: readonly Readonly<Record<string, SourceValue>>[];
}

/** The history a rule's import reads, if the database has it. */
export function findHistory(spec: RuleImport, histories: readonly ForeignHistory[]): ForeignHistory | undefined {
  return histories.find((h) => h.tool === spec.from && (spec.table === undefined || foldCase(h.table) === foldCase(spec.table)));
}

function wayOut(history: ForeignHistory, row: ForeignRow): string {
  switch (history.tool) {
    case 'golang-migrate':
      return `check the schema by hand, then \`migrate force ${row.id}\` if that migration completed (or force the version before it if it did not), and run drawbridge again`;
    case 'prisma':
      return `resolve it first: \`prisma migrate resolve --applied ${row.id}\` if its changes are in the database, \`--rolled-back ${row.id}\` if not`;
    case 'flyway':
      return 'fix it and run `flyway repair`, which removes failed rows, then run drawbridge again';
    default:
      return `finish or undo it with ${history.tool}, then run drawbridge again`;
  }
}

/**
 * Rows a tool left unfinished: a dirty or failed row with no later applied
 * row of the same migration, and a held knex lock. Whatever a rule says,
 * such a database is never bridged: its schema may be half-way.
 */
export function unfinishedWork(history: ForeignHistory): ImportProblem[] {
  const problems: ImportProblem[] = [];
  if (history.locked) {
    problems.push({ kind: 'locked', table: history.table, ids: [], message: `${history.table}: the knex migration lock is held (knex_migrations_lock.is_locked = 1): a knex migration is running or crashed. Once none runs, \`knex migrate:unlock\`, then run drawbridge again.` });
  }
  history.rows.forEach((row, index) => {
    if (row.status !== 'dirty' && row.status !== 'failed') return;
    const resolved = history.rows.slice(index + 1).some((later) => later.id === row.id && later.status === 'applied');
    if (resolved) return;
    const what = row.status === 'dirty' ? 'is marked dirty (a migration stopped half-way)' : 'failed and was never resolved';
    problems.push({ kind: 'unfinished', table: history.table, ids: [row.id], message: `${history.table}: ${row.id} ${what}; it is not imported as applied. To go on, ${wayOut(history, row)}.` });
  });
  return problems;
}

const leadingNumber = (id: string): number | undefined => {
  const digits = /^\d+/.exec(id)?.[0];
  return digits === undefined ? undefined : Number(digits);
};

const withoutExtension = (id: string): string => id.replace(/(\.up)?\.(sql|js|cjs|mjs|ts|cts|mts)$/i, '');

/** The names an id maps to: a list, null (mapped to nothing on purpose), or undefined (the map does not know it). */
function namesFor(spec: RuleImport, id: string, sequence: readonly SequenceEntry[]): readonly string[] | null | undefined {
  const { map } = spec;
  switch (map.kind) {
    case 'by-number': {
      const number = leadingNumber(id);
      const found = sequence.find((m) => m.number === number);
      return found === undefined ? undefined : [found.name];
    }
    case 'same-name': {
      const found = sequence.find((m) => m.name === withoutExtension(id));
      return found === undefined ? undefined : [found.name];
    }
    case 'explicit':
      return Object.hasOwn(map.entries, id) ? map.entries[id] : undefined;
  }
}

/**
 * The ids the history says are applied, with their rows. golang-migrate keeps
 * only the current version: every id of the map (or migration number) up to it.
 */
function appliedIds(spec: RuleImport, history: ForeignHistory, sequence: readonly SequenceEntry[]): Map<string, ForeignRow[]> {
  const applied = new Map<string, ForeignRow[]>();
  if (history.cumulative) {
    const current = history.rows.at(-1);
    const version = current === undefined ? undefined : leadingNumber(current.id);
    if (current === undefined || version === undefined) return applied;
    const ids = spec.map.kind === 'explicit' ? Object.keys(spec.map.entries) : sequence.map((m) => String(m.number));
    for (const id of ids) {
      const number = leadingNumber(id);
      // A dirty current version is not applied (and refuses the import anyway).
      if (number !== undefined && (number < version || (number === version && current.status === 'applied'))) applied.set(id, [current]);
    }
    return applied;
  }
  for (const row of history.rows) {
    if (row.status === 'applied') applied.set(row.id, [...(applied.get(row.id) ?? []), row]);
    else if (row.status === 'rolled-back') applied.delete(row.id);
  }
  return applied;
}

/** For squashed migrations: every id that maps to each name. */
function idsByName(spec: RuleImport): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  if (spec.map.kind !== 'explicit') return byName;
  for (const [id, names] of Object.entries(spec.map.entries)) {
    for (const name of names ?? []) byName.set(name, [...(byName.get(name) ?? []), id]);
  }
  return byName;
}

export function importHistory(spec: RuleImport, history: ForeignHistory, sequence: readonly SequenceEntry[], ruleId: string): HistoryImport {
  const problems = unfinishedWork(history);
  const applied = appliedIds(spec, history, sequence);
  const ignored = history.rows.filter((r) => r.status === 'rolled-back');
  const rowsByName = new Map<string, ForeignRow[]>();
  const unmapped: string[] = [];
  for (const [id, rows] of applied) {
    const names = namesFor(spec, id, sequence);
    if (names === undefined) unmapped.push(id);
    else if (names === null) ignored.push(...rows);
    else for (const name of names) rowsByName.set(name, [...(rowsByName.get(name) ?? []), ...rows]);
  }
  if (unmapped.length > 0) {
    problems.push({
      kind: 'unmapped',
      table: history.table,
      ids: unmapped,
      message: `${history.table}: ${unmapped.join(', ')} ${unmapped.length === 1 ? 'is' : 'are'} applied but rule ${ruleId}'s import.map maps ${unmapped.length === 1 ? 'it' : 'them'} to no migration. A newer app may have written it, or the map is incomplete: add ${unmapped.length === 1 ? 'it' : 'them'} to import.map (null for "no counterpart").`,
    });
  }
  for (const [name, ids] of idsByName(spec)) {
    const missing = ids.filter((id) => !applied.has(id));
    if (rowsByName.has(name) && missing.length > 0) {
      problems.push({ kind: 'partial', table: history.table, ids: missing, message: `${history.table}: ${name} stands for ${ids.join(' + ')}, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not applied, so ${name} is only partly there.` });
      rowsByName.delete(name);
    }
  }
  const baselineEnd = spec.baseline === undefined ? -1 : sequence.findIndex((m) => m.name === spec.baseline);
  const covered = (index: number): boolean => index <= baselineEnd || rowsByName.has(sequence[index]?.name ?? '');
  const last = sequence.reduce((end, _m, index) => (covered(index) ? index : end), -1);
  const gaps = sequence.slice(0, last + 1).filter((_m, index) => !covered(index)).map((m) => m.name);
  if (gaps.length > 0) {
    problems.push({ kind: 'gap', table: history.table, ids: gaps, message: `${history.table} records ${sequence[last]?.name ?? ''} but not ${gaps.join(', ')}: the history has gaps, so it cannot say where the database is. Run the missing migrations with ${history.tool} first, or fix the map.` });
  }
  const inOrder = sequence.slice(0, last + 1);
  return {
    tool: history.tool,
    table: history.table,
    baseline: inOrder.filter((m, index) => index <= baselineEnd && !rowsByName.has(m.name)).map((m) => m.name),
    imported: inOrder.flatMap((m) => {
      const rows = rowsByName.get(m.name);
      return rows === undefined ? [] : [{ name: m.name, rows }];
    }),
    ignored,
    bridgePoint: sequence[last]?.name ?? null,
    problems,
  };
}

/** When the other tool applied a migration (its last row), and how long it took (their sum). */
export function importedTiming(rows: readonly ForeignRow[]): { appliedAt: string | null; durationMs: number } {
  const times = rows.map((r) => r.appliedAt).filter((t): t is string => t !== null).sort();
  return { appliedAt: times.at(-1) ?? null, durationMs: rows.reduce((sum, r) => sum + (r.durationMs ?? 0), 0) };
}
