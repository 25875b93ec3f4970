import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateFixture } from '../../legacy-fixtures/generate.js';
import { diffSnapshots } from '../../src/probe/diff.js';
import { probeDatabase } from '../../src/probe/fingerprint.js';
import { deriveSchemas } from '../../src/runner/derived-schemas.js';
import { loadMigrations } from '../../src/runner/migration-set.js';
import { createRunner } from '../../src/runner/runner.js';
import { tempDir } from '../helpers/temp.js';

/** The reference app's new sequence (migrations/) against its legacy history (legacy-fixtures/). */

const MIGRATIONS = fileURLToPath(new URL('../../../migrations', import.meta.url));

test('the reference sequence has 6 to 10 migrations, with a table rebuild and a data transform', () => {
  const set = loadMigrations(MIGRATIONS);
  assert.ok(set.migrations.length >= 6 && set.migrations.length <= 10, `${set.migrations.length} migrations`);
  assert.ok(set.migrations.some((m) => m.kind === 'module'), 'a TypeScript data-transform migration');
});

test('an empty file migrated to head differs from the last legacy release by exactly what the new system adds', async (t) => {
  const dir = tempDir(t);
  const head = join(dir, 'head.db');
  await createRunner(head, { migrations: loadMigrations(MIGRATIONS) }).up();
  const legacy = generateFixture('release-r10', dir);
  const diff = diffSnapshots(probeDatabase(legacy.file).snapshot, probeDatabase(head).snapshot);
  assert.deepEqual(diff.tables, { added: ['session_tags'], removed: [], changed: [] });
  assert.deepEqual(diff.indexes, { added: ['idx_session_tags_tag'], removed: [], changed: [] });
  assert.deepEqual(diff.triggers, { added: [], removed: [], changed: [] });
  assert.deepEqual(diff.views, { added: [], removed: [], changed: [] });
});

test('every migration of the sequence rolls back to exactly the schema before it', async (t) => {
  const set = loadMigrations(MIGRATIONS);
  const derived = await deriveSchemas(set);
  const path = join(tempDir(t), 'steps.db');
  const runner = createRunner(path, { migrations: set });
  for (const [i, migration] of set.migrations.entries()) {
    await runner.up({ to: migration.name });
    await runner.down();
    assert.deepEqual(probeDatabase(path).snapshot, derived[i]?.snapshot, `down of ${migration.name}`);
    await runner.up({ to: migration.name });
    assert.deepEqual(probeDatabase(path).snapshot, derived[i + 1]?.snapshot, `up of ${migration.name}`);
  }
});

test('the whole sequence goes down to nothing and back up to the same head', async (t) => {
  const set = loadMigrations(MIGRATIONS);
  const path = join(tempDir(t), 'roundtrip.db');
  const runner = createRunner(path, { migrations: set });
  await runner.up();
  const head = probeDatabase(path).schemaHash;
  await runner.down({ to: 0 });
  assert.deepEqual(probeDatabase(path).snapshot.tables, {});
  await runner.up();
  assert.equal(probeDatabase(path).schemaHash, head);
});

test('derived schemas are computed once per sequence and reused', async () => {
  const set = loadMigrations(MIGRATIONS);
  const first = await deriveSchemas(set);
  const again = await deriveSchemas(loadMigrations(MIGRATIONS));
  assert.equal(again, first, 'the same cached array for the same names and checksums');
  assert.equal(first.length, set.migrations.length + 1);
  assert.equal(first[0]?.name, null);
});
