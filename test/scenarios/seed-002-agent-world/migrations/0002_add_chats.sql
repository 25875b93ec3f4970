-- Chats per world (legacy schema version 1).
-- migrate:up
CREATE TABLE chats (
  id TEXT PRIMARY KEY,
  world_id TEXT NOT NULL REFERENCES worlds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX idx_chats_world ON chats(world_id);

-- migrate:down
DROP INDEX idx_chats_world;
DROP TABLE chats;
