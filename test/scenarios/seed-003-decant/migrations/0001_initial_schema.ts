import type { MigrationContext } from '../../../../src/index.js';

/**
 * Decant's 001_initial_schema, moved into drawbridge's sequence unchanged:
 * the content tree (nodes under a function and an organization), key
 * concepts, segments, organizations, and full-text search over nodes. The
 * FTS table keeps no copy of the text (external content); three triggers
 * keep its index in step with nodes.
 */

const TABLES = `
CREATE TABLE nodes (
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
CREATE TABLE key_concepts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  node_id TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  concept TEXT NOT NULL,
  UNIQUE (node_id, concept)
);
CREATE TABLE segments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT
);
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  segment_id TEXT REFERENCES segments(id) ON DELETE SET NULL
);
CREATE INDEX idx_nodes_function_parent ON nodes(function_parent_id);
CREATE INDEX idx_nodes_organization_parent ON nodes(organization_parent_id);
CREATE INDEX idx_nodes_deleted ON nodes(is_deleted);
CREATE INDEX idx_key_concepts_node ON key_concepts(node_id);`;

const SEARCH = `
CREATE VIRTUAL TABLE nodes_fts USING fts5(title, ai_summary, content='nodes', content_rowid='rowid');
CREATE TRIGGER nodes_fts_insert AFTER INSERT ON nodes BEGIN
  INSERT INTO nodes_fts(rowid, title, ai_summary) VALUES (new.rowid, new.title, new.ai_summary);
END;
CREATE TRIGGER nodes_fts_delete AFTER DELETE ON nodes BEGIN
  INSERT INTO nodes_fts(nodes_fts, rowid, title, ai_summary) VALUES ('delete', old.rowid, old.title, old.ai_summary);
END;
CREATE TRIGGER nodes_fts_update AFTER UPDATE OF title, ai_summary ON nodes BEGIN
  INSERT INTO nodes_fts(nodes_fts, rowid, title, ai_summary) VALUES ('delete', old.rowid, old.title, old.ai_summary);
  INSERT INTO nodes_fts(rowid, title, ai_summary) VALUES (new.rowid, new.title, new.ai_summary);
END;`;

export function up(ctx: MigrationContext): void {
  ctx.sql(TABLES);
  ctx.sql(SEARCH);
}

export function down(ctx: MigrationContext): void {
  ctx.sql(`
    DROP TRIGGER nodes_fts_update;
    DROP TRIGGER nodes_fts_delete;
    DROP TRIGGER nodes_fts_insert;
    DROP TABLE nodes_fts;
    DROP TABLE organizations;
    DROP TABLE segments;
    DROP TABLE key_concepts;
    DROP TABLE nodes;`);
}
