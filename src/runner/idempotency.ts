import type { SqlStatement } from '../sqlite/split-statements.js';
import { identifierName, significantTokens, type SqlToken } from '../sqlite/tokenize.js';

/**
 * What `lint` says about one statement of a .sql migration. Read through the
 * tokenizer, so a keyword inside a string literal, a quoted name or a comment
 * is never mistaken for SQL.
 *
 * Two kinds of check. Idempotency (up sections only; down sections undo what
 * up made): drawbridge runs each migration exactly once, so these are
 * warnings that matter where the files are also run by hand. Transaction
 * fitness (both sections): statements that do nothing, or cannot run, inside
 * the transaction drawbridge wraps around every migration.
 */

export interface StatementFinding {
  readonly line: number;
  readonly severity: 'error' | 'warning';
  readonly rule: string;
  readonly message: string;
}

export type Section = 'up' | 'down';

/** Reads significant tokens by position; past the end reads as nothing. */
class Tokens {
  private readonly tokens: readonly SqlToken[];

  constructor(text: string) {
    this.tokens = significantTokens(text);
  }

  /** The upper-cased keyword at `i`, or '' when it is not a bare word. */
  word(i: number): string {
    const token = this.tokens[i];
    return token?.kind === 'word' ? token.text.toUpperCase() : '';
  }

  isPunct(i: number, text: string): boolean {
    const token = this.tokens[i];
    return token?.kind === 'punct' && token.text === text;
  }

  /** Whether the words at `i`, `i + 1`, … are exactly `words`. */
  words(i: number, ...words: string[]): boolean {
    return words.every((w, k) => this.word(i + k) === w);
  }

  /** The (possibly schema-qualified) name starting at `i`, the name without its schema, and the index after it. */
  name(i: number): { name: string; unqualified: string; next: number } {
    const part = (k: number): string => {
      const token = this.tokens[k];
      return token === undefined ? '?' : identifierName(token);
    };
    if (this.isPunct(i + 1, '.')) return { name: `${part(i)}.${part(i + 2)}`, unqualified: part(i + 2), next: i + 3 };
    return { name: part(i), unqualified: part(i), next: i + 1 };
  }

  /** Whether `first` is followed directly by `second` anywhere from `from` on. */
  hasPair(from: number, first: string, second: string): boolean {
    for (let i = from; i < this.tokens.length; i++) if (this.word(i) === first && this.word(i + 1) === second) return true;
    return false;
  }
}

const SCHEMA_OBJECTS = new Set(['TABLE', 'INDEX', 'VIEW', 'TRIGGER']);
const CREATE_MODIFIERS = new Set(['TEMP', 'TEMPORARY', 'UNIQUE', 'VIRTUAL']);

type Check = (tokens: Tokens, statement: SqlStatement) => Omit<StatementFinding, 'line'> | undefined;

const createWithoutGuard: Check = (tokens) => {
  let i = 1;
  while (CREATE_MODIFIERS.has(tokens.word(i))) i++;
  const kind = tokens.word(i);
  if (!SCHEMA_OBJECTS.has(kind) || tokens.words(i + 1, 'IF', 'NOT', 'EXISTS')) return undefined;
  const { name } = tokens.name(i + 1);
  return {
    severity: 'warning',
    rule: 'create-without-if-not-exists',
    message: `CREATE ${kind} ${name} without IF NOT EXISTS: run a second time, it fails with "${kind.toLowerCase()} ${name} already exists"`,
  };
};

const dropWithoutGuard: Check = (tokens) => {
  const kind = tokens.word(1);
  if (!SCHEMA_OBJECTS.has(kind) || tokens.words(2, 'IF', 'EXISTS')) return undefined;
  const { name } = tokens.name(2);
  return {
    severity: 'warning',
    rule: 'drop-without-if-exists',
    message: `DROP ${kind} ${name} without IF EXISTS: run a second time, it fails with "no such ${kind.toLowerCase()}: ${name}"`,
  };
};

/** Why a second run of an ALTER TABLE fails; SQLite has no IF [NOT] EXISTS for any form of it. */
function alterFailure(tokens: Tokens, at: number): string {
  const action = tokens.word(at);
  const column = tokens.word(at + 1) === 'COLUMN' ? at + 2 : at + 1;
  if (action === 'ADD') return `ADD COLUMN ${tokens.name(column).name}: a second run fails with "duplicate column name"`;
  if (action === 'DROP') return `DROP COLUMN ${tokens.name(column).name}: a second run fails with "no such column"`;
  if (action === 'RENAME' && tokens.word(at + 1) === 'TO') return `RENAME TO ${tokens.name(at + 2).name}: a second run fails because the old name no longer exists`;
  if (action === 'RENAME') return `RENAME COLUMN ${tokens.name(column).name}: a second run fails because the column no longer has that name`;
  return `${action}: a second run fails`;
}

const alterTable: Check = (tokens) => {
  if (tokens.word(1) !== 'TABLE') return undefined;
  const { name, next } = tokens.name(2);
  return {
    severity: 'warning',
    rule: 'alter-table',
    message: `ALTER TABLE ${name} ${alterFailure(tokens, next)}; SQLite has no IF [NOT] EXISTS for ALTER TABLE, so it cannot be made idempotent`,
  };
};

const CONFLICT_RESOLUTIONS = new Set(['IGNORE', 'REPLACE']);

const insertWithoutConflictClause: Check = (tokens) => {
  if (tokens.word(1) === 'OR' && CONFLICT_RESOLUTIONS.has(tokens.word(2))) return undefined;
  if (tokens.hasPair(1, 'ON', 'CONFLICT')) return undefined; // an upsert clause
  const into = tokens.word(1) === 'INTO' ? 2 : 4; // INSERT INTO t | INSERT OR ABORT INTO t
  return {
    severity: 'warning',
    rule: 'insert-without-conflict-clause',
    message: `INSERT INTO ${tokens.name(into).name} without OR IGNORE, OR REPLACE or ON CONFLICT: a second run inserts the rows again, or fails on a UNIQUE or PRIMARY KEY constraint`,
  };
};

const pragmaForeignKeys: Check = (tokens) => {
  const { unqualified, next } = tokens.name(1);
  const setting = tokens.isPunct(next, '=') || tokens.isPunct(next, '(');
  if (!setting || unqualified.toLowerCase() !== 'foreign_keys') return undefined;
  return {
    severity: 'warning',
    rule: 'pragma-foreign-keys',
    message:
      'PRAGMA foreign_keys does nothing here: SQLite ignores it inside a transaction, and drawbridge already switches foreign keys off ' +
      'before each migration\'s transaction and runs foreign_key_check before COMMIT',
  };
};

/** The statements drawbridge's loader refuses (src/runner/sql-migration.ts): the file cannot be used until they go. */
const TRANSACTION_CONTROL = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);
const OUTSIDE_TRANSACTION_ONLY = new Set(['VACUUM', 'ATTACH', 'DETACH']);

const transactionControl: Check = (_tokens, statement) => ({
  severity: 'error',
  rule: 'transaction-control',
  message: `${statement.keyword}: drawbridge runs every migration inside its own transaction and commits or rolls it back itself, so it refuses a file that controls transactions; remove the statement`,
});

const outsideTransactionOnly: Check = (_tokens, statement) => ({
  severity: 'error',
  rule: 'outside-transaction',
  message: `${statement.keyword}: SQLite cannot run it inside a transaction, and drawbridge runs every migration inside one, so it refuses the file; run ${statement.keyword} outside migrations`,
});

const IDEMPOTENCY_CHECKS: ReadonlyMap<string, Check> = new Map([
  ['CREATE', createWithoutGuard],
  ['DROP', dropWithoutGuard],
  ['ALTER', alterTable],
  ['INSERT', insertWithoutConflictClause],
]);

function checkFor(keyword: string, section: Section): Check | undefined {
  if (TRANSACTION_CONTROL.has(keyword)) return transactionControl;
  if (OUTSIDE_TRANSACTION_ONLY.has(keyword)) return outsideTransactionOnly;
  if (keyword === 'PRAGMA') return pragmaForeignKeys;
  return section === 'up' ? IDEMPOTENCY_CHECKS.get(keyword) : undefined;
}

export function checkStatement(statement: SqlStatement, section: Section): StatementFinding | undefined {
  const check = checkFor(statement.keyword, section);
  const finding = check?.(new Tokens(statement.text), statement);
  return finding === undefined ? undefined : { line: statement.line, ...finding };
}

/** Said once per run, not on every warning: why idempotency warnings matter at all under drawbridge. */
export const IDEMPOTENCY_NOTE =
  'drawbridge runs every migration exactly once, inside a transaction, so the idempotency warnings matter only where these files are also run by hand ' +
  '(wrangler d1 execute, sqlite3 < file).';
