import assert from 'node:assert/strict';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFleet, workerData } from '../../src/fleet/load-fleet.js';
import { loadFleetWorker } from '../../src/fleet/loaded-fleet.js';
import type { FleetSources, FleetTask } from '../../src/fleet/types.js';
import { InvalidMigrationsError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';
import { REPO_MIGRATIONS, REPO_RULES } from './generate-fleet.js';

/**
 * What a fleet worker loads itself and what it takes from the main thread,
 * with the repository's real migrations and rules copied to a temp folder.
 */

const TASK: FleetTask = { upgrade: false, mode: 'bridge', to: undefined, backup: false };

function sourcesIn(dir: string): FleetSources {
  const migrationsDir = join(dir, 'migrations');
  const rules = join(dir, 'rules');
  cpSync(REPO_MIGRATIONS, migrationsDir, { recursive: true });
  cpSync(REPO_RULES, rules, { recursive: true });
  return { migrationsDir, rules, legacy: undefined, table: 'drawbridge_migrations', lockTimeoutMs: 1000 };
}

test('a worker takes the rules the main thread validated as data: it never reads the rules files', async (t) => {
  const sources = sourcesIn(tempDir(t));
  const main = await loadFleet(sources, TASK);
  rmSync(sources.rules ?? '', { recursive: true });
  const worker = await loadFleetWorker(structuredClone(workerData(main)));
  assert.deepEqual(worker.detection.rules, main.detection.rules);
  assert.equal(worker.detection.set.migrations.length, main.detection.set.migrations.length);
});

test('a worker whose migrations changed after the main thread derived the schemas refuses to start', async (t) => {
  const sources = sourcesIn(tempDir(t));
  const data = workerData(await loadFleet(sources, TASK));
  writeFileSync(join(sources.migrationsDir, '0011_late_arrival.sql'), '-- migrate:up\nCREATE TABLE late (id INTEGER PRIMARY KEY);\n');
  await assert.rejects(loadFleetWorker(structuredClone(data)), InvalidMigrationsError);
});

test('a worker freezes the derived schemas it is given, so detection may remember what it works out from them', async (t) => {
  const data = workerData(await loadFleet(sourcesIn(tempDir(t)), TASK));
  const worker = await loadFleetWorker(structuredClone(data));
  const last = worker.detection.derived.at(-1);
  assert.ok(Object.isFrozen(worker.detection.derived) && last !== undefined && Object.isFrozen(last.snapshot.tables));
});
