-- Migration: 0003 - Experiments are papers too
-- Purpose: allow the category 'experiment'.
-- SQLite doesn't support ALTER CONSTRAINT, so we recreate the table
-- (Pattern 2). drawbridge switches foreign keys off around the migration,
-- so dropping papers does not cascade into paper_reactions.
--
-- Verification:
-- SELECT sql FROM sqlite_master WHERE name='papers';

-- migrate:up
CREATE TABLE papers_new (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('research', 'case-study', 'experiment')),
  created_at TEXT DEFAULT (datetime('now')),
  updated_at TEXT DEFAULT (datetime('now'))
);

INSERT INTO papers_new SELECT * FROM papers;

DROP TABLE papers;

ALTER TABLE papers_new RENAME TO papers;

CREATE INDEX IF NOT EXISTS idx_papers_category ON papers(category);

-- No down section: a paper filed as 'experiment' has no place under the old
-- constraint, so this step is forward-only.
