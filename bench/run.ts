/**
 * `npm run bench [-- --quick] [-- --only NAME] [-- --out FILE]`: every
 * benchmark in bench/benchmarks/, one after another (never in parallel: they
 * would time each other), a table of figures with their floors or peers and
 * ratios, and the same as JSON (default bench/results.json, or
 * bench/results-quick.json with --quick).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, Figure } from './figure.js';
import { renderTable } from './table.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SOURCE = fileURLToPath(new URL('../../bench', import.meta.url));

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

async function benchmarks(only: string | undefined): Promise<Benchmark[]> {
  const folder = join(HERE, 'benchmarks');
  const files = readdirSync(folder).filter((f) => f.endsWith('.js')).sort();
  const loaded: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(folder, file)).href)) as { benchmark?: Benchmark };
    if (module.benchmark !== undefined && (only === undefined || module.benchmark.name === only)) loaded.push(module.benchmark);
  }
  return loaded;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = flag('only');
  const out = flag('out') ?? join(SOURCE, quick ? 'results-quick.json' : 'results.json');
  const figures: Figure[] = [];
  const started = new Date();
  for (const benchmark of await benchmarks(only)) {
    const dir = mkdtempSync(join(tmpdir(), `drawbridge-bench-${benchmark.name}-`));
    process.stderr.write(`${benchmark.name}…\n`);
    try {
      figures.push(...(await benchmark.run({ quick, dir })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform };
  writeFileSync(out, `${JSON.stringify({ date: started.toISOString(), quick, machine, figures }, null, 2)}\n`);
  process.stdout.write(`${renderTable(figures)}\n${quick ? '(--quick: smoke sizes, not a measurement)\n' : ''}written to ${out}\n`);
}

await main();
