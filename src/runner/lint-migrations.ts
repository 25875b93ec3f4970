import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { StatementFinding } from './idempotency.js';
import { lintSqlText } from './lint-sql-file.js';
import { scanMigrationDirectory, type NamingProblem } from './migration-set.js';

/**
 * `drawbridge lint`: everything that can be said about a migrations directory
 * without a database. Errors: the directory cannot be used as a sequence (the
 * loader's own naming, numbering and parsing checks, shared with it, so lint
 * and `up` never disagree). Warnings: statements that are not idempotent, or
 * that do nothing inside drawbridge's transaction (see idempotency.ts).
 */

export interface LintFinding {
  /** The file's path: the directory as given, joined with the file's name. */
  readonly file: string;
  /** 1-based; 1 for problems with the file as a whole (its name, its place in the sequence). */
  readonly line: number;
  readonly column?: number;
  readonly severity: 'error' | 'warning';
  readonly rule: string;
  readonly message: string;
}

export interface LintCounts {
  readonly errors: number;
  readonly warnings: number;
}

/** One finding per file concerned: a duplicate number is an error in each of the files that share it. */
function namingFindings(dir: string, problem: NamingProblem): LintFinding[] {
  const message = problem.entries.length === 1 ? problem.what : `${problem.entries.join(', ')} ${problem.what}`;
  return problem.entries.map((entry) => ({ file: join(dir, entry), line: 1, severity: 'error', rule: problem.rule, message }));
}

function contentFindings(dir: string, name: string): LintFinding[] {
  const file = join(dir, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return [{ file, line: 1, severity: 'error', rule: 'unreadable-file', message: `cannot be read (${reason}); fix its permissions or remove it` }];
  }
  // .ts/.js migrations are code: what they run is known only when they run.
  if (extname(name) !== '.sql') return [];
  return lintSqlText(text).map((finding: StatementFinding) => ({ file, ...finding }));
}

function byFileThenLine(a: LintFinding, b: LintFinding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line;
}

/** Lint a migrations directory. Throws InvalidMigrationsError only when the directory itself cannot be read. */
export function lintMigrations(dir: string): LintFinding[] {
  const { files, problems } = scanMigrationDirectory(dir);
  // Misnamed files are not part of the sequence, but their statements are still worth checking.
  const misnamed = problems.filter((p) => p.rule === 'migration-name').flatMap((p) => p.entries);
  const checked = [...files.map((f) => f.file), ...misnamed];
  return [...problems.flatMap((p) => namingFindings(dir, p)), ...checked.flatMap((name) => contentFindings(dir, name))].sort(byFileThenLine);
}

export function countFindings(findings: readonly LintFinding[]): LintCounts {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}
