import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { InvalidMigrationsError } from '../../src/errors.js';
import { REFERENCE_MIGRATIONS } from '../../src/package-paths.js';
import { countFindings, lintMigrations, type LintFinding } from '../../src/runner/lint-migrations.js';
import { writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/**
 * lintMigrations on a directory shaped like the packages of seed 004 (Cloudflare
 * D1 migrations run by hand): 4-digit names and a 3-digit one, a repeated
 * number, idempotent and non-idempotent files, and a table recreation with
 * PRAGMA foreign_keys=OFF.
 */

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const SEED_004_SHAPE: Record<string, string> = {
  '0001_initial_schema.sql': lines(
    '-- Migration: 0001 - initial schema',
    '-- migrate:up',
    'CREATE TABLE IF NOT EXISTS users (',
    '  id TEXT PRIMARY KEY,',
    '  email TEXT NOT NULL',
    ');',
    'CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON users(email);',
    "INSERT OR IGNORE INTO users (id, email) VALUES ('admin', 'admin@example.com');",
    '-- migrate:down',
    'DROP INDEX idx_users_email;',
    'DROP TABLE users;',
  ),
  '0002_add_user_plugins.sql': lines(
    '-- migrate:up',
    'CREATE TABLE user_plugins (',
    '  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,',
    '  plugin TEXT NOT NULL',
    ');',
    'CREATE UNIQUE INDEX idx_user_plugins ON user_plugins(user_id, plugin);',
    'ALTER TABLE users ADD COLUMN plan TEXT;',
    "INSERT INTO user_plugins (user_id, plugin) VALUES ('admin', 'core');",
    '-- migrate:down',
    'DROP TABLE user_plugins;',
  ),
  '0003_fix_tier_constraint.sql': lines(
    '-- SQLite cannot alter a CHECK constraint, so the table is recreated.',
    '-- migrate:up',
    'PRAGMA foreign_keys=OFF;',
    'CREATE TABLE users_new (',
    '  id TEXT PRIMARY KEY,',
    '  email TEXT NOT NULL,',
    "  plan TEXT CHECK (plan IN ('free', 'pro'))",
    ');',
    'INSERT INTO users_new SELECT id, email, plan FROM users;',
    'DROP TABLE users;',
    'ALTER TABLE users_new RENAME TO users;',
    'CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON users(email);',
    'PRAGMA foreign_keys=ON;',
  ),
  '0003_user_sessions.sql': lines(
    '-- migrate:up',
    'CREATE TABLE IF NOT EXISTS user_sessions (id TEXT PRIMARY KEY, user_id TEXT);',
    '-- migrate:down',
    'DROP TABLE IF EXISTS user_sessions;',
  ),
  '009_user_plugins_v2.sql': lines('-- migrate:up', 'CREATE TABLE plugin_settings (plugin TEXT PRIMARY KEY, settings TEXT);'),
};

function lintOf(t: TestContext, files: Record<string, string>): LintFinding[] {
  return lintMigrations(writeMigrations(join(tempDir(t), 'migrations'), files));
}

/** Findings as "file:line severity rule", in the order lint returns them; only those of `file` when given. */
function summary(findings: readonly LintFinding[], file?: string): string[] {
  return findings.filter((f) => file === undefined || basename(f.file) === file).map((f) => `${basename(f.file)}:${f.line} ${f.severity} ${f.rule}`);
}

const IDEMPOTENT_UP = lines('-- migrate:up', 'CREATE TABLE IF NOT EXISTS a (x);');

test('every name without a 4-digit prefix is a migration-name error on line 1 of its file', (t) => {
  const findings = lintOf(t, { '0001_a.sql': IDEMPOTENT_UP, '009_user_plugins.sql': IDEMPOTENT_UP, 'add_users.sql': IDEMPOTENT_UP, 'migration_v3.sql': IDEMPOTENT_UP });
  assert.deepEqual(summary(findings), ['009_user_plugins.sql:1 error migration-name', 'add_users.sql:1 error migration-name', 'migration_v3.sql:1 error migration-name']);
  assert.match(findings[0]?.message ?? '', /4-digit prefix/);
});

test('two files with the same number are each an error that names both', (t) => {
  const findings = lintOf(t, SEED_004_SHAPE).filter((f) => f.rule === 'duplicate-number');
  assert.deepEqual(summary(findings), ['0003_fix_tier_constraint.sql:1 error duplicate-number', '0003_user_sessions.sql:1 error duplicate-number']);
  assert.equal(findings[0]?.message, '0003_fix_tier_constraint.sql, 0003_user_sessions.sql share the number 0003; each migration needs its own');
});

test('a gap in the numbering is an error on the file after it', (t) => {
  const findings = lintOf(t, { '0001_a.sql': IDEMPOTENT_UP, '0003_c.sql': IDEMPOTENT_UP });
  assert.deepEqual(summary(findings), ['0003_c.sql:1 error sequence-gap']);
  assert.match(findings[0]?.message ?? '', /0002 is missing before it/);
});

test('an idempotent up section gives no findings, and its unguarded down section is not checked for idempotency', (t) => {
  assert.deepEqual(summary(lintOf(t, SEED_004_SHAPE), '0001_initial_schema.sql'), []);
});

test('each non-idempotent statement of an up section is a warning on its own line', (t) => {
  assert.deepEqual(summary(lintOf(t, SEED_004_SHAPE), '0002_add_user_plugins.sql'), [
    '0002_add_user_plugins.sql:2 warning create-without-if-not-exists',
    '0002_add_user_plugins.sql:6 warning create-without-if-not-exists',
    '0002_add_user_plugins.sql:7 warning alter-table',
    '0002_add_user_plugins.sql:8 warning insert-without-conflict-clause',
  ]);
});

test('a warning says what a second run does', (t) => {
  const [create] = lintOf(t, SEED_004_SHAPE).filter((f) => basename(f.file) === '0002_add_user_plugins.sql');
  assert.equal(create?.message, 'CREATE TABLE user_plugins without IF NOT EXISTS: run a second time, it fails with "table user_plugins already exists"');
});

test('a table recreation: both PRAGMA foreign_keys and each rebuild step are warnings on their lines', (t) => {
  assert.deepEqual(summary(lintOf(t, SEED_004_SHAPE), '0003_fix_tier_constraint.sql'), [
    '0003_fix_tier_constraint.sql:1 error duplicate-number',
    '0003_fix_tier_constraint.sql:3 warning pragma-foreign-keys',
    '0003_fix_tier_constraint.sql:4 warning create-without-if-not-exists',
    '0003_fix_tier_constraint.sql:9 warning insert-without-conflict-clause',
    '0003_fix_tier_constraint.sql:10 warning drop-without-if-exists',
    '0003_fix_tier_constraint.sql:11 warning alter-table',
    '0003_fix_tier_constraint.sql:13 warning pragma-foreign-keys',
  ]);
});

test('PRAGMA foreign_keys is explained: drawbridge already switches foreign keys off around every migration', (t) => {
  const pragma = lintOf(t, SEED_004_SHAPE).find((f) => f.rule === 'pragma-foreign-keys');
  assert.match(pragma?.message ?? '', /ignores it inside a transaction, and drawbridge already switches foreign keys off/);
});

test('the statements of a misnamed file are still checked', (t) => {
  assert.deepEqual(summary(lintOf(t, SEED_004_SHAPE), '009_user_plugins_v2.sql'), [
    '009_user_plugins_v2.sql:1 error migration-name',
    '009_user_plugins_v2.sql:2 warning create-without-if-not-exists',
  ]);
});

test('a .sql file without "-- migrate:up" is an error, and its statements are checked as they would run by hand', (t) => {
  const findings = lintOf(t, { '0001_by_hand.sql': lines('-- run with wrangler d1 execute', 'CREATE TABLE IF NOT EXISTS a (x);', 'DROP TABLE b;') });
  assert.deepEqual(summary(findings), [
    '0001_by_hand.sql:1 error malformed-migration',
    '0001_by_hand.sql:2 error malformed-migration',
    '0001_by_hand.sql:3 warning drop-without-if-exists',
  ]);
  assert.match(findings[0]?.message ?? '', /no "-- migrate:up" marker/);
});

test('transaction control and VACUUM are errors on their lines, each reported once', (t) => {
  const findings = lintOf(t, {
    '0001_wrapped.sql': lines('-- migrate:up', 'BEGIN TRANSACTION;', 'CREATE TABLE IF NOT EXISTS a (x);', 'COMMIT;', 'VACUUM;', '-- migrate:down', 'SAVEPOINT s;', 'DROP TABLE a;'),
  });
  assert.deepEqual(summary(findings), [
    '0001_wrapped.sql:2 error transaction-control',
    '0001_wrapped.sql:4 error transaction-control',
    '0001_wrapped.sql:5 error outside-transaction',
    '0001_wrapped.sql:7 error transaction-control',
  ]);
});

test('a keyword inside a string literal, a quoted name or a comment is never flagged', (t) => {
  const findings = lintOf(t, {
    '0001_quiet.sql': lines(
      '-- CREATE TABLE commented_out (x);',
      '-- migrate:up',
      '/* DROP TABLE users; ALTER TABLE users ADD COLUMN x; */',
      'CREATE TABLE IF NOT EXISTS "DROP TABLE users" (body TEXT);',
      "INSERT OR IGNORE INTO \"DROP TABLE users\" (body) VALUES ('CREATE TABLE x (y); DROP TABLE z; BEGIN; VACUUM;');",
      'UPDATE users SET email = \'PRAGMA foreign_keys=OFF;\' -- ALTER TABLE users RENAME TO u;',
      '  WHERE id = \'INSERT INTO t VALUES (1);\';',
    ),
  });
  assert.deepEqual(summary(findings), []);
});

test('statements inside a trigger body belong to the trigger and are not checked on their own', (t) => {
  const findings = lintOf(t, {
    '0001_audit.sql': lines(
      '-- migrate:up',
      'CREATE TABLE IF NOT EXISTS audit (what TEXT);',
      'CREATE TRIGGER IF NOT EXISTS trg_audit AFTER DELETE ON audit BEGIN',
      "  INSERT INTO audit (what) VALUES ('deleted');",
      'END;',
    ),
  });
  assert.deepEqual(summary(findings), []);
});

test('a directory that cannot be read is an InvalidMigrationsError saying how to point lint elsewhere', (t) => {
  assert.throws(() => lintMigrations(join(tempDir(t), 'nowhere')), (error: unknown) => error instanceof InvalidMigrationsError && /--migrations <dir>/.test(error.message));
});

test("the repository's own migrations lint with zero errors", () => {
  const counts = countFindings(lintMigrations(REFERENCE_MIGRATIONS));
  assert.equal(counts.errors, 0);
});
