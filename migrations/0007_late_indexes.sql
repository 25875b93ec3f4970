-- The indexes legacy release 0.7.0 added late. (0.7.0 also re-created
-- idx_sessions_project_id, which its 0.6.0 rebuild had lost; in this sequence
-- 0006 keeps it, so it is not created again here.)
-- migrate:up
CREATE INDEX idx_sessions_status ON sessions(status);
CREATE INDEX idx_sessions_worktree_name ON sessions(worktree_name);
CREATE UNIQUE INDEX idx_projects_path ON projects(path);
CREATE INDEX idx_prompt_markers_session_timestamp ON prompt_markers(session_id, timestamp);
CREATE UNIQUE INDEX idx_execution_diffs_session_sequence ON execution_diffs(session_id, execution_sequence);
CREATE INDEX idx_session_outputs_session_id ON session_outputs(session_id);

-- migrate:down
DROP INDEX idx_session_outputs_session_id;
DROP INDEX idx_execution_diffs_session_sequence;
DROP INDEX idx_prompt_markers_session_timestamp;
DROP INDEX idx_projects_path;
DROP INDEX idx_sessions_worktree_name;
DROP INDEX idx_sessions_status;
