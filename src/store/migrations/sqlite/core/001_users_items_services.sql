-- Users, portal items and folders, the services catalog, and server settings.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  username        TEXT PRIMARY KEY COLLATE NOCASE,
  full_name       TEXT NOT NULL DEFAULT '',
  email           TEXT NOT NULL DEFAULT '',
  role            TEXT NOT NULL CHECK (role IN ('administrator', 'publisher', 'user')),
  password_hash   TEXT NOT NULL,
  -- Bumped on password change or sign-out everywhere: older tokens stop verifying.
  token_version   INTEGER NOT NULL DEFAULT 0,
  created         INTEGER NOT NULL,
  modified        INTEGER NOT NULL
);

CREATE TABLE folders (
  id        TEXT PRIMARY KEY,
  owner     TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
  title     TEXT NOT NULL,
  created   INTEGER NOT NULL,
  UNIQUE (owner, title)
);

CREATE TABLE items (
  id            TEXT PRIMARY KEY,
  owner         TEXT NOT NULL REFERENCES users(username),
  folder_id     TEXT REFERENCES folders(id) ON DELETE SET NULL,
  title         TEXT NOT NULL,
  type          TEXT NOT NULL,
  type_keywords TEXT NOT NULL DEFAULT '[]',
  description   TEXT NOT NULL DEFAULT '',
  snippet       TEXT NOT NULL DEFAULT '',
  tags          TEXT NOT NULL DEFAULT '[]',
  url           TEXT,
  -- File name of the item's data below <dataDir>/items/<id>/, when it has one.
  file_name     TEXT,
  size          INTEGER NOT NULL DEFAULT 0,
  text_data     TEXT,
  access        TEXT NOT NULL DEFAULT 'private' CHECK (access IN ('private', 'shared', 'org', 'public')),
  extent        TEXT,
  spatial_reference TEXT,
  properties    TEXT,
  created       INTEGER NOT NULL,
  modified      INTEGER NOT NULL
);
CREATE INDEX items_owner ON items (owner, folder_id);
CREATE INDEX items_type ON items (type);

CREATE TABLE services (
  folder     TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  name       TEXT NOT NULL COLLATE NOCASE,
  type       TEXT NOT NULL,
  owner      TEXT,
  item_id    TEXT,
  access     TEXT NOT NULL DEFAULT 'private' CHECK (access IN ('private', 'public')),
  -- Capability-specific definition (layers, catalog location, ...), JSON.
  definition TEXT NOT NULL DEFAULT '{}',
  created    INTEGER NOT NULL,
  modified   INTEGER NOT NULL,
  PRIMARY KEY (folder, name, type)
);
