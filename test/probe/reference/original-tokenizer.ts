/**
 * The tokenizer as it was first written (regex tests, a closure per token),
 * kept only as the definition the faster one in src/sqlite/tokenize.ts must
 * agree with token for token.
 */
import type { SqlToken, TokenKind } from '../../../src/sqlite/tokenize.js';

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

export function originalNextToken(sql: string, i: number): SqlToken {
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
  return token('punct', i + 1);
}

export function originalTokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  for (let i = 0; i < sql.length; ) {
    const token = originalNextToken(sql, i);
    tokens.push(token);
    i = token.end;
  }
  return tokens;
}
