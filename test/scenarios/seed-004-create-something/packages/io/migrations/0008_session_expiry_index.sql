-- Migration: 0008 - Expiring sessions
-- Purpose: the nightly cleanup finds expired sessions by date.
--
-- Verification:
-- SELECT name FROM sqlite_master WHERE type='index' AND name='idx_sessions_expires';

-- migrate:up
CREATE INDEX IF NOT EXISTS idx_sessions_expires ON sessions(expires_at);

-- migrate:down
DROP INDEX IF EXISTS idx_sessions_expires;
