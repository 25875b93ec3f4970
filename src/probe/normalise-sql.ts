import { foldCase, identifierName, significantTokens, type SqlToken } from '../sqlite/tokenize.js';

/**
 * SQL text in a normal form, for comparing meaning rather than spelling:
 * comments and whitespace dropped, keywords and identifiers lower-cased
 * (ASCII letters only, as SQLite folds them), quotes removed from identifiers
 * that do not need them, string and number literals kept exactly.
 */

// What SQLite accepts unquoted: letters, digits, _ and $, and any non-ASCII character.
const SIMPLE_IDENTIFIER = /^[a-z_\u0080-\uffff][a-z0-9_$\u0080-\uffff]*$/;
const WORDY = new Set(['word', 'quoted', 'string', 'number', 'blob']);

function renderToken(token: SqlToken): string {
  switch (token.kind) {
    case 'word':
      return foldCase(token.text);
    case 'quoted': {
      const name = foldCase(identifierName(token));
      return SIMPLE_IDENTIFIER.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
    }
    case 'blob':
      return token.text.toLowerCase();
    default:
      return token.text;
  }
}

/** Render significant tokens with a single space only where two words would otherwise run together. */
export function renderTokens(tokens: readonly SqlToken[]): string {
  let out = '';
  let previous: SqlToken | undefined;
  for (const token of tokens) {
    if (previous !== undefined && WORDY.has(previous.kind) && WORDY.has(token.kind)) out += ' ';
    out += renderToken(token);
    previous = token;
  }
  return out;
}

export function normaliseSql(sql: string): string {
  return renderTokens(significantTokens(sql));
}

/**
 * A CREATE statement in normal form, without the parts that do not change
 * what it creates: TEMP/TEMPORARY and IF NOT EXISTS.
 */
export function normaliseCreateStatement(sql: string): string {
  const tokens = significantTokens(sql);
  const kept: SqlToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = (k: number): string => (tokens[k]?.kind === 'word' ? (tokens[k]?.text.toLowerCase() ?? '') : '');
    if (i === 1 && (word(i) === 'temp' || word(i) === 'temporary')) continue;
    if (i < 6 && word(i) === 'if' && word(i + 1) === 'not' && word(i + 2) === 'exists') {
      i += 2;
      continue;
    }
    const token = tokens[i];
    if (token !== undefined) kept.push(token);
  }
  return renderTokens(kept);
}
