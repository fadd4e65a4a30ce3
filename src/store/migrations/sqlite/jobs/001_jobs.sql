-- Geoprocessing jobs: the queue and every job's record, messages, inputs and results.
CREATE TABLE jobs (
  id          TEXT PRIMARY KEY,
  -- '<folder>/<name>' of the GP service.
  service     TEXT NOT NULL,
  task        TEXT NOT NULL,
  -- NULL for anonymous jobs.
  owner       TEXT,
  state       TEXT NOT NULL CHECK (state IN ('submitted', 'waiting', 'executing', 'succeeded', 'failed',
                                             'timed-out', 'cancelling', 'cancelled', 'deleting')),
  inputs      TEXT NOT NULL,
  results     TEXT,
  base_url    TEXT NOT NULL,
  progress    TEXT,
  machine     TEXT,
  worker_pid  INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 0,
  submitted   INTEGER NOT NULL,
  started     INTEGER,
  ended       INTEGER,
  heartbeat   INTEGER
);
-- claimNext takes the oldest queued job; the admin listing filters by service and submit time.
CREATE INDEX jobs_state ON jobs (state, submitted);
CREATE INDEX jobs_service ON jobs (service, submitted);
CREATE INDEX jobs_ended ON jobs (ended) WHERE ended IS NOT NULL;

CREATE TABLE job_messages (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id      TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  type        TEXT NOT NULL CHECK (type IN ('informative', 'warning', 'error')),
  description TEXT NOT NULL,
  time        INTEGER NOT NULL
);
CREATE INDEX job_messages_job ON job_messages (job_id, seq);
