-- Hosted feature data: one table per layer (fd_<dataset>_<layer>, created by the store) in the
-- installation's schema; this table lists the datasets and keeps each one's data version.
CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;

CREATE TABLE feature_datasets (
  name     TEXT PRIMARY KEY,
  -- Epoch ms of creation: a dataset dropped and created again never repeats a version.
  created  BIGINT NOT NULL,
  -- Bumped by every statement that writes a layer table, whichever node or connection runs it:
  -- what query answer caches on every node are keyed on.
  version  BIGINT NOT NULL DEFAULT 0
);

-- Statement-level trigger function of every layer table; TG_ARGV[0] is the dataset name.
CREATE FUNCTION tessera_bump_feature_version() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE feature_datasets SET version = version + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;
