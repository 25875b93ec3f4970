import { splitStatements, type SqlStatement } from '../sqlite/split-statements.js';
import { normaliseSource } from './checksum.js';

/**
 * The `.sql` migration format (the dbmate convention):
 *
 *   -- any header comments
 *   -- migrate:up
 *   CREATE TABLE ...;
 *   -- migrate:down
 *   DROP TABLE ...;
 *
 * A file without a `-- migrate:down` marker cannot be rolled back; a down
 * section holding only comments is an explicit no-op rollback.
 */

export interface ParsedSqlMigration {
  readonly up: readonly SqlStatement[];
  /** undefined: no down section (irreversible). [] : an explicit no-op. */
  readonly down: readonly SqlStatement[] | undefined;
}

export type ParseOutcome = { readonly ok: true; readonly value: ParsedSqlMigration } | { readonly ok: false; readonly problems: readonly string[] };

const MARKER = /^--\s*migrate:\s*(\w+)\s*$/i;

/**
 * Statements the runner owns: a migration runs inside the runner's
 * transaction, so it may not open, end or leave one, and SQLite refuses
 * VACUUM and ATTACH inside a transaction anyway.
 */
const FORBIDDEN: ReadonlyMap<string, string> = new Map([
  ['BEGIN', 'drawbridge runs every migration inside its own transaction; remove BEGIN'],
  ['COMMIT', 'drawbridge commits for you; remove COMMIT'],
  ['END', 'drawbridge commits for you; remove END TRANSACTION'],
  ['ROLLBACK', 'drawbridge rolls back on any error; remove ROLLBACK'],
  ['SAVEPOINT', 'savepoints would interleave with the runner\'s transaction; remove SAVEPOINT'],
  ['RELEASE', 'savepoints would interleave with the runner\'s transaction; remove RELEASE'],
  ['VACUUM', 'SQLite cannot VACUUM inside a transaction; run VACUUM outside migrations'],
  ['ATTACH', 'SQLite cannot ATTACH inside a transaction; attach databases outside migrations'],
  ['DETACH', 'SQLite cannot DETACH inside a transaction'],
]);

interface Section {
  readonly kind: 'up' | 'down';
  readonly firstLine: number; // 1-based line after the marker
  readonly lines: string[];
}

function splitSections(lines: readonly string[], problems: string[]): Section[] {
  const sections: Section[] = [];
  const preamble: string[] = [];
  let current: Section | undefined;
  lines.forEach((line, index) => {
    const marker = MARKER.exec(line.trim());
    if (marker !== null) {
      const kind = marker[1]?.toLowerCase();
      if (kind !== 'up' && kind !== 'down') {
        problems.push(`line ${index + 1}: unknown marker "-- migrate:${marker[1]}" (expected "-- migrate:up" or "-- migrate:down")`);
        return;
      }
      current = { kind, firstLine: index + 2, lines: [] };
      sections.push(current);
      return;
    }
    if (current === undefined) preamble.push(line);
    else current.lines.push(line);
  });
  // Header comments (-- or /* */) may precede the first marker; statements may not.
  const stray = splitStatements(preamble.join('\n')).statements[0];
  if (stray !== undefined) problems.push(`line ${stray.line}: SQL before "-- migrate:up" (only comments may precede it)`);
  return sections;
}

function parseSection(section: Section, problems: string[]): SqlStatement[] {
  const { statements, incomplete } = splitStatements(section.lines.join('\n'));
  const offset = section.firstLine - 1;
  const located = statements.map((s) => ({ ...s, line: s.line + offset }));
  if (incomplete !== undefined) {
    problems.push(`line ${incomplete.line + offset}: incomplete statement in the ${section.kind} section (${incomplete.reason})`);
  }
  for (const statement of located) {
    const why = FORBIDDEN.get(statement.keyword);
    if (why !== undefined) problems.push(`line ${statement.line}: ${statement.keyword} is not allowed in a migration (${why})`);
  }
  return located;
}

export function parseSqlMigration(text: string): ParseOutcome {
  const problems: string[] = [];
  const lines = normaliseSource(text).split('\n');
  const sections = splitSections(lines, problems);
  const ups = sections.filter((s) => s.kind === 'up');
  const downs = sections.filter((s) => s.kind === 'down');
  if (ups.length === 0) problems.push('no "-- migrate:up" marker (a .sql migration needs "-- migrate:up", and "-- migrate:down" to be reversible)');
  if (ups.length > 1) problems.push('more than one "-- migrate:up" marker');
  if (downs.length > 1) problems.push('more than one "-- migrate:down" marker');
  if (sections[0]?.kind === 'down') problems.push('"-- migrate:down" comes before "-- migrate:up"');
  const upSection = ups[0];
  const downSection = downs[0];
  const up = upSection === undefined ? [] : parseSection(upSection, problems);
  const down = downSection === undefined ? undefined : parseSection(downSection, problems);
  if (upSection !== undefined && up.length === 0) problems.push('the "-- migrate:up" section has no statements');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { up, down } };
}
