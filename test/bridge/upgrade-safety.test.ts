import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateFixture } from '../../legacy-fixtures/generate.js';
import { upgrade } from '../../src/bridge/upgrade.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import type { RunProgress } from '../../src/runner/types.js';
import { json, runCli } from '../helpers/cli.js';
import { openTestDb } from '../helpers/database.js';
import { sha256File } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/** Backups before the first write, the quick_check gate, restore, and progress. */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MIGRATIONS = join(ROOT, 'migrations');
const RULES = join(ROOT, 'bridge-rules');
const REFERENCE = ['--migrations', MIGRATIONS, '--rules', RULES];

let fixtures = '';
before(() => {
  fixtures = mkdtempSync(join(tmpdir(), 'drawbridge-safety-'));
  for (const name of ['release-r06', 'variant-wal-uncheckpointed']) generateFixture(name, fixtures);
});
after(() => rmSync(fixtures, { recursive: true, force: true }));

function copyOf(t: Parameters<typeof tempDir>[0], name: string): string {
  const target = join(tempDir(t), `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(join(fixtures, `${name}.db${suffix}`))) copyFileSync(join(fixtures, `${name}.db${suffix}`), target + suffix);
  return target;
}

function count(file: string, sql: string): unknown {
  const db = openTestDb(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
}

/** The database's content: every schema object and every table's rows, in rowid order. */
function contentOf(file: string): string {
  const db = openTestDb(file, { readonly: true });
  try {
    const objects = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() as { type: string; name: string }[];
    const rows = objects.filter((o) => o.type === 'table').map((o) => db.prepare(`SELECT * FROM "${o.name.replaceAll('"', '""')}" ORDER BY rowid`).all());
    return JSON.stringify([objects, rows]);
  } finally {
    db.close();
  }
}

test('upgrade backs up beside the database first, named with the time and the versions; the backup holds the old database', (t) => {
  const file = copyOf(t, 'release-r06');
  const original = contentOf(file);
  const result = runCli(['upgrade', file, ...REFERENCE, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<{ backupPath: string; backup: { method: string } }>(result);
  assert.match(basename(body.backupPath), /^release-r06\.db\.\d{8}T\d{6}Z\.legacy-r06-hotfix-to-0010_session_tags\.backup$/);
  assert.equal(body.backup.method, 'file-copy');
  assert.equal(contentOf(body.backupPath), original);
  assert.equal(count(body.backupPath, 'PRAGMA quick_check'), 'ok');
});

test('a backup a killed upgrade left half-written beside the database is cleared by the next upgrade', (t) => {
  const file = copyOf(t, 'release-r06');
  const stale = `${file}.20200101T000000Z.legacy-r06-hotfix-to-0010_session_tags.backup.partial`;
  writeFileSync(stale, 'half a backup');
  assert.equal(runCli(['upgrade', file, ...REFERENCE]).code, 0);
  assert.equal(existsSync(stale), false);
});

test('--backup PATH puts the backup there; --no-backup takes none', (t) => {
  const file = copyOf(t, 'release-r06');
  const target = join(tempDir(t), 'elsewhere.backup');
  assert.equal(runCli(['upgrade', file, ...REFERENCE, '--backup', target]).code, 0);
  assert.ok(existsSync(target));
  const other = copyOf(t, 'release-r06');
  const result = runCli(['upgrade', other, ...REFERENCE, '--no-backup', '--json']);
  assert.equal(json<{ backupPath: string | null }>(result).backupPath, null);
  assert.deepEqual(readdirSync(join(other, '..')).filter((f) => f.endsWith('.backup')), []);
});

test('a WAL database is backed up as one file, frames not yet checkpointed included', (t) => {
  const file = copyOf(t, 'variant-wal-uncheckpointed');
  const outputs = count(file, 'SELECT count(*) FROM session_outputs');
  const result = runCli(['upgrade', file, ...REFERENCE, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = json<{ backupPath: string; backup: { method: string } }>(result);
  assert.equal(body.backup.method, 'file-copy');
  assert.equal(count(body.backupPath, 'SELECT count(*) FROM session_outputs'), outputs);
  assert.equal(existsSync(`${body.backupPath}-wal`), false);
});

test('a corrupt database is refused by the quick_check gate (exit 7): not migrated, not changed, no backup taken', (t) => {
  const file = copyOf(t, 'release-r06');
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0x55, pageSize * 3 + 8, pageSize * 3 + 200); // scribble inside a b-tree page
  writeFileSync(file, bytes);
  const before = sha256File(file);
  const result = runCli(['upgrade', file, ...REFERENCE]);
  assert.equal(result.code, 7, result.stderr);
  assert.match(result.stderr, /quick_check|not a readable SQLite database/);
  assert.equal(sha256File(file), before);
  assert.deepEqual(readdirSync(join(file, '..')).filter((f) => f.endsWith('.backup')), []);
});

test('restore puts the backup back (the database as it was saved beside it); a corrupt backup is refused and changes nothing', (t) => {
  const file = copyOf(t, 'release-r06');
  const backupPath = json<{ backupPath: string }>(runCli(['upgrade', file, ...REFERENCE, '--json'])).backupPath;
  assert.equal(json<{ state: string }>(runCli(['detect', file, ...REFERENCE, '--json'])).state, 'tracked');
  const restored = runCli(['restore', file, backupPath, '--json']);
  assert.equal(restored.code, 0, restored.stderr);
  const previous = json<{ previous: { path: string } }>(restored).previous.path;
  assert.ok(existsSync(previous));
  const detection = json<{ state: string; rule: { id: string } }>(runCli(['detect', file, ...REFERENCE, '--json']));
  assert.deepEqual([detection.state, detection.rule.id], ['legacy', 'legacy-r06-hotfix']);
  const bad = join(tempDir(t), 'bad.backup');
  writeFileSync(bad, 'not a database at all, just text that is long enough to be rejected by the header check\n'.repeat(3));
  const before = sha256File(file);
  const refused = runCli(['restore', file, bad]);
  assert.equal(refused.code, 7, refused.stderr);
  assert.equal(sha256File(file), before);
});

test('onProgress reports the health check, the backup and each migration, in order', async (t) => {
  const file = copyOf(t, 'release-r06');
  const events: RunProgress[] = [];
  await upgrade(file, { migrations: loadMigrations(MIGRATIONS), rules: loadRules(RULES), onProgress: (e) => events.push(e) });
  const steps = events.map((e) => (e.type === 'step' ? e.step : e.type === 'migration-done' ? `done ${e.name}` : e.type));
  assert.deepEqual(steps.filter((s) => s === 'health-check' || s === 'backup' || s.startsWith('done ')), [
    'health-check',
    'backup',
    'backup', // the step, then the backup API's page counts
    'done 0007_late_indexes',
    'done 0008_session_activity',
    'done 0009_session_git_tracking',
    'done 0010_session_tags',
  ]);
});
