-- Sessions remember the git commit and branch they started from (legacy
-- release 0.9.0). 0.9.0 also wrote a marker row ('migration.git_tracking' in
-- user_preferences); markers are legacy data, not schema.
-- migrate:up
ALTER TABLE sessions ADD COLUMN base_commit TEXT;
ALTER TABLE sessions ADD COLUMN base_branch TEXT;

-- migrate:down
ALTER TABLE sessions DROP COLUMN base_branch;
ALTER TABLE sessions DROP COLUMN base_commit;
