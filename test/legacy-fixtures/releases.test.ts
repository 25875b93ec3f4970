import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FUTURE_RELEASE, latestLegacyRun, RELEASES, releaseById, run } from '../../legacy-fixtures/index.js';
import type { LegacyReleaseModule } from '../../legacy-fixtures/legacy-db.js';
import { tempDir } from '../helpers/temp.js';
import { columnSets, count, dump, fixtureCache, master, openDb, shape, tables, userVersion } from './schema.js';

const fixtures = fixtureCache();

const CHILD_TABLES = ['session_outputs', 'conversation_messages', 'prompt_markers', 'execution_diffs'];

test('RELEASES lists r01 … r10 in order, with the user_version each really left behind', () => {
  assert.deepEqual(RELEASES.map((r) => r.release.id), ['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10']);
  assert.deepEqual(RELEASES.map((r) => r.release.version), ['0.1.0', '0.2.0', '0.3.0', '0.4.0', '0.5.0', '0.5.1', '0.6.0', '0.7.0', '0.8.0', '0.9.0']);
  assert.deepEqual(RELEASES.map((r) => r.release.userVersion), [1, 2, 3, 3, 5, 5, 6, 7, 8, 9]);
  const dates = RELEASES.map((r) => r.release.released);
  assert.deepEqual([...dates].sort(), dates);
  assert.equal(FUTURE_RELEASE.release.id, 'r11');
  assert.equal(FUTURE_RELEASE.release.userVersion, 10);
  assert.equal(releaseById('r04'), RELEASES[3]);
  assert.throws(() => releaseById('r12'), /no legacy release "r12"/);
});

test('latestLegacyRun is 0.9.0\'s function: an empty database becomes release 0.9.0', (t) => {
  assert.equal(run, latestLegacyRun);
  const db = openDb(':memory:');
  t.after(() => db.close());
  latestLegacyRun(db);
  assert.equal(userVersion(db), 9);
  const expected = openDb(fixtures.path('fresh-r10'), { readonly: true });
  t.after(() => expected.close());
  assert.deepEqual(shape(db), shape(expected));
  assert.equal(count(db, "SELECT count(*) FROM user_preferences WHERE key LIKE 'migration.%'"), 2);
});

function state(db: ReturnType<typeof openDb>): unknown {
  return { userVersion: userVersion(db), master: master(db), data: dump(db) };
}

for (const [module, fixtureName] of [
  ...RELEASES.flatMap((m): [LegacyReleaseModule, string][] => [
    [m, `release-${m.release.id}`],
    [m, `fresh-${m.release.id}`],
  ]),
  [FUTURE_RELEASE, 'variant-newer'] as [LegacyReleaseModule, string],
]) {
  test(`${module.release.id}'s function is idempotent: run again on ${fixtureName}, nothing changes`, (t) => {
    const db = openDb(fixtures.copyOf(fixtureName, tempDir(t))); // foreign keys ON, as the app had them
    t.after(() => db.close());
    const before = state(db);
    module.runMigrations(db);
    assert.deepEqual(state(db), before);
    module.runMigrations(db);
    assert.deepEqual(state(db), before);
  });
}

test('every release\'s function upgrades release-r01 straight to its own schema, as the step-by-step path did', (t) => {
  const dir = tempDir(t);
  for (const module of [...RELEASES.slice(1), FUTURE_RELEASE]) {
    const id = module.release.id;
    const db = openDb(fixtures.copyOf('release-r01', dir), { foreignKeys: false });
    try {
      const rowsBefore = Object.fromEntries(['projects', 'sessions', 'session_outputs'].map((table) => [table, count(db, `SELECT count(*) FROM ${table}`)]));
      module.runMigrations(db);
      const stepwise = openDb(fixtures.path(id === 'r11' ? 'variant-newer' : `release-${id}`), { readonly: true });
      try {
        assert.deepEqual(shape(db), shape(stepwise), `r01 → ${id}: tables, columns (in order), indexes, triggers, views`);
      } finally {
        stepwise.close();
      }
      assert.equal(userVersion(db), module.release.userVersion);
      for (const [table, rows] of Object.entries(rowsBefore)) assert.equal(count(db, `SELECT count(*) FROM ${table}`), rows, `r01 → ${id}: rows of ${table}`);
    } finally {
      db.close();
    }
  }
});

test('a fresh install at any release, upgraded by a later release\'s function, has the schema of that later release', (t) => {
  const dir = tempDir(t);
  for (let from = 0; from < RELEASES.length - 1; from++) {
    const source = RELEASES[from];
    const target = RELEASES[RELEASES.length - 1];
    assert.ok(source !== undefined && target !== undefined);
    const db = openDb(fixtures.copyOf(`fresh-${source.release.id}`, dir), { foreignKeys: false });
    try {
      target.runMigrations(db);
      const expected = openDb(fixtures.path('release-r10'), { readonly: true });
      try {
        assert.deepEqual(columnSets(db), columnSets(expected), `fresh-${source.release.id} → r10`);
        assert.deepEqual(shape(db).indexes, shape(expected).indexes, `fresh-${source.release.id} → r10`);
      } finally {
        expected.close();
      }
    } finally {
      db.close();
    }
  }
});

test('the 0.6.0 bug, kept: with foreign keys ON the rebuild cascades and deletes every child row of every session', (t) => {
  const dir = tempDir(t);
  const withFk = openDb(fixtures.copyOf('release-r06', dir), { foreignKeys: true });
  t.after(() => withFk.close());
  for (const table of CHILD_TABLES) assert.ok(count(withFk, `SELECT count(*) FROM ${table}`) > 0, table);
  const sessions = count(withFk, 'SELECT count(*) FROM sessions');
  latestLegacyRun(withFk);
  assert.equal(count(withFk, 'SELECT count(*) FROM sessions'), sessions);
  for (const table of CHILD_TABLES) assert.equal(count(withFk, `SELECT count(*) FROM ${table}`), 0, `${table} emptied by the cascade`);

  // The same upgrade with foreign keys OFF keeps them all.
  const withoutFk = openDb(fixtures.copyOf('release-r06', tempDir(t)), { foreignKeys: false });
  t.after(() => withoutFk.close());
  const before = CHILD_TABLES.map((table) => count(withoutFk, `SELECT count(*) FROM ${table}`));
  latestLegacyRun(withoutFk);
  assert.deepEqual(CHILD_TABLES.map((table) => count(withoutFk, `SELECT count(*) FROM ${table}`)), before);
});

test('checkpoints are called between steps; the rebuild calls r07:copied only when it runs', (t) => {
  const labels = (fixture: string | null): string[] => {
    const seen: string[] = [];
    const db = openDb(fixture === null ? ':memory:' : fixtures.copyOf(fixture, tempDir(t)), { foreignKeys: false });
    try {
      latestLegacyRun(db, { checkpoint: (label) => seen.push(label) });
    } finally {
      db.close();
    }
    return seen;
  };
  const steps = ['r01:core', 'r02:conversation', 'r03:execution-tracking', 'r04:project-management', 'r05:ui-persistence', 'r06:favorites'];
  const later = ['r07:status-check', 'r08:late-indexes', 'r09:session-activity', 'r10:git-tracking'];
  assert.deepEqual(labels(null), [...steps, ...later]);
  assert.deepEqual(labels('release-r06'), [...steps, 'r07:copied', ...later]);
  assert.deepEqual(labels('release-r07'), [...steps, ...later]);
});

test('the latest legacy function recovers a crashed 0.6.0 upgrade (it drops the stale sessions_new first)', (t) => {
  const db = openDb(fixtures.copyOf('variant-crashed-r07', tempDir(t)), { foreignKeys: false });
  t.after(() => db.close());
  const sessions = count(db, 'SELECT count(*) FROM sessions');
  latestLegacyRun(db);
  assert.ok(!tables(db).includes('sessions_new'));
  assert.equal(count(db, 'SELECT count(*) FROM sessions'), sessions);
  assert.equal(userVersion(db), 9);
  const expected = openDb(fixtures.path('release-r10'), { readonly: true });
  t.after(() => expected.close());
  assert.deepEqual(shape(db), shape(expected));
});

test('the latest legacy function repairs variant-lying-user-version: the schema of release-r10, user_version 9', (t) => {
  const db = openDb(fixtures.copyOf('variant-lying-user-version', tempDir(t)), { foreignKeys: false });
  t.after(() => db.close());
  latestLegacyRun(db);
  const expected = openDb(fixtures.path('release-r10'), { readonly: true });
  t.after(() => expected.close());
  assert.deepEqual(shape(db), shape(expected));
  assert.equal(userVersion(db), 9);
});
