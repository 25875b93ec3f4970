import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { listMigrationFiles } from './migration-set.js';

/**
 * `drawbridge create`: the next migration file, from a template. Every
 * template has a working down step, because a migration that cannot be
 * rolled back should be a decision, not an accident.
 */

export const TEMPLATES = ['blank', 'table', 'column', 'index', 'data', 'rebuild'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

const SQL: Record<TemplateName, string> = {
  blank: `-- What this migration does, and why.
-- migrate:up

-- migrate:down
`,
  table: `-- Create a table. Replace "example" and its columns.
-- migrate:up
CREATE TABLE example (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_example_name ON example(name);

-- migrate:down
DROP TABLE example;
`,
  column: `-- Add a column. New columns need a default (or NULL) for the rows already there.
-- migrate:up
ALTER TABLE example ADD COLUMN status TEXT NOT NULL DEFAULT 'active';

-- migrate:down
ALTER TABLE example DROP COLUMN status;
`,
  index: `-- Add an index.
-- migrate:up
CREATE INDEX idx_example_status ON example(status);

-- migrate:down
DROP INDEX idx_example_status;
`,
  data: `-- Transform data. Keep it reversible when you can; if the old values are lost,
-- say so here and make the down step restore what it can.
-- migrate:up
UPDATE example SET status = 'archived' WHERE status = 'old';

-- migrate:down
UPDATE example SET status = 'old' WHERE status = 'archived';
`,
  rebuild: `-- Rebuild a table to change what ALTER TABLE cannot (a constraint, a column type,
-- dropping a column that has constraints), following SQLite's 12-step procedure
-- (sqlite.org/lang_altertable.html#otheralter).
-- In a TypeScript migration, rebuildTable(ctx.db, { table, createSql }) from 'drawbridge'
-- does all of it: rows copied in SQL, then every index, trigger and view that referred
-- to the table recreated (drawbridge create NAME --template rebuild --ts).
-- Here in SQL that is yours to do: drop the triggers (on other tables too) and views
-- that mention the table before DROP TABLE, and recreate them and every index after.
-- drawbridge already switches foreign keys off before the transaction and runs
-- PRAGMA foreign_key_check before COMMIT: do not add PRAGMA foreign_keys here.
-- migrate:up
CREATE TABLE example_new (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'archived'))
);
INSERT INTO example_new (id, name, status) SELECT id, name, status FROM example;
DROP TABLE example;
ALTER TABLE example_new RENAME TO example;
-- Recreate every index, trigger and view that referred to the old table:
CREATE INDEX idx_example_name ON example(name);
CREATE INDEX idx_example_status ON example(status);

-- migrate:down
CREATE TABLE example_old (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL
);
INSERT INTO example_old (id, name, status) SELECT id, name, status FROM example;
DROP TABLE example;
ALTER TABLE example_old RENAME TO example;
CREATE INDEX idx_example_name ON example(name);
CREATE INDEX idx_example_status ON example(status);
`,
};

/** The rebuild template in TypeScript calls the helper instead of spelling out the 12 steps. */
const TYPESCRIPT_REBUILD = `import { rebuildTable, type MigrationContext } from 'drawbridge';

// Rebuild a table to change what ALTER TABLE cannot (a constraint, a column type,
// dropping a column that has constraints): SQLite's 12-step procedure
// (sqlite.org/lang_altertable.html#otheralter). rebuildTable builds the new table
// under a temporary name, copies every row with INSERT … SELECT, swaps it in, and
// recreates every index, trigger and view that referred to the old table.
// ctx.db is already inside drawbridge's transaction with foreign keys off, and
// drawbridge runs PRAGMA foreign_key_check before COMMIT.

export function up(ctx: MigrationContext): void {
  const result = rebuildTable(ctx.db, {
    table: 'example',
    createSql: \`
      CREATE TABLE example (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'archived'))
      )\`,
    // Columns of the new table computed from the old row; the others are copied by name,
    // and columns the new table does not have are dropped:
    // columns: { status: "coalesce(status, 'active')" },
    onProgress: (copied, total) => ctx.progress(copied, total, 'rows copied into example'),
  });
  ctx.logger.info(\`rebuilt \${result.table}: \${result.rowsCopied} rows; recreated \${JSON.stringify(result.recreated)}\`);
}

export function down(ctx: MigrationContext): void {
  rebuildTable(ctx.db, {
    table: 'example',
    createSql: \`
      CREATE TABLE example (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL
      )\`,
  });
}
`;

function typescriptTemplate(template: TemplateName): string {
  if (template === 'rebuild') return TYPESCRIPT_REBUILD;
  const [, up = '', down = ''] = /-- migrate:up\n([\s\S]*?)-- migrate:down\n([\s\S]*)$/.exec(SQL[template]) ?? [];
  const indent = (sql: string): string => sql.trim().split('\n').map((l) => `    ${l}`).join('\n');
  return `import type { MigrationContext } from 'drawbridge';

// ctx.db is the better-sqlite3 connection, already inside drawbridge's transaction.
// ctx.sql() runs a script statement by statement, naming the statement that fails.

export function up(ctx: MigrationContext): void {
  ctx.sql(\`
${indent(up)}
  \`);
}

export function down(ctx: MigrationContext): void {
  ctx.sql(\`
${indent(down)}
  \`);
}
`;
}

export interface CreatedMigration {
  readonly name: string;
  readonly path: string;
}

export function createMigrationFile(dir: string, description: string, options: { template: TemplateName; typescript: boolean }): CreatedMigration {
  const slug = description.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!/^[a-z0-9][a-z0-9_]*$/.test(slug)) {
    throw new UsageError(`"${description}" cannot name a migration: use letters, digits and underscores, e.g. add_session_status`);
  }
  const root = resolve(dir);
  let next = 1;
  if (existsSync(root)) {
    const last = listMigrationFiles(root).at(-1);
    if (last !== undefined) next = last.number + 1;
  } else {
    mkdirSync(root, { recursive: true });
  }
  if (next > 9999) throw new UsageError(`${root} already holds migration 9999; the 4-digit sequence is full.`);
  const name = `${String(next).padStart(4, '0')}_${slug}`;
  const path = join(root, `${name}.${options.typescript ? 'ts' : 'sql'}`);
  writeFileSync(path, options.typescript ? typescriptTemplate(options.template) : SQL[options.template], { flag: 'wx' });
  return { name, path };
}
