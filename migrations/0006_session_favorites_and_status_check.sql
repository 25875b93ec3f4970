-- Favourite sessions (legacy hotfix 0.5.1) and a CHECK on sessions.status
-- (legacy release 0.6.0), in one rebuild of sessions. Statuses the CHECK
-- would refuse (NULL, and values like 'paused' that old releases wrote)
-- become 'stopped', as 0.6.0 did.
--
-- Unlike 0.6.0's inline rebuild this one loses nothing: drawbridge switches
-- foreign keys off before the transaction (so dropping the old table does not
-- cascade into outputs, messages, markers and diffs) and checks them before
-- commit; and idx_sessions_project_id, which 0.6.0 forgot, is recreated.
-- The result equals a fresh 0.6.0 install.
-- migrate:up
CREATE TABLE sessions_new (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT NOT NULL DEFAULT 'initializing' CHECK (status IN ('initializing', 'ready', 'running', 'waiting', 'stopped', 'completed_unviewed', 'error')),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  prompt TEXT,
  last_viewed_at TEXT,
  folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL,
  is_favorite BOOLEAN DEFAULT 0
);

INSERT INTO sessions_new (id, project_id, name, worktree_name, worktree_path, status, created_at, prompt, last_viewed_at, folder_id)
  SELECT id, project_id, name, worktree_name, worktree_path,
         CASE WHEN status IN ('initializing', 'ready', 'running', 'waiting', 'stopped', 'completed_unviewed', 'error') THEN status ELSE 'stopped' END,
         created_at, prompt, last_viewed_at, folder_id
  FROM sessions
  ORDER BY rowid;

DROP TABLE sessions;

ALTER TABLE sessions_new RENAME TO sessions;

CREATE INDEX idx_sessions_project_id ON sessions(project_id);

-- migrate:down
-- Back to the 0005 shape: no is_favorite, no CHECK. Statuses mapped to
-- 'stopped' on the way up stay 'stopped'.
CREATE TABLE sessions_old (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT DEFAULT 'initializing',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  prompt TEXT,
  last_viewed_at TEXT,
  folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL
);

INSERT INTO sessions_old (id, project_id, name, worktree_name, worktree_path, status, created_at, prompt, last_viewed_at, folder_id)
  SELECT id, project_id, name, worktree_name, worktree_path, status, created_at, prompt, last_viewed_at, folder_id
  FROM sessions
  ORDER BY rowid;

DROP TABLE sessions;

ALTER TABLE sessions_old RENAME TO sessions;

CREATE INDEX idx_sessions_project_id ON sessions(project_id);
