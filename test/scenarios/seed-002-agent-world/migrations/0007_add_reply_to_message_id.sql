-- Replies point at the message they answer (legacy schema version 6).
-- migrate:up
ALTER TABLE agent_memory ADD COLUMN reply_to_message_id TEXT;

-- migrate:down
ALTER TABLE agent_memory DROP COLUMN reply_to_message_id;
