import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { REFERENCE_MIGRATIONS } from '../../../src/package-paths.js';
import { json, runCli } from '../../helpers/cli.js';
import { sqlMigration, writeMigrations } from '../../helpers/files.js';
import { tempDir } from '../../helpers/temp.js';

/** `drawbridge lint [--migrations DIR] [--strict] [--json]`. */

const GUARDED = sqlMigration('CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY);', 'DROP TABLE users;');
const UNGUARDED = sqlMigration('CREATE TABLE plugins (id TEXT PRIMARY KEY);\nALTER TABLE users ADD COLUMN plan TEXT;', 'DROP TABLE plugins;');

function directory(t: TestContext, files: Record<string, string>): string {
  return writeMigrations(join(tempDir(t), 'migrations'), files);
}

interface LintJson {
  ok: boolean;
  command: string;
  findings: { file: string; line: number; severity: string; rule: string; message: string }[];
  counts: { errors: number; warnings: number };
}

test('lint prints file:line: severity rule: message for each finding, and a count; exit 8 when there is an error', (t) => {
  const dir = directory(t, { '0001_users.sql': GUARDED, '0002_plugins.sql': UNGUARDED, '003_late.sql': GUARDED });
  // Run from the directory's parent: findings are shown relative to where the user stands.
  const result = runCli(['lint', '--migrations', 'migrations'], { cwd: dirname(dir) });
  assert.equal(result.code, 8, result.stderr);
  const out = result.stdout.split('\n');
  assert.ok(out.includes('migrations/003_late.sql:1: error migration-name: name must be NNNN_description with a 4-digit prefix, e.g. 0007_add_status'), result.stdout);
  assert.ok(out.includes('migrations/0002_plugins.sql:2: warning create-without-if-not-exists: CREATE TABLE plugins without IF NOT EXISTS: run a second time, it fails with "table plugins already exists"'));
  assert.ok(out.some((l) => l.startsWith('migrations/0002_plugins.sql:3: warning alter-table: ALTER TABLE users ADD COLUMN plan')));
  assert.equal(out.at(-2), 'migrations: 1 error, 2 warnings');
});

test('with warnings only, lint exits 0 and says once why idempotency matters under drawbridge', (t) => {
  const dir = directory(t, { '0001_users.sql': GUARDED, '0002_plugins.sql': UNGUARDED });
  const result = runCli(['lint', '--migrations', dir]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(result.stdout.match(/runs every migration exactly once, inside a transaction/g)?.length, 1);
  assert.match(result.stdout, /wrangler d1 execute, sqlite3 < file/);
});

test('--strict makes warnings fail with exit 8', (t) => {
  const dir = directory(t, { '0001_users.sql': GUARDED, '0002_plugins.sql': UNGUARDED });
  const result = runCli(['lint', '--migrations', dir, '--strict']);
  assert.equal(result.code, 8);
  assert.match(result.stdout, /0 errors, 2 warnings \(--strict: warnings fail\)/);
});

test('--json prints one document with the command, the findings and the counts', (t) => {
  const dir = directory(t, { '0001_users.sql': GUARDED, '0001_again.sql': GUARDED, '0002_plugins.sql': UNGUARDED });
  const result = runCli(['lint', '--migrations', dir, '--json']);
  assert.equal(result.code, 8);
  const output = json<LintJson>(result);
  assert.equal(output.command, 'lint');
  assert.equal(output.ok, false);
  assert.deepEqual(output.counts, { errors: 2, warnings: 2 });
  assert.deepEqual(
    output.findings.map((f) => [f.file, f.line, f.severity, f.rule]),
    [
      [join(dir, '0001_again.sql'), 1, 'error', 'duplicate-number'],
      [join(dir, '0001_users.sql'), 1, 'error', 'duplicate-number'],
      [join(dir, '0002_plugins.sql'), 2, 'warning', 'create-without-if-not-exists'],
      [join(dir, '0002_plugins.sql'), 3, 'warning', 'alter-table'],
    ],
  );
});

test('a clean directory lints with exit 0 and no note', (t) => {
  const dir = directory(t, { '0001_users.sql': GUARDED });
  const result = runCli(['lint', '--migrations', dir]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^\S+: 0 errors, 0 warnings\n$/);
});

test("the repository's own migrations lint with exit 0 and zero errors", () => {
  const result = runCli(['lint', '--migrations', REFERENCE_MIGRATIONS, '--json']);
  assert.equal(result.code, 0, result.stdout);
  assert.equal(json<LintJson>(result).counts.errors, 0);
});

test('lint given a database path exits 2', (t) => {
  const dir = directory(t, { '0001_users.sql': GUARDED });
  const result = runCli(['lint', 'app.db', '--migrations', dir]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /lint takes no database/);
});
