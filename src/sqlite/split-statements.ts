/**
 * Split a script into the statements SQLite would run, so that a failure can
 * name the statement (and its line) instead of "somewhere in this file".
 *
 * Written by hand because nothing off the shelf does it right: better-sqlite3
 * does not expose sqlite3_complete(), and the npm SQL splitters cut CREATE
 * TRIGGER bodies at their inner semicolons. This is a port of the state machine
 * in SQLite's own src/complete.c (the one behind sqlite3_complete), so it
 * agrees with SQLite on where a statement ends, triggers included.
 */

export interface SqlStatement {
  /** The statement's text, from its first token through its semicolon (comments before it are left out). */
  readonly text: string;
  /** 1-based line of the statement's first token in the script. */
  readonly line: number;
  /** The first keyword, upper-cased (e.g. "CREATE", "BEGIN"), or "" when it does not start with a word. */
  readonly keyword: string;
}

export interface SplitResult {
  readonly statements: readonly SqlStatement[];
  /** Set when the script ends inside a string, comment, or trigger body: the last statement cannot run. */
  readonly incomplete: { readonly line: number; readonly reason: string } | undefined;
}

const enum Token {
  Semi = 0,
  Ws = 1,
  Other = 2,
  Explain = 3,
  Create = 4,
  Temp = 5,
  Trigger = 6,
  End = 7,
}

// trans[state][token] from complete.c. States: 0 INVALID, 1 START, 2 NORMAL,
// 3 EXPLAIN, 4 CREATE, 5 TRIGGER (inside a trigger body), 6 SEMI, 7 END.
const TRANS: readonly (readonly number[])[] = [
  /* 0 INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* 1 START   */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* 2 NORMAL  */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* 3 EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* 4 CREATE  */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* 5 TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* 6 SEMI    */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* 7 END     */ [1, 7, 5, 5, 5, 5, 5, 5],
];

const KEYWORDS: ReadonlyMap<string, Token> = new Map([
  ['EXPLAIN', Token.Explain],
  ['CREATE', Token.Create],
  ['TEMP', Token.Temp],
  ['TEMPORARY', Token.Temp],
  ['TRIGGER', Token.Trigger],
  ['END', Token.End],
]);

interface Lexeme {
  readonly token: Token;
  readonly start: number;
  readonly end: number;
  /** Set when a quote or block comment runs off the end of the script. */
  readonly unterminated?: string;
}

function isIdChar(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch) || ch.charCodeAt(0) > 0x7f;
}

function scanTo(sql: string, from: number, close: string): number {
  const at = sql.indexOf(close, from);
  return at === -1 ? -1 : at + close.length;
}

function nextLexeme(sql: string, i: number): Lexeme {
  const ch = sql[i] ?? '';
  if (ch === ';') return { token: Token.Semi, start: i, end: i + 1 };
  if (/\s/.test(ch)) {
    let j = i + 1;
    while (j < sql.length && /\s/.test(sql[j] ?? '')) j++;
    return { token: Token.Ws, start: i, end: j };
  }
  if (ch === '-' && sql[i + 1] === '-') {
    const eol = sql.indexOf('\n', i);
    return { token: Token.Ws, start: i, end: eol === -1 ? sql.length : eol + 1 };
  }
  if (ch === '/' && sql[i + 1] === '*') {
    const end = scanTo(sql, i + 2, '*/');
    return end === -1
      ? { token: Token.Ws, start: i, end: sql.length, unterminated: 'a /* comment is never closed' }
      : { token: Token.Ws, start: i, end };
  }
  const closers: Record<string, string> = { "'": "'", '"': '"', '`': '`', '[': ']' };
  const close = closers[ch];
  if (close !== undefined) {
    // A doubled quote inside a string ends one string and starts the next,
    // which lexes the same as an escaped quote for our purposes.
    const end = scanTo(sql, i + 1, close);
    return end === -1
      ? { token: Token.Other, start: i, end: sql.length, unterminated: `a ${ch} quote is never closed` }
      : { token: Token.Other, start: i, end };
  }
  if (isIdChar(ch)) {
    let j = i + 1;
    while (j < sql.length && isIdChar(sql[j] ?? '')) j++;
    const word = sql.slice(i, j).toUpperCase();
    return { token: KEYWORDS.get(word) ?? Token.Other, start: i, end: j };
  }
  return { token: Token.Other, start: i, end: i + 1 };
}

function lineAt(sql: string, offset: number, cache: { offset: number; line: number }): number {
  for (let k = cache.offset; k < offset; k++) if (sql.charCodeAt(k) === 10) cache.line++;
  cache.offset = offset;
  return cache.line;
}

function firstKeyword(text: string): string {
  const match = /^[A-Za-z_]+/.exec(text);
  return match === null ? '' : match[0].toUpperCase();
}

export function splitStatements(sql: string): SplitResult {
  const statements: SqlStatement[] = [];
  const lines = { offset: 0, line: 1 };
  let state = 0;
  let start = -1; // offset of the current statement's first non-whitespace token
  let startLine = 1;
  let incomplete: SplitResult['incomplete'];
  let i = 0;
  while (i < sql.length) {
    const lexeme = nextLexeme(sql, i);
    if (lexeme.unterminated !== undefined) {
      incomplete = { line: lineAt(sql, lexeme.start, lines), reason: lexeme.unterminated };
    }
    if (lexeme.token !== Token.Ws && lexeme.token !== Token.Semi && start === -1) {
      start = lexeme.start;
      startLine = lineAt(sql, start, lines);
    }
    state = TRANS[state]?.[lexeme.token] ?? 2;
    if (lexeme.token === Token.Semi && state === 1) {
      if (start !== -1) {
        const text = sql.slice(start, lexeme.end);
        statements.push({ text, line: startLine, keyword: firstKeyword(text) });
      }
      start = -1;
    }
    i = lexeme.end;
  }
  if (start !== -1) {
    const text = sql.slice(start).trimEnd();
    statements.push({ text, line: startLine, keyword: firstKeyword(text) });
    // States 5 and 6 are inside a trigger body; 7 (just after its END) is complete.
    if (incomplete === undefined && (state === 5 || state === 6)) {
      incomplete = { line: startLine, reason: 'a CREATE TRIGGER body is missing its closing END;' };
    }
  }
  return { statements, incomplete };
}
