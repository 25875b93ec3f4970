-- Migration: 0001 - Courses
-- Purpose: the courses learn.createsomething.io offers.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='courses';

-- migrate:up
CREATE TABLE IF NOT EXISTS courses (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  created_at TEXT DEFAULT (datetime('now'))
);

-- migrate:down
DROP TABLE IF EXISTS courses;
