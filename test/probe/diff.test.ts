import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshotOf } from '../helpers/database.js';
import { countDifferences, diffSnapshots } from '../../src/probe/diff.js';
import { formatDiff } from '../../src/probe/format-diff.js';
import type { ColumnSnapshot, IndexSnapshot, SchemaSnapshot, TableSnapshot, TriggerSnapshot, ViewSnapshot } from '../../src/probe/types.js';

// ---- hand-built snapshots ---------------------------------------------------------

function column(name: string, overrides: Partial<ColumnSnapshot> = {}): ColumnSnapshot {
  return { name, affinity: 'TEXT', declaredType: 'TEXT', notNull: false, default: null, primaryKey: 0, collation: 'BINARY', generated: null, ...overrides };
}

function table(name: string, columns: readonly ColumnSnapshot[], overrides: Partial<Omit<TableSnapshot, 'name' | 'columns'>> = {}): TableSnapshot {
  return {
    name,
    columns: Object.fromEntries(columns.map((c) => [c.name.toLowerCase(), c])),
    primaryKey: [],
    autoincrement: false,
    withoutRowid: false,
    strict: false,
    virtual: null,
    checks: [],
    uniques: [],
    foreignKeys: [],
    ...overrides,
  };
}

function index(name: string, tableName: string, columns: readonly string[], overrides: Partial<IndexSnapshot> = {}): IndexSnapshot {
  return {
    name,
    table: tableName,
    unique: false,
    columns: columns.map((c) => ({ column: c, expression: null, descending: false, collation: 'BINARY' })),
    where: null,
    ...overrides,
  };
}

const trigger = (name: string, tableName: string, sql: string): TriggerSnapshot => ({ name, table: tableName, sql });
const view = (name: string, sql: string): ViewSnapshot => ({ name, sql });

function snapshot(parts: {
  tables?: readonly TableSnapshot[];
  indexes?: readonly IndexSnapshot[];
  triggers?: readonly TriggerSnapshot[];
  views?: readonly ViewSnapshot[];
}): SchemaSnapshot {
  const byName = <T extends { name: string }>(items: readonly T[] = []): Record<string, T> => Object.fromEntries(items.map((i) => [i.name.toLowerCase(), i]));
  return { tables: byName(parts.tables), indexes: byName(parts.indexes), triggers: byName(parts.triggers), views: byName(parts.views) };
}

const ID = column('id', { affinity: 'INTEGER', declaredType: 'INTEGER', primaryKey: 1 });
const notes = table('notes', [ID, column('body')], { primaryKey: ['id'] });

// ---- diffSnapshots ---------------------------------------------------------------

test('identical snapshots diff as identical with no differences', () => {
  const a = snapshot({ tables: [notes], indexes: [index('idx_body', 'notes', ['body'])], views: [view('v', 'create view v as select 1')] });
  const diff = diffSnapshots(a, a);
  assert.equal(diff.identical, true);
  assert.equal(countDifferences(diff), 0);
  assert.deepEqual(diff.tables, { added: [], removed: [], changed: [] });
  assert.deepEqual(formatDiff(diff), ['identical']);
});

test('added and removed tables are listed by display name, sorted', () => {
  const from = snapshot({ tables: [notes, table('Zebra', [ID]), table('alpha', [ID])] });
  const to = snapshot({ tables: [notes, table('Yak', [ID]), table('Beta', [ID]), table('aardvark', [ID])] });
  const diff = diffSnapshots(from, to);
  assert.deepEqual(diff.tables, { added: ['aardvark', 'Beta', 'Yak'], removed: ['alpha', 'Zebra'], changed: [] });
  assert.equal(diff.identical, false);
  assert.equal(countDifferences(diff), 5);
});

test('added and removed columns are listed on the changed table', () => {
  const diff = diffSnapshots(snapshot({ tables: [notes] }), snapshot({ tables: [table('notes', [ID, column('title'), column('is_favorite')], { primaryKey: ['id'] })] }));
  assert.equal(diff.tables.changed.length, 1);
  assert.deepEqual(diff.tables.changed[0]?.columns, { added: ['is_favorite', 'title'], removed: ['body'], changed: [] });
  assert.equal(countDifferences(diff), 3);
});

test('a column whose name changes case is a changed name field', () => {
  const diff = diffSnapshots(snapshot({ tables: [notes] }), snapshot({ tables: [table('notes', [ID, column('Body')], { primaryKey: ['id'] })] }));
  assert.deepEqual(diff.tables.changed[0]?.columns, { added: [], removed: [], changed: [{ column: 'Body', changes: [{ field: 'name', from: 'body', to: 'Body' }] }] });
});

test('the declared type of a column is ignored outside STRICT tables', () => {
  const diff = diffSnapshots(
    snapshot({ tables: [table('t', [column('name', { declaredType: 'VARCHAR(255)' })])] }),
    snapshot({ tables: [table('t', [column('name', { declaredType: 'TEXT' })])] }),
  );
  assert.equal(diff.identical, true);
});

test('the declared type of a column is compared in STRICT tables', () => {
  const diff = diffSnapshots(
    snapshot({ tables: [table('t', [column('n', { affinity: 'INTEGER', declaredType: 'INT' })], { strict: true })] }),
    snapshot({ tables: [table('t', [column('n', { affinity: 'INTEGER', declaredType: 'INTEGER' })], { strict: true })] }),
  );
  assert.deepEqual(diff.tables.changed[0]?.columns.changed, [{ column: 'n', changes: [{ field: 'declaredType', from: 'INT', to: 'INTEGER' }] }]);
});

test('several changed fields of one column are all listed, in field order', () => {
  const diff = diffSnapshots(
    snapshot({ tables: [table('t', [column('n')])] }),
    snapshot({ tables: [table('t', [column('n', { affinity: 'INTEGER', notNull: true, default: '0' })])] }),
  );
  assert.deepEqual(diff.tables.changed[0]?.columns.changed, [
    {
      column: 'n',
      changes: [
        { field: 'affinity', from: 'TEXT', to: 'INTEGER' },
        { field: 'notNull', from: false, to: true },
        { field: 'default', from: null, to: '0' },
      ],
    },
  ]);
  assert.equal(countDifferences(diff), 3);
});

test('table-level fields (primary key, STRICT) are listed as field changes', () => {
  const diff = diffSnapshots(
    snapshot({ tables: [table('t', [column('a'), column('b')], { primaryKey: ['a'] })] }),
    snapshot({ tables: [table('t', [column('a'), column('b')], { primaryKey: ['a', 'b'], strict: true })] }),
  );
  assert.deepEqual(diff.tables.changed[0]?.fields, [
    { field: 'primaryKey', from: ['a'], to: ['a', 'b'] },
    { field: 'strict', from: false, to: true },
  ]);
});

test('unique constraints and checks are listed as added and removed', () => {
  const diff = diffSnapshots(
    snapshot({ tables: [table('t', [column('a'), column('b')], { uniques: [['a']], checks: ['a<>b'] })] }),
    snapshot({ tables: [table('t', [column('a'), column('b')], { uniques: [['a', 'b']], checks: ['a<>b', 'length(a)>0'] })] }),
  );
  const change = diff.tables.changed[0];
  assert.deepEqual(change?.uniques, { added: [['a', 'b']], removed: [['a']] });
  assert.deepEqual(change?.checks, { added: ['length(a)>0'], removed: [] });
  assert.equal(countDifferences(diff), 3);
});

test('added and removed indexes, triggers and views are listed', () => {
  const from = snapshot({
    tables: [notes],
    indexes: [index('idx_old', 'notes', ['body'])],
    triggers: [trigger('trg_old', 'notes', 'create trigger trg_old …')],
    views: [view('v_old', 'create view v_old as select 1')],
  });
  const to = snapshot({
    tables: [notes],
    indexes: [index('idx_new', 'notes', ['body'])],
    triggers: [trigger('trg_new', 'notes', 'create trigger trg_new …')],
    views: [view('v_new', 'create view v_new as select 1')],
  });
  const diff = diffSnapshots(from, to);
  assert.deepEqual(diff.indexes, { added: ['idx_new'], removed: ['idx_old'], changed: [] });
  assert.deepEqual(diff.triggers, { added: ['trg_new'], removed: ['trg_old'], changed: [] });
  assert.deepEqual(diff.views, { added: ['v_new'], removed: ['v_old'], changed: [] });
  assert.deepEqual(diff.tables, { added: [], removed: [], changed: [] });
  assert.equal(countDifferences(diff), 6);
});

test('an index moved to another table, and a trigger, are changed fields', () => {
  const from = snapshot({ indexes: [index('i', 'a', ['x'])], triggers: [trigger('tr', 'a', 'create trigger tr …a')] });
  const to = snapshot({ indexes: [index('i', 'b', ['x'])], triggers: [trigger('tr', 'b', 'create trigger tr …b')] });
  const diff = diffSnapshots(from, to);
  assert.deepEqual(diff.indexes.changed, [{ name: 'i', changes: [{ field: 'table', from: 'a', to: 'b' }] }]);
  assert.deepEqual(diff.triggers.changed, [
    {
      name: 'tr',
      changes: [
        { field: 'table', from: 'a', to: 'b' },
        { field: 'sql', from: 'create trigger tr …a', to: 'create trigger tr …b' },
      ],
    },
  ]);
});

test('a foreign key that appears twice on one side counts once per copy', () => {
  const fk = { columns: ['p'], parentTable: 'parent', parentColumns: ['id'], onUpdate: 'NO ACTION', onDelete: 'NO ACTION', match: 'NONE' };
  const diff = diffSnapshots(
    snapshot({ tables: [table('t', [column('p')], { foreignKeys: [fk] })] }),
    snapshot({ tables: [table('t', [column('p')], { foreignKeys: [fk, fk] })] }),
  );
  assert.deepEqual(diff.tables.changed[0]?.foreignKeys, { added: [fk], removed: [] });
});

test('diffSnapshots does not change its inputs', () => {
  const from = snapshot({ tables: [notes], indexes: [index('i', 'notes', ['body'])] });
  const to = snapshot({ tables: [table('notes', [ID, column('body', { notNull: true })], { primaryKey: ['id'] })] });
  const before = JSON.stringify([from, to]);
  diffSnapshots(from, to);
  assert.equal(JSON.stringify([from, to]), before);
});

// ---- formatDiff ------------------------------------------------------------------


test('formatDiff prints one line per difference, tables then indexes, triggers, views', () => {
  const from = snapshotOf(`
    CREATE TABLE projects (id INTEGER PRIMARY KEY);
    CREATE TABLE sessions (id INTEGER PRIMARY KEY, name TEXT, status TEXT DEFAULT 'initializing',
      project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE);
    CREATE INDEX idx_sessions_status ON sessions (status);
    CREATE INDEX idx_x ON sessions (id);
    CREATE TRIGGER trg_x AFTER INSERT ON sessions BEGIN SELECT 1; END;
    CREATE VIEW v_old AS SELECT 1;`);
  const to = snapshotOf(`
    CREATE TABLE projects (id INTEGER PRIMARY KEY);
    CREATE TABLE sessions (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT DEFAULT 'ready',
      project_id INTEGER REFERENCES projects(id), is_favorite INTEGER);
    CREATE TABLE session_tags (session_id INTEGER, tag TEXT);
    CREATE INDEX idx_x ON sessions (id) WHERE id > 3;
    CREATE TRIGGER trg_x AFTER INSERT ON sessions BEGIN SELECT 2; END;`);
  const diff = diffSnapshots(from, to);
  const lines = formatDiff(diff);
  assert.deepEqual(lines, [
    '+ table session_tags',
    '~ table sessions: + column is_favorite',
    '~ column sessions.name: notNull false → true',
    "~ column sessions.status: default 'initializing' → 'ready'",
    '~ table sessions: - foreign key (project_id) → projects(id) on delete CASCADE',
    '~ table sessions: + foreign key (project_id) → projects(id)',
    '- index idx_sessions_status',
    '~ index idx_x: where null → id>3',
    '~ trigger trg_x: body changed',
    '- view v_old',
  ]);
  assert.equal(countDifferences(diff), lines.length);
});

test('formatDiff renders table fields, checks, uniques and index columns compactly', () => {
  const from = snapshot({
    tables: [table('t', [column('a'), column('b')], { primaryKey: ['a'], checks: ['a<>b'] })],
    indexes: [index('i', 't', ['a'])],
    views: [view('v', 'create view v as select 1')],
  });
  const to = snapshot({
    tables: [table('t', [column('a'), column('b', { default: '' })], { primaryKey: ['a', 'b'], uniques: [['a', 'b']], autoincrement: true })],
    indexes: [index('i', 't', ['a'], { columns: [{ column: null, expression: 'lower(a)', descending: true, collation: 'NOCASE' }] })],
    views: [view('v', 'create view v as select 2')],
  });
  assert.deepEqual(formatDiff(diffSnapshots(from, to)), [
    '~ table t: primaryKey ["a"] → ["a","b"]',
    '~ table t: autoincrement false → true',
    '~ column t.b: default null → ""',
    '~ table t: - check (a<>b)',
    '~ table t: + unique (a, b)',
    '~ index i: columns (a) → (lower(a) COLLATE NOCASE DESC)',
    '~ view v: definition changed',
  ]);
});

test('formatDiff quotes a string value that would read as another value', () => {
  const diff = diffSnapshots(
    snapshot({ tables: [table('t', [column('a')])] }),
    snapshot({ tables: [table('t', [column('a', { default: 'null' })])] }),
  );
  assert.deepEqual(formatDiff(diff), ['~ column t.a: default null → "null"']);
});

test('formatDiff renders a generated column as how it is stored and its expression', () => {
  const diff = diffSnapshots(
    snapshot({ tables: [table('t', [column('g', { generated: { stored: false, expression: 'a+1' } })])] }),
    snapshot({ tables: [table('t', [column('g', { generated: { stored: true, expression: 'a+2' } })])] }),
  );
  assert.deepEqual(formatDiff(diff), ['~ column t.g: generated virtual (a+1) → stored (a+2)']);
});

test('formatDiff puts labels in a header', () => {
  const from = snapshot({ tables: [notes] });
  assert.deepEqual(formatDiff(diffSnapshots(from, snapshot({})), { from: 'migrations', to: 'app.db' }), ['--- migrations', '+++ app.db', '- table notes']);
  assert.deepEqual(formatDiff(diffSnapshots(from, from), { from: 'migrations', to: 'app.db' }), ['--- migrations', '+++ app.db', 'identical']);
});
