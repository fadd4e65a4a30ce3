-- Same tables as the SQLite core migration; case-insensitive keys through lower() indexes.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  username        TEXT PRIMARY KEY,
  full_name       TEXT NOT NULL DEFAULT '',
  email           TEXT NOT NULL DEFAULT '',
  role            TEXT NOT NULL CHECK (role IN ('administrator', 'publisher', 'user')),
  password_hash   TEXT NOT NULL,
  token_version   INTEGER NOT NULL DEFAULT 0,
  created         BIGINT NOT NULL,
  modified        BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_lower_username ON users (lower(username));

CREATE TABLE folders (
  id        TEXT PRIMARY KEY,
  owner     TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
  title     TEXT NOT NULL,
  created   BIGINT NOT NULL,
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
  file_name     TEXT,
  size          BIGINT NOT NULL DEFAULT 0,
  text_data     TEXT,
  access        TEXT NOT NULL DEFAULT 'private' CHECK (access IN ('private', 'shared', 'org', 'public')),
  extent        TEXT,
  spatial_reference TEXT,
  properties    TEXT,
  created       BIGINT NOT NULL,
  modified      BIGINT NOT NULL
);
CREATE INDEX items_owner ON items (lower(owner), folder_id);
CREATE INDEX items_type ON items (lower(type));

CREATE TABLE services (
  folder     TEXT NOT NULL DEFAULT '',
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  owner      TEXT,
  item_id    TEXT,
  access     TEXT NOT NULL DEFAULT 'private' CHECK (access IN ('private', 'public')),
  definition TEXT NOT NULL DEFAULT '{}',
  created    BIGINT NOT NULL,
  modified   BIGINT NOT NULL
);
CREATE UNIQUE INDEX services_key ON services (lower(folder), lower(name), type);
