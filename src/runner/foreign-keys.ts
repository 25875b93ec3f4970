import { ForeignKeyViolationError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/connection.js';
import { foreignKeyCheck, type ForeignKeyViolation } from '../sqlite/pragmas.js';

/**
 * Foreign keys are off while migrations run (so tables can be rebuilt), so
 * the runner checks them itself before COMMIT. Legacy data often already
 * violates a key; those violations are kept exactly and reported. Only the
 * ones the migrations introduced roll the run back.
 */

// A violation's identity survives a table rebuild: rowids may be renumbered,
// but the child table, parent table, key columns and key values stay the same.
function identity(v: ForeignKeyViolation): string {
  return JSON.stringify([v.table, v.parent, v.columns, v.values]);
}

/** Violations in `after` that are not in `before` (as a multiset). */
export function introducedViolations(before: readonly ForeignKeyViolation[], after: readonly ForeignKeyViolation[]): ForeignKeyViolation[] {
  const remaining = new Map<string, number>();
  for (const v of before) remaining.set(identity(v), (remaining.get(identity(v)) ?? 0) + 1);
  return after.filter((v) => {
    const left = remaining.get(identity(v)) ?? 0;
    if (left === 0) return true;
    remaining.set(identity(v), left - 1);
    return false;
  });
}

function describe(v: ForeignKeyViolation): string {
  const key = v.columns.map((c, i) => `${c}=${JSON.stringify(v.values[i] ?? null)}`).join(', ');
  return `${v.table}${v.rowid === null ? '' : ` rowid ${v.rowid}`} (${key}) → no matching row in ${v.parent}`;
}

/** Throw (so the transaction rolls back) if the run left violations that were not there before it. */
export function assertNoNewViolations(db: SqliteDatabase, file: string, before: readonly ForeignKeyViolation[], what: string): void {
  const introduced = introducedViolations(before, foreignKeyCheck(db));
  if (introduced.length === 0) return;
  const shown = introduced.slice(0, 10).map((v) => `  ${describe(v)}`);
  if (introduced.length > 10) shown.push(`  … and ${introduced.length - 10} more`);
  throw new ForeignKeyViolationError(
    `${file}: ${what} would leave ${introduced.length} foreign-key violation${introduced.length === 1 ? '' : 's'} that ${introduced.length === 1 ? 'was' : 'were'} not there before, ` +
      `so everything was rolled back and the file is unchanged.\n${shown.join('\n')}\n` +
      'Fix the migration so that every child row keeps a parent (copy parents before children, or transform both in one step).',
    { details: { file, introduced } },
  );
}

export { foreignKeyCheck };
