/**
 * The reference app's table DDL as it appeared in its inline migration code,
 * one constant per shape a table had. Each release's runMigrations() creates
 * its tables at the shape current in that release (a fresh install), so the
 * fresh-install DDL puts new columns where the developer found them natural;
 * an upgraded database got the same columns appended by ALTER TABLE instead.
 * DDL text is normative: names, types, defaults and constraints are exactly
 * what shipped.
 */

// ---------------------------------------------------------------- projects

/** 0.1.0 – 0.3.0 */
export const PROJECTS_R01 = `CREATE TABLE IF NOT EXISTS projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  system_prompt TEXT,
  run_script TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.4.0 – 0.9.0: display_order (appended by ALTER TABLE on upgraded installs). */
export const PROJECTS_R04 = `CREATE TABLE IF NOT EXISTS projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  system_prompt TEXT,
  run_script TEXT,
  display_order INTEGER DEFAULT 0,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 1.0.0 (the future release): workspace_id. */
export const PROJECTS_R11 = `CREATE TABLE IF NOT EXISTS projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  workspace_id TEXT REFERENCES workspaces(id),
  system_prompt TEXT,
  run_script TEXT,
  display_order INTEGER DEFAULT 0,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

// ---------------------------------------------------------------- sessions

/** 0.1.0 */
export const SESSIONS_R01 = `CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT DEFAULT 'initializing',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.2.0: prompt. */
export const SESSIONS_R02 = `CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  prompt TEXT,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT DEFAULT 'initializing',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.3.0: last_viewed_at. */
export const SESSIONS_R03 = `CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  prompt TEXT,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT DEFAULT 'initializing',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  last_viewed_at TEXT
)`;

/** 0.4.0 – 0.5.0: folder_id. */
export const SESSIONS_R04 = `CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  prompt TEXT,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT DEFAULT 'initializing',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  last_viewed_at TEXT
)`;

/** 0.5.1 (hotfix): is_favorite. */
export const SESSIONS_R06 = `CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  is_favorite BOOLEAN DEFAULT 0,
  prompt TEXT,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT DEFAULT 'initializing',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  last_viewed_at TEXT
)`;

/** The statuses 0.6.0's CHECK allows; anything else (NULL, 'paused', ...) was mapped to 'stopped'. */
export const SESSION_STATUSES = ['initializing', 'ready', 'running', 'waiting', 'stopped', 'completed_unviewed', 'error'] as const;

const STATUS_LIST = SESSION_STATUSES.map((s) => `'${s}'`).join(', ');

/** The body of sessions as 0.6.0 rebuilt it (and as a fresh 0.6.0 / 0.7.0 install creates it). */
const SESSIONS_R07_COLUMNS = `(
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT NOT NULL DEFAULT 'initializing' CHECK (status IN (${STATUS_LIST})),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  prompt TEXT,
  last_viewed_at TEXT,
  folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL,
  is_favorite BOOLEAN DEFAULT 0
)`;

/** 0.6.0 – 0.7.0, fresh install. */
export const SESSIONS_R07 = `CREATE TABLE IF NOT EXISTS sessions ${SESSIONS_R07_COLUMNS}`;

/** 0.6.0's rebuild, step 1: the new table beside the old one. */
export const SESSIONS_NEW_R07 = `CREATE TABLE sessions_new ${SESSIONS_R07_COLUMNS}`;

/** 0.6.0's rebuild, step 2: copy every session, mapping statuses the CHECK would refuse (and NULL) to 'stopped'. */
export const COPY_SESSIONS_R07 = `INSERT INTO sessions_new (id, project_id, name, worktree_name, worktree_path, status, created_at, prompt, last_viewed_at, folder_id, is_favorite)
  SELECT id, project_id, name, worktree_name, worktree_path,
         CASE WHEN status IN (${STATUS_LIST}) THEN status ELSE 'stopped' END,
         created_at, prompt, last_viewed_at, folder_id, is_favorite
  FROM sessions`;

/** 0.8.0: updated_at (no default: ALTER TABLE could not add CURRENT_TIMESTAMP, so fresh installs match). */
export const SESSIONS_R09 = `CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  worktree_name TEXT,
  worktree_path TEXT,
  status TEXT NOT NULL DEFAULT 'initializing' CHECK (status IN (${STATUS_LIST})),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME,
  prompt TEXT,
  last_viewed_at TEXT,
  folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL,
  is_favorite BOOLEAN DEFAULT 0
)`;

/** 0.9.0 – 1.0.0: base_commit, base_branch. */
export const SESSIONS_R10 = `CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  worktree_name TEXT,
  worktree_path TEXT,
  base_commit TEXT,
  base_branch TEXT,
  status TEXT NOT NULL DEFAULT 'initializing' CHECK (status IN (${STATUS_LIST})),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME,
  prompt TEXT,
  last_viewed_at TEXT,
  folder_id TEXT REFERENCES folders(id) ON DELETE SET NULL,
  is_favorite BOOLEAN DEFAULT 0
)`;

export const IDX_SESSIONS_PROJECT_ID = 'CREATE INDEX IF NOT EXISTS idx_sessions_project_id ON sessions(project_id)';

// ---------------------------------------------------------------- everything else (one shape each)

/** 0.1.0 */
export const SESSION_OUTPUTS = `CREATE TABLE IF NOT EXISTS session_outputs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.2.0 */
export const CONVERSATION_MESSAGES = `CREATE TABLE IF NOT EXISTS conversation_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  message_type TEXT NOT NULL CHECK (message_type IN ('user', 'assistant')),
  content TEXT NOT NULL,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

export const IDX_CONVERSATION_MESSAGES_SESSION_ID =
  'CREATE INDEX IF NOT EXISTS idx_conversation_messages_session_id ON conversation_messages(session_id)';

/** 0.3.0 */
export const PROMPT_MARKERS = `CREATE TABLE IF NOT EXISTS prompt_markers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  prompt_text TEXT NOT NULL,
  output_index INTEGER NOT NULL,
  output_line INTEGER,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.3.0 */
export const EXECUTION_DIFFS = `CREATE TABLE IF NOT EXISTS execution_diffs (
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
)`;

/** 0.4.0 */
export const PROJECT_RUN_COMMANDS = `CREATE TABLE IF NOT EXISTS project_run_commands (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  command TEXT NOT NULL,
  display_name TEXT,
  order_index INTEGER DEFAULT 0,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.4.0: each project's run_script becomes its first run command (the project's created_at is kept). */
export const COPY_RUN_SCRIPTS_R04 = `INSERT INTO project_run_commands (project_id, command, display_name, order_index, created_at)
  SELECT id, run_script, 'Run', 0, created_at FROM projects
  WHERE run_script IS NOT NULL AND trim(run_script) <> ''
  ORDER BY id`;

/** 0.4.0 */
export const FOLDERS = `CREATE TABLE IF NOT EXISTS folders (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  display_order INTEGER DEFAULT 0,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.5.0 */
export const UI_STATE = `CREATE TABLE IF NOT EXISTS ui_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.5.0 */
export const APP_OPENS = `CREATE TABLE IF NOT EXISTS app_opens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  opened_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  welcome_hidden BOOLEAN DEFAULT 0,
  discord_shown BOOLEAN DEFAULT 0
)`;

/** 0.5.0 */
export const USER_PREFERENCES = `CREATE TABLE IF NOT EXISTS user_preferences (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;

/** 0.7.0: the indexes added late (idx_sessions_project_id again: the 0.6.0 rebuild had lost it). */
export const LATE_INDEXES_R08 = [
  'CREATE INDEX IF NOT EXISTS idx_sessions_project_id ON sessions(project_id)',
  'CREATE INDEX IF NOT EXISTS idx_sessions_status ON sessions(status)',
  'CREATE INDEX IF NOT EXISTS idx_sessions_worktree_name ON sessions(worktree_name)',
  'CREATE UNIQUE INDEX IF NOT EXISTS idx_projects_path ON projects(path)',
  'CREATE INDEX IF NOT EXISTS idx_prompt_markers_session_timestamp ON prompt_markers(session_id, timestamp)',
  'CREATE UNIQUE INDEX IF NOT EXISTS idx_execution_diffs_session_sequence ON execution_diffs(session_id, execution_sequence)',
  'CREATE INDEX IF NOT EXISTS idx_session_outputs_session_id ON session_outputs(session_id)',
] as const;

/** 0.8.0 */
export const TRG_SESSION_OUTPUTS_TOUCH_SESSION = `CREATE TRIGGER IF NOT EXISTS trg_session_outputs_touch_session
AFTER INSERT ON session_outputs
BEGIN
  UPDATE sessions SET updated_at = NEW.timestamp WHERE id = NEW.session_id;
END`;

/** 0.8.0 */
export const SESSION_SUMMARIES_VIEW = `CREATE VIEW IF NOT EXISTS session_summaries AS
SELECT s.id, s.name, s.status, p.name AS project_name,
       (SELECT count(*) FROM session_outputs o WHERE o.session_id = s.id) AS output_count,
       s.updated_at
FROM sessions s
JOIN projects p ON p.id = s.project_id`;

/** 1.0.0 (the future release) */
export const WORKSPACES = `CREATE TABLE IF NOT EXISTS workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
)`;
