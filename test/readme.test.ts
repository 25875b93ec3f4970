import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';
import { generateFixture } from '../legacy-fixtures/generate.js';
import { loadRules } from '../src/rules/load-rules.js';

/**
 * The README's examples, run as written so the docs cannot rot. Blocks whose
 * info string is "sh example" or "ts example" are examples; the ts ones are
 * written to run as plain JavaScript modules too.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function examples(kind: 'sh' | 'ts' | 'ts example-upgrade'): string[] {
  const tag = kind === 'ts example-upgrade' ? kind : `${kind} example`;
  return [...README.matchAll(new RegExp('```' + tag + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');
}

const require = createRequire(import.meta.url);

/** Point the example's imports at this checkout, as an installed package would resolve them. */
function runnable(block: string): string {
  return block
    .replace("from 'drawbridge'", `from ${JSON.stringify(join(ROOT, 'dist/src/index.js'))}`)
    .replace("from 'better-sqlite3'", `from ${JSON.stringify(require.resolve('better-sqlite3'))}`)
    .replace("from './legacy-migrations.js'", `from ${JSON.stringify(join(ROOT, 'dist/legacy-fixtures/index.js'))}`);
}

test('the README has shell and library examples to check', () => {
  assert.ok(examples('sh').length >= 1);
  assert.ok(examples('ts').length >= 1);
  assert.equal(examples('ts example-upgrade').length, 1);
});

test('the README quick start runs, command by command, with exit 0', (t) => {
  const dir = tempDir(t);
  for (const block of examples('sh')) {
    for (const line of block.split('\n').filter((l) => l.startsWith('npx drawbridge '))) {
      const args = line.replace('npx drawbridge ', '').split(/\s+/);
      const result = runCli(args, { cwd: dir });
      assert.equal(result.code, 0, `${line}\n${result.stderr}`);
    }
  }
});

test('the README library example runs against the quick start database', (t) => {
  const dir = tempDir(t);
  runCli(['create', 'add_projects', '--template', 'table'], { cwd: dir });
  for (const [i, block] of examples('ts').entries()) {
    const code = runnable(block);
    const file = join(dir, `example-${i}.mjs`);
    writeFileSync(file, code);
    const result = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /applied 1 migration\(s\)\n1 applied, 0 pending/);
  }
});

test('the README bootstrap example bridges a legacy database of the reference app, then is a no-op', (t) => {
  const dir = tempDir(t);
  cpSync(join(ROOT, 'migrations'), join(dir, 'migrations'), { recursive: true });
  cpSync(join(ROOT, 'bridge-rules'), join(dir, 'bridge-rules'), { recursive: true });
  copyFileSync(generateFixture('release-r06', join(dir, 'fixtures')).file, join(dir, 'app.db'));
  const [block = ''] = examples('ts example-upgrade');
  const file = join(dir, 'bootstrap.mjs');
  writeFileSync(file, runnable(block));
  const result = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'legacy → bridged at 0006_session_favorites_and_status_check, applied 4\nsecond start: nothing\n');
});

test("the README's rules examples are valid rules files", (t) => {
  const blocks = [...README.matchAll(/```yaml example-rules\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  assert.ok(blocks.length > 0, 'the README shows at least one rules example');
  for (const [index, block] of blocks.entries()) {
    const file = join(tempDir(t), `example-${index}.yaml`);
    writeFileSync(file, block);
    assert.ok(loadRules(file).rules.length > 0);
  }
});

test("the README's Performance table is the committed bench/results.json, as the bench renders it", async () => {
  const { renderTable } = await import('../bench/table.js');
  const results = JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8')) as { quick: boolean; figures: Parameters<typeof renderTable>[0] };
  assert.equal(results.quick, false, 'bench/results.json is a full run, not --quick');
  assert.ok(README.includes(renderTable(results.figures)), 'README.md shows the table of bench/results.json; paste it from `npm run bench` when you commit a new run');
});
