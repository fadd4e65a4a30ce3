-- Geoprocessing jobs as GP clients see them (status, messages, progress, results). pg-boss only
-- dispatches: its own tables say which node should look at which job next.
CREATE TABLE jobs (
  id          TEXT PRIMARY KEY,
  service     TEXT NOT NULL,
  task        TEXT NOT NULL,
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
  submitted   BIGINT NOT NULL,
  started     BIGINT,
  ended       BIGINT,
  heartbeat   BIGINT,
  -- Insertion order: ties between jobs submitted in the same millisecond.
  seq         BIGSERIAL NOT NULL
);
CREATE INDEX jobs_state ON jobs (state, submitted, seq);
CREATE INDEX jobs_service ON jobs (service, submitted);
CREATE INDEX jobs_ended ON jobs (ended) WHERE ended IS NOT NULL;

CREATE TABLE job_messages (
  seq         BIGSERIAL PRIMARY KEY,
  job_id      TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  type        TEXT NOT NULL CHECK (type IN ('informative', 'warning', 'error')),
  description TEXT NOT NULL,
  time        BIGINT NOT NULL
);
CREATE INDEX job_messages_job ON job_messages (job_id, seq);

-- What a running job is about to change outside its catalog rows (write-ahead, see JobJournal),
-- kept here so that whichever node recovers a job killed on another node can undo it.
CREATE TABLE job_journal (
  seq         BIGSERIAL PRIMARY KEY,
  job_id      TEXT NOT NULL,
  entry       TEXT NOT NULL
);
CREATE INDEX job_journal_job ON job_journal (job_id, seq);
