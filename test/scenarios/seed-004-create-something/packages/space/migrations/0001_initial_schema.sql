-- Migration: 0001 - Papers
-- Purpose: the papers createsomething.space publishes.
--
-- Changes:
-- - papers, with the two categories the site started with
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='papers';

-- migrate:up
CREATE TABLE IF NOT EXISTS papers (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('research', 'case-study')),
  created_at TEXT DEFAULT (datetime('now')),
  updated_at TEXT DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_papers_category ON papers(category);

-- migrate:down
DROP TABLE IF EXISTS papers;
