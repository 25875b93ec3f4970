-- Migration: 0003 - Analytics events
-- Purpose: page events, with free-form properties.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='analytics_events';

-- migrate:up
CREATE TABLE IF NOT EXISTS analytics_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event TEXT NOT NULL,
  path TEXT,
  metadata TEXT DEFAULT '{}',  -- JSON for extensibility
  created_at TEXT DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_analytics_events_event ON analytics_events(event);

-- migrate:down
DROP TABLE IF EXISTS analytics_events;
