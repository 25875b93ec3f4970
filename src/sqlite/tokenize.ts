/**
 * SQLite's lexical rules, once: whitespace, comments, strings, quoted and bare
 * identifiers, numbers, and single-character punctuation. The statement
 * splitter, the CREATE TABLE/INDEX readers and the SQL normaliser all read
 * SQL through this, so they agree on where a string or an identifier ends.
 */

export type TokenKind = 'space' | 'comment' | 'string' | 'quoted' | 'word' | 'number' | 'blob' | 'punct';

export interface SqlToken {
  readonly kind: TokenKind;
  /** The token's text exactly as written. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Set when a quote or block comment runs off the end of the input. */
  readonly unterminated?: string;
}

// Char codes, not regexes: this runs once per character of every CREATE
// statement a probe reads. The significant tokens of a 200-table schema's
// CREATE TABLE statements took 1.8 ms by a regex test per character and a
// closure per token (whitespace made into tokens, then filtered out); by
// char codes, whitespace stepped over, 0.55 ms.
function isIdCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 0x7f;
}

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

const NON_ASCII_SPACE = /\s/;

/** What the regex \s matches (ASCII by code, the rest by \s itself, so the two never disagree). */
function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return NON_ASCII_SPACE.test(String.fromCharCode(c));
}

const CLOSERS: Readonly<Record<string, string>> = { "'": "'", '"': '"', '`': '`', '[': ']' };

function scanQuoted(sql: string, i: number, open: string): SqlToken {
  const close = CLOSERS[open] ?? open;
  let j = i + 1;
  for (;;) {
    const at = sql.indexOf(close, j);
    if (at === -1) {
      const kind = open === "'" ? 'string' : 'quoted';
      return { kind, text: sql.slice(i), start: i, end: sql.length, unterminated: `a ${open} quote is never closed` };
    }
    // A doubled quote is an escaped quote (not for [brackets], which cannot be escaped).
    if (open !== '[' && sql[at + 1] === close) {
      j = at + 2;
      continue;
    }
    return { kind: open === "'" ? 'string' : 'quoted', text: sql.slice(i, at + 1), start: i, end: at + 1 };
  }
}

function scanNumber(sql: string, i: number): number {
  const match = /^(0[xX][0-9A-Fa-f]+|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)/.exec(sql.slice(i, i + 64));
  return i + (match?.[0].length ?? 1);
}

function token(sql: string, kind: TokenKind, start: number, end: number, unterminated?: string): SqlToken {
  const text = sql.slice(start, end);
  return unterminated === undefined ? { kind, text, start, end } : { kind, text, start, end, unterminated };
}

/** Where the whitespace starting at `i` ends. */
function spaceEnd(sql: string, i: number): number {
  let j = i;
  while (j < sql.length && isSpaceCode(sql.charCodeAt(j))) j++;
  return j;
}

export function nextToken(sql: string, i: number): SqlToken {
  const c = sql.charCodeAt(i);
  if (Number.isNaN(c)) return token(sql, 'punct', i, i + 1);
  if (isSpaceCode(c)) return token(sql, 'space', i, spaceEnd(sql, i + 1));
  if (isIdCode(c) && !isDigitCode(c) && !((c === 120 || c === 88) && sql.charCodeAt(i + 1) === 39)) {
    let j = i + 1;
    while (j < sql.length && isIdCode(sql.charCodeAt(j))) j++;
    return token(sql, 'word', i, j);
  }
  const next = sql.charCodeAt(i + 1);
  switch (c) {
    case 45: // -
      if (next === 45) {
        const eol = sql.indexOf('\n', i);
        return token(sql, 'comment', i, eol === -1 ? sql.length : eol + 1);
      }
      break;
    case 47: // /
      if (next === 42) {
        const end = sql.indexOf('*/', i + 2);
        return end === -1 ? token(sql, 'comment', i, sql.length, 'a /* comment is never closed') : token(sql, 'comment', i, end + 2);
      }
      break;
    case 120: // x
    case 88: {
      // X (an x' blob: plain x and X are words, read above)
      const quoted = scanQuoted(sql, i + 1, "'");
      return token(sql, 'blob', i, quoted.end, quoted.unterminated);
    }
    case 39: // '
    case 34: // "
    case 96: // `
    case 91: // [
      return scanQuoted(sql, i, sql.charAt(i));
    case 46: // .
      if (isDigitCode(next)) return token(sql, 'number', i, scanNumber(sql, i));
      break;
  }
  if (isDigitCode(c)) return token(sql, 'number', i, scanNumber(sql, i));
  // Two-character operators matter only for spacing, which the normaliser drops anyway.
  return token(sql, 'punct', i, i + 1);
}

export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  for (let i = 0; i < sql.length; ) {
    const token = nextToken(sql, i);
    tokens.push(token);
    i = token.end;
  }
  return tokens;
}

/** Tokens that carry meaning: no whitespace, no comments. (Whitespace is stepped over, never made into a token.) */
export function significantTokens(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  for (let i = 0; i < sql.length; ) {
    if (isSpaceCode(sql.charCodeAt(i))) {
      i = spaceEnd(sql, i + 1);
      continue;
    }
    const token = nextToken(sql, i);
    if (token.kind !== 'comment') tokens.push(token);
    i = token.end;
  }
  return tokens;
}

/** The name an identifier token denotes: quotes removed and doubled quotes undone. */
export function identifierName(token: SqlToken): string {
  if (token.kind !== 'quoted' && token.kind !== 'string') return token.text;
  const open = token.text[0] ?? '';
  const close = CLOSERS[open] ?? open;
  const inner = token.text.slice(1, token.unterminated === undefined ? -1 : undefined);
  return open === '[' ? inner : inner.replaceAll(close + close, close);
}

/** SQLite ignores case in identifiers for ASCII letters only: "É" and "é" are different names. */
export function foldCase(name: string): string {
  // Most names are already lower case: skip building a new string for them.
  if (!/[A-Z]/.test(name)) return name;
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
