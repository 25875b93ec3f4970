import { foldCase, identifierName, type SqlToken } from '../../../src/sqlite/tokenize.js';
import { renderTokens } from '../../../src/probe/normalise-sql.js';
import { originalTokenize } from './original-tokenizer.js';

const significantTokens = (sql: string): SqlToken[] => originalTokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');

/**
 * The CREATE statement reader as it was before it was made faster, kept only
 * as the definition the one in src/probe/create-statements.ts must agree with.
 *
 * What the pragmas do not report and only the CREATE statement knows: column
 * collations, CHECK constraints, generated-column expressions, AUTOINCREMENT,
 * WITHOUT ROWID, STRICT; and for indexes, expression parts and the partial
 * WHERE clause. A small reader over SQLite's tokens, not a full SQL parser:
 * it only needs to find these clauses in statements SQLite already accepted.
 */

export interface ColumnDefinition {
  readonly collation: string | null;
  readonly generated: string | null;
}

export interface TableDefinition {
  /** Keyed by lower-case column name. */
  readonly columns: ReadonlyMap<string, ColumnDefinition>;
  /** Normalised CHECK expressions, column and table level. */
  readonly checks: readonly string[];
  readonly autoincrement: boolean;
  readonly withoutRowid: boolean;
  readonly strict: boolean;
}

export interface IndexDefinition {
  /** Each indexed term, normalised, without its COLLATE/ASC/DESC. */
  readonly terms: readonly string[];
  readonly where: string | null;
}

const isWord = (token: SqlToken | undefined, word: string): boolean => token?.kind === 'word' && token.text.toUpperCase() === word;
const isPunct = (token: SqlToken | undefined, ch: string): boolean => token?.kind === 'punct' && token.text === ch;

/** Index of the ')' matching the '(' at `open`, or tokens.length. */
function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length;
}

/** Split the tokens between `open` and its matching ')' on top-level commas. */
function splitList(tokens: readonly SqlToken[], open: number): { items: SqlToken[][]; close: number } {
  const close = closingParen(tokens, open);
  const items: SqlToken[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const token = tokens[i];
    if (token === undefined) break;
    if (isPunct(token, '(')) depth++;
    if (isPunct(token, ')')) depth--;
    if (depth === 0 && isPunct(token, ',')) items.push([]);
    else items[items.length - 1]?.push(token);
  }
  return { items: items.filter((item) => item.length > 0), close };
}

/** The normalised expression inside the parentheses that follow `at`. */
function parenthesised(tokens: readonly SqlToken[], at: number): { text: string; end: number } | undefined {
  if (!isPunct(tokens[at], '(')) return undefined;
  const close = closingParen(tokens, at);
  return { text: renderTokens(tokens.slice(at + 1, close)), end: close };
}

const TABLE_CONSTRAINTS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

function readColumn(item: readonly SqlToken[], checks: string[]): [string, ColumnDefinition] {
  const name = foldCase(identifierName(item[0] as SqlToken));
  let collation: string | null = null;
  let generated: string | null = null;
  // Only clauses at the top level of the definition count: a COLLATE inside a
  // CHECK or DEFAULT expression is not the column's collation.
  for (let i = 1; i < item.length; i++) {
    const group = isPunct(item[i], '(') ? closingParen(item, i) : undefined;
    if (isWord(item[i], 'COLLATE') && item[i + 1] !== undefined) collation = foldCase(identifierName(item[i + 1] as SqlToken)).toUpperCase();
    if (isWord(item[i], 'CHECK')) {
      const check = parenthesised(item, i + 1);
      if (check !== undefined) checks.push(check.text);
      i = check?.end ?? i;
    } else if (isWord(item[i], 'AS') && isPunct(item[i + 1], '(')) {
      const expression = parenthesised(item, i + 1);
      generated = expression?.text ?? null;
      i = expression?.end ?? i;
    } else if (group !== undefined) {
      i = group;
    }
  }
  return [name, { collation, generated }];
}

function readTableConstraint(item: readonly SqlToken[], checks: string[]): void {
  let i = isWord(item[0], 'CONSTRAINT') ? 2 : 0;
  for (; i < item.length; i++) {
    if (isWord(item[i], 'CHECK')) {
      const check = parenthesised(item, i + 1);
      if (check !== undefined) checks.push(check.text);
      return;
    }
  }
}

export function readCreateTable(sql: string): TableDefinition {
  const tokens = significantTokens(sql);
  const open = tokens.findIndex((t) => isPunct(t, '('));
  const columns = new Map<string, ColumnDefinition>();
  const checks: string[] = [];
  if (open === -1) return { columns, checks, autoincrement: false, withoutRowid: false, strict: false }; // CREATE TABLE … AS SELECT
  const { items, close } = splitList(tokens, open);
  let autoincrement = false;
  for (const item of items) {
    if (item.some((t) => isWord(t, 'AUTOINCREMENT'))) autoincrement = true;
    const first = item[0];
    if (first !== undefined && first.kind === 'word' && TABLE_CONSTRAINTS.has(first.text.toUpperCase())) readTableConstraint(item, checks);
    else {
      const [name, column] = readColumn(item, checks);
      columns.set(name, column);
    }
  }
  const options = tokens.slice(close + 1);
  return {
    columns,
    checks: checks.sort(),
    autoincrement,
    withoutRowid: options.some((t, i) => isWord(t, 'WITHOUT') && isWord(options[i + 1], 'ROWID')),
    strict: options.some((t) => isWord(t, 'STRICT')),
  };
}

function stripOrdering(term: SqlToken[]): SqlToken[] {
  let end = term.length;
  if (isWord(term[end - 1], 'ASC') || isWord(term[end - 1], 'DESC')) end--;
  if (end >= 2 && isWord(term[end - 2], 'COLLATE')) end -= 2;
  return term.slice(0, end);
}

export function readCreateIndex(sql: string): IndexDefinition {
  const tokens = significantTokens(sql);
  const on = tokens.findIndex((t) => isWord(t, 'ON'));
  const open = tokens.findIndex((t, i) => i > on && isPunct(t, '('));
  if (on === -1 || open === -1) return { terms: [], where: null };
  const { items, close } = splitList(tokens, open);
  const rest = tokens.slice(close + 1);
  return {
    terms: items.map((item) => renderTokens(stripOrdering(item))),
    where: isWord(rest[0], 'WHERE') ? renderTokens(rest.slice(1)) : null,
  };
}
