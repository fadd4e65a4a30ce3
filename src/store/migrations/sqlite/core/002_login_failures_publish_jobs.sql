-- Shared by every process of an installation (--processes N): failed logons per throttle key, and
-- the status of publishes that outlive their request.
CREATE TABLE login_failures (
  key        TEXT PRIMARY KEY,
  count      INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL,
  last       INTEGER NOT NULL
);
CREATE INDEX login_failures_last ON login_failures (last);

CREATE TABLE publish_jobs (
  id         TEXT PRIMARY KEY,
  item_id    TEXT NOT NULL,
  status     TEXT NOT NULL,
  message    TEXT NOT NULL,
  updated    INTEGER NOT NULL
);
CREATE INDEX publish_jobs_updated ON publish_jobs (updated);
