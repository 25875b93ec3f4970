import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

/**
 * The README's examples, run as written so the docs cannot rot. Blocks whose
 * info string is "sh example" or "ts example" are examples; the ts ones are
 * written to run as plain JavaScript modules too.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function examples(kind: 'sh' | 'ts'): string[] {
  return [...README.matchAll(new RegExp('```' + kind + ' example\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');
}

test('the README has shell and library examples to check', () => {
  assert.ok(examples('sh').length >= 1);
  assert.ok(examples('ts').length >= 1);
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
  const require = createRequire(import.meta.url);
  const index = join(ROOT, 'dist/src/index.js');
  for (const [i, block] of examples('ts').entries()) {
    const code = block
      .replace("from 'drawbridge'", `from ${JSON.stringify(index)}`)
      .replace("from 'better-sqlite3'", `from ${JSON.stringify(require.resolve('better-sqlite3'))}`);
    const file = join(dir, `example-${i}.mjs`);
    writeFileSync(file, code);
    const result = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /applied 1 migration\(s\)\n1 applied, 0 pending/);
  }
});
