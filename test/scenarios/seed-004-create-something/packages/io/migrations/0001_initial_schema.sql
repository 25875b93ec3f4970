-- Migration: 0001 - Users
-- Purpose: accounts of createsomething.io.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='users';

-- migrate:up
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  created_at TEXT DEFAULT (datetime('now')),
  updated_at TEXT DEFAULT (datetime('now'))
);

-- migrate:down
DROP TABLE IF EXISTS users;
