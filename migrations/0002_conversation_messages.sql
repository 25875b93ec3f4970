-- Conversation history per session, and the prompt a session started from
-- (legacy release 0.2.0).
-- migrate:up
CREATE TABLE conversation_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  message_type TEXT NOT NULL CHECK (message_type IN ('user', 'assistant')),
  content TEXT NOT NULL,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_conversation_messages_session_id ON conversation_messages(session_id);

ALTER TABLE sessions ADD COLUMN prompt TEXT;

-- migrate:down
ALTER TABLE sessions DROP COLUMN prompt;
DROP INDEX idx_conversation_messages_session_id;
DROP TABLE conversation_messages;
