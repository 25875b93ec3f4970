-- Lookups by message and by reply (legacy schema version 7).
-- migrate:up
CREATE INDEX idx_agent_memory_message ON agent_memory(message_id);
CREATE INDEX idx_agent_memory_reply ON agent_memory(reply_to_message_id);

-- migrate:down
DROP INDEX idx_agent_memory_reply;
DROP INDEX idx_agent_memory_message;
