-- A job's inputs in a table of their own, written once at submit and read only where used
-- (the worker, the inputs/<param> resource, the admin job page): status polls, heartbeats and
-- listings no longer carry them (a Classify job's inputs hold a multi-MB classifier definition).
CREATE TABLE job_inputs (
  job_id      TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  inputs      TEXT NOT NULL
);
INSERT INTO job_inputs (job_id, inputs) SELECT id, inputs FROM jobs;
ALTER TABLE jobs DROP COLUMN inputs;
