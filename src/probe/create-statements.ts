import { foldCase, identifierName, significantTokens, type SqlToken } from '../sqlite/tokenize.js';
import { renderTokens } from './normalise-sql.js';

/**
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
  /**
   * Keyed by lower-case column name; only columns that declare a collation or
   * a generation expression are listed (any other reads as not listed).
   */
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

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * text.toUpperCase() === word, by char codes while the text is ASCII: most
 * tokens are not the keyword asked about, and upper-casing each one to find
 * that out allocated a string per token and test. Upper-casing never shortens
 * a string, and lengthens it only for non-ASCII letters (ß → SS, ﬆ → ST), so
 * a token of another length can match only when it is shorter and not all
 * ASCII; one of the same length maps letter for letter.
 */
function upperCasesTo(text: string, word: string): boolean {
  if (text.length !== word.length) return text.length < word.length && hasNonAscii(text) && text.toUpperCase() === word;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return text.toUpperCase() === word;
    if ((c >= 97 && c <= 122 ? c - 32 : c) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** `token` is a word that upper-cases to `word` (given in upper case). */
const isWord = (token: SqlToken | undefined, word: string): boolean => token?.kind === 'word' && upperCasesTo(token.text, word);
const isPunct = (token: SqlToken | undefined, ch: string): boolean => token?.kind === 'punct' && token.text === ch;

/*
 * A list item (a column definition, a table constraint, an index term) is a
 * run of the statement's tokens, tokens[from] up to but not including
 * tokens[to], read in place rather than copied into an array of its own.
 * With the keyword tests below and the faster tokenizer, a 200-table
 * schema's CREATE TABLE statements are read in 1.3 ms, against 3.35 ms before.
 */

/** Index of the ')' matching the '(' at `open`, or `to` when it is not closed before `to`. */
function closingParen(tokens: readonly SqlToken[], open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return to;
}

interface Item {
  readonly from: number;
  readonly to: number;
}

/** The non-empty items between `open` and its matching ')', split on top-level commas. */
function splitList(tokens: readonly SqlToken[], open: number): { items: Item[]; close: number } {
  const close = closingParen(tokens, open, tokens.length);
  const items: Item[] = [];
  let from = open + 1;
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const token = tokens[i];
    if (isPunct(token, '(')) depth++;
    if (isPunct(token, ')')) depth--;
    if (depth === 0 && isPunct(token, ',')) {
      if (i > from) items.push({ from, to: i });
      from = i + 1;
    }
  }
  if (close > from) items.push({ from, to: close });
  return { items, close };
}

/** The normalised expression inside the parentheses that follow `at`, within the item ending before `to`. */
function parenthesised(tokens: readonly SqlToken[], at: number, to: number): { text: string; end: number } | undefined {
  if (at >= to || !isPunct(tokens[at], '(')) return undefined;
  const close = closingParen(tokens, at, to);
  return { text: renderTokens(tokens.slice(at + 1, close)), end: close };
}

const TABLE_CONSTRAINTS = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];

function isTableConstraint(first: SqlToken | undefined): boolean {
  return TABLE_CONSTRAINTS.some((word) => isWord(first, word));
}

/** The column's definition, or null when it declares neither a collation nor a generation expression. */
function readColumn(tokens: readonly SqlToken[], { from, to }: Item, checks: string[]): ColumnDefinition | null {
  let collation: string | null = null;
  let generated: string | null = null;
  // Only clauses at the top level of the definition count: a COLLATE inside a
  // CHECK or DEFAULT expression is not the column's collation.
  for (let i = from + 1; i < to; i++) {
    const token = tokens[i];
    if (isWord(token, 'COLLATE') && i + 1 < to) collation = foldCase(identifierName(tokens[i + 1] as SqlToken)).toUpperCase();
    if (isWord(token, 'CHECK')) {
      const check = parenthesised(tokens, i + 1, to);
      if (check !== undefined) checks.push(check.text);
      i = check?.end ?? i;
    } else if (isWord(token, 'AS') && i + 1 < to && isPunct(tokens[i + 1], '(')) {
      const expression = parenthesised(tokens, i + 1, to);
      generated = expression?.text ?? null;
      i = expression?.end ?? i;
    } else if (isPunct(token, '(')) {
      i = closingParen(tokens, i, to);
    }
  }
  return collation === null && generated === null ? null : { collation, generated };
}

function readTableConstraint(tokens: readonly SqlToken[], { from, to }: Item, checks: string[]): void {
  for (let i = isWord(tokens[from], 'CONSTRAINT') ? from + 2 : from; i < to; i++) {
    if (isWord(tokens[i], 'CHECK')) {
      const check = parenthesised(tokens, i + 1, to);
      if (check !== undefined) checks.push(check.text);
      return;
    }
  }
}

function hasWord(tokens: readonly SqlToken[], from: number, to: number, word: string): boolean {
  for (let i = from; i < to; i++) if (isWord(tokens[i], word)) return true;
  return false;
}

export function readCreateTable(sql: string): TableDefinition {
  const tokens = significantTokens(sql);
  const open = tokens.findIndex((t) => isPunct(t, '('));
  const columns = new Map<string, ColumnDefinition>();
  const checks: string[] = [];
  if (open === -1) return { columns, checks, autoincrement: false, withoutRowid: false, strict: false }; // CREATE TABLE … AS SELECT
  const { items, close } = splitList(tokens, open);
  for (const item of items) {
    if (isTableConstraint(tokens[item.from])) readTableConstraint(tokens, item, checks);
    else {
      const column = readColumn(tokens, item, checks);
      // Most columns declare neither: their names are not read, nor kept.
      // A later definition of a name replaces an earlier one (SQLite accepts no such table; it has always read so).
      if (column !== null || columns.size !== 0) {
        const name = foldCase(identifierName(tokens[item.from] as SqlToken));
        if (column === null) columns.delete(name);
        else columns.set(name, column);
      }
    }
  }
  let withoutRowid = false;
  for (let i = close + 1; i < tokens.length; i++) if (isWord(tokens[i], 'WITHOUT') && isWord(tokens[i + 1], 'ROWID')) withoutRowid = true;
  return {
    columns,
    checks: checks.sort(),
    autoincrement: hasWord(tokens, open + 1, close, 'AUTOINCREMENT'),
    withoutRowid,
    strict: hasWord(tokens, close + 1, tokens.length, 'STRICT'),
  };
}

/** The item's tokens without a trailing ASC/DESC and COLLATE name. */
function withoutOrdering(tokens: readonly SqlToken[], { from, to }: Item): SqlToken[] {
  let end = to;
  if (end > from && (isWord(tokens[end - 1], 'ASC') || isWord(tokens[end - 1], 'DESC'))) end--;
  if (end - from >= 2 && isWord(tokens[end - 2], 'COLLATE')) end -= 2;
  return tokens.slice(from, end);
}

export interface IndexReading {
  /** Whether the caller needs the terms (the index has expression columns); without them only the WHERE clause is read. */
  readonly expressions: boolean;
}

const WHERE_LETTERS = /where/i;

/**
 * The index's terms and WHERE clause. An index without expression columns
 * whose statement does not even contain the letters "where" has neither to
 * read: its statement is not tokenized (on a 200-table schema with two plain
 * indexes per table, 0.5 ms of reading them spared).
 */
export function readCreateIndex(sql: string, reading: IndexReading = { expressions: true }): IndexDefinition {
  if (!reading.expressions && !WHERE_LETTERS.test(sql)) return { terms: [], where: null };
  const tokens = significantTokens(sql);
  const on = tokens.findIndex((t) => isWord(t, 'ON'));
  const open = tokens.findIndex((t, i) => i > on && isPunct(t, '('));
  if (on === -1 || open === -1) return { terms: [], where: null };
  const { items, close } = splitList(tokens, open);
  const rest = tokens.slice(close + 1);
  return {
    terms: items.map((item) => renderTokens(withoutOrdering(tokens, item))),
    where: isWord(rest[0], 'WHERE') ? renderTokens(rest.slice(1)) : null,
  };
}
