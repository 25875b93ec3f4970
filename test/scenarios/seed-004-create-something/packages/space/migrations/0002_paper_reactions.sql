-- Migration: 0002 - Paper reactions
-- Purpose: readers react to papers; a reaction goes with its paper.
--
-- Changes:
-- - paper_reactions, deleted with their paper (ON DELETE CASCADE)
-- - one reaction of a kind per reader and paper
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='index' AND name='idx_paper_reactions_unique';

-- migrate:up
CREATE TABLE IF NOT EXISTS paper_reactions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  metadata TEXT DEFAULT '{}',  -- JSON for extensibility
  created_at TEXT DEFAULT (datetime('now'))
);

CREATE UNIQUE INDEX IF NOT EXISTS idx_paper_reactions_unique
  ON paper_reactions(paper_id, user_id, kind);

CREATE INDEX IF NOT EXISTS idx_paper_reactions_paper ON paper_reactions(paper_id);

-- migrate:down
DROP TABLE IF EXISTS paper_reactions;
