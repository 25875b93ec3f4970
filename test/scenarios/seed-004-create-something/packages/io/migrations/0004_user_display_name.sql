-- Migration: 0004 - Display names
-- Purpose: users choose the name shown next to their work.
-- Not idempotent, on purpose: SQLite has no ADD COLUMN IF NOT EXISTS, so a
-- second run by hand fails with "duplicate column name".
--
-- Verification:
-- SELECT name FROM pragma_table_info('users') WHERE name='display_name';

-- migrate:up
ALTER TABLE users ADD COLUMN display_name TEXT;

-- migrate:down
ALTER TABLE users DROP COLUMN display_name;
