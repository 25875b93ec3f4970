-- Migration: 0007 - Experiments can be archived
-- Purpose: allow status 'archived'.
-- SQLite doesn't support ALTER CONSTRAINT, so we recreate the table
-- (Pattern 2), which is not idempotent: its CREATE, INSERT, DROP and RENAME
-- each fail or duplicate rows when the file runs a second time.
--
-- Verification:
-- SELECT sql FROM sqlite_master WHERE name='experiments';

-- migrate:up
CREATE TABLE experiments_new (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'archived')),
  created_at TEXT DEFAULT (datetime('now'))
);

INSERT INTO experiments_new SELECT * FROM experiments;

DROP TABLE experiments;

ALTER TABLE experiments_new RENAME TO experiments;

CREATE INDEX IF NOT EXISTS idx_experiments_status ON experiments(status);

-- No down section: an archived experiment has no place under the old
-- constraint, so this step is forward-only.
