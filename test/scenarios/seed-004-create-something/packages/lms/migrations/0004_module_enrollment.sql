-- Migration: 0004 - Module enrollment
-- Purpose: which learner is enrolled in which module (Pattern 3).
--
-- Changes:
-- - module_enrollment, deleted with its module or its learner
-- - one enrollment per learner and module
-- - metadata: JSON for extensibility
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='index' AND name='idx_module_enrollment_unique';

-- migrate:up
CREATE TABLE IF NOT EXISTS module_enrollment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  module_id TEXT NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
  learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'enrolled',
  metadata TEXT DEFAULT '{}'  -- JSON for extensibility
);

CREATE UNIQUE INDEX IF NOT EXISTS idx_module_enrollment_unique
  ON module_enrollment(module_id, learner_id);

CREATE INDEX IF NOT EXISTS idx_module_enrollment_module ON module_enrollment(module_id);
CREATE INDEX IF NOT EXISTS idx_module_enrollment_learner ON module_enrollment(learner_id);

-- migrate:down
DROP TABLE IF EXISTS module_enrollment;
