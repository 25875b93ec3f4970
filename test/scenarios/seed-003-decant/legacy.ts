import Database from 'better-sqlite3';

/**
 * Decant (seed 003) before drawbridge: its own runner applied TypeScript
 * migrations in order, each in a transaction with its row in `_migrations`.
 * The SQL below is what Decant's 001 and 002 ran, as Decant wrote it (with
 * IF NOT EXISTS, which SQLite drops from the stored schema): the databases
 * its users have.
 */

export type DecantHandle = Database.Database;

interface DecantMigration {
  readonly name: string;
  /** When Decant's runner recorded it: the times of the seed's own example records. */
  readonly appliedAt: string;
  up(db: DecantHandle): void;
}

const INITIAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS nodes (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  url TEXT,
  source_domain TEXT,
  company TEXT,
  ai_summary TEXT,
  function_parent_id TEXT,
  organization_parent_id TEXT,
  is_deleted INTEGER NOT NULL DEFAULT 0,
  date_added TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS key_concepts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  node_id TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  concept TEXT NOT NULL,
  UNIQUE (node_id, concept)
);
CREATE TABLE IF NOT EXISTS segments (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  segment_id TEXT REFERENCES segments(id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS idx_nodes_function_parent ON nodes(function_parent_id);
CREATE INDEX IF NOT EXISTS idx_nodes_organization_parent ON nodes(organization_parent_id);
CREATE INDEX IF NOT EXISTS idx_nodes_deleted ON nodes(is_deleted);
CREATE INDEX IF NOT EXISTS idx_key_concepts_node ON key_concepts(node_id);
CREATE VIRTUAL TABLE IF NOT EXISTS nodes_fts USING fts5(title, ai_summary, content='nodes', content_rowid='rowid');
CREATE TRIGGER IF NOT EXISTS nodes_fts_insert AFTER INSERT ON nodes BEGIN
  INSERT INTO nodes_fts(rowid, title, ai_summary) VALUES (new.rowid, new.title, new.ai_summary);
END;
CREATE TRIGGER IF NOT EXISTS nodes_fts_delete AFTER DELETE ON nodes BEGIN
  INSERT INTO nodes_fts(nodes_fts, rowid, title, ai_summary) VALUES ('delete', old.rowid, old.title, old.ai_summary);
END;
CREATE TRIGGER IF NOT EXISTS nodes_fts_update AFTER UPDATE OF title, ai_summary ON nodes BEGIN
  INSERT INTO nodes_fts(nodes_fts, rowid, title, ai_summary) VALUES ('delete', old.rowid, old.title, old.ai_summary);
  INSERT INTO nodes_fts(rowid, title, ai_summary) VALUES (new.rowid, new.title, new.ai_summary);
END;`;

const ADD_INDEXES = `
CREATE INDEX IF NOT EXISTS idx_nodes_source_domain ON nodes(source_domain);
CREATE INDEX IF NOT EXISTS idx_nodes_company ON nodes(company);
CREATE INDEX IF NOT EXISTS idx_nodes_date_added ON nodes(date_added);
CREATE INDEX IF NOT EXISTS idx_nodes_updated_at ON nodes(updated_at);`;

/** The `migrations` array of Decant's runner.ts, in order. */
const DECANT_MIGRATIONS: readonly DecantMigration[] = [
  { name: '001_initial_schema', appliedAt: '2024-01-15 10:30:22', up: (db) => db.exec(INITIAL_SCHEMA) },
  { name: '002_add_indexes', appliedAt: '2024-01-15 10:30:23', up: (db) => db.exec(ADD_INDEXES) },
];

/** A newer Decant's migration, unknown to this sequence. */
const FUTURE_MIGRATION: DecantMigration = {
  name: '005_future_thing',
  appliedAt: '2024-06-01 08:00:00',
  up: (db) => db.exec('CREATE TABLE IF NOT EXISTS future_things (id TEXT PRIMARY KEY, payload TEXT)'),
};

const MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS _migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (datetime('now'))
)`;

/** Decant's runPendingMigrations: each migration and its record in one transaction. */
function runMigrations(db: DecantHandle, migrations: readonly DecantMigration[]): void {
  db.exec(MIGRATIONS_TABLE);
  const record = db.prepare('INSERT INTO _migrations (name, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    db.transaction(() => {
      migration.up(db);
      record.run(migration.name, migration.appliedAt);
    })();
  }
}

/** A small library: segments, organizations, nodes (one deleted) and their key concepts. */
function addLibrary(db: DecantHandle): void {
  db.exec(`
    INSERT INTO segments (id, name, description) VALUES ('s1', 'Fintech', 'payments and banking'), ('s2', 'Devtools', NULL);
    INSERT INTO organizations (id, name, segment_id) VALUES ('o1', 'Stripe', 's1'), ('o2', 'Vercel', 's2');
    INSERT INTO nodes (id, title, url, source_domain, company, ai_summary, organization_parent_id, is_deleted) VALUES
      ('n1', 'Payment intents explained', 'https://stripe.com/docs/payments', 'stripe.com', 'Stripe', 'How payment intents track a charge', 'o1', 0),
      ('n2', 'Edge functions', 'https://vercel.com/docs/functions', 'vercel.com', 'Vercel', 'Running code close to users', 'o2', 0),
      ('n3', 'Old pricing page', 'https://stripe.com/pricing', 'stripe.com', 'Stripe', 'Superseded pricing', 'o1', 1),
      ('n4', 'SQLite full-text search', 'https://sqlite.org/fts5.html', 'sqlite.org', NULL, 'The FTS5 extension', NULL, 0);
    INSERT INTO key_concepts (node_id, concept) VALUES ('n1', 'payments'), ('n1', 'idempotency'), ('n2', 'serverless'), ('n3', 'pricing'), ('n4', 'search');`);
}

export interface DecantOptions {
  /** How many of Decant's migrations had run: 1 (001) or 2 (001 and 002). */
  readonly applied: number;
  /** A newer Decant also ran its 005_future_thing. */
  readonly newer?: boolean;
}

/** A database file as a Decant install left it, with a small library in it. */
export function createDecantDatabase(file: string, options: DecantOptions): void {
  const db = new Database(file);
  try {
    runMigrations(db, DECANT_MIGRATIONS.slice(0, options.applied));
    addLibrary(db);
    if (options.newer === true) runMigrations(db, [FUTURE_MIGRATION]);
  } finally {
    db.close();
  }
}

/** The tables Decant's users keep their library in. */
export const LIBRARY_TABLES = ['nodes', 'key_concepts', 'segments', 'organizations'] as const;
