-- UI state, app opens and user preferences move into the database (legacy
-- release 0.5.0). 0.5.0 also wrote a marker row
-- ('migration.ui_persistence' in user_preferences); markers are legacy data,
-- not schema, and the tracking table replaces them.
-- migrate:up
CREATE TABLE ui_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE app_opens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  opened_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  welcome_hidden BOOLEAN DEFAULT 0,
  discord_shown BOOLEAN DEFAULT 0
);

CREATE TABLE user_preferences (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

-- migrate:down
DROP TABLE user_preferences;
DROP TABLE app_opens;
DROP TABLE ui_state;
