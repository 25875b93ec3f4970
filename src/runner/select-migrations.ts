import { RollbackOutOfOrderError, UsageError } from '../errors.js';
import type { Migration, MigrationSet, StatusReport } from './types.js';

/**
 * Which migrations an `up` or `down` would run, from a status report. `to`
 * names the state to end in (both directions): `up --to X` leaves X the newest
 * applied migration, `down --to X` reverts everything after X and keeps X;
 * `down --to 0` reverts everything. `step` counts migrations. `name` (down
 * only) reverts exactly that migration, which must be the newest applied one.
 */

export type UpTarget = { readonly to?: undefined; readonly step?: undefined } | { readonly to: string; readonly step?: undefined } | { readonly step: number; readonly to?: undefined };
export type DownTarget =
  | { readonly to?: undefined; readonly step?: undefined; readonly name?: undefined }
  | { readonly to: string | 0; readonly step?: undefined; readonly name?: undefined }
  | { readonly step: number; readonly to?: undefined; readonly name?: undefined }
  | { readonly name: string; readonly to?: undefined; readonly step?: undefined };

/** Every target field, for checking targets that arrive from plain JavaScript, where the types above do not hold. */
interface AnyTarget {
  readonly to?: string | 0 | undefined;
  readonly step?: number | undefined;
  readonly name?: string | undefined;
}

function checkNamedTarget(set: MigrationSet, target: AnyTarget & { readonly name: string }): void {
  const combined = [target.to === undefined ? [] : ['--to'], target.step === undefined ? [] : ['--step']].flat();
  if (combined.length > 0) {
    throw new UsageError(
      `down ${target.name} rolls back exactly that migration and cannot be combined with ${combined.join(' or ')}. ` +
        `Use \`drawbridge down <db> ${target.name}\` alone, or ${combined.join('/')} without a migration name.`,
    );
  }
  if (!set.migrations.some((m) => m.name === target.name)) {
    throw new UsageError(`down ${target.name}: there is no migration of that name in ${set.source}. \`drawbridge status <db>\` lists them.`);
  }
}

export function checkTarget(set: MigrationSet, target: AnyTarget): void {
  if (target.name !== undefined) {
    checkNamedTarget(set, { ...target, name: target.name });
    return;
  }
  if (target.to !== undefined && target.step !== undefined) {
    throw new UsageError('--to and --step cannot be combined: --to names the migration to end at, --step counts migrations. Use one.');
  }
  if (target.step !== undefined && (!Number.isInteger(target.step) || target.step < 1)) {
    throw new UsageError(`--step must be a whole number of at least 1, got ${String(target.step)}`);
  }
  if (typeof target.to === 'string' && !set.migrations.some((m) => m.name === target.to)) {
    throw new UsageError(`--to ${target.to}: there is no migration of that name in ${set.source}. \`drawbridge status\` lists them.`);
  }
}

function known(set: MigrationSet, names: readonly string[]): Migration[] {
  const byName = new Map(set.migrations.map((m) => [m.name, m]));
  return names.flatMap((name) => byName.get(name) ?? []);
}

export function selectUp(set: MigrationSet, report: StatusReport, target: UpTarget): Migration[] {
  const pending = report.migrations.filter((s) => s.state === 'pending').map((s) => s.name);
  let names = pending;
  if (target.step !== undefined) names = pending.slice(0, target.step);
  if (target.to !== undefined) {
    const end = pending.indexOf(target.to);
    names = end === -1 ? [] : pending.slice(0, end + 1); // already applied: nothing to do
  }
  return known(set, names);
}

function refuseOutOfOrder(report: StatusReport, name: string, origin: string, later: readonly string[]): RollbackOutOfOrderError {
  const db = report.database;
  const newestFirst = [...later].reverse();
  const count = newestFirst.length === 1 ? '1 later migration still applied depends' : `${newestFirst.length} later migrations still applied depend`;
  return new RollbackOutOfOrderError(
    `${db}: cannot roll back ${name} alone: rollbacks go in reverse order only, and ${count} on it ` +
      `(newest first): ${newestFirst.join(', ')}. Nothing was changed.\n` +
      `Roll back everything after it with \`drawbridge down ${db} --to ${name}\` (${name} stays applied), then \`drawbridge down ${db} ${name}\`; ` +
      `or roll back the later ones first, newest first, starting with \`drawbridge down ${db} ${newestFirst[0] ?? ''}\`.`,
    { details: { file: db, migration: name, origin, laterApplied: newestFirst } },
  );
}

/** `down NAME`: exactly NAME, and only when nothing applied after it depends on it. */
function selectNamed(set: MigrationSet, report: StatusReport, name: string): Migration[] {
  const applied = report.migrations.filter((s) => s.state === 'applied').map((s) => s.name);
  const at = applied.indexOf(name);
  if (at === -1) {
    throw new UsageError(`${report.database}: ${name} is not applied; nothing to roll back. \`drawbridge status ${report.database}\` shows what is applied.`, {
      details: { file: report.database, migration: name },
    });
  }
  const migration = known(set, [name]);
  const later = applied.slice(at + 1);
  if (later.length > 0) throw refuseOutOfOrder(report, name, migration[0]?.origin ?? name, later);
  return migration;
}

/** In sequence order (the executor reverts them last-first). */
export function selectDown(set: MigrationSet, report: StatusReport, target: DownTarget): Migration[] {
  if (target.name !== undefined) return selectNamed(set, report, target.name);
  const applied = report.migrations.filter((s) => s.state === 'applied').map((s) => s.name);
  let count = 1;
  if (target.step !== undefined) count = target.step;
  if (target.to === 0) count = applied.length;
  else if (target.to !== undefined) {
    const keep = applied.indexOf(target.to);
    count = keep === -1 ? 0 : applied.length - keep - 1; // not applied: nothing after it to revert
  }
  return known(set, applied.slice(Math.max(0, applied.length - count)));
}
