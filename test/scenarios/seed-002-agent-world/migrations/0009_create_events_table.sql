-- The event log (was 0001 in the SQL-file runner of late 2025).
-- migrate:up
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  world_id TEXT NOT NULL REFERENCES worlds(id) ON DELETE CASCADE,
  chat_id TEXT,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  UNIQUE (world_id, chat_id, seq)
);

CREATE INDEX idx_events_world_chat ON events(world_id, chat_id);

-- migrate:down
DROP INDEX idx_events_world_chat;
DROP TABLE events;
