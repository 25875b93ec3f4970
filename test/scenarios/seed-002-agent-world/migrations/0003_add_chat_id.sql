-- Memory belongs to a chat (legacy schema version 2).
-- migrate:up
ALTER TABLE agent_memory ADD COLUMN chat_id TEXT;
CREATE INDEX idx_agent_memory_chat ON agent_memory(chat_id);

-- migrate:down
DROP INDEX idx_agent_memory_chat;
ALTER TABLE agent_memory DROP COLUMN chat_id;
