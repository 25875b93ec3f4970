import type { SqliteDatabase } from '../sqlite/connection.js';
import { splitStatements, type SqlStatement } from '../sqlite/split-statements.js';
import { sqliteErrorCode } from '../sqlite/sqlite-errors.js';

/** A statement of a migration failed; carries which one, so the final error can name it. */
export class StatementFailure extends Error {
  constructor(
    readonly statement: SqlStatement,
    /** 1-based position of the statement in its section. */
    readonly position: number,
    readonly sqliteCode: string | undefined,
    options: { cause: unknown },
  ) {
    super(`statement ${position} (line ${statement.line}) failed: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
    this.name = 'StatementFailure';
  }
}

/** Run statements one at a time so that a failure says which statement broke. */
export function runStatements(db: SqliteDatabase, statements: readonly SqlStatement[]): void {
  statements.forEach((statement, index) => {
    try {
      db.exec(statement.text);
    } catch (error) {
      throw new StatementFailure(statement, index + 1, sqliteErrorCode(error), { cause: error });
    }
  });
}

/** For ctx.sql() in module migrations: the same attribution, for a script given as text. */
export function runScript(db: SqliteDatabase, script: string): void {
  const { statements, incomplete } = splitStatements(script);
  if (incomplete !== undefined) {
    throw new Error(`ctx.sql(): incomplete statement at line ${incomplete.line} (${incomplete.reason})`);
  }
  runStatements(db, statements);
}
