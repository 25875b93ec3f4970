import { UsageError } from '../errors.js';
import type { Migration, MigrationSet, StatusReport } from './types.js';

/**
 * Which migrations an `up` or `down` would run, from a status report. `to`
 * names the state to end in (both directions): `up --to X` leaves X the newest
 * applied migration, `down --to X` reverts everything after X and keeps X;
 * `down --to 0` reverts everything. `step` counts migrations.
 */

export type UpTarget = { readonly to?: undefined; readonly step?: undefined } | { readonly to: string; readonly step?: undefined } | { readonly step: number; readonly to?: undefined };
export type DownTarget = { readonly to?: undefined; readonly step?: undefined } | { readonly to: string | 0; readonly step?: undefined } | { readonly step: number; readonly to?: undefined };

export function checkTarget(set: MigrationSet, target: { readonly to?: string | 0 | undefined; readonly step?: number | undefined }): void {
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

/** In sequence order (the executor reverts them last-first). */
export function selectDown(set: MigrationSet, report: StatusReport, target: DownTarget): Migration[] {
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
