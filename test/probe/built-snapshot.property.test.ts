import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { canonicalJson } from '../../src/probe/canonical-json.js';
import { probeDatabase } from '../../src/probe/fingerprint.js';
import { forgetSchemas } from '../../src/probe/schema-memo.js';
import { buildSnapshot, schemaHash } from '../../src/probe/snapshot.js';
import type { RawColumn, RawForeignKey, RawIndex, RawIndexColumn, RawObject, RawSchema } from '../../src/probe/types.js';
import { quoteIdentifier } from '../../src/sqlite/quote.js';
import { originalBuildSnapshot } from './reference/original-snapshot.js';

/**
 * The first probe of a schema hashes JSON.stringify of the snapshot
 * buildSnapshot just made, not canonicalJson of it: buildSnapshot inserts
 * every key in sorted order. These hold that shortcut, and the faster CREATE
 * statement reading, to the definitions: for any raw schema, the snapshot is
 * the original builder's under canonicalJson (so every schemaHash is what it
 * was), prints as its canonical JSON, and is frozen throughout.
 */

const q = quoteIdentifier;
const NAMES = ['id', 'Name', 'name', '__proto__', 'constructor', '10', '2', 'é', 'É', 'toString', 'a b', 'conﬆraint', 'ſtrict', 'T', 't', 'sqlite_x'];
const TYPES = ['INTEGER', 'int', 'TEXT', 'varchar(10)', 'BLOB', '', 'REAL', 'floating', 'NUMERIC', 'decimal(5, 2)', 'ANY'];
const DEFAULTS = [null, '0', "'new'", '-1', "'it''s'", 'CURRENT_TIMESTAMP', '(1 + 2)', "X'00ff'", '1.5e3', ' 7 /* c */'];
const CLAUSES = [
  '',
  ' NOT NULL',
  ' COLLATE NOCASE',
  ' collate "RTRIM"',
  " CHECK (x <> '')",
  ' CHECK(a COLLATE nocase = b)',
  ' AS (a * 2) STORED',
  ' GENERATED ALWAYS AS (length("b"))',
  ' PRIMARY KEY AUTOINCREMENT',
  ' /* c */ COLLATE binary -- x\n',
  ' REFERENCES p(id)',
  ' DEFAULT (1) COLLATE ſtrict',
  ' COLLATE',
];
const TABLE_PARTS = ['', ', CHECK (a > 0)', ', CONSTRAINT c CHECK (b IS NOT NULL)', ', UNIQUE (a, b)', ', PRIMARY KEY (a)', ', conﬆraint TEXT COLLATE NOCASE', ', FOREIGN KEY (a) REFERENCES p', ', , '];
const TABLE_OPTIONS = ['', ' WITHOUT ROWID', ' STRICT', ' WITHOUT ROWID, STRICT', ' ſtrict', ' withouT rowid'];
const INDEX_TERMS = ['(a)', '(a * 2 DESC, b COLLATE nocase ASC)', '("x y", lower(b)) WHERE a > 0', '(a) where b IS NULL', '(a', '(a) -- where'];

const name = fc.constantFrom(...NAMES);

const column = fc.record({
  name,
  type: fc.constantFrom(...TYPES),
  clause: fc.constantFrom(...CLAUSES),
  defaultSql: fc.constantFrom(...DEFAULTS),
  notNull: fc.boolean(),
  pk: fc.nat(2),
  hidden: fc.constantFrom(0, 0, 0, 1, 2, 3),
});

const table = fc.record({
  name,
  columns: fc.array(column, { minLength: 1, maxLength: 5 }),
  part: fc.constantFrom(...TABLE_PARTS),
  option: fc.constantFrom(...TABLE_OPTIONS),
  virtual: fc.boolean(),
  indexes: fc.array(
    fc.record({
      name,
      origin: fc.constantFrom<RawIndex['origin']>('c', 'c', 'u', 'pk'),
      unique: fc.boolean(),
      partial: fc.boolean(),
      terms: fc.constantFrom(...INDEX_TERMS),
      columns: fc.array(fc.record({ cid: fc.integer({ min: -2, max: 3 }), name: fc.option(name), descending: fc.boolean(), collation: fc.constantFrom('BINARY', 'nocase', 'RTRIM') }), { maxLength: 3 }),
    }),
    { maxLength: 2 },
  ),
  foreignKeys: fc.array(
    fc.record({
      id: fc.nat(2),
      seq: fc.nat(2),
      parent: name,
      from: name,
      to: fc.option(name),
      onUpdate: fc.constantFrom('NO ACTION', 'CASCADE'),
      onDelete: fc.constantFrom('NO ACTION', 'SET NULL', 'CASCADE'),
      match: fc.constantFrom('NONE', 'SIMPLE'),
    }),
    { maxLength: 3 },
  ),
  trigger: fc.boolean(),
});

const rawSchema = fc.array(table, { maxLength: 5 }).map((tables): RawSchema => {
  const objects: RawObject[] = [];
  const columns: RawColumn[] = [];
  const indexes: RawIndex[] = [];
  const indexColumns: RawIndexColumn[] = [];
  const foreignKeys: RawForeignKey[] = [];
  tables.forEach((t, n) => {
    const tableName = n % 2 === 0 ? t.name : `${t.name}${n}`;
    const definitions = t.columns.map((c) => `${q(c.name)} ${c.type}${c.clause}`).join(', ');
    const sql = t.virtual ? `CREATE VIRTUAL TABLE ${q(tableName)} USING fts5(${definitions})` : `CREATE TABLE ${q(tableName)} (${definitions}${t.part})${t.option}`;
    objects.push({ type: 'table', name: tableName, tableName, sql });
    t.columns.forEach((c, cid) => columns.push({ table: tableName, cid, name: c.name, type: c.type, notNull: c.notNull, defaultSql: c.defaultSql, pk: c.pk, hidden: c.hidden }));
    t.indexes.forEach((i, k) => {
      const indexName = `${i.name}_${n}_${k}`;
      if (i.origin === 'c') objects.push({ type: 'index', name: indexName, tableName, sql: `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(indexName)} ON ${q(tableName)} ${i.terms}` });
      indexes.push({ table: tableName, name: indexName, unique: i.unique, origin: i.origin, partial: i.partial });
      i.columns.forEach((c, seqno) => indexColumns.push({ index: indexName, seqno, cid: c.cid, name: c.name, descending: c.descending, collation: c.collation, key: true }));
    });
    for (const fk of t.foreignKeys) foreignKeys.push({ table: tableName, ...fk });
    if (t.trigger) objects.push({ type: 'trigger', name: `trg${n}`, tableName, sql: `CREATE TEMP TRIGGER IF NOT EXISTS "trg${n}" AFTER INSERT ON ${q(tableName)} BEGIN SELECT 1; END` });
  });
  objects.push({ type: 'view', name: 'V', tableName: 'V', sql: 'CREATE VIEW V AS SELECT 1' });
  return { objects, columns, indexes, indexColumns, foreignKeys };
});

const exclude = fc.array(name, { maxLength: 2 });

function assertDeeplyFrozen(value: unknown, path = 'snapshot'): void {
  if (value === null || typeof value !== 'object') return;
  assert.ok(Object.isFrozen(value), `${path} is not frozen`);
  for (const [key, child] of Object.entries(value)) assertDeeplyFrozen(child, `${path}.${key}`);
}

test('for any raw schema, the snapshot is the original builder’s under canonicalJson, so its schemaHash is unchanged', () => {
  fc.assert(
    fc.property(rawSchema, exclude, (raw, excluded) => {
      assert.equal(canonicalJson(buildSnapshot(raw, { exclude: excluded })), canonicalJson(originalBuildSnapshot(raw, { exclude: excluded })));
    }),
    { numRuns: 1500 },
  );
});

test('for any raw schema, JSON.stringify of the built snapshot is its canonical JSON', () => {
  fc.assert(
    fc.property(rawSchema, exclude, (raw, excluded) => {
      const snapshot = buildSnapshot(raw, { exclude: excluded });
      assert.equal(JSON.stringify(snapshot), canonicalJson(snapshot));
    }),
    { numRuns: 1500 },
  );
});

test('for any raw schema, the built snapshot is frozen throughout', () => {
  fc.assert(
    fc.property(rawSchema, (raw) => {
      assertDeeplyFrozen(buildSnapshot(raw));
    }),
    { numRuns: 300 },
  );
});

/** A schema whose hash was recorded before the probe was made faster: stored hashes must keep matching. */
const RECORDED_SCHEMA = `
  CREATE TABLE "1" (id INTEGER PRIMARY KEY, "10" TEXT, "2" TEXT COLLATE NOCASE, body TEXT DEFAULT 'x' CHECK (body <> ''));
  CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB, n AS (length(v)) STORED, UNIQUE (v, k)) WITHOUT ROWID;
  CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT, parent INTEGER REFERENCES "1" ON DELETE CASCADE, [Weird Col] varchar(10) /* c */ COLLATE "rtrim" -- x
   , FOREIGN KEY (id, parent) REFERENCES kv (k, v), CHECK (id > 0x10 AND parent < 1.5e3), CONSTRAINT u UNIQUE (parent, id));
  CREATE TABLE s (a INT, b TEXT, c ANY) STRICT;
  CREATE TABLE __proto__ (constructor TEXT, "__proto__" INT, toString REAL DEFAULT -1);
  CREATE INDEX child_expr ON child (parent * 2 DESC, id COLLATE nocase ASC) WHERE parent IS NOT NULL;
  CREATE UNIQUE INDEX IF NOT EXISTS s_ab ON s (a, b);
  CREATE VIEW v AS SELECT * FROM child;
  CREATE TRIGGER t AFTER INSERT ON child BEGIN SELECT 1; END;`;
const RECORDED_HASH = '711c3d4a27ba8a103d923c68ef660153ffe6e08a3b64966f5212b635eda6a0d1';

test('a first probe gives the schema hash recorded before the probe was made faster, and schemaHash agrees', () => {
  const db = new Database(':memory:');
  try {
    db.exec(RECORDED_SCHEMA);
    forgetSchemas();
    const fingerprint = probeDatabase(db);
    assert.equal(fingerprint.schemaHash, RECORDED_HASH);
    assert.equal(schemaHash(fingerprint.snapshot), RECORDED_HASH);
    assert.equal(schemaHash(JSON.parse(JSON.stringify(fingerprint.snapshot)) as typeof fingerprint.snapshot), RECORDED_HASH);
  } finally {
    db.close();
  }
});
