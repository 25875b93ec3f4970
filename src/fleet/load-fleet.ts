import { detectionContext } from '../bridge/detect.js';
import { loadInputs } from '../bridge/load-inputs.js';
import { UsageError } from '../errors.js';
import { sequenceKey } from '../runner/derived-schemas.js';
import { loadLegacy, type FleetWorkerData, type LoadedFleet } from './loaded-fleet.js';
import type { FleetSources, FleetTask } from './types.js';

/**
 * What processing a database needs, loaded once in the main thread with the
 * code the CLI uses, so that invalid migrations or rules stop the fleet
 * (exit 8) before any database is touched. The main thread also derives the
 * schemas; the workers get them and the validated rules as plain data (see
 * loaded-fleet.ts) instead of replaying the sequence and validating the
 * rules again each.
 */

export type { FleetWorkerData, LoadedFleet } from './loaded-fleet.js';

function checkTarget(detection: LoadedFleet['detection'], to: string | undefined): void {
  if (to === undefined || detection.set.migrations.some((m) => m.name === to)) return;
  throw new UsageError(`--to ${to}: there is no migration of that name in ${detection.set.source}; nothing was done. Run \`drawbridge status\` on a database to list the names.`);
}

/** In the main thread: load and check everything, and derive the schemas once. */
export async function loadFleet(sources: FleetSources, task: FleetTask): Promise<LoadedFleet> {
  const { migrations: set, rules } = loadInputs(sources);
  const detection = await detectionContext({ migrations: set, rules, trackingTable: sources.table });
  checkTarget(detection, task.to);
  return { sources, task, detection, legacy: await loadLegacy(sources, task) };
}

export function workerData(loaded: LoadedFleet): FleetWorkerData {
  const { sources, task, detection } = loaded;
  return { sources, task, derived: detection.derived, rules: detection.rules, sequence: sequenceKey(detection.set) };
}
