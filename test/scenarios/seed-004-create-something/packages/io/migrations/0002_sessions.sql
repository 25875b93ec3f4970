-- Migration: 0002 - Sessions
-- Purpose: login sessions; they end with their user.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='sessions';

-- migrate:up
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at TEXT NOT NULL,
  created_at TEXT DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_sessions_user ON sessions(user_id);

-- migrate:down
DROP TABLE IF EXISTS sessions;
