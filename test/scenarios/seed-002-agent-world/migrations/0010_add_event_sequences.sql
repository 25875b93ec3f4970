-- The next sequence number per world and chat (was 0002 in the SQL-file runner).
-- migrate:up
CREATE TABLE event_sequences (
  world_id TEXT NOT NULL REFERENCES worlds(id) ON DELETE CASCADE,
  chat_id TEXT NOT NULL DEFAULT '',
  last_seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (world_id, chat_id)
);

-- migrate:down
DROP TABLE event_sequences;
