import { isAbsolute, relative } from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { IDEMPOTENCY_NOTE } from '../../runner/idempotency.js';
import { countFindings, lintMigrations, type LintFinding } from '../../runner/lint-migrations.js';
import { booleanOption } from '../args.js';
import type { Command } from '../command.js';
import { resolveSettings } from '../config.js';

/** A path as short as it can be said from where the user stands. */
function shown(file: string): string {
  const near = relative(process.cwd(), file);
  return near.startsWith('..') || isAbsolute(near) ? file : near;
}

function findingLine(f: LintFinding): string {
  return `${shown(f.file)}:${f.line}${f.column === undefined ? '' : `:${f.column}`}: ${f.severity} ${f.rule}: ${f.message}`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const lint: Command = {
  name: 'lint',
  summary: 'check a migrations directory: names and numbering (errors), idempotency of each statement (warnings)',
  synopsis: 'lint [--migrations DIR] [--strict]',
  help: [
    'Errors: names that are not NNNN_description.sql|.ts|.js, repeated numbers, gaps, files the loader refuses.',
    'Warnings (-- migrate:up sections of .sql files): CREATE/DROP without IF [NOT] EXISTS, ALTER TABLE, INSERT without',
    'a conflict clause, and PRAGMA foreign_keys (which does nothing inside drawbridge\'s transaction).',
    'Exit 0 with warnings only, 8 with any error.',
    '--strict        exit 8 on warnings too',
  ],
  options: { strict: { type: 'boolean' } },
  async run(args, out) {
    if (args.positionals.length > 0) throw new UsageError(`lint takes no database or other arguments; unexpected: ${args.positionals.join(' ')}. Use --migrations DIR.`);
    const strict = booleanOption(args, 'strict');
    const directory = (await resolveSettings(args)).migrationsDir;
    const findings = lintMigrations(directory);
    const counts = countFindings(findings);
    const failed = counts.errors > 0 || (strict && counts.warnings > 0);
    const text = [
      ...findings.map(findingLine),
      ...(findings.some((f) => f.severity === 'warning') ? [`note: ${IDEMPOTENCY_NOTE}`] : []),
      `${shown(directory)}: ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}${failed && counts.errors === 0 ? ' (--strict: warnings fail)' : ''}`,
    ];
    out.result({ ok: !failed, command: 'lint', directory, strict, findings, counts }, text);
    return failed ? EXIT.invalidInput : EXIT.ok;
  },
};
