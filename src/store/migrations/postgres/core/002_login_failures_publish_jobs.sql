-- Shared by every node of a cluster: failed logons per throttle key, and the status of publishes
-- that outlive their request (times in epoch milliseconds).
CREATE TABLE login_failures (
  key           TEXT PRIMARY KEY,
  count         INTEGER NOT NULL,
  blocked_until BIGINT NOT NULL,
  last          BIGINT NOT NULL
);
CREATE INDEX login_failures_last ON login_failures (last);

CREATE TABLE publish_jobs (
  id      TEXT PRIMARY KEY,
  item_id TEXT NOT NULL,
  status  TEXT NOT NULL,
  message TEXT NOT NULL,
  updated BIGINT NOT NULL
);
CREATE INDEX publish_jobs_updated ON publish_jobs (updated);
