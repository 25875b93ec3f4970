-- Migration: 0006 - Experiment runs
-- Purpose: each run of an experiment; runs go with their experiment, and
-- outlive the user who started them.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='table' AND name='experiment_runs';

-- migrate:up
CREATE TABLE IF NOT EXISTS experiment_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  result TEXT,
  metadata TEXT DEFAULT '{}',  -- JSON for extensibility
  created_at TEXT DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_experiment_runs_experiment ON experiment_runs(experiment_id);
CREATE INDEX IF NOT EXISTS idx_experiment_runs_user ON experiment_runs(user_id);

-- migrate:down
DROP TABLE IF EXISTS experiment_runs;
