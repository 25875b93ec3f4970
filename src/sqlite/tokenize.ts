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

// Char codes, not a regex: this runs once per character of every CREATE statement a probe reads.
function isIdChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 0x7f;
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

export function nextToken(sql: string, i: number): SqlToken {
  const ch = sql[i] ?? '';
  const token = (kind: TokenKind, end: number, unterminated?: string): SqlToken =>
    unterminated === undefined ? { kind, text: sql.slice(i, end), start: i, end } : { kind, text: sql.slice(i, end), start: i, end, unterminated };
  if (/\s/.test(ch)) {
    let j = i + 1;
    while (j < sql.length && /\s/.test(sql[j] ?? '')) j++;
    return token('space', j);
  }
  if (ch === '-' && sql[i + 1] === '-') {
    const eol = sql.indexOf('\n', i);
    return token('comment', eol === -1 ? sql.length : eol + 1);
  }
  if (ch === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? token('comment', sql.length, 'a /* comment is never closed') : token('comment', end + 2);
  }
  if ((ch === 'x' || ch === 'X') && sql[i + 1] === "'") {
    const quoted = scanQuoted(sql, i + 1, "'");
    return token('blob', quoted.end, quoted.unterminated);
  }
  if (ch in CLOSERS) return scanQuoted(sql, i, ch);
  if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) return token('number', scanNumber(sql, i));
  if (isIdChar(ch)) {
    let j = i + 1;
    while (j < sql.length && isIdChar(sql[j] ?? '')) j++;
    return token('word', j);
  }
  // Two-character operators matter only for spacing, which the normaliser drops anyway.
  return token('punct', i + 1);
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

/** Tokens that carry meaning: no whitespace, no comments. */
export function significantTokens(sql: string): SqlToken[] {
  return tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
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
