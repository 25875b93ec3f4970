-- Migration: 0002 - Modules
-- Purpose: a course is a sequence of modules; they go with their course.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='index' AND name='idx_modules_course';

-- migrate:up
CREATE TABLE IF NOT EXISTS modules (
  id TEXT PRIMARY KEY,
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT
);

CREATE INDEX IF NOT EXISTS idx_modules_course ON modules(course_id);

-- migrate:down
DROP TABLE IF EXISTS modules;
