#!/usr/bin/env bash
# Installs what a fresh Debian machine is missing, then the npm dependencies.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-gdal: the gdal_polygonize.py / gdal_proximity.py utilities the raster analysis tasks run.
DEBIAN_PACKAGES=(gdal-bin libgdal-dev libsqlite3-mod-spatialite chromium python3-gdal)
# Analysis engines for the hydrology, travel-cost, density and image-analysis tasks (issue 13).
DEBIAN_PACKAGES+=(grass-core saga otb-bin)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The demo content (and its test) fetch a few Debian packages with `apt-get download` (nothing is
# installed): that needs the package lists, which slim images ship empty.
if ! apt-cache show r-cran-stars >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq || echo "apt-get update failed: the server will start without the Olinda demo data"
fi

# PostgreSQL/PostGIS: the cluster store (TESSERA_STORE=postgres) and the store contract tests,
# which run against the local server as well as SQLite. The migrations create the extension
# too; creating it here means a server user without superuser rights finds it there.
PG_PACKAGES=(postgresql postgresql-15-postgis-3)
pg_missing=()
for pkg in "${PG_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || pg_missing+=("$pkg")
done
if [ ${#pg_missing[@]} -gt 0 ]; then
  echo "Installing PostgreSQL/PostGIS: ${pg_missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${pg_missing[@]}"
fi
PG_URL="${TESSERA_POSTGRES_URL:-${TESSERA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
if command -v psql >/dev/null && psql "$PG_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  psql "$PG_URL" -qc 'CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public' >/dev/null 2>&1 \
    || echo "Could not create the postgis extension in $PG_URL (needs a superuser once)"
fi

# gdal-async is built against Debian's GDAL (no prebuilt binary is fetched).
stamp=node_modules/.tessera-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "Installing npm dependencies (gdal-async builds from source: a few minutes the first time)"
  npm_config_build_from_source=gdal-async npm_config_shared_gdal=true npm ci --no-audit --no-fund
  touch "$stamp"
fi

# The server as bundled modules (dist/server/), which bin/tessera.js runs without tsx; it rebuilds
# them itself when a source file is newer, so this only spares parallel test servers the race.
node --import tsx src/server-bundle.ts dist/server
