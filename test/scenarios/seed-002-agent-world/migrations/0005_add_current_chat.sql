-- The chat a world shows when it opens (legacy schema version 4).
-- migrate:up
ALTER TABLE worlds ADD COLUMN current_chat_id TEXT;

-- migrate:down
ALTER TABLE worlds DROP COLUMN current_chat_id;
