import { identifierName, significantTokens, type SqlToken } from '../sqlite/tokenize.js';
import { foldCase } from '../sqlite/tokenize.js';
import type { StepFlag } from './types.js';

/**
 * Flag the statements of a step that a support engineer must not miss: what
 * drops or deletes data, what rebuilds a table (copy, drop, rename), what
 * rewrites rows — each with the rows it touches, from the database's row
 * counts. A reader of SQLite's tokens, not a parser: it recognises the shapes
 * migrations use, and says nothing about what it does not recognise.
 */

type RowCounts = ReadonlyMap<string, number>;

interface Shape {
  readonly verb: string;
  readonly table: string | null;
  readonly renameTo?: string;
  readonly from?: string | null;
}

const word = (t: SqlToken | undefined): string => (t?.kind === 'word' ? t.text.toUpperCase() : '');
const name = (t: SqlToken | undefined): string | null => (t === undefined ? null : foldCase(identifierName(t)));

/** The table named after `at`, skipping IF [NOT] EXISTS and a schema prefix. */
function tableAfter(tokens: readonly SqlToken[], at: number): string | null {
  let i = at;
  if (word(tokens[i]) === 'IF') i += word(tokens[i + 1]) === 'NOT' ? 3 : 2;
  if (tokens[i + 1]?.text === '.') i += 2;
  return name(tokens[i]);
}

function shapeOf(sql: string): Shape {
  const t = significantTokens(sql);
  const [a, b] = [word(t[0]), word(t[1])];
  if (a === 'DROP' && b === 'TABLE') return { verb: 'drop-table', table: tableAfter(t, 2) };
  if (a === 'CREATE' && (b === 'TABLE' || ((b === 'TEMP' || b === 'TEMPORARY') && word(t[2]) === 'TABLE'))) return { verb: 'create-table', table: tableAfter(t, b === 'TABLE' ? 2 : 3) };
  if (a === 'DELETE' && b === 'FROM') return { verb: 'delete', table: tableAfter(t, 2) };
  if (a === 'UPDATE') return { verb: 'update', table: tableAfter(t, word(t[1]) === 'OR' ? 3 : 1) };
  if (a === 'INSERT' || a === 'REPLACE') {
    const into = t.findIndex((x) => word(x) === 'INTO');
    const from = t.findIndex((x, i) => i > into && word(x) === 'FROM');
    return { verb: 'insert', table: into === -1 ? null : tableAfter(t, into + 1), from: from === -1 ? null : tableAfter(t, from + 1) };
  }
  if (a === 'ALTER' && b === 'TABLE') {
    const table = tableAfter(t, 2);
    const rename = t.findIndex((x) => word(x) === 'RENAME');
    if (rename !== -1 && word(t[rename + 1]) === 'TO') return { verb: 'rename-table', table, renameTo: name(t[rename + 2]) ?? '' };
    const drop = t.findIndex((x) => word(x) === 'DROP');
    if (drop !== -1) return { verb: 'drop-column', table, from: name(t[drop + (word(t[drop + 1]) === 'COLUMN' ? 2 : 1)]) };
  }
  return { verb: 'other', table: null };
}

export function flagStatements(statements: readonly string[], rows: RowCounts): StepFlag[] {
  const shapes = statements.map(shapeOf);
  const count = (table: string | null | undefined): number | null => (table === null || table === undefined ? null : (rows.get(table) ?? null));
  const created = new Set(shapes.filter((s) => s.verb === 'create-table').map((s) => s.table));
  // A rebuild: a table created here is renamed over one dropped here.
  const rebuilt = new Map<string, string>(); // old table → scratch table
  for (const s of shapes) {
    if (s.verb === 'rename-table' && s.table !== null && created.has(s.table) && s.renameTo !== undefined && shapes.some((d) => d.verb === 'drop-table' && d.table === s.renameTo)) {
      rebuilt.set(s.renameTo, s.table);
    }
  }
  const scratch = new Set(rebuilt.values());
  const flags: StepFlag[] = [...rebuilt.keys()].map((table) => ({ kind: 'rebuild', detail: `rebuilds ${table} (copy into a new table, drop, rename; indexes and triggers recreated by the step)`, rows: count(table) }));
  for (const s of shapes) {
    if (s.verb === 'drop-table' && s.table !== null && !rebuilt.has(s.table)) flags.push({ kind: 'drop', detail: `drops table ${s.table}`, rows: count(s.table) });
    if (s.verb === 'drop-column') flags.push({ kind: 'drop', detail: `drops column ${s.table ?? '?'}.${s.from ?? '?'}`, rows: count(s.table) });
    if (s.verb === 'delete') flags.push({ kind: 'drop', detail: `deletes rows from ${s.table ?? '?'}`, rows: count(s.table) });
    if (s.verb === 'update') flags.push({ kind: 'data', detail: `updates ${s.table ?? '?'}`, rows: count(s.table) });
    if (s.verb === 'insert' && s.from !== null && s.from !== undefined && !scratch.has(s.table ?? '')) flags.push({ kind: 'data', detail: `copies rows from ${s.from} into ${s.table ?? '?'}`, rows: count(s.from) });
  }
  return flags;
}
