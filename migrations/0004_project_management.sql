-- Run commands per project, folders of sessions, and project ordering
-- (legacy release 0.4.0), with 0.4.0's two data backfills: each project's
-- run_script becomes its first run command, and projects keep their order
-- (display_order = id). Both are plain statements over existing rows, so on
-- an empty database they do nothing.
-- migrate:up
CREATE TABLE project_run_commands (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  command TEXT NOT NULL,
  display_name TEXT,
  order_index INTEGER DEFAULT 0,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO project_run_commands (project_id, command, display_name, order_index, created_at)
  SELECT id, run_script, 'Run', 0, created_at FROM projects
  WHERE run_script IS NOT NULL AND trim(run_script) <> ''
  ORDER BY id;

CREATE TABLE folders (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  display_order INTEGER DEFAULT 0,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

ALTER TABLE sessions ADD COLUMN folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL;

ALTER TABLE projects ADD COLUMN display_order INTEGER DEFAULT 0;

UPDATE projects SET display_order = id;

-- migrate:down
-- (run_script was never removed from projects, so dropping the copied run
-- commands loses nothing that 0003 had.)
ALTER TABLE projects DROP COLUMN display_order;
ALTER TABLE sessions DROP COLUMN folder_id;
DROP TABLE folders;
DROP TABLE project_run_commands;
