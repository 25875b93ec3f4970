import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseCreateStatement, normaliseSql } from '../../src/probe/normalise-sql.js';

test('whitespace and line breaks do not change the normal form', () => {
  const expected = "select a,b from t where a>1 and b='x'";
  assert.equal(normaliseSql("SELECT a, b FROM t WHERE a > 1 AND b = 'x'"), expected);
  assert.equal(normaliseSql("  SELECT\ta ,\n\n  b\r\nFROM   t\nWHERE a>1\n  AND b='x'  "), expected);
});

test('line and block comments are dropped', () => {
  assert.equal(normaliseSql("SELECT a -- the a column\n, /* and b */ b FROM t /* trailing */"), 'select a,b from t');
});

test('keyword case does not change the normal form', () => {
  assert.equal(normaliseSql('select A from T where B is not null'), normaliseSql('SELECT a FROM t WHERE b IS NOT NULL'));
  assert.equal(normaliseSql('SeLeCt a FrOm t'), 'select a from t');
});

test('identifier quoting ("x", [x], `x`, bare x) and identifier case give the same normal form', () => {
  const spellings = ['SELECT "Status" FROM "Sessions"', 'SELECT [status] FROM [SESSIONS]', 'SELECT `STATUS` FROM `sessions`', 'SELECT status FROM sessions'];
  assert.deepEqual(
    spellings.map((sql) => normaliseSql(sql)),
    spellings.map(() => 'select status from sessions'),
  );
});

test('an identifier that needs its quotes keeps them, with embedded quotes doubled', () => {
  assert.equal(normaliseSql('SELECT "my col", [x"y], `2nd` FROM t'), 'select "my col","x""y","2nd" from t');
  assert.equal(normaliseSql('SELECT [my col] FROM t'), normaliseSql('SELECT "my col" FROM t'));
});

test('string literals keep their case and content', () => {
  assert.equal(normaliseSql("SELECT 'Hello  World -- not a comment' FROM t"), "select 'Hello  World -- not a comment' from t");
  assert.equal(normaliseSql("SELECT 'it''s'"), "select 'it''s'");
});

test('string literals that differ in case or content normalise differently', () => {
  assert.notEqual(normaliseSql("SELECT 'Ready'"), normaliseSql("SELECT 'ready'"));
  assert.notEqual(normaliseSql("SELECT 'ready'"), normaliseSql("SELECT 'ready '"));
  assert.notEqual(normaliseSql("SELECT 'a' || 'b'"), normaliseSql("SELECT 'ab'"));
});

test('numbers are kept as written', () => {
  assert.equal(normaliseSql('SELECT 1.50, 0x1F, 2e3'), 'select 1.50,0x1F,2e3');
  assert.notEqual(normaliseSql('SELECT 1'), normaliseSql('SELECT 2'));
});

test('a non-ASCII identifier normalises the same quoted or bare', () => {
  assert.equal(normaliseSql('SELECT "données"'), normaliseSql('SELECT données'));
});

test('identifiers differing only in non-ASCII case stay different (SQLite folds ASCII case only)', () => {
  assert.notEqual(normaliseSql('SELECT "É"'), normaliseSql('SELECT "é"'));
});

test('normaliseCreateStatement drops IF NOT EXISTS', () => {
  assert.equal(normaliseCreateStatement('CREATE TABLE IF NOT EXISTS t (a INTEGER)'), 'create table t(a integer)');
  assert.equal(normaliseCreateStatement('CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a)'), normaliseCreateStatement('CREATE UNIQUE INDEX i ON t(a)'));
  assert.equal(normaliseCreateStatement('CREATE VIEW IF NOT EXISTS v AS SELECT 1'), 'create view v as select 1');
  assert.equal(
    normaliseCreateStatement('CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN SELECT 1; END'),
    'create trigger tr after insert on t begin select 1;end',
  );
});

test('normaliseCreateStatement drops TEMP and TEMPORARY', () => {
  assert.equal(normaliseCreateStatement('CREATE TEMP TABLE t (a)'), 'create table t(a)');
  assert.equal(normaliseCreateStatement('CREATE TEMPORARY VIEW v AS SELECT 1'), 'create view v as select 1');
  assert.equal(normaliseCreateStatement('CREATE TEMP TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN SELECT 1; END'), 'create trigger tr after insert on t begin select 1;end');
});

test('normaliseCreateStatement keeps a string that reads like IF NOT EXISTS or TEMP', () => {
  assert.equal(normaliseCreateStatement("CREATE VIEW v AS SELECT 'if not exists', 'temp'"), "create view v as select 'if not exists','temp'");
});

test('normaliseSql leaves IF NOT EXISTS in place', () => {
  assert.equal(normaliseSql('CREATE TABLE IF NOT EXISTS t (a)'), 'create table if not exists t(a)');
});
