-- Migration: 0003 - Learners
-- Purpose: the people taking courses.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='learners';

-- migrate:up
CREATE TABLE IF NOT EXISTS learners (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  created_at TEXT DEFAULT (datetime('now'))
);

-- migrate:down
DROP TABLE IF EXISTS learners;
