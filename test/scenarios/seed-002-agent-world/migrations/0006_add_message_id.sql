-- A stable id per message, for threading (legacy schema version 5).
-- migrate:up
ALTER TABLE agent_memory ADD COLUMN message_id TEXT;

-- migrate:down
ALTER TABLE agent_memory DROP COLUMN message_id;
