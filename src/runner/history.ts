import { ChecksumMismatchError, HistoryOutOfOrderError, NewerDatabaseError } from '../errors.js';
import type { MigrationSet, MigrationStatus, StatusReport, TrackingRow } from './types.js';

/**
 * Compare what the app knows (a MigrationSet) with what the database records
 * (tracking rows). Pure: plain data in, plain data out.
 */
export function describeHistory(
  database: string,
  table: string,
  tracked: boolean,
  set: MigrationSet,
  rows: readonly TrackingRow[],
): StatusReport {
  const recorded = new Map(rows.map((row) => [row.name, row]));
  const known = new Set(set.migrations.map((m) => m.name));
  const statuses: MigrationStatus[] = set.migrations.map((migration) => {
    const row = recorded.get(migration.name);
    const changed = row !== undefined && row.checksum !== null && migration.checksum !== null && row.checksum !== migration.checksum;
    return { name: migration.name, state: row === undefined ? 'pending' : 'applied', checksum: migration.checksum, recorded: row, changed };
  });
  for (const row of rows) {
    if (!known.has(row.name)) statuses.push({ name: row.name, state: 'unknown', checksum: null, recorded: row, changed: false });
  }
  const lastApplied = statuses.findLastIndex((s) => s.state === 'applied');
  const gaps = statuses.slice(0, Math.max(lastApplied, 0)).filter((s) => s.state === 'pending').map((s) => s.name);
  const count = (predicate: (s: MigrationStatus) => boolean): number => statuses.filter(predicate).length;
  const unknownRows = statuses.filter((s) => s.state === 'unknown');
  const floor = [...statuses].reverse().find((s) => s.recorded !== undefined && !s.recorded.compatible);
  return {
    database,
    table,
    tracked,
    newerButCompatible: unknownRows.length > 0 && unknownRows.every((s) => s.recorded?.compatible === true),
    compatibilityFloor: floor?.name ?? null,
    migrations: statuses,
    counts: {
      applied: count((s) => s.state === 'applied'),
      pending: count((s) => s.state === 'pending'),
      unknown: count((s) => s.state === 'unknown'),
      changed: count((s) => s.changed),
    },
    gaps,
  };
}

function list(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/** A database that records migrations the app does not know was written by a newer app. */
export function assertNotNewer(report: StatusReport): void {
  const unknown = report.migrations.filter((s) => s.state === 'unknown').map((s) => s.name);
  // A newer app's backward-compatible (additive) migrations do not stop this app from using the database.
  if (unknown.length === 0 || report.newerButCompatible) return;
  throw new NewerDatabaseError(
    `${report.database} was migrated by a newer version of the app: its ${report.table} table records ${unknown.length} migration${unknown.length === 1 ? '' : 's'} ` +
      `this app does not have (${list(unknown)}), and not all of them are backward-compatible (the newest that is not: ${report.compatibilityFloor ?? '?'}). ` +
      'Nothing was changed. Run the newer app, or give drawbridge the newer migrations with --migrations.',
    { details: { file: report.database, unknownMigrations: unknown, compatibilityFloor: report.compatibilityFloor } },
  );
}

/** An applied migration whose source changed since it ran. */
export function assertChecksumsMatch(report: StatusReport, set: MigrationSet): void {
  const changed = report.migrations.filter((s) => s.changed);
  if (changed.length === 0) return;
  const origins = new Map(set.migrations.map((m) => [m.name, m.origin]));
  const lines = changed.map(
    (s) => `  ${s.name} (${origins.get(s.name) ?? s.name}): recorded ${s.recorded?.checksum?.slice(0, 12) ?? '?'}…, now ${s.checksum?.slice(0, 12) ?? '?'}…`,
  );
  throw new ChecksumMismatchError(
    `${report.database}: ${changed.length} applied migration${changed.length === 1 ? ' was' : 's were'} edited after ${changed.length === 1 ? 'it' : 'they'} ran ` +
      `(the checksum recorded in ${report.table} no longer matches the file). Nothing was changed.\n${lines.join('\n')}\n` +
      `Restore the original file${changed.length === 1 ? '' : 's'}; or, if the edit changes nothing the database needs (comments, formatting), ` +
      `record the new checksums with \`drawbridge repair ${report.database}\`.`,
    { details: { file: report.database, changed: changed.map((s) => ({ name: s.name, origin: origins.get(s.name), recorded: s.recorded?.checksum, current: s.checksum })) } },
  );
}

/** Applied migrations must be a prefix of the sequence: no pending migration before an applied one. */
export function assertInOrder(report: StatusReport): void {
  if (report.gaps.length === 0) return;
  const lastApplied = report.migrations.findLast((s) => s.state === 'applied')?.name ?? '';
  throw new HistoryOutOfOrderError(
    `${report.database}: ${list(report.gaps)} ${report.gaps.length === 1 ? 'is' : 'are'} pending but the later ${lastApplied} is applied; ` +
      'drawbridge runs migrations strictly in sequence order. Nothing was changed. Renumber the new migration after ' +
      `${lastApplied}, or roll back with \`drawbridge down ${report.database} --to <name>\` first.`,
    { details: { file: report.database, pendingBeforeApplied: report.gaps, lastApplied } },
  );
}
