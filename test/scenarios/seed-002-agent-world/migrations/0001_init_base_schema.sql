-- The base tables as legacy schema version 0 created them (worlds, agents,
-- agent memory), before user_version was ever bumped.
-- migrate:up
CREATE TABLE worlds (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  turn_limit INTEGER NOT NULL DEFAULT 5,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE agents (
  id TEXT NOT NULL,
  world_id TEXT NOT NULL REFERENCES worlds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  type TEXT NOT NULL DEFAULT 'assistant',
  system_prompt TEXT,
  PRIMARY KEY (id, world_id)
);

CREATE TABLE agent_memory (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL,
  world_id TEXT NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  FOREIGN KEY (agent_id, world_id) REFERENCES agents(id, world_id) ON DELETE CASCADE
);

CREATE INDEX idx_agent_memory_agent ON agent_memory(agent_id, world_id);

-- migrate:down
DROP INDEX idx_agent_memory_agent;
DROP TABLE agent_memory;
DROP TABLE agents;
DROP TABLE worlds;
