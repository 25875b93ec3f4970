-- The reference app's first schema (legacy release 0.1.0): projects, their
-- sessions, and each session's output.
-- migrate:up
CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  system_prompt TEXT,
  run_script TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT DEFAULT 'initializing',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_sessions_project_id ON sessions(project_id);

CREATE TABLE session_outputs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
);

-- migrate:down
DROP TABLE session_outputs;
DROP INDEX idx_sessions_project_id;
DROP TABLE sessions;
DROP TABLE projects;
