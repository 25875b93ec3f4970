import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { canonicalJson, sameData } from '../../src/probe/canonical-json.js';
import { snapshotDatabase } from '../../src/probe/fingerprint.js';

/** The definition schema hashes were first made with: JSON.stringify, every object copied with its keys sorted. */
function originalCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const VARIED_SCHEMA = `
  CREATE TABLE "1" (id INTEGER PRIMARY KEY, "10" TEXT, "2" TEXT COLLATE NOCASE, body TEXT DEFAULT 'x' CHECK (body <> ''));
  CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB, n AS (length(v)) STORED, UNIQUE (v, k)) WITHOUT ROWID;
  CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT, parent INTEGER REFERENCES "1" ON DELETE CASCADE);
  CREATE INDEX child_expr ON child (parent * 2 DESC) WHERE parent IS NOT NULL;
  CREATE VIEW v AS SELECT * FROM child;
  CREATE TRIGGER t AFTER INSERT ON child BEGIN SELECT 1; END;`;

test('canonicalJson of a snapshot is byte-identical to the original definition, so stored schema hashes still match', () => {
  const db = new Database(':memory:');
  try {
    db.exec(VARIED_SCHEMA);
    const snapshot = snapshotDatabase(db);
    assert.equal(canonicalJson(snapshot), originalCanonicalJson(snapshot));
  } finally {
    db.close();
  }
});

test('canonicalJson keeps the original order of array-index keys, an own __proto__ key, undefined values and toJSON', () => {
  const proto = JSON.parse('{"__proto__": {"b": 1, "a": 2}, "z": 0}') as unknown;
  const values: unknown[] = [
    { b: 1, 10: 'ten', 2: 'two', a: [3, { y: 1, x: 2 }] },
    proto,
    { a: undefined, b: [undefined, () => 1], c: Symbol('s') },
    { when: new Date(0), wrapped: { toJSON: () => ({ y: 1, x: 2 }) } },
    [NaN, Infinity, -0, null, 'x'],
  ];
  for (const value of values) assert.equal(canonicalJson(value), originalCanonicalJson(value));
});

test('sameData agrees with comparing canonical JSON, including key order, nulls, nesting and odd values', () => {
  const pairs: [unknown, unknown][] = [
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }],
    [{ a: 1 }, { a: 1, b: undefined }],
    [{ a: null }, { a: 'null' }],
    [[1, [2, { x: null }]], [1, [2, { x: null }]]],
    [[1, 2], [1, 2, 3]],
    [{ generated: null }, { generated: { stored: true, expression: 'x' } }],
    [[NaN], [null]],
    [[undefined], [null]],
    ['1', 1],
    [{}, []],
    [new Date(0), '1970-01-01T00:00:00.000Z'],
  ];
  for (const [a, b] of pairs) assert.equal(sameData(a, b), canonicalJson(a) === canonicalJson(b), `${String(canonicalJson(a))} vs ${String(canonicalJson(b))}`);
});
