-- Image collections (mosaic datasets), their catalogs and the registered data stores, as in the
-- SQLite imagery migration. Footprints are PostGIS polygons in each collection's own spatial
-- reference (SRID 0 when it has no EPSG code), GiST-indexed; one table holds every catalog.
CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;

CREATE TABLE image_collections (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  owner           TEXT,
  collection_type TEXT NOT NULL DEFAULT 'UAV/UAS',
  srs_wkt         TEXT NOT NULL,
  epsg            INTEGER,
  properties      TEXT NOT NULL DEFAULT '{}',
  -- OBJECTIDs are never reused within a collection, as in a mosaic dataset.
  next_object_id  INTEGER NOT NULL DEFAULT 1,
  summary         TEXT NOT NULL DEFAULT '{}',
  job_id          TEXT,
  created         BIGINT NOT NULL,
  modified        BIGINT NOT NULL
);
CREATE UNIQUE INDEX image_collections_lower_name ON image_collections (lower(name));
CREATE INDEX image_collections_job ON image_collections (job_id);

CREATE TABLE catalog_items (
  rowid_          BIGSERIAL PRIMARY KEY,
  collection_id   TEXT NOT NULL REFERENCES image_collections(id) ON DELETE CASCADE,
  object_id       INTEGER NOT NULL,
  name            TEXT NOT NULL,
  shape           geometry NOT NULL,
  -- Footprint bounds (xmin/xmax are system column names in PostgreSQL).
  box_xmin        DOUBLE PRECISION NOT NULL,
  box_ymin        DOUBLE PRECISION NOT NULL,
  box_xmax        DOUBLE PRECISION NOT NULL,
  box_ymax        DOUBLE PRECISION NOT NULL,
  min_ps          DOUBLE PRECISION NOT NULL DEFAULT 0,
  max_ps          DOUBLE PRECISION NOT NULL DEFAULT 0,
  low_ps          DOUBLE PRECISION,
  high_ps         DOUBLE PRECISION,
  category        INTEGER NOT NULL DEFAULT 1,
  tag             TEXT,
  group_name      TEXT,
  product_name    TEXT,
  sensor_name     TEXT,
  -- timestamptz, as the where compiler's PostgreSQL dialect expects of a Date field.
  acquisition_date TIMESTAMPTZ,
  cloud_cover     DOUBLE PRECISION,
  center_x        DOUBLE PRECISION,
  center_y        DOUBLE PRECISION,
  zorder          INTEGER,
  shape_length    DOUBLE PRECISION,
  shape_area      DOUBLE PRECISION,
  raster_type     TEXT NOT NULL,
  source          TEXT NOT NULL,
  path            TEXT NOT NULL,
  by_value        INTEGER NOT NULL,
  raster          JSONB NOT NULL,
  attributes      JSONB NOT NULL DEFAULT '{}',
  job_id          TEXT,
  created         BIGINT NOT NULL,
  UNIQUE (collection_id, object_id)
);
CREATE INDEX catalog_items_job ON catalog_items (job_id);
CREATE INDEX catalog_items_shape ON catalog_items USING GIST (shape);

CREATE TABLE data_stores (
  path        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL DEFAULT 'folder',
  local_path  TEXT NOT NULL,
  info        TEXT NOT NULL DEFAULT '{}',
  created     BIGINT NOT NULL
);
CREATE UNIQUE INDEX data_stores_lower_path ON data_stores (lower(path));
CREATE UNIQUE INDEX data_stores_lower_name ON data_stores (lower(name));
