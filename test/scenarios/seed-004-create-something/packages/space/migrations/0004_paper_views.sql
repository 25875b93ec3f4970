-- Migration: 0004 - Daily paper views
-- Purpose: count views per paper and day.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='paper_views';

-- migrate:up
CREATE TABLE IF NOT EXISTS paper_views (
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  views INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (paper_id, day)
);

-- migrate:down
DROP TABLE IF EXISTS paper_views;
