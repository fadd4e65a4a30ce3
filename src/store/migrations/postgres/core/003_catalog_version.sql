-- One counter for users, folders, items and services, bumped by every statement that writes them,
-- whichever node runs it: what each node's catalog caches (services, users) are keyed on.
CREATE TABLE catalog_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
-- Epoch ms: a schema dropped and made again never repeats a version another node cached.
INSERT INTO catalog_version (id, version) VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);

CREATE FUNCTION tessera_bump_catalog_version() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE catalog_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER users_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION tessera_bump_catalog_version();
CREATE TRIGGER folders_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON folders
  FOR EACH STATEMENT EXECUTE FUNCTION tessera_bump_catalog_version();
CREATE TRIGGER items_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON items
  FOR EACH STATEMENT EXECUTE FUNCTION tessera_bump_catalog_version();
CREATE TRIGGER services_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
  FOR EACH STATEMENT EXECUTE FUNCTION tessera_bump_catalog_version();
