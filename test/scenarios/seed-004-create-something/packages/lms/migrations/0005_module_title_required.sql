-- Migration: 0005 - Every module has a title
-- Purpose: modules.title becomes NOT NULL; untitled modules get their position.
-- SQLite cannot add NOT NULL to a column, so we recreate the table
-- (Pattern 2). drawbridge switches foreign keys off around the migration,
-- so dropping modules does not cascade into module_enrollment.
--
-- Verification:
-- SELECT count(*) FROM modules WHERE title IS NULL;  -- 0

-- migrate:up
CREATE TABLE modules_new (
  id TEXT PRIMARY KEY,
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT NOT NULL
);

INSERT INTO modules_new (id, course_id, position, title)
  SELECT id, course_id, position, coalesce(title, 'Module ' || position) FROM modules;

DROP TABLE modules;

ALTER TABLE modules_new RENAME TO modules;

CREATE INDEX IF NOT EXISTS idx_modules_course ON modules(course_id);

-- migrate:down
CREATE TABLE modules_old (
  id TEXT PRIMARY KEY,
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT
);
INSERT INTO modules_old (id, course_id, position, title) SELECT id, course_id, position, title FROM modules;
DROP TABLE modules;
ALTER TABLE modules_old RENAME TO modules;
CREATE INDEX idx_modules_course ON modules(course_id);
