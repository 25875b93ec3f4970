import type { ListedDatabase } from './list-databases.js';
import type { FleetError, FleetResult } from './types.js';

/**
 * The messages between runFleet and its workers. Work is handed out in
 * small batches (a worker asks for the next when it has finished one, so a
 * slow database never holds up a queue); results come back one database at
 * a time, so they stream out and a worker that dies is known to have died
 * on the first database of its batch that has no result.
 */

export interface BatchItem extends ListedDatabase {
  /** The database's position in the fleet's list. */
  readonly index: number;
}

export type ToWorker = { readonly type: 'batch'; readonly items: readonly BatchItem[] };

export type FromWorker =
  | { readonly type: 'ready' }
  /** The worker could not load the fleet's sources: nothing can run. */
  | { readonly type: 'failed'; readonly error: FleetError }
  | { readonly type: 'result'; readonly index: number; readonly result: FleetResult }
  | { readonly type: 'batch-done' };
