import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { detectOn } from '../bridge/detect.js';
import { planUpgrade, type Plan } from '../bridge/plan.js';
import { EXIT, isDrawbridgeError } from '../errors.js';
import { withConnection } from '../runner/with-connection.js';
import type { LoadedFleet } from './loaded-fleet.js';
import type { ListedDatabase } from './list-databases.js';
import type { FleetError, FleetResult } from './types.js';

/**
 * One database of the fleet, start to finish, in whichever thread runs it:
 * detect it and plan what an upgrade would do, or upgrade it. Never throws:
 * a database that fails is a result with its error, so the others go on.
 */

export function fleetError(error: unknown): FleetError {
  if (isDrawbridgeError(error)) return { code: error.code, exitCode: error.exitCode, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'UNEXPECTED', exitCode: EXIT.unexpected, message: `unexpected failure (a bug in drawbridge; please report it): ${message}` };
}

const names = (list: readonly { readonly name: string }[]): string[] => list.map((m) => m.name);

const since = (started: number): number => Math.round((performance.now() - started) * 100) / 100;

/** Read-only: what the database is, and the plan an upgrade with the fleet's mode and --to would follow. */
async function planFor(loaded: LoadedFleet, file: string): Promise<Plan> {
  const { detection, sources, task } = loaded;
  const detected = await withConnection(file, 'read', sources.lockTimeoutMs, (db, name) => {
    if (db === undefined) throw new Error(`unreachable: a read connection to ${name} always opens or throws`);
    return Promise.resolve(detectOn(db, name, detection));
  });
  return planUpgrade(detected, { mode: task.mode, set: detection.set, legacyAvailable: sources.legacy !== undefined, to: task.to });
}

function fromPlan(file: string, plan: Plan, started: number): FleetResult {
  return {
    file,
    ok: true,
    state: plan.state,
    action: plan.action,
    rule: plan.rule,
    bridgePoint: plan.bridgePoint,
    backfilled: plan.action === 'bridge' ? names(plan.backfill) : [],
    applied: [],
    pending: names(plan.pending),
    durationMs: since(started),
  };
}

async function detectDatabase(loaded: LoadedFleet, file: string, started: number): Promise<FleetResult> {
  try {
    return fromPlan(file, await planFor(loaded, file), started);
  } catch (error) {
    return { file, ok: false, state: null, action: null, rule: null, bridgePoint: null, backfilled: [], applied: [], pending: [], durationMs: since(started), error: fleetError(error) };
  }
}

/**
 * Under --backup-dir, each database's backups go to the folder its path
 * relative to its argument names: databases of the same name in different
 * folders of the fleet never share a backup file.
 */
function backupFor(loaded: LoadedFleet, item: ListedDatabase): { readonly dir?: string } | false {
  const { backup } = loaded.task;
  if (backup === false || backup.dir === undefined) return backup;
  const dir = join(backup.dir, dirname(item.relativePath));
  mkdirSync(dir, { recursive: true });
  return { dir };
}

async function upgradeDatabase(loaded: LoadedFleet, item: ListedDatabase, started: number): Promise<FleetResult> {
  const { detection, sources, task, legacy } = loaded;
  const { file } = item;
  try {
    // Only --upgrade needs the upgrade code (and umzug behind it): a detecting worker never loads it.
    const { upgrade } = await import('../bridge/upgrade.js');
    const result = await upgrade(file, {
      migrations: detection.set,
      rules: detection.rules,
      legacy,
      mode: task.mode,
      to: task.to,
      table: sources.table,
      lockTimeoutMs: sources.lockTimeoutMs,
      backup: backupFor(loaded, item),
    });
    const { state, action, rule, bridgePoint, backfilled, applied } = result;
    return { file, ok: true, state, action, rule, bridgePoint, backfilled, applied, pending: [], durationMs: since(started) };
  } catch (error) {
    // Say what the database is (the failed upgrade rolled back), as far as it can still be read.
    const found = await detectDatabase(loaded, file, started);
    return { ...found, ok: false, backfilled: [], pending: [], durationMs: since(started), error: fleetError(error) };
  }
}

export function processDatabase(loaded: LoadedFleet, item: ListedDatabase): Promise<FleetResult> {
  const started = performance.now();
  return loaded.task.upgrade ? upgradeDatabase(loaded, item, started) : detectDatabase(loaded, item.file, started);
}
