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

import { nextToken, type SqlToken } from './tokenize.js';

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

function classify(token: SqlToken): Token {
  if (token.kind === 'space' || token.kind === 'comment') return Token.Ws;
  if (token.kind === 'punct' && token.text === ';') return Token.Semi;
  if (token.kind === 'word') return KEYWORDS.get(token.text.toUpperCase()) ?? Token.Other;
  return Token.Other;
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
    const lexeme = nextToken(sql, i);
    const token = classify(lexeme);
    if (lexeme.unterminated !== undefined) {
      incomplete = { line: lineAt(sql, lexeme.start, lines), reason: lexeme.unterminated };
    }
    if (token !== Token.Ws && token !== Token.Semi && start === -1) {
      start = lexeme.start;
      startLine = lineAt(sql, start, lines);
    }
    state = TRANS[state]?.[token] ?? 2;
    if (token === Token.Semi && state === 1) {
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
