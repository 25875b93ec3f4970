import { Worker } from 'node:worker_threads';
import { EXIT, UnexpectedError } from '../errors.js';
import type { FleetWorkerData } from './loaded-fleet.js';
import type { ListedDatabase } from './list-databases.js';
import type { BatchItem, FromWorker, ToWorker } from './protocol.js';
import type { FleetResult } from './types.js';

/**
 * The worker_threads pool behind runFleet: `concurrency` workers, each
 * loading the fleet's sources once, and a queue handed out in small batches
 * to whichever worker is free. A worker that dies (a legacy module that
 * exits, a native crash) costs one database, the one it was working on: that
 * database gets a failure, the rest of its batch goes back on the queue, and
 * a new worker takes its place.
 */

const WORKER_ENTRY = new URL('./worker.js', import.meta.url);

/** Batches small enough to keep every worker busy to the end, large enough to keep messages few. */
function batchSizeFor(total: number, workers: number): number {
  return Math.max(1, Math.min(16, Math.ceil(total / (workers * 8))));
}

interface Slot {
  readonly worker: Worker;
  /** The items of the batch it is working on that have no result yet, in order. */
  inFlight: BatchItem[];
  ready: boolean;
  /** We are ending it: its exit is not a death. */
  retiring: boolean;
  lastError: Error | undefined;
}

function deathResult(item: BatchItem, why: string): FleetResult {
  return {
    file: item.file,
    ok: false,
    state: null,
    action: null,
    rule: null,
    bridgePoint: null,
    backfilled: [],
    applied: [],
    pending: [],
    durationMs: 0,
    error: {
      code: 'UNEXPECTED',
      exitCode: EXIT.unexpected,
      message: `${item.file}: the worker thread processing it stopped (${why}) before it finished; the fleet went on with the other databases. Run drawbridge on this file alone to see what happens.`,
    },
  };
}

export class FleetPool {
  private readonly queue: BatchItem[];
  private readonly slots = new Set<Slot>();
  private readonly batchSize: number;
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private failed = false;

  constructor(
    items: readonly ListedDatabase[],
    private readonly data: FleetWorkerData,
    private readonly concurrency: number,
    private readonly onResult: (result: FleetResult) => void,
  ) {
    this.queue = items.map((item, index) => ({ ...item, index }));
    this.batchSize = batchSizeFor(items.length, Math.min(concurrency, items.length));
  }

  /** Resolves when every database has a result. */
  run(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      const workers = Math.min(this.concurrency, this.queue.length);
      for (let i = 0; i < workers; i++) this.start();
      this.finishIfDone();
    });
  }

  private start(): void {
    const slot: Slot = { worker: new Worker(WORKER_ENTRY, { workerData: this.data }), inFlight: [], ready: false, retiring: false, lastError: undefined };
    this.slots.add(slot);
    slot.worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    slot.worker.on('error', (error) => (slot.lastError = error));
    slot.worker.on('exit', (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    // After a fatal failure the run is over: late results from workers being stopped are dropped.
    if (this.failed) return;
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        this.handOut(slot);
        return;
      case 'result':
        slot.inFlight = slot.inFlight.filter((item) => item.index !== message.index);
        this.onResult(message.result);
        return;
      case 'batch-done':
        this.handOut(slot);
        return;
      case 'failed':
        this.fail(new UnexpectedError(`a fleet worker could not load what the main thread had loaded: ${message.error.message}`, { details: { error: message.error } }));
        return;
    }
  }

  private handOut(slot: Slot): void {
    const items = this.queue.splice(0, this.batchSize);
    if (items.length === 0) {
      this.retire(slot);
      return;
    }
    slot.inFlight = items;
    const message: ToWorker = { type: 'batch', items };
    slot.worker.postMessage(message);
  }

  private retire(slot: Slot): void {
    slot.retiring = true;
    void slot.worker.terminate();
  }

  private onExit(slot: Slot, code: number): void {
    this.slots.delete(slot);
    if (this.failed || slot.retiring) {
      this.finishIfDone();
      return;
    }
    const why = slot.lastError?.message ?? `exit code ${code}`;
    if (!slot.ready) {
      this.fail(new UnexpectedError(`a fleet worker stopped while loading the migrations and rules (${why}); no database was processed by it.`, { cause: slot.lastError }));
      return;
    }
    const [culprit, ...rest] = slot.inFlight;
    if (culprit !== undefined) this.onResult(deathResult(culprit, why));
    this.queue.unshift(...rest);
    if (this.queue.length > 0) this.start();
    this.finishIfDone();
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    for (const slot of this.slots) void slot.worker.terminate();
    this.settle?.reject(error);
  }

  private finishIfDone(): void {
    if (!this.failed && this.slots.size === 0 && this.queue.length === 0) this.settle?.resolve();
  }
}
