import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as drawbridge from '../src/index.js';
import { tempDir } from './helpers/temp.js';

/**
 * The entry an app imports on every start: importing drawbridge and the
 * no-op upgrade() on a current database load only the no-op path (bench
 * startup measures what that saves). Everything else loads on first call.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** What the no-op may load of drawbridge's own files (relative to dist/src). */
const NO_OP_PATH = new Set(['index.js', 'errors.js', 'load-on-first-use.js', 'bridge/upgrade.js', 'bridge/modes.js', 'runner/defaults.js', 'runner/current-check.js', 'sqlite/quote.js']);

/**
 * ESM loads are seen by a module hook (on the hooks thread, which posts each
 * URL to the program), require()s by Module._load. At the end the program
 * imports one last module and waits for its URL: the port keeps order, so
 * every earlier load has been reported by then.
 */
const HOOKS = `let port;\nexport function initialize(data) { port = data.port; }\nexport async function load(url, context, next) { port.postMessage(url); return next(url, context); }\n`;
const LAST = 'data:text/javascript,export%20const%20last%3D1';

function migrationsOf(count: number): { name: string; sql: string; checksum: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const sql = `-- migrate:up\nCREATE TABLE t_${i + 1} (id INTEGER PRIMARY KEY);\n`;
    return { name: `${String(i + 1).padStart(4, '0')}_table_${i + 1}`, sql, checksum: drawbridge.checksumOf(sql) };
  });
}

/** Runs `body` (an ES module using `db`, `migrations` and drawbridge's exports) in a fresh node; returns the files it loaded. */
function filesLoadedBy(dir: string, body: string): string[] {
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, HOOKS);
  // Run from the package root, as -e, so that 'drawbridge' and 'better-sqlite3' resolve as an app's would.
  const program = [
      `import { register, Module } from 'node:module';`,
      `import { MessageChannel } from 'node:worker_threads';`,
      `const loaded = new Set();`,
      `const { port1, port2 } = new MessageChannel();`,
      `let reported; const allReported = new Promise((resolve) => { reported = resolve; });`,
      `port1.on('message', (url) => { loaded.add(url); if (url === ${JSON.stringify(LAST)}) reported(); });`,
      `register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { port: port2 }, transferList: [port2] });`,
      `const load = Module._load; Module._load = function (request, parent, isMain) { try { loaded.add(Module._resolveFilename(request, parent, isMain)); } catch {} return load.apply(this, arguments); };`,
      `const Database = (await import('better-sqlite3')).default;`,
      `const drawbridge = await import('drawbridge');`,
      `const { migrations } = await import(${JSON.stringify(pathToFileURL(join(dir, 'migrations.mjs')).href)});`,
      `const db = new Database(${JSON.stringify(join(dir, 'app.db'))});`,
      body,
      `db.close();`,
      `await import(${JSON.stringify(LAST)}); await allReported; port1.close();`,
      `process.stdout.write(JSON.stringify([...loaded]));`,
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as string[]).map((entry) => (entry.startsWith('file:') ? fileURLToPath(entry) : entry));
}

async function currentDatabase(dir: string, count: number): Promise<void> {
  const migrations = migrationsOf(count);
  writeFileSync(join(dir, 'migrations.mjs'), `export const migrations = ${JSON.stringify(migrations)};\n`);
  await drawbridge.createRunner(join(dir, 'app.db'), { migrations }).up();
}

function ownFiles(files: readonly string[]): string[] {
  return files.filter((f) => f.startsWith(SRC)).map((f) => f.slice(SRC.length).replaceAll('\\', '/'));
}

function packagesIn(files: readonly string[]): Set<string> {
  return new Set(files.map((f) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(f)?.[1]).filter((p): p is string => p !== undefined));
}

test('the hooks see what a program loads (so the tests below can fail)', async (t) => {
  const dir = tempDir(t);
  await currentDatabase(dir, 3);
  const files = filesLoadedBy(dir, `drawbridge.probeDatabase(db); await drawbridge.deriveSchemas(drawbridge.defineMigrations(migrations));`);
  assert.ok(ownFiles(files).includes('probe/fingerprint.js'), 'a require()d module is seen');
  assert.ok(ownFiles(files).includes('runner/derived-schemas.js'), 'an import()ed module is seen');
});

test('importing drawbridge and a no-op upgrade() on the app handle load only the no-op path', async (t) => {
  const dir = tempDir(t);
  await currentDatabase(dir, 20);
  const files = filesLoadedBy(dir, `const result = await drawbridge.upgrade(db, { migrations }); if (result.action !== 'nothing') throw new Error(result.action);`);
  assert.deepEqual(ownFiles(files).filter((f) => !NO_OP_PATH.has(f)), []);
});

test('the no-op loads none of umzug, ajv, yaml, tsx, nor the rules, even when the rules are passed as a function', async (t) => {
  const dir = tempDir(t);
  await currentDatabase(dir, 20);
  const files = filesLoadedBy(dir, `await drawbridge.upgrade(db, { migrations, rules: () => drawbridge.loadRules('bridge-rules') });`);
  assert.deepEqual([...packagesIn(files)].filter((p) => p !== 'better-sqlite3' && p !== 'bindings' && p !== 'file-uri-to-path'), []);
});

test('a migration pending loads the rest on demand and applies it', async (t) => {
  const dir = tempDir(t);
  await currentDatabase(dir, 2);
  writeFileSync(join(dir, 'migrations.mjs'), `export const migrations = ${JSON.stringify(migrationsOf(3))};\n`);
  const files = filesLoadedBy(dir, `const result = await drawbridge.upgrade(db, { migrations, backup: false }); if (result.applied.join() !== '0003_table_3') throw new Error(JSON.stringify(result.applied));`);
  assert.ok(ownFiles(files).includes('bridge/full-upgrade.js'));
});

test('the functions loaded on first use are the modules’ own: errors they throw are drawbridge’s classes', () => {
  assert.throws(() => drawbridge.defineMigrations([{ name: 'not-numbered', sql: 'SELECT 1' }]), drawbridge.InvalidMigrationsError);
  assert.throws(() => drawbridge.parseShard('3/2'), drawbridge.UsageError);
  assert.throws(() => drawbridge.defineRules({ format: 2 }), drawbridge.InvalidRulesError);
});
