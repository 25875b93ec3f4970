import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyOf, probeWith } from './probe-with.js';

test('sequelize: SequelizeMeta rows in name order (umzug’s executed() order), no time recorded', (t) => {
  // sequelize-cli's table; rows inserted out of name order.
  const fingerprint = probeWith(
    t,
    `CREATE TABLE \`SequelizeMeta\` (\`name\` VARCHAR(255) NOT NULL UNIQUE PRIMARY KEY);
     INSERT INTO SequelizeMeta (name) VALUES ('20240120-add-tags.js'), ('20240110-create-notes.js');`,
  );
  const history = historyOf(fingerprint, 'SequelizeMeta');
  assert.equal(history.tool, 'sequelize');
  assert.deepEqual(history.rows.map((r) => [r.id, r.status, r.appliedAt, r.durationMs, r.checksum]), [
    ['20240110-create-notes.js', 'applied', null, null, null],
    ['20240120-add-tags.js', 'applied', null, null, null],
  ]);
  assert.deepEqual(history.rows[0]?.source, { name: '20240110-create-notes.js' });
});

test('sequelize: a SequelizeMeta spelled in another case, with a NAME column, is read under its stored names', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE sequelizemeta (NAME VARCHAR(255) NOT NULL PRIMARY KEY);
     INSERT INTO sequelizemeta VALUES ('20240110-create-notes.js');`,
  );
  const history = historyOf(fingerprint, 'sequelizemeta');
  assert.equal(history.tool, 'sequelize');
  assert.deepEqual(history.rows.map((r) => r.id), ['20240110-create-notes.js']);
  assert.deepEqual(history.rows[0]?.source, { NAME: '20240110-create-notes.js' });
  assert.deepEqual(fingerprint.trackingTables, [{ tool: 'sequelize', table: 'sequelizemeta' }]);
});

test('sequelize: with umzug’s timestamps option, createdAt (Sequelize’s "+00:00" text) is when it was applied', (t) => {
  const fingerprint = probeWith(
    t,
    `CREATE TABLE \`SequelizeMeta\` (\`id\` INTEGER PRIMARY KEY AUTOINCREMENT, \`name\` VARCHAR(255) NOT NULL, \`createdAt\` DATETIME NOT NULL, \`updatedAt\` DATETIME NOT NULL);
     INSERT INTO SequelizeMeta (name, createdAt, updatedAt) VALUES ('20240110-create-notes.js', '2024-01-15 10:30:22.123 +00:00', '2024-01-15 10:30:22.123 +00:00');`,
  );
  assert.equal(historyOf(fingerprint, 'SequelizeMeta').rows[0]?.appliedAt, '2024-01-15T10:30:22.123Z');
});
