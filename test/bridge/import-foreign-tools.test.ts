import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { upgrade } from '../../src/bridge/upgrade.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { json, runCli } from '../helpers/cli.js';
import { execOn, openTestDb } from '../helpers/database.js';
import { sha256File, sqlMigration, writeMigrations } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Databases other migration tools managed, built the way each tool leaves
 * them (its documented tracking-table DDL, its own ids and timestamps), are
 * adopted: an import rule maps their rows onto the new sequence, the upgrade
 * records them as `imported` with the source rows, and runs the rest.
 */

const MIGRATIONS = {
  '0001_users.sql': sqlMigration('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);', 'DROP TABLE users;'),
  '0002_email.sql': sqlMigration('ALTER TABLE users ADD COLUMN email TEXT;', 'ALTER TABLE users DROP COLUMN email;'),
  '0003_posts.sql': sqlMigration('CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), body TEXT);', 'DROP TABLE posts;'),
};

/** The app's schema after its first two migrations, with a few rows: what every tool below had applied. */
const APP_AT_0002 = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT); INSERT INTO users (name, email) VALUES ('ada', 'ada@example.com'), ('bob', NULL);";

interface ToolCase {
  readonly tool: string;
  /** The tool's tracking table and rows, as the tool writes them. */
  readonly history: string;
  /** The rule's import section (YAML flow mapping). */
  readonly rule: string;
  /** The tool's ids, as the source of 0001 and 0002. */
  readonly ids: readonly [string, string];
  /** applied_at recorded for 0001, from the tool's own row. */
  readonly appliedAt: string | null;
  /** duration_ms recorded for 0001, when the tool keeps one. */
  readonly durationMs?: number;
}

const TOOLS: readonly ToolCase[] = [
  {
    tool: 'knex',
    history:
      'CREATE TABLE `knex_migrations` (`id` integer not null primary key autoincrement, `name` varchar(255), `batch` integer, `migration_time` datetime);' +
      'CREATE TABLE `knex_migrations_lock` (`index` integer not null primary key autoincrement, `is_locked` integer);' +
      'INSERT INTO knex_migrations (name, batch, migration_time) VALUES (\'20240101090000_users.js\', 1, 1704099600000), (\'20240215120000_email.js\', 2, 1708000000000);' +
      'INSERT INTO knex_migrations_lock (is_locked) VALUES (0);',
    rule: '{ from: knex, map: { 20240101090000_users.js: 0001_users, 20240215120000_email.js: 0002_email } }',
    ids: ['20240101090000_users.js', '20240215120000_email.js'],
    appliedAt: '2024-01-01T09:00:00.000Z',
  },
  {
    tool: 'sequelize',
    history: "CREATE TABLE `SequelizeMeta` (`name` VARCHAR(255) NOT NULL UNIQUE PRIMARY KEY); INSERT INTO SequelizeMeta VALUES ('20240101090000-create-users.js'), ('20240215120000-add-email.js');",
    rule: '{ from: sequelize, map: { 20240101090000-create-users.js: 0001_users, 20240215120000-add-email.js: 0002_email } }',
    ids: ['20240101090000-create-users.js', '20240215120000-add-email.js'],
    appliedAt: null,
  },
  {
    tool: 'prisma',
    history:
      'CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0);' +
      "INSERT INTO _prisma_migrations VALUES ('9c6f', 'a1b2', 1704099600250, '20240101090000_init', NULL, NULL, 1704099600000, 1), ('4d2e', 'c3d4', 1708000000100, '20240215120000_email', NULL, NULL, 1708000000000, 1);",
    rule: '{ from: prisma, map: { 20240101090000_init: 0001_users, 20240215120000_email: 0002_email } }',
    ids: ['20240101090000_init', '20240215120000_email'],
    appliedAt: '2024-01-01T09:00:00.250Z',
    durationMs: 250,
  },
  {
    tool: 'drizzle',
    history:
      'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric);' +
      "INSERT INTO __drizzle_migrations (id, hash, created_at) VALUES (1, 'e3b0c44298fc1c149afbf4c8996fb924', 1704099600000), (2, '27ae41e4649b934ca495991b7852b855', 1708000000000);",
    rule: '{ from: drizzle, map: { e3b0c44298fc1c149afbf4c8996fb924: 0001_users, 27ae41e4649b934ca495991b7852b855: 0002_email } }',
    ids: ['e3b0c44298fc1c149afbf4c8996fb924', '27ae41e4649b934ca495991b7852b855'],
    appliedAt: '2024-01-01T09:00:00.000Z',
  },
  {
    tool: 'd1',
    history:
      'CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);' +
      "INSERT INTO d1_migrations (name, applied_at) VALUES ('0001_users.sql', '2024-01-01 09:00:00'), ('0002_email.sql', '2024-02-15 12:00:00');",
    rule: '{ from: d1, map: same-name }',
    ids: ['0001_users.sql', '0002_email.sql'],
    appliedAt: '2024-01-01T09:00:00.000Z',
  },
  {
    tool: 'dbmate',
    history: "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (version varchar(128) primary key); INSERT INTO schema_migrations VALUES ('20240101090000'), ('20240215120000');",
    rule: '{ from: dbmate, map: { "20240101090000": 0001_users, "20240215120000": 0002_email } }',
    ids: ['20240101090000', '20240215120000'],
    appliedAt: null,
  },
  {
    tool: 'golang-migrate',
    history: 'CREATE TABLE IF NOT EXISTS schema_migrations (version uint64, dirty bool); CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version); INSERT INTO schema_migrations VALUES (2, 0);',
    rule: '{ from: golang-migrate, map: by-number }',
    ids: ['2', '2'],
    appliedAt: null,
  },
  {
    tool: 'flyway',
    history:
      'CREATE TABLE "flyway_schema_history" ("installed_rank" INT NOT NULL PRIMARY KEY, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INT, "installed_by" VARCHAR(100) NOT NULL, "installed_on" TEXT NOT NULL DEFAULT (strftime(\'%Y-%m-%d %H:%M:%f\',\'now\')), "execution_time" INT NOT NULL, "success" BOOLEAN NOT NULL);' +
      "INSERT INTO flyway_schema_history VALUES (1, '1', 'users', 'SQL', 'V1__users.sql', -1049912401, 'app', '2024-01-01 09:00:00.000', 37, 1), (2, '2', 'email', 'SQL', 'V2__email.sql', 88231, 'app', '2024-02-15 12:00:00.000', 12, 1);",
    rule: '{ from: flyway, map: by-number }',
    ids: ['1', '2'],
    appliedAt: '2024-01-01T09:00:00.000Z',
    durationMs: 37,
  },
];

interface Setup {
  readonly file: string;
  readonly migrations: string;
  readonly rules: string;
}

function adopted(t: TestContext, history: string, importSection: string): Setup {
  const dir = tempDir(t);
  const migrations = writeMigrations(join(dir, 'migrations'), MIGRATIONS);
  const rules = join(dir, 'rules.yaml');
  writeFileSync(rules, `format: 1\nrules:\n  - id: adopt\n    import: ${importSection}\n`);
  const file = join(dir, 'app.db');
  execOn(file, `${APP_AT_0002}${history}`);
  return { file, migrations, rules };
}

interface Recorded {
  name: string;
  method: string;
  rule: string | null;
  applied_at: string;
  duration_ms: number;
  source: string | null;
}

function recorded(file: string): Recorded[] {
  const db = openTestDb(file, { readonly: true });
  try {
    return db.prepare('SELECT name, method, rule, applied_at, duration_ms, source FROM drawbridge_migrations ORDER BY name').all() as Recorded[];
  } finally {
    db.close();
  }
}

for (const c of TOOLS) {
  test(`${c.tool}: its history is detected, imported as 0001 and 0002 with the source rows, and 0003 runs`, async (t) => {
    const { file, migrations, rules } = adopted(t, c.history, c.rule);
    const result = await upgrade(file, { migrations: loadMigrations(migrations), rules: loadRules(rules), backup: false });
    assert.deepEqual([result.rule, result.bridgePoint, result.imported, result.applied], ['adopt', '0002_email', ['0001_users', '0002_email'], ['0003_posts']]);
    const [first, second, third] = recorded(file);
    assert.deepEqual([first?.method, second?.method, third?.method], ['imported', 'imported', 'run']);
    const source = JSON.parse(first?.source ?? 'null') as { tool: string; ids: string[]; rows: unknown[] };
    assert.deepEqual([source.tool, source.ids], [c.tool, [c.ids[0]]]);
    assert.equal((JSON.parse(second?.source ?? 'null') as { ids: string[] }).ids[0], c.ids[1]);
    if (c.appliedAt !== null) assert.equal(first?.applied_at, c.appliedAt);
    if (c.durationMs !== undefined) assert.equal(first?.duration_ms, c.durationMs);
    const verify = runCli(['verify', file, '--migrations', migrations]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });
}

function refusedWithoutWriting(setup: Setup): { stderr: string } {
  const before = sha256File(setup.file);
  const result = runCli(['upgrade', setup.file, '--migrations', setup.migrations, '--rules', setup.rules, '--no-backup']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(sha256File(setup.file), before);
  return result;
}

test('golang-migrate: a dirty version is refused with `migrate force` as the way out, and the file is unchanged', (t) => {
  const setup = adopted(t, 'CREATE TABLE schema_migrations (version uint64, dirty bool); CREATE UNIQUE INDEX version_unique ON schema_migrations (version); INSERT INTO schema_migrations VALUES (2, 1);', '{ from: golang-migrate, map: by-number }');
  const { stderr } = refusedWithoutWriting(setup);
  assert.match(stderr, /schema_migrations: 2 is marked dirty \(a migration stopped half-way\); it is not imported as applied/);
  assert.match(stderr, /migrate force 2/);
});

test('prisma: a failed migration (finished_at empty) is refused with `prisma migrate resolve` as the way out', (t) => {
  const prisma = TOOLS.find((c) => c.tool === 'prisma');
  const failed = `${prisma?.history ?? ''}UPDATE _prisma_migrations SET finished_at = NULL, logs = 'Error: P3018' WHERE migration_name = '20240215120000_email';`;
  const { stderr } = refusedWithoutWriting(adopted(t, failed, prisma?.rule ?? ''));
  assert.match(stderr, /_prisma_migrations: 20240215120000_email failed and was never resolved/);
  assert.match(stderr, /prisma migrate resolve --applied 20240215120000_email/);
});

test('a dirty history refuses even without an import rule, when the schema alone would have placed the database', (t) => {
  const setup = adopted(t, 'CREATE TABLE schema_migrations (version uint64, dirty bool); INSERT INTO schema_migrations VALUES (2, 1);', '{ from: knex, map: by-number }');
  const before = sha256File(setup.file);
  const result = runCli(['upgrade', setup.file, '--migrations', setup.migrations, '--no-backup']);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /is marked dirty/);
  assert.equal(sha256File(setup.file), before);
});

test('the report says why: the refusal names the dirty row, and the history is listed with its problem', (t) => {
  const setup = adopted(t, 'CREATE TABLE schema_migrations (version uint64, dirty bool); INSERT INTO schema_migrations VALUES (2, 1);', '{ from: golang-migrate, map: by-number }');
  const report = json<{ plan: { refusal: { kind: string; message: string } }; detection: { foreignHistories: { tool: string; table: string; problems: string[] }[] } }>(
    runCli(['report', setup.file, '--migrations', setup.migrations, '--rules', setup.rules, '--format', 'json']),
  );
  assert.equal(report.plan.refusal.kind, 'foreign-history');
  assert.deepEqual(report.detection.foreignHistories.map((h) => [h.tool, h.table, h.problems.length]), [['golang-migrate', 'schema_migrations', 1]]);
  const text = runCli(['report', setup.file, '--migrations', setup.migrations, '--rules', setup.rules]);
  assert.match(text.stdout, /marked dirty/);
});

test('an import rule whose tool left no table in this database does not match it', (t) => {
  const setup = adopted(t, '', '{ from: flyway, map: by-number }');
  const detection = json<{ state: string; rule: { id: string } | null; bridgePoint: string }>(runCli(['detect', setup.file, '--migrations', setup.migrations, '--rules', setup.rules, '--json']));
  assert.deepEqual([detection.state, detection.rule, detection.bridgePoint], ['legacy', null, '0002_email']);
});
