import Database from 'better-sqlite3';
import { writeSync } from 'node:fs';
import { latestLegacyRun } from '../../legacy-fixtures/index.js';
import { loadMigrations, loadRules, plan, upgrade, type UpgradeOptions } from '../../src/index.js';
import type { ChildSpec } from './crash-harness.js';

/**
 * The process the crash harness kills (not a test: it is run by crash-harness.ts).
 *
 *   node crash-child.js '<ChildSpec as JSON>'   upgrade spec.file with the library, on its own handle
 *   node crash-child.js --serve                 the harness's check-and-upgrade service (IPC)
 *
 * It prints markers on stdout, one a line, "@name ms", written synchronously
 * (a marker written before a SIGKILL always reaches the parent): @ready,
 * @begin / @begin-done around BEGIN IMMEDIATE, @commit / @commit-done around
 * COMMIT (and @rollback), @die just before die() kills the process, @done.
 */

let origin = performance.now();

function mark(name: string): void {
  writeSync(1, `@${name} ${(performance.now() - origin).toFixed(2)}\n`);
}

function die(label: string): never {
  mark('die');
  process.kill(process.pid, 'SIGKILL');
  throw new Error(`still alive after SIGKILL at ${label}`);
}

/** Report BEGIN/COMMIT/ROLLBACK on the handle as drawbridge issues them (it owns the transaction through exec). */
function instrument(db: Database.Database): void {
  const exec = db.exec.bind(db);
  db.exec = (source: string): Database.Database => {
    const word = /^\s*([A-Za-z]+)/.exec(source)?.[1]?.toLowerCase();
    if (word !== 'begin' && word !== 'commit' && word !== 'end' && word !== 'rollback') return exec(source);
    const name = word === 'end' ? 'commit' : word;
    mark(name);
    exec(source);
    mark(`${name}-done`);
    return db;
  };
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once('data', () => {
      process.stdin.pause();
      resolve();
    });
  });
}

async function upgradeChild(spec: ChildSpec): Promise<void> {
  const migrations = loadMigrations(spec.migrations);
  const rules = loadRules(spec.rules);
  const db = new Database(spec.file);
  if (spec.cacheSize !== null) db.pragma(`cache_size = ${spec.cacheSize}`);
  if (spec.registerDie) db.function('die', () => die('die()'));
  const { legacy } = spec;
  const options: UpgradeOptions = {
    migrations,
    rules,
    mode: spec.mode,
    legacy: legacy === null ? undefined : { run: (handle) => latestLegacyRun(handle, { checkpoint: (label) => (label === legacy.dieAt ? die(label) : undefined) }) },
  };
  if (spec.waitForGo) {
    await plan(db, options); // loads the rules' and migrations' code and derives every schema: after "go" only the upgrade is left
    mark('ready');
    await waitForGo();
    origin = performance.now();
  }
  instrument(db);
  mark('start');
  await upgrade(db, options);
  mark('done');
  db.close();
  mark('closed');
}

async function main(): Promise<void> {
  const argument = process.argv[2];
  if (argument === '--serve') {
    const { serve } = await import('./crash-harness.js');
    await serve();
    return;
  }
  if (argument === undefined) throw new Error('usage: crash-child.js <spec JSON> | --serve');
  await upgradeChild(JSON.parse(argument) as ChildSpec);
}

main().then(
  () => {
    if (process.argv[2] !== '--serve') process.exit(0);
  },
  (error: unknown) => {
    const exitCode = (error as { exitCode?: unknown }).exitCode;
    writeSync(2, `${(error as Error).stack ?? String(error)}\n`);
    process.exit(typeof exitCode === 'number' ? exitCode : 1);
  },
);
