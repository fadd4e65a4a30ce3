#!/usr/bin/env bash
# Installs what a fresh Debian machine is missing, then the npm dependencies.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-gdal: the gdal_polygonize.py / gdal_proximity.py utilities the raster analysis tasks run.
DEBIAN_PACKAGES=(gdal-bin libgdal-dev libsqlite3-mod-spatialite chromium python3-gdal)
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

# gdal-async is built against Debian's GDAL (no prebuilt binary is fetched).
stamp=node_modules/.tessera-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "Installing npm dependencies (gdal-async builds from source: a few minutes the first time)"
  npm_config_build_from_source=gdal-async npm_config_shared_gdal=true npm ci --no-audit --no-fund
  touch "$stamp"
fi
