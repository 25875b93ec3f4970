-- Tags on sessions: the first change made with drawbridge rather than in the
-- app's old inline migrations.
-- migrate:up
CREATE TABLE session_tags (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (session_id, tag)
);

CREATE INDEX idx_session_tags_tag ON session_tags(tag);

-- migrate:down
DROP INDEX idx_session_tags_tag;
DROP TABLE session_tags;
