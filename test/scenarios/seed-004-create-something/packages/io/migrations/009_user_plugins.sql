-- Migration: 009 - User plugins
-- Purpose: which plugins each user has enabled, with their settings (Pattern 1).
-- Named the old io way, with three digits: drawbridge lint says so, and the
-- file is renamed 0009_user_plugins.sql before drawbridge runs it.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='user_plugins';

-- migrate:up
CREATE TABLE IF NOT EXISTS user_plugins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  plugin_id TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  config TEXT DEFAULT '{}',  -- JSON for extensibility
  created_at TEXT DEFAULT (datetime('now')),
  updated_at TEXT DEFAULT (datetime('now'))
);

-- Indexes for common queries
CREATE UNIQUE INDEX IF NOT EXISTS idx_user_plugins_unique ON user_plugins(user_id, plugin_id);
CREATE INDEX IF NOT EXISTS idx_user_plugins_user ON user_plugins(user_id);

-- migrate:down
DROP TABLE IF EXISTS user_plugins;
