-- Per-agent model settings (legacy schema version 3).
-- migrate:up
ALTER TABLE agents ADD COLUMN provider TEXT;
ALTER TABLE agents ADD COLUMN model TEXT;
ALTER TABLE agents ADD COLUMN temperature REAL;

-- migrate:down
ALTER TABLE agents DROP COLUMN temperature;
ALTER TABLE agents DROP COLUMN model;
ALTER TABLE agents DROP COLUMN provider;
