import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { UsageError } from '../../src/errors.js';
import { normaliseCreateStatement } from '../../src/probe/normalise-sql.js';
import { createRunner } from '../../src/runner/runner.js';
import { rebuildTable, type RebuildOptions, type RebuildResult } from '../../src/sqlite/rebuild-table.js';
import { quoteIdentifier } from '../../src/sqlite/quote.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Peers lose indexes (knex#631), triggers (sequel#1813) or child rows
 * (drizzle#4938, atlas#3317) when they rebuild a table. These tests rebuild a
 * parent table that has all of them, on real database files, and check that
 * every one is still there and still works afterwards.
 */

type Db = Database.Database;

function openDb(t: TestContext): Db {
  const db = new Database(join(tempDir(t), 'app.db'));
  t.after(() => db.close());
  return db;
}

/** Exactly what drawbridge's runner does around a migration. */
function asTheRunnerDoes<T>(db: Db, work: () => T): T {
  db.exec('PRAGMA foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  try {
    const value = work();
    assert.deepEqual(db.pragma('foreign_key_check'), [], 'PRAGMA foreign_key_check before COMMIT');
    db.exec('COMMIT');
    return value;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    db.exec('PRAGMA foreign_keys = ON');
  }
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

function schema(db: Db, where = '1'): SchemaRow[] {
  return db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE ${where} ORDER BY type, name`).all() as SchemaRow[];
}

function rows(db: Db, sql: string): unknown[] {
  return db.prepare(sql).all();
}

const PARENT_SCHEMA = `
  CREATE TABLE parent (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'archived')),
    score TEXT,
    touched INTEGER NOT NULL DEFAULT 0
  );
  CREATE UNIQUE INDEX parent_code ON parent (code);
  CREATE INDEX parent_active_code ON parent (lower(code)) WHERE status = 'active';
  CREATE TABLE audit (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, old_status TEXT, new_status TEXT);
  CREATE TRIGGER parent_status_audit AFTER UPDATE OF status ON parent
  BEGIN
    INSERT INTO audit (parent_id, old_status, new_status) VALUES (old.id, old.status, new.status);
  END;
  CREATE VIEW active_parents AS SELECT id, code FROM parent WHERE status = 'active';
  CREATE TABLE event (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, kind TEXT NOT NULL);
  CREATE TRIGGER event_touches_parent AFTER INSERT ON event
  BEGIN
    UPDATE parent SET touched = touched + 1 WHERE id = new.parent_id;
  END;
  CREATE TABLE child (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE,
    note TEXT
  );

  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
  INSERT INTO parent (id, code, status, score) SELECT i, 'P' || i, CASE WHEN i % 3 = 0 THEN 'archived' ELSE 'active' END, i / 4.0 FROM n;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
  INSERT INTO child (id, parent_id, note) SELECT i, (i - 1) / 3 + 1, 'child ' || i FROM n;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
  INSERT INTO event (parent_id, kind) SELECT i * 2, 'seen' FROM n;
  UPDATE parent SET status = 'archived' WHERE id IN (1, 2);
`;

/** The same table with a wider CHECK and score changed from TEXT to REAL: neither is possible with ALTER TABLE. */
const NEW_PARENT = `CREATE TABLE parent (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'archived', 'deleted')),
    score REAL,
    touched INTEGER NOT NULL DEFAULT 0
  )`;

const DEPENDENTS = "type IN ('index', 'trigger', 'view') AND tbl_name <> 'drawbridge_migrations'";

/** Everything the rebuild must keep, read the same way before and after. */
function snapshotParentWorld(db: Db): Record<string, unknown> {
  return {
    dependents: schema(db, DEPENDENTS),
    parents: rows(db, 'SELECT id, code, status, CAST(score AS REAL) AS score, touched FROM parent ORDER BY id'),
    children: rows(db, 'SELECT id, parent_id, note FROM child ORDER BY id'),
    audit: rows(db, 'SELECT * FROM audit ORDER BY id'),
    events: rows(db, 'SELECT * FROM event ORDER BY id'),
    view: rows(db, 'SELECT * FROM active_parents ORDER BY id'),
  };
}

function assertParentWorldWorks(db: Db): void {
  // The new definition is in force: the wider CHECK and the REAL column.
  assert.deepEqual(db.prepare('SELECT DISTINCT typeof(score) FROM parent').pluck().all(), ['real']);
  assert.throws(() => db.prepare("UPDATE parent SET status = 'bogus' WHERE id = 4").run(), /CHECK constraint failed/);
  // The trigger on the table still fires.
  db.prepare("UPDATE parent SET status = 'deleted' WHERE id = 4").run();
  assert.deepEqual(db.prepare('SELECT parent_id, old_status, new_status FROM audit ORDER BY id DESC LIMIT 1').get(), {
    parent_id: 4,
    old_status: 'active',
    new_status: 'deleted',
  });
  // The trigger on another table that writes to it still fires.
  const touched = db.prepare('SELECT touched FROM parent WHERE id = 5').pluck();
  const before = touched.get() as number;
  db.prepare("INSERT INTO event (parent_id, kind) VALUES (5, 'after')").run();
  assert.equal(touched.get(), before + 1);
  // The UNIQUE index still enforces; the partial expression index is used.
  assert.throws(() => db.prepare("INSERT INTO parent (code, status) VALUES ('P7', 'active')").run(), /UNIQUE constraint failed: parent\.code/);
  const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM parent WHERE lower(code) = 'p8' AND status = 'active'").all() as { detail: string }[];
  assert.ok(plan.some((step) => step.detail.includes('parent_active_code')), JSON.stringify(plan));
  // The child's foreign key still enforces, and still cascades.
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.throws(() => db.prepare('INSERT INTO child (parent_id) VALUES (99999)').run(), /FOREIGN KEY constraint failed/);
  db.prepare('DELETE FROM parent WHERE id = 10').run();
  assert.equal(db.prepare('SELECT count(*) FROM child WHERE parent_id = 10').pluck().get(), 0);
  assert.equal(db.prepare('SELECT count(*) FROM child').pluck().get(), 597);
  assert.deepEqual(db.pragma('integrity_check', { simple: true }), 'ok');
}

test('a parent with indexes, triggers, a view and a cascading child keeps all of them, and every row, through a rebuild run as the runner runs it', (t) => {
  const db = openDb(t);
  db.exec(PARENT_SCHEMA);
  const before = snapshotParentWorld(db);

  const result = asTheRunnerDoes(db, () => rebuildTable(db, { table: 'parent', createSql: NEW_PARENT }));

  assert.deepEqual(result, {
    table: 'parent',
    rowsCopied: 200,
    recreated: {
      indexes: ['parent_code', 'parent_active_code'],
      triggers: ['parent_status_audit', 'event_touches_parent'],
      views: ['active_parents'],
    },
  });
  const after = snapshotParentWorld(db);
  // All four dependents exist with their SQL exactly as it was (so also the same normalised SQL).
  assert.deepEqual(after.dependents, before.dependents);
  assert.deepEqual(
    schema(db, DEPENDENTS).map((row) => normaliseCreateStatement(row.sql ?? '')),
    (before.dependents as SchemaRow[]).map((row) => normaliseCreateStatement(row.sql ?? '')),
  );
  // The table is the new one, under its own name, and nothing temporary is left.
  const [parent] = schema(db, "name = 'parent'");
  assert.equal(normaliseCreateStatement(parent?.sql ?? ''), normaliseCreateStatement(NEW_PARENT));
  assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(), ['audit', 'child', 'event', 'parent']);
  // Every parent row (score now REAL), every child row, the view's rows.
  assert.deepEqual(after.parents, before.parents);
  assert.deepEqual(after.children, before.children);
  assert.deepEqual(after.audit, before.audit);
  assert.deepEqual(after.events, before.events);
  assert.deepEqual(after.view, before.view);
  assertParentWorldWorks(db);
});

test('through the real runner, on the app\'s own handle with foreign keys ON, rebuildTable(ctx.db) keeps every dependent and child row', async (t) => {
  const db = openDb(t);
  db.exec(PARENT_SCHEMA);
  db.pragma('foreign_keys = ON');
  const before = snapshotParentWorld(db);
  let result: RebuildResult | undefined;
  const progress: number[][] = [];
  await createRunner(db, {
    migrations: [
      {
        name: '0001_rebuild_parent',
        up: (ctx) => {
          result = rebuildTable(ctx.db, { table: 'parent', createSql: NEW_PARENT, onProgress: (copied, total) => progress.push([copied, total]) });
        },
      },
    ],
  }).up();
  assert.equal(result?.rowsCopied, 200);
  assert.deepEqual(progress, [[200, 200]]);
  const after = snapshotParentWorld(db);
  assert.deepEqual(after, before);
  assertParentWorldWorks(db);
});

test('outside a transaction it refuses, says how to call it, and changes nothing', (t) => {
  const db = openDb(t);
  db.exec(PARENT_SCHEMA);
  db.exec('PRAGMA foreign_keys = OFF');
  const before = { schema: schema(db), world: snapshotParentWorld(db) };
  assert.throws(
    () => rebuildTable(db, { table: 'parent', createSql: NEW_PARENT }),
    (error: unknown) =>
      error instanceof UsageError &&
      /rebuildTable\("parent"\): refusing to run outside a transaction/.test(error.message) &&
      /PRAGMA foreign_keys = OFF; BEGIN/.test(error.message),
  );
  assert.deepEqual({ schema: schema(db), world: snapshotParentWorld(db) }, before);
});

test('with foreign keys ON it refuses (DROP TABLE would cascade into the children) and changes nothing', (t) => {
  const db = openDb(t);
  db.exec(PARENT_SCHEMA);
  db.exec('PRAGMA foreign_keys = ON');
  const before = { schema: schema(db), world: snapshotParentWorld(db) };
  db.exec('BEGIN');
  assert.throws(
    () => rebuildTable(db, { table: 'parent', createSql: NEW_PARENT }),
    (error: unknown) => error instanceof UsageError && /foreign_keys ON/.test(error.message) && /ON DELETE CASCADE/.test(error.message),
  );
  assert.deepEqual({ schema: schema(db), world: snapshotParentWorld(db) }, before);
  db.exec('ROLLBACK');
  assert.deepEqual({ schema: schema(db), world: snapshotParentWorld(db) }, before);
});

test('a column with a constraint is dropped, one is computed from the old row, and one mapped to null takes its DEFAULT', (t) => {
  const db = openDb(t);
  db.exec(`
    CREATE TABLE person (id INTEGER PRIMARY KEY, first TEXT NOT NULL, last TEXT NOT NULL, legacy_code TEXT UNIQUE, status TEXT NOT NULL DEFAULT 'new');
    CREATE INDEX person_last ON person (last);
    INSERT INTO person VALUES (1, 'Ada', 'Lovelace', 'A1', 'old'), (2, 'Alan', 'Turing', 'A2', 'old'), (5, 'Grace', 'Hopper', NULL, 'new');
  `);
  // What makes a rebuild necessary: SQLite will not drop a UNIQUE column.
  assert.throws(() => db.exec('ALTER TABLE person DROP COLUMN legacy_code'), /UNIQUE/);
  const options: RebuildOptions = {
    table: 'person',
    createSql: `CREATE TABLE person (
      id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'imported'
    )`,
    columns: { full_name: "first || ' ' || last", status: null },
  };
  const result = asTheRunnerDoes(db, () => rebuildTable(db, options));
  assert.equal(result.rowsCopied, 3);
  assert.deepEqual(result.recreated, { indexes: ['person_last'], triggers: [], views: [] });
  assert.deepEqual(rows(db, 'SELECT * FROM person ORDER BY id'), [
    { id: 1, full_name: 'Ada Lovelace', first: 'Ada', last: 'Lovelace', status: 'imported' },
    { id: 2, full_name: 'Alan Turing', first: 'Alan', last: 'Turing', status: 'imported' },
    { id: 5, full_name: 'Grace Hopper', first: 'Grace', last: 'Hopper', status: 'imported' },
  ]);
  // The UNIQUE constraint's automatic index went with the column.
  assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all(), ['person_last']);
});

test('a table of 250 000 rows is copied in rowid ranges with monotonic progress ending at the total; negative and sparse rowids all arrive', (t) => {
  const db = openDb(t);
  db.exec(`
    CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250000)
    INSERT INTO big (id, v) SELECT i * 7 - 500000, 'v' || i FROM n;
  `);
  const fingerprint = (): unknown => db.prepare('SELECT count(*) AS n, sum(id) AS ids, min(id) AS lo, max(id) AS hi, sum(length(v)) AS chars FROM big').get();
  const before = fingerprint();
  const progress: [number, number][] = [];
  const result = asTheRunnerDoes(db, () =>
    rebuildTable(db, {
      table: 'big',
      createSql: 'CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT NOT NULL CHECK (length(v) > 1))',
      onProgress: (copied, total) => progress.push([copied, total]),
    }),
  );
  assert.equal(result.rowsCopied, 250_000);
  assert.deepEqual(progress, [
    [100_000, 250_000],
    [200_000, 250_000],
    [250_000, 250_000],
  ]);
  for (let i = 1; i < progress.length; i++) assert.ok((progress[i]?.[0] ?? 0) > (progress[i - 1]?.[0] ?? 0));
  assert.deepEqual(fingerprint(), before);
  assert.equal(db.prepare("SELECT count(*) FROM big WHERE v <> 'v' || ((id + 500000) / 7)").pluck().get(), 0);

  // An exact multiple of the range size reports each range once; an empty table reports 0 of 0 once.
  db.exec('DELETE FROM big WHERE id > (SELECT id FROM big ORDER BY id LIMIT 1 OFFSET 199999)');
  const exact: [number, number][] = [];
  const empty: [number, number][] = [];
  asTheRunnerDoes(db, () => {
    rebuildTable(db, { table: 'big', createSql: 'CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT NOT NULL)', onProgress: (copied, total) => exact.push([copied, total]) });
    db.exec('CREATE TABLE vacant (x)');
    rebuildTable(db, { table: 'vacant', createSql: 'CREATE TABLE vacant (x NOT NULL)', onProgress: (copied, total) => empty.push([copied, total]) });
  });
  assert.deepEqual(exact, [
    [100_000, 200_000],
    [200_000, 200_000],
  ]);
  assert.deepEqual(empty, [[0, 0]]);
});

test('a hostile table name (quotes, spaces, <script>) is quoted everywhere, with its index, trigger, view and child', (t) => {
  const db = openDb(t);
  const name = `we"ird 'tab le' <script>alert("x")</script>`;
  const q = quoteIdentifier(name);
  db.exec(`
    CREATE TABLE ${q} (id INTEGER PRIMARY KEY, "odd ""col""" TEXT NOT NULL);
    CREATE INDEX "idx ""odd""" ON ${q} ("odd ""col""");
    CREATE TABLE log (what TEXT);
    CREATE TRIGGER "trg <b>" AFTER INSERT ON ${q} BEGIN INSERT INTO log VALUES (new."odd ""col"""); END;
    CREATE VIEW "view '1'" AS SELECT id, "odd ""col""" AS c FROM ${q};
    CREATE TABLE kid (id INTEGER PRIMARY KEY, owner INTEGER REFERENCES ${q} (id) ON DELETE CASCADE);
    INSERT INTO ${q} VALUES (1, 'a'), (2, 'b');
    INSERT INTO kid VALUES (1, 1), (2, 2);
  `);
  const dependents = schema(db, DEPENDENTS);
  const result = asTheRunnerDoes(db, () =>
    rebuildTable(db, { table: name, createSql: `CREATE TABLE ${q} (id INTEGER PRIMARY KEY, "odd ""col""" TEXT NOT NULL CHECK (length("odd ""col""") = 1))` }),
  );
  assert.deepEqual(result, { table: name, rowsCopied: 2, recreated: { indexes: ['idx "odd"'], triggers: ['trg <b>'], views: ["view '1'"] } });
  assert.deepEqual(schema(db, DEPENDENTS), dependents);
  assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(), ['kid', 'log', name]);
  assert.deepEqual(rows(db, `SELECT * FROM "view '1'" ORDER BY id`), [
    { id: 1, c: 'a' },
    { id: 2, c: 'b' },
  ]);
  db.prepare(`INSERT INTO ${q} VALUES (3, 'c')`).run();
  assert.deepEqual(db.prepare('SELECT what FROM log').pluck().all(), ['a', 'b', 'c']);
  assert.throws(() => db.prepare(`INSERT INTO ${q} VALUES (4, 'too long')`).run(), /CHECK constraint failed/);
  db.prepare(`DELETE FROM ${q} WHERE id = 1`).run();
  assert.deepEqual(db.prepare('SELECT id FROM kid').pluck().all(), [2]);
});

test('views over views, INSTEAD OF triggers and TEMP triggers come back; a table whose name merely contains the name is left alone', (t) => {
  const db = openDb(t);
  db.exec(`
    CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT);
    CREATE TABLE item_archive (id INTEGER PRIMARY KEY, name TEXT);
    CREATE TABLE log (what TEXT);
    CREATE VIEW item_names AS SELECT id, name FROM item;
    CREATE VIEW item_names_upper AS SELECT id, upper(name) AS name FROM item_names;
    CREATE VIEW archive_names AS SELECT name FROM item_archive;
    CREATE TRIGGER item_names_insert INSTEAD OF INSERT ON item_names BEGIN INSERT INTO item (name) VALUES (new.name); END;
    CREATE TRIGGER archive_log AFTER INSERT ON item_archive BEGIN INSERT INTO log VALUES ('archived ' || new.name); END;
    CREATE TEMP TRIGGER item_log AFTER INSERT ON item BEGIN INSERT INTO log VALUES ('item ' || new.name); END;
    INSERT INTO item (name) VALUES ('a'), ('b');
    INSERT INTO item_archive (name) VALUES ('z');
  `);
  const before = { main: schema(db, DEPENDENTS), temp: db.prepare('SELECT type, name, sql FROM temp.sqlite_master').all() };
  const archiveRowid = db.prepare("SELECT rowid FROM sqlite_master WHERE name = 'archive_names'").pluck().get();
  const result = asTheRunnerDoes(db, () => rebuildTable(db, { table: 'item', createSql: 'CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)' }));
  assert.deepEqual(result.recreated, { indexes: [], triggers: ['item_names_insert', 'item_log'], views: ['item_names', 'item_names_upper'] });
  assert.deepEqual({ main: schema(db, DEPENDENTS), temp: db.prepare('SELECT type, name, sql FROM temp.sqlite_master').all() }, before);
  // Untouched, not dropped and recreated.
  assert.equal(db.prepare("SELECT rowid FROM sqlite_master WHERE name = 'archive_names'").pluck().get(), archiveRowid);
  db.prepare("INSERT INTO item_names (name) VALUES ('c')").run();
  assert.deepEqual(db.prepare('SELECT name FROM item_names_upper ORDER BY id').pluck().all(), ['A', 'B', 'C']);
  assert.deepEqual(db.prepare('SELECT what FROM log').pluck().all(), ['item a', 'item b', 'archived z', 'item c']);
});

test('rowids of a table without INTEGER PRIMARY KEY and the AUTOINCREMENT counter survive (deleted ids are not handed out again)', (t) => {
  const db = openDb(t);
  db.exec(`
    CREATE TABLE note (body TEXT);
    INSERT INTO note VALUES ('1'), ('2'), ('3'), ('4'), ('5');
    DELETE FROM note WHERE rowid IN (2, 4);
    CREATE TABLE ticket (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT);
    INSERT INTO ticket (title) VALUES ('a'), ('b'), ('c'), ('d'), ('e');
    DELETE FROM ticket WHERE id >= 3;
  `);
  asTheRunnerDoes(db, () => {
    rebuildTable(db, { table: 'note', createSql: 'CREATE TABLE note (body TEXT NOT NULL)' });
    rebuildTable(db, { table: 'ticket', createSql: 'CREATE TABLE ticket (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL)' });
  });
  assert.deepEqual(rows(db, 'SELECT rowid, body FROM note ORDER BY rowid'), [
    { rowid: 1, body: '1' },
    { rowid: 3, body: '3' },
    { rowid: 5, body: '5' },
  ]);
  db.prepare("INSERT INTO ticket (title) VALUES ('f')").run();
  assert.deepEqual(db.prepare('SELECT id FROM ticket ORDER BY id').pluck().all(), [1, 2, 6]);
});

test('rows that break the new CHECK fail with the table, the reason and what to do, and the transaction is as it was before the call', (t) => {
  const db = openDb(t);
  db.exec(PARENT_SCHEMA);
  db.exec('PRAGMA foreign_keys = OFF');
  db.exec('BEGIN');
  const before = { schema: schema(db), world: snapshotParentWorld(db) };
  assert.throws(
    () => rebuildTable(db, { table: 'parent', createSql: NEW_PARENT.replace("'active', 'archived', 'deleted'", "'active'") }),
    (error: unknown) =>
      error instanceof Error &&
      /^rebuildTable\("parent"\): copying the rows of "parent" into the new table .* failed: CHECK constraint failed/.test(error.message) &&
      /fix them first with an UPDATE/.test(error.message) &&
      /rolled back/.test(error.message),
  );
  assert.ok(db.inTransaction);
  assert.deepEqual({ schema: schema(db), world: snapshotParentWorld(db) }, before);
  db.exec('ROLLBACK');
});

test('a view that needs a dropped column fails the rebuild by name, and nothing changes', (t) => {
  const db = openDb(t);
  db.exec(`
    CREATE TABLE thing (id INTEGER PRIMARY KEY, legacy TEXT UNIQUE, name TEXT);
    CREATE VIEW thing_legacy AS SELECT id, legacy FROM thing;
    INSERT INTO thing VALUES (1, 'x', 'one');
  `);
  const before = schema(db);
  assert.throws(
    () => asTheRunnerDoes(db, () => rebuildTable(db, { table: 'thing', createSql: 'CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT)' })),
    /rebuildTable\("thing"\): checking the recreated triggers and views failed: error in view thing_legacy: no such column: legacy[\s\S]*drop it before calling rebuildTable/,
  );
  assert.deepEqual(schema(db), before);
  assert.deepEqual(rows(db, 'SELECT * FROM thing'), [{ id: 1, legacy: 'x', name: 'one' }]);
});

test('a createSql that names another table, holds two statements, or a table that does not exist is refused before anything changes', (t) => {
  const db = openDb(t);
  db.exec('CREATE TABLE a (x); CREATE TABLE b (y)');
  const before = schema(db);
  asTheRunnerDoes(db, () => {
    assert.throws(() => rebuildTable(db, { table: 'a', createSql: 'CREATE TABLE b (x)' }), (e: unknown) => e instanceof UsageError && /creates "b", not "a"/.test(e.message));
    assert.throws(() => rebuildTable(db, { table: 'a', createSql: 'CREATE TABLE a (x); DROP TABLE b' }), /more than one statement/);
    assert.throws(() => rebuildTable(db, { table: 'a', createSql: 'CREATE TEMP TABLE a (x)' }), /TEMP/);
    assert.throws(() => rebuildTable(db, { table: 'nope', createSql: 'CREATE TABLE nope (x)' }), /no such table/);
    assert.throws(() => rebuildTable(db, { table: 'a', createSql: 'CREATE TABLE a (x)', columns: { z: '1' } }), /does not have/);
  });
  assert.deepEqual(schema(db), before);
});

test('on a connection with legacy_alter_table ON, the rebuild still checks views against the new table, and the setting is restored', (t) => {
  const db = openDb(t);
  db.exec(`
    CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT, old TEXT);
    CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));
    CREATE VIEW p_old AS SELECT old FROM p;
    INSERT INTO p VALUES (1, 'x', 'o'); INSERT INTO c VALUES (1, 1);
    PRAGMA legacy_alter_table = ON;
  `);
  // Legacy mode would skip SQLite's check of views on rename; rebuildTable switches it off for the call.
  assert.throws(
    () => asTheRunnerDoes(db, () => rebuildTable(db, { table: 'p', createSql: 'CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT NOT NULL)' })),
    /error in view p_old: no such column: old/,
  );
  assert.equal(db.pragma('legacy_alter_table', { simple: true }), 1);
  db.exec('DROP VIEW p_old');
  asTheRunnerDoes(db, () => rebuildTable(db, { table: 'p', createSql: 'CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT NOT NULL)' }));
  assert.equal(db.pragma('legacy_alter_table', { simple: true }), 1);
  assert.deepEqual(rows(db, 'SELECT * FROM p'), [{ id: 1, n: 'x' }]);
  assert.throws(() => db.prepare('INSERT INTO c VALUES (2, 42)').run(), /FOREIGN KEY constraint failed/);
});

test('a conflict clause in the new table that would silently drop rows (UNIQUE ON CONFLICT REPLACE) fails the rebuild, and nothing changes', (t) => {
  const db = openDb(t);
  db.exec(`
    CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT);
    INSERT INTO tag VALUES (1, 'red'), (2, 'red'), (3, 'blue');
  `);
  const before = [schema(db), rows(db, 'SELECT * FROM tag ORDER BY id')];
  // REPLACE deletes the earlier duplicate while the INSERT still counts every row as inserted: only counting the tables tells.
  assert.throws(
    () => asTheRunnerDoes(db, () => rebuildTable(db, { table: 'tag', createSql: 'CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT UNIQUE ON CONFLICT REPLACE)' })),
    /the old table has 3 rows, the new one 2[\s\S]*ON CONFLICT IGNORE or REPLACE/,
  );
  assert.deepEqual([schema(db), rows(db, 'SELECT * FROM tag ORDER BY id')], before);
});
