-- Image collections (mosaic datasets), their catalogs, and the data stores rasters may be read from.
-- Lives in <dataDir>/imagery/catalog.sqlite, opened with SpatiaLite: footprints are SpatiaLite
-- geometry blobs in the collection's own spatial reference, so one table holds every catalog.

CREATE TABLE image_collections (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  owner           TEXT,
  -- imageCollectionProps.imageCollectionType: UAV/UAS, Aerial, ScannedAerial, Satellite.
  collection_type TEXT NOT NULL DEFAULT 'UAV/UAS',
  -- The catalog's (and the service's) spatial reference.
  srs_wkt         TEXT NOT NULL,
  epsg            INTEGER,
  -- JSON: ingest settings (cellSize, clip extent), extra fields, raster types used.
  properties      TEXT NOT NULL DEFAULT '{}',
  -- OBJECTIDs are never reused within a collection, as in a mosaic dataset.
  next_object_id  INTEGER NOT NULL DEFAULT 1,
  -- JSON summary of the items (extent, pixel sizes, bands, statistics), kept with every write.
  summary         TEXT NOT NULL DEFAULT '{}',
  job_id          TEXT,
  created         INTEGER NOT NULL,
  modified        INTEGER NOT NULL
);

CREATE TABLE catalog_items (
  rowid_          INTEGER PRIMARY KEY,
  collection_id   TEXT NOT NULL REFERENCES image_collections(id) ON DELETE CASCADE,
  object_id       INTEGER NOT NULL,
  name            TEXT NOT NULL,
  -- SpatiaLite polygon in the collection's spatial reference.
  shape           BLOB NOT NULL,
  xmin            REAL NOT NULL,
  ymin            REAL NOT NULL,
  xmax            REAL NOT NULL,
  ymax            REAL NOT NULL,
  min_ps          REAL NOT NULL DEFAULT 0,
  max_ps          REAL NOT NULL DEFAULT 0,
  low_ps          REAL,
  high_ps         REAL,
  category        INTEGER NOT NULL DEFAULT 1,
  tag             TEXT,
  group_name      TEXT,
  product_name    TEXT,
  sensor_name     TEXT,
  acquisition_date INTEGER,
  cloud_cover     REAL,
  center_x        REAL,
  center_y        REAL,
  zorder          INTEGER,
  shape_length    REAL,
  shape_area      REAL,
  raster_type     TEXT NOT NULL,
  -- Where the image came from (GDAL dataset name); never deleted by us.
  source          TEXT NOT NULL,
  -- What is read to render: the copy in the raster store (by value) or the source (by reference).
  path            TEXT NOT NULL,
  by_value        INTEGER NOT NULL,
  -- JSON: width, height, geotransform, data type, bands, overview factors, CRS, nodata, statistics.
  raster          TEXT NOT NULL,
  -- JSON: raster-type attributes (SunAzimuth, ...) and context.fields values.
  attributes      TEXT NOT NULL DEFAULT '{}',
  job_id          TEXT,
  created         INTEGER NOT NULL,
  UNIQUE (collection_id, object_id)
);
CREATE INDEX catalog_items_job ON catalog_items (job_id);

-- Bounding boxes of footprints, for spatial filters and (later) picking images to render.
CREATE VIRTUAL TABLE catalog_items_bbox USING rtree(id, xmin, xmax, ymin, ymax);
CREATE TRIGGER catalog_items_bbox_insert AFTER INSERT ON catalog_items BEGIN
  INSERT INTO catalog_items_bbox (id, xmin, xmax, ymin, ymax) VALUES (new.rowid_, new.xmin, new.xmax, new.ymin, new.ymax);
END;
CREATE TRIGGER catalog_items_bbox_delete AFTER DELETE ON catalog_items BEGIN
  DELETE FROM catalog_items_bbox WHERE id = old.rowid_;
END;

-- Folders an administrator registered as data stores (admin/data/registerItem): `uri` inputs must
-- resolve inside one of them.
CREATE TABLE data_stores (
  path        TEXT PRIMARY KEY COLLATE NOCASE,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  type        TEXT NOT NULL DEFAULT 'folder',
  local_path  TEXT NOT NULL,
  info        TEXT NOT NULL DEFAULT '{}',
  created     INTEGER NOT NULL
);
