import assert from 'node:assert/strict';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeFixture, FIXTURE_NAMES, generateFixture, generateFixtures } from '../../legacy-fixtures/generate.js';
import type Database from 'better-sqlite3';
import { releaseById } from '../../legacy-fixtures/index.js';
import { SESSION_STATUSES } from '../../legacy-fixtures/releases/ddl.js';
import { tempDir } from '../helpers/temp.js';
import { columns, count, dump, fixtureCache, indexes, master, openDb, readDb, tables, triggers, userVersion, views } from './schema.js';

const fixtures = fixtureCache();

// What each legacy release's schema holds, written out by hand (not derived from the code under test).
const R01 = ['projects', 'session_outputs', 'sessions'];
const R02 = [...R01, 'conversation_messages'];
const R03 = [...R02, 'execution_diffs', 'prompt_markers'];
const R04 = [...R03, 'folders', 'project_run_commands'];
const R05 = [...R04, 'app_opens', 'ui_state', 'user_preferences'];
const TABLES: Record<string, string[]> = { r01: R01, r02: R02, r03: R03, r04: R04, r05: R05, r06: R05, r07: R05, r08: R05, r09: R05, r10: R05 };
const USER_VERSION: Record<string, number> = { r01: 1, r02: 2, r03: 3, r04: 3, r05: 5, r06: 5, r07: 6, r08: 7, r09: 8, r10: 9 };

const EXPECTED: Record<string, { tables: string[]; userVersion: number }> = {
  ...Object.fromEntries(Object.keys(TABLES).flatMap((r) => [`release-${r}`, `fresh-${r}`].map((name) => [name, { tables: TABLES[r] ?? [], userVersion: USER_VERSION[r] ?? -1 }]))),
  'variant-crashed-r07': { tables: [...R05, 'sessions_new'], userVersion: 5 },
  'variant-lying-user-version': { tables: R05, userVersion: 9 },
  'variant-user-extras': { tables: [...R05, 'my_notes'], userVersion: 9 },
  'variant-wal-uncheckpointed': { tables: R05, userVersion: 9 },
  'variant-newer': { tables: [...R05, 'workspaces'], userVersion: 10 },
  'variant-fk-violations': { tables: R05, userVersion: 9 },
};

const LATE_INDEXES = [
  'idx_execution_diffs_session_sequence',
  'idx_projects_path',
  'idx_prompt_markers_session_timestamp',
  'idx_session_outputs_session_id',
  'idx_sessions_status',
  'idx_sessions_worktree_name',
];

test('there is one fixture per release (upgraded and fresh) plus six variants, each described', () => {
  assert.deepEqual([...FIXTURE_NAMES].sort(), Object.keys(EXPECTED).sort());
  assert.equal(FIXTURE_NAMES.length, 26);
  for (const name of FIXTURE_NAMES) {
    const info = describeFixture(name, '/out');
    assert.equal(info.file, join('/out', `${name}.db`));
    assert.equal(info.expectedUserVersion, EXPECTED[name]?.userVersion, name);
    assert.equal(info.journalMode, name === 'variant-wal-uncheckpointed' ? 'wal' : 'delete');
    assert.equal(info.kind, name.startsWith('release-') ? 'upgraded' : name.startsWith('fresh-') ? 'fresh' : 'variant');
    assert.ok(info.description.length > 20, name);
  }
});

for (const name of FIXTURE_NAMES.filter((n) => n !== 'variant-wal-uncheckpointed')) {
  test(`${name}: user_version and the exact set of tables the legacy code intends`, () => {
    const expected = EXPECTED[name];
    assert.ok(expected !== undefined);
    readDb(fixtures.path(name), (db) => {
      assert.equal(userVersion(db), expected.userVersion);
      assert.deepEqual(tables(db), [...expected.tables].sort());
      assert.equal(db.pragma('journal_mode', { simple: true }), 'delete');
      assert.ok(count(db, 'SELECT count(*) FROM sessions') > 0, 'the app was used');
    });
  });
}

test('sessions: upgraded installs append columns in release order; fresh installs have them where the DDL put them', () => {
  const upgraded = (r: string): string[] => readDb(fixtures.path(`release-${r}`), (db) => columns(db, 'sessions'));
  const fresh = (r: string): string[] => readDb(fixtures.path(`fresh-${r}`), (db) => columns(db, 'sessions'));
  const core = ['id', 'project_id', 'name', 'worktree_name', 'worktree_path', 'status', 'created_at'];
  assert.deepEqual(upgraded('r01'), core);
  assert.deepEqual(fresh('r01'), core);
  assert.deepEqual(upgraded('r04'), [...core, 'prompt', 'last_viewed_at', 'folder_id']);
  assert.deepEqual(fresh('r04'), ['id', 'project_id', 'folder_id', 'name', 'prompt', 'worktree_name', 'worktree_path', 'status', 'created_at', 'last_viewed_at']);
  assert.deepEqual(upgraded('r06'), [...core, 'prompt', 'last_viewed_at', 'folder_id', 'is_favorite']);
  // 0.6.0 rebuilt sessions: upgraded and fresh have the same order again.
  const rebuilt = [...core, 'prompt', 'last_viewed_at', 'folder_id', 'is_favorite'];
  assert.deepEqual(upgraded('r07'), rebuilt);
  assert.deepEqual(fresh('r07'), rebuilt);
  assert.deepEqual(upgraded('r10'), [...rebuilt, 'updated_at', 'base_commit', 'base_branch']);
  assert.deepEqual(fresh('r10'), [
    'id', 'project_id', 'name', 'worktree_name', 'worktree_path', 'base_commit', 'base_branch', 'status',
    'created_at', 'updated_at', 'prompt', 'last_viewed_at', 'folder_id', 'is_favorite',
  ]);
  const projects = (name: string): string[] => readDb(fixtures.path(name), (db) => columns(db, 'projects'));
  assert.equal(projects('release-r04').at(-1), 'display_order');
  assert.equal(projects('fresh-r04').indexOf('display_order'), 5);
});

test('fresh and upgraded installs of a release have the same tables and columns (order aside), and the same indexes except at 0.6.0', () => {
  for (const r of Object.keys(TABLES)) {
    const [upgraded, fresh] = [`release-${r}`, `fresh-${r}`].map((name) =>
      readDb(fixtures.path(name), (db) => ({
        columns: Object.fromEntries(tables(db).map((t) => [t, columns(db, t).sort()])),
        indexes: indexes(db),
        triggers: triggers(db),
        views: views(db),
      })),
    );
    assert.ok(upgraded !== undefined && fresh !== undefined);
    assert.deepEqual(upgraded.columns, fresh.columns, r);
    assert.deepEqual(upgraded.triggers, fresh.triggers, r);
    assert.deepEqual(upgraded.views, fresh.views, r);
    if (r === 'r07') assert.deepEqual(fresh.indexes, [...upgraded.indexes, 'idx_sessions_project_id'].sort());
    else assert.deepEqual(upgraded.indexes, fresh.indexes, r);
  }
});

test('indexes: the 0.6.0 rebuild lost idx_sessions_project_id on upgraded installs; 0.7.0 brought it back with the late indexes', () => {
  const indexesOf = (name: string): string[] => readDb(fixtures.path(name), indexes);
  const early = ['idx_conversation_messages_session_id', 'idx_sessions_project_id'];
  assert.deepEqual(indexesOf('release-r01'), ['idx_sessions_project_id']);
  assert.deepEqual(indexesOf('release-r06'), early);
  assert.deepEqual(indexesOf('release-r07'), ['idx_conversation_messages_session_id']);
  assert.deepEqual(indexesOf('fresh-r07'), early);
  assert.deepEqual(indexesOf('release-r08'), [...early, ...LATE_INDEXES].sort());
  assert.deepEqual(indexesOf('release-r10'), [...early, ...LATE_INDEXES].sort());
  assert.deepEqual(indexesOf('variant-user-extras'), [...early, ...LATE_INDEXES, 'my_sessions_by_name'].sort());
});

test('0.8.0 added a trigger and a view; sessions.updated_at follows the latest output', () => {
  readDb(fixtures.path('release-r08'), (db) => {
    assert.deepEqual(triggers(db), []);
    assert.deepEqual(views(db), []);
  });
  readDb(fixtures.path('release-r09'), (db) => {
    assert.deepEqual(triggers(db), ['trg_session_outputs_touch_session']);
    assert.deepEqual(views(db), ['session_summaries']);
    assert.equal(count(db, 'SELECT count(*) FROM sessions WHERE updated_at IS NULL'), 0);
    assert.equal(count(db, 'SELECT count(*) FROM session_summaries'), count(db, 'SELECT count(*) FROM sessions'));
  });
});

test('statuses: before 0.6.0 the app wrote NULL and legacy values; the rebuild mapped them to stopped and kept every session', (t) => {
  const file = fixtures.copyOf('release-r06', tempDir(t));
  const statusesOf = (db: Database.Database): Map<string, string | null> =>
    new Map((db.prepare('SELECT id, status FROM sessions').all() as { id: string; status: string | null }[]).map((r) => [r.id, r.status]));
  const db = openDb(file, { foreignKeys: false });
  t.after(() => db.close());
  const before = statusesOf(db);
  const allowed = (status: string | null): boolean => status !== null && (SESSION_STATUSES as readonly string[]).includes(status);
  assert.ok([...before.values()].some((s) => s === null), 'release-r06 has a session with a NULL status');
  assert.ok([...before.values()].some((s) => s === 'paused'), "release-r06 has a session with the legacy status 'paused'");
  releaseById('r07').runMigrations(db);
  const after = statusesOf(db);
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'every session survived the rebuild');
  for (const [id, status] of before) assert.equal(after.get(id), allowed(status) ? status : 'stopped', `session ${id} (was ${String(status)})`);
});

test('0.4.0 backfills: run scripts became run commands, and projects kept their order', () => {
  const scripts = readDb(fixtures.path('release-r03'), (db) =>
    db.prepare("SELECT id, run_script, created_at FROM projects WHERE run_script IS NOT NULL AND trim(run_script) <> '' ORDER BY id").all(),
  ) as { id: number; run_script: string; created_at: string }[];
  assert.ok(scripts.length > 0);
  readDb(fixtures.path('release-r04'), (db) => {
    const copied = db.prepare("SELECT project_id, command, order_index, created_at FROM project_run_commands WHERE display_name = 'Run' ORDER BY project_id").all();
    assert.deepEqual(copied, scripts.map((s) => ({ project_id: s.id, command: s.run_script, order_index: 0, created_at: s.created_at })));
    assert.equal(count(db, 'SELECT count(*) FROM projects WHERE display_order IS NOT id'), 0);
  });
});

test('legacy markers live in user_preferences, outside the schema', () => {
  const markers = (name: string): string[] =>
    readDb(fixtures.path(name), (db) => (db.prepare("SELECT key FROM user_preferences WHERE key LIKE 'migration.%' ORDER BY key").all() as { key: string }[]).map((r) => r.key));
  assert.deepEqual(markers('release-r05'), ['migration.ui_persistence']);
  assert.deepEqual(markers('release-r09'), ['migration.ui_persistence']);
  assert.deepEqual(markers('release-r10'), ['migration.git_tracking', 'migration.ui_persistence']);
  assert.deepEqual(markers('fresh-r10'), ['migration.git_tracking', 'migration.ui_persistence']);
});

test('variant-crashed-r07: sessions_new is left behind, sessions untouched, user_version still 5', () => {
  readDb(fixtures.path('variant-crashed-r07'), (db) => {
    assert.equal(userVersion(db), 5);
    const sql = (table: string): string =>
      (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { sql: string }).sql;
    assert.ok(!sql('sessions').includes('CHECK (status IN'));
    assert.ok(sql('sessions_new').includes('CHECK (status IN'));
    assert.equal(count(db, 'SELECT count(*) FROM sessions_new'), count(db, 'SELECT count(*) FROM sessions'));
    assert.ok(count(db, 'SELECT count(*) FROM sessions') > 0);
    assert.deepEqual(indexes(db), ['idx_conversation_messages_session_id', 'idx_sessions_project_id']);
  });
  // It is release-r06 plus the half-done rebuild: every other table is identical.
  const r06 = readDb(fixtures.path('release-r06'), dump);
  const crashed = readDb(fixtures.path('variant-crashed-r07'), dump);
  const { sessions_new: copied, ...rest } = crashed;
  assert.ok(copied !== undefined);
  assert.deepEqual(rest, r06);
});

test('variant-lying-user-version: the schema of release-r05, user_version 9', () => {
  const lying = readDb(fixtures.path('variant-lying-user-version'), (db) => ({ v: userVersion(db), master: master(db), data: dump(db) }));
  const r05 = readDb(fixtures.path('release-r05'), (db) => ({ v: userVersion(db), master: master(db), data: dump(db) }));
  assert.equal(lying.v, 9);
  assert.equal(r05.v, 5);
  assert.deepEqual(lying.master, r05.master);
  assert.deepEqual(lying.data, r05.data);
});

test('variant-user-extras and variant-newer: what the user and a newer release added', () => {
  readDb(fixtures.path('variant-user-extras'), (db) => {
    assert.deepEqual(columns(db, 'my_notes'), ['id', 'body']);
    assert.equal(count(db, 'SELECT count(*) FROM my_notes'), 2);
    assert.ok(indexes(db).includes('my_sessions_by_name'));
  });
  readDb(fixtures.path('variant-newer'), (db) => {
    assert.equal(userVersion(db), 10);
    assert.ok(columns(db, 'projects').includes('workspace_id'));
    assert.ok(count(db, 'SELECT count(*) FROM projects WHERE workspace_id IS NOT NULL') > 0);
  });
});

test('variant-fk-violations: orphan outputs and messages; release-r10 has none', () => {
  readDb(fixtures.path('variant-fk-violations'), (db) => {
    const violations = db.pragma('foreign_key_check') as { table: string; parent: string }[];
    assert.ok(violations.length > 0);
    assert.deepEqual([...new Set(violations.map((v) => v.table))].sort(), ['conversation_messages', 'session_outputs']);
    assert.ok(violations.every((v) => v.parent === 'sessions'));
  });
  readDb(fixtures.path('release-r10'), (db) => assert.deepEqual(db.pragma('foreign_key_check'), []));
});

test('variant-wal-uncheckpointed: journal_mode wal, the last activity only in a non-empty -wal file', (t) => {
  const dir = tempDir(t);
  const { file, journalMode } = generateFixture('variant-wal-uncheckpointed', dir);
  assert.equal(journalMode, 'wal');
  // Look at the files before any connection opens them (closing the last connection checkpoints).
  assert.ok(statSync(`${file}-wal`).size > 0, 'the -wal holds frames');
  assert.ok(existsSync(`${file}-shm`));
  assert.ok(!existsSync(join(dir, '.variant-wal-uncheckpointed.writer.db')), 'the writer\'s scratch file is gone');
  // The main file alone is release-r10; the -wal adds the last round of activity.
  const mainOnly = join(tempDir(t), 'main-only.db');
  copyFileSync(file, mainOnly);
  const sessionsIn = (path: string): number => readDb(path, (db) => count(db, 'SELECT count(*) FROM sessions'));
  const r10 = sessionsIn(fixtures.path('release-r10'));
  assert.equal(sessionsIn(mainOnly), r10);
  readDb(file, (db) => {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(userVersion(db), 9);
    assert.ok(count(db, 'SELECT count(*) FROM sessions') > r10);
  });
});

test('generation is deterministic: the same rows every time', (t) => {
  for (const name of ['release-r10', 'fresh-r05', 'variant-newer']) {
    const [a, b] = [tempDir(t), tempDir(t)].map((dir) => readDb(generateFixture(name, dir).file, (db) => ({ master: master(db), data: dump(db) })));
    assert.deepEqual(a, b, name);
  }
  // Regenerating over an existing file replaces it.
  const dir = tempDir(t);
  const first = readDb(generateFixture('release-r03', dir).file, dump);
  const again = readDb(generateFixture('release-r03', dir).file, dump);
  assert.deepEqual(again, first);
});

test('generateFixtures writes every fixture and returns its description', (t) => {
  const dir = tempDir(t);
  const infos = generateFixtures(dir);
  assert.deepEqual(infos.map((i) => i.name), [...FIXTURE_NAMES]);
  for (const info of infos) {
    assert.ok(existsSync(info.file), info.name);
    assert.deepEqual(info, describeFixture(info.name, dir));
  }
});
