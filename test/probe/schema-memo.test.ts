import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { probeDatabase, snapshotDatabase } from '../../src/probe/fingerprint.js';
import { readSchema, readSchemaAsRows } from '../../src/probe/read-schema.js';
import { forgetSchemas } from '../../src/probe/schema-memo.js';
import { schemaHash } from '../../src/probe/snapshot.js';
import { quoteIdentifier } from '../../src/sqlite/quote.js';
import { execOn, openTestDb } from '../helpers/database.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The probe remembers what it derived from a schema by the schema's exact
 * text: it never decides on its own that a schema did not change. These
 * tests hold it to that: a change is seen at once, through the same handle
 * or another connection, and what it hands out twice cannot be changed by
 * the first taker.
 */

const NOTES = 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)';

test('a column added through another connection is in the next probe of a kept-open handle', (t) => {
  const path = join(tempDir(t), 'app.db');
  execOn(path, NOTES);
  const reader = openTestDb(path, { readonly: true });
  t.after(() => reader.close());
  const before = probeDatabase(reader);
  execOn(path, 'ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0');
  const after = probeDatabase(reader);
  assert.deepEqual(Object.keys(after.snapshot.tables.notes?.columns ?? {}), ['body', 'id', 'pinned']);
  assert.notEqual(after.schemaHash, before.schemaHash);
});

test('a table created on the probed handle itself is in its next probe', () => {
  const db = new Database(':memory:');
  try {
    db.exec(NOTES);
    probeDatabase(db);
    db.exec('CREATE TABLE tags (name TEXT PRIMARY KEY)');
    assert.deepEqual(Object.keys(probeDatabase(db).snapshot.tables), ['notes', 'tags']);
  } finally {
    db.close();
  }
});

test('a database with the same schema gets the same snapshot and hash, frozen against change by any caller', () => {
  const [a, b] = [new Database(':memory:'), new Database(':memory:')];
  try {
    a.exec(NOTES);
    b.exec(NOTES);
    const first = probeDatabase(a);
    const second = probeDatabase(b);
    assert.equal(second.snapshot, first.snapshot);
    assert.equal(second.schemaHash, first.schemaHash);
    assert.throws(() => {
      (first.snapshot.tables as Record<string, unknown>).notes = undefined;
    }, TypeError);
    assert.throws(() => {
      (first.objects[0] as { name: string }).name = 'renamed';
    }, TypeError);
  } finally {
    a.close();
    b.close();
  }
});

test('the first probe of a schema (nothing remembered) and a repeated one give equal fingerprints', () => {
  const db = new Database(':memory:');
  try {
    db.exec(`${NOTES}; CREATE INDEX notes_body ON notes (body DESC) WHERE body <> ''`);
    forgetSchemas();
    const first = probeDatabase(db);
    const again = probeDatabase(db);
    assert.deepEqual(again, first);
    assert.equal(schemaHash(again.snapshot), again.schemaHash);
  } finally {
    db.close();
  }
});

test('the schema read as rows (SQLite without JSON functions) equals the schema read as JSON, hostile names included', () => {
  const db = new Database(':memory:');
  try {
    const q = quoteIdentifier;
    const odd = `it's "odd"; -- 表 ${'x'.repeat(50)}`;
    db.exec(`
      CREATE TABLE ${q(odd)} (id INTEGER PRIMARY KEY, ${q(odd)} TEXT DEFAULT ';--' COLLATE NOCASE, g AS (id * 2) STORED, UNIQUE (${q(odd)}, g));
      CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES ${q(odd)} ON DELETE CASCADE, FOREIGN KEY (id, parent) REFERENCES kv (k, v));
      CREATE INDEX child_expr ON child (parent * 2 DESC, id) WHERE parent IS NOT NULL;
      CREATE VIEW v AS SELECT * FROM child;
      CREATE TRIGGER t AFTER INSERT ON child BEGIN SELECT 1; END;
      PRAGMA user_version = 7;`);
    forgetSchemas();
    const asJson = readSchema(db);
    const asRows = readSchemaAsRows(db);
    assert.deepEqual(asRows, asJson);
    assert.ok(asJson.raw.foreignKeys.length === 3 && asJson.raw.indexColumns.some((c) => c.cid === -2));
  } finally {
    db.close();
  }
});

test('snapshotDatabase and probeDatabase agree on the snapshot of a schema', () => {
  const db = new Database(':memory:');
  try {
    db.exec(NOTES);
    assert.equal(snapshotDatabase(db), probeDatabase(db).snapshot);
  } finally {
    db.close();
  }
});
