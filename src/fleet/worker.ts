import { parentPort, workerData } from 'node:worker_threads';
import { loadFleetWorker, type FleetWorkerData } from './loaded-fleet.js';
import { fleetError, processDatabase } from './process-database.js';
import type { FromWorker, ToWorker } from './protocol.js';

/**
 * The worker_threads entry of `fleet`: load the sources once, then process
 * the batches runFleet hands out, one database after another, posting each
 * result as soon as it is known.
 */

const port = parentPort;
if (port === null) throw new Error('src/fleet/worker.js is a worker_threads entry; runFleet starts it');

const post = (message: FromWorker): void => port.postMessage(message);

try {
  const loaded = await loadFleetWorker(workerData as FleetWorkerData);
  port.on('message', (message: ToWorker) => {
    void (async () => {
      for (const item of message.items) post({ type: 'result', index: item.index, result: await processDatabase(loaded, item) });
      post({ type: 'batch-done' });
    })();
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', error: fleetError(error) });
}
