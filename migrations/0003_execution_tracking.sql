-- Prompt markers in a session's output, the git diff of each execution, and
-- when a session was last looked at (legacy release 0.3.0).
-- migrate:up
CREATE TABLE prompt_markers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  prompt_text TEXT NOT NULL,
  output_index INTEGER NOT NULL,
  output_line INTEGER,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE execution_diffs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  prompt_marker_id INTEGER REFERENCES prompt_markers(id) ON DELETE SET NULL,
  execution_sequence INTEGER NOT NULL,
  git_diff TEXT,
  files_changed TEXT,
  stats_additions INTEGER DEFAULT 0,
  stats_deletions INTEGER DEFAULT 0,
  stats_files_changed INTEGER DEFAULT 0,
  before_commit_hash TEXT,
  after_commit_hash TEXT,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
);

ALTER TABLE sessions ADD COLUMN last_viewed_at TEXT;

-- migrate:down
ALTER TABLE sessions DROP COLUMN last_viewed_at;
DROP TABLE execution_diffs;
DROP TABLE prompt_markers;
