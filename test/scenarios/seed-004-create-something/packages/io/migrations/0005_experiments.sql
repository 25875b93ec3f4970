-- Migration: 0005 - Experiments
-- Purpose: the experiments the site runs, drafted before they go live.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='experiments';

-- migrate:up
CREATE TABLE IF NOT EXISTS experiments (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live')),
  created_at TEXT DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_experiments_status ON experiments(status);

-- migrate:down
DROP TABLE IF EXISTS experiments;
