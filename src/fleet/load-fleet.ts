import { detectionContext, type DetectionContext } from '../bridge/detect.js';
import { loadInputs, loadLegacyModule } from '../bridge/load-inputs.js';
import { InvalidMigrationsError, UsageError } from '../errors.js';
import { sequenceKey, type DerivedSchema } from '../runner/derived-schemas.js';
import type { LegacyFunction } from '../runner/upgrade-transaction.js';
import type { FleetSources, FleetTask } from './types.js';

/**
 * What processing a database needs, loaded once per thread from the fleet's
 * sources with the code the CLI uses. The main thread loads it first (so
 * invalid migrations or rules stop the fleet, exit 8, before any database is
 * touched) and derives the schemas; each worker then loads the same sources
 * and takes the derived schemas from the main thread as plain data, instead
 * of replaying the sequence (and loading TypeScript migrations) itself.
 */

export interface LoadedFleet {
  readonly sources: FleetSources;
  readonly task: FleetTask;
  readonly detection: DetectionContext;
  readonly legacy: { readonly run: LegacyFunction } | undefined;
}

function loadSources(sources: FleetSources): Pick<DetectionContext, 'set' | 'rules'> {
  const { migrations, rules } = loadInputs(sources);
  return { set: migrations, rules };
}

/** Only an upgrade runs the app's old migrations: detection never imports them. */
async function loadLegacy(sources: FleetSources, task: FleetTask): Promise<LoadedFleet['legacy']> {
  if (!task.upgrade || sources.legacy === undefined) return undefined;
  return loadLegacyModule(sources.legacy);
}

function checkTarget(detection: DetectionContext, to: string | undefined): void {
  if (to === undefined || detection.set.migrations.some((m) => m.name === to)) return;
  throw new UsageError(`--to ${to}: there is no migration of that name in ${detection.set.source}; nothing was done. Run \`drawbridge status\` on a database to list the names.`);
}

/** In the main thread: load and check everything, and derive the schemas once. */
export async function loadFleet(sources: FleetSources, task: FleetTask): Promise<LoadedFleet> {
  const { set, rules } = loadSources(sources);
  const detection = await detectionContext({ migrations: set, rules, trackingTable: sources.table });
  checkTarget(detection, task.to);
  return { sources, task, detection, legacy: await loadLegacy(sources, task) };
}

/** What a worker is given to load itself: the sources, and the schemas the main thread derived from them. */
export interface FleetWorkerData {
  readonly sources: FleetSources;
  readonly task: FleetTask;
  readonly derived: readonly DerivedSchema[];
  /** The sequence the schemas were derived from (names and checksums). */
  readonly sequence: string;
}

export function workerData(loaded: LoadedFleet): FleetWorkerData {
  const { sources, task, detection } = loaded;
  return { sources, task, derived: detection.derived, sequence: sequenceKey(detection.set) };
}

/** In a worker: the same sources, with the schemas the main thread derived. */
export async function loadFleetWorker(data: FleetWorkerData): Promise<LoadedFleet> {
  const { sources, task, derived } = data;
  const { set, rules } = loadSources(sources);
  if (sequenceKey(set) !== data.sequence) {
    throw new InvalidMigrationsError(`${set.source}: the migrations changed while the fleet was starting; nothing more was done. Run the fleet again once they are settled.`);
  }
  return { sources, task, detection: { set, derived, rules, trackingTable: sources.table }, legacy: await loadLegacy(sources, task) };
}
