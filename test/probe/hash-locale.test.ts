import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The schema hash is compared across machines (a customer's report against
 * support's), so nothing in it may depend on the locale of the process that
 * probed. Lithuanian collation sorts "y" between "i" and "j": a table whose
 * two foreign keys start at columns j and y would order them differently
 * under lt-LT if the snapshot sorted with localeCompare.
 */

const FINGERPRINT = fileURLToPath(new URL('../../src/probe/fingerprint.js', import.meta.url));

const PROGRAM = `
import Database from 'better-sqlite3';
import { probeDatabase } from ${JSON.stringify(FINGERPRINT)};
const db = new Database(':memory:');
db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (j INTEGER REFERENCES p (id), y INTEGER REFERENCES p (id), UNIQUE (j), UNIQUE (y))');
const fingerprint = probeDatabase(db);
process.stdout.write(JSON.stringify({ locale: Intl.DateTimeFormat().resolvedOptions().locale, hash: fingerprint.schemaHash, fks: fingerprint.snapshot.tables.c.foreignKeys.map((fk) => fk.columns[0]) }));
`;

function probeUnder(locale: string): { locale: string; hash: string; fks: string[] } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROGRAM], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    env: { ...process.env, LANG: locale, LC_ALL: locale },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { locale: string; hash: string; fks: string[] };
}

test('a schema hashes the same, its foreign keys in the same order, under en-US and lt-LT collation', (t) => {
  const lithuanian = probeUnder('lt_LT.UTF-8');
  if (lithuanian.locale !== 'lt-LT') {
    t.skip(`this node has no lt-LT collation (it resolved ${lithuanian.locale}); the test needs full ICU`);
    return;
  }
  const english = probeUnder('en_US.UTF-8');
  assert.deepEqual(lithuanian.fks, english.fks);
  assert.deepEqual(english.fks, ['j', 'y']);
  assert.equal(lithuanian.hash, english.hash);
});
