import { splitStatements, type SqlStatement } from '../sqlite/split-statements.js';
import { normaliseSource } from './checksum.js';
import { checkStatement, type Section, type StatementFinding } from './idempotency.js';
import { parseSqlMigration } from './sql-migration.js';

/**
 * `lint` on the text of one .sql migration: the loader's own verdict (what
 * parseSqlMigration refuses is an error: the directory cannot be used), and
 * the statement checks of idempotency.ts on each section.
 */

/** A section marker, read exactly as sql-migration.ts reads it: a whole line. */
const MARKER = /^--\s*migrate:\s*(\w+)\s*$/i;

/** How sql-migration.ts locates a problem: "line 7: …". Problems without it concern the whole file. */
const LOCATED_PROBLEM = /^line (\d+): (.*)$/s;

interface SectionLines {
  readonly kind: Section;
  /** 1-based line of the section's first line in the file. */
  readonly firstLine: number;
  readonly lines: string[];
}

/**
 * The sections of a file, also when the loader refuses it, so that a broken
 * file still gets its statement checks. A file without a "-- migrate:up"
 * marker is read as one up section: that is how it runs when run by hand.
 */
function sectionsOf(lines: readonly string[]): SectionLines[] {
  const sections: SectionLines[] = [];
  lines.forEach((line, index) => {
    const kind = MARKER.exec(line.trim())?.[1]?.toLowerCase();
    if (kind === 'up' || kind === 'down') sections.push({ kind, firstLine: index + 2, lines: [] });
    else if (kind === undefined) sections.at(-1)?.lines.push(line); // unknown markers: the parse reports them
  });
  return sections.some((s) => s.kind === 'up') ? sections : [{ kind: 'up', firstLine: 1, lines: [...lines] }];
}

function statementsOf(section: SectionLines): SqlStatement[] {
  const offset = section.firstLine - 1;
  return splitStatements(section.lines.join('\n')).statements.map((s) => ({ ...s, line: s.line + offset }));
}

function parseFindings(text: string): { line: number | undefined; message: string }[] {
  const outcome = parseSqlMigration(text);
  if (outcome.ok) return [];
  return outcome.problems.map((problem) => {
    const located = LOCATED_PROBLEM.exec(problem);
    return located === null ? { line: undefined, message: problem } : { line: Number(located[1]), message: located[2] ?? problem };
  });
}

export function lintSqlText(text: string): StatementFinding[] {
  const sections = sectionsOf(normaliseSource(text).split('\n'));
  const statementFindings = sections.flatMap((section) => statementsOf(section).flatMap((s) => checkStatement(s, section.kind) ?? []));
  // The loader also refuses BEGIN, VACUUM and the like: say so once, under the statement check's rule.
  const explained = new Set(statementFindings.filter((f) => f.severity === 'error').map((f) => f.line));
  const malformed = parseFindings(text)
    .filter((p) => p.line === undefined || !explained.has(p.line))
    .map((p): StatementFinding => ({ line: p.line ?? 1, severity: 'error', rule: 'malformed-migration', message: p.message }));
  return [...malformed, ...statementFindings].sort((a, b) => a.line - b.line);
}
