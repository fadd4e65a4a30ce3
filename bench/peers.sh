#!/usr/bin/env bash
# Tessera beside its peers, in one run, with the peer scripts of ../shared/peers (issue 18):
#   render    MapServer 8 WMS vs exportImage (peers/mapserver/compare.sh): CPU ms/request, req/s,
#             p50, answer size, peak RSS, ratios Tessera/MapServer
#   features  MapServer OGC API Features on PostGIS vs FeatureServer query, answer cache off and
#             on, and the SQL each runs (peers/ogcapi/compare.sh): the same columns, the ratio to
#             raw SQL, and c=4 / c=1 throughput
# usage: npm run bench:peers [-- render|features|both]   (default both; ~40 min on 2 busy cores)
# Needs the peers' Debian packages (cgi-mapserver lighttpd gdal-bin python3-gdal; PostGIS for
# features: see each README). Environment: PEERS (../shared/peers from the clone root),
# OUT (/tmp/tessera-peers), REPS (3), MS_PORT / T_PORT / T_PORT2 / OGC_PORT (8765 6391 6392 8766),
# PEERS_DB (peers_ogcapi), and the peer scripts' own knobs (N, CONCS, COUNT, …).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/peers}"
[ -d "$PEERS/mapserver" ] || { echo "No peer scripts in $PEERS: set PEERS to the shared/peers folder" >&2; exit 2; }
OUT="${OUT:-/tmp/tessera-peers}"
export TESSERA_DIR="$ROOT" REPS="${REPS:-3}"
what="${1:-both}"

load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(date -u +%FT%TZ)"; }

render() {
  echo "## Rendering: MapServer WMS vs exportImage ($(load))"
  rm -f "$OUT/mapserver/compare/compare.jsonl"
  WORK="$OUT/mapserver" PORT="${MS_PORT:-8765}" TPORT="${T_PORT:-6391}" TDATA="$OUT/mapserver-tessera" \
    "$PEERS/mapserver/compare.sh" all >"$OUT/render.log" 2>&1 || { tail -20 "$OUT/render.log"; return 1; }
  cat "$OUT/mapserver/compare/compare.md" "$OUT/mapserver/compare/memory.txt"
  echo "(after: $(load))"
}

features() {
  echo "## Features: OGC API Features on PostGIS vs FeatureServer query ($(load))"
  rm -f "$OUT/ogcapi/compare.jsonl"
  WORK="$OUT/ogcapi" PORT="${OGC_PORT:-8766}" TPORT="${T_PORT:-6391}" TPORT2="${T_PORT2:-6392}" \
    TDATA="$OUT/ogcapi-tessera" DB="${PEERS_DB:-peers_ogcapi}" \
    "$PEERS/ogcapi/compare.sh" all >"$OUT/features.log" 2>&1 || { tail -20 "$OUT/features.log"; return 1; }
  cat "$OUT/ogcapi/compare.md"
  # Every core busy: throughput at c=4 over c=1, per case and server (medians of the repetitions).
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).filter((r) => r.label?.includes("server="));
    const by = {};
    for (const r of rows) { const k = Object.fromEntries(r.label.split(" ").map((kv) => kv.split("="))); ((by[`${k.server} ${k.case}`] ??= {})[k.c] ??= []).push(r.req_per_s); }
    const med = (xs) => (xs ? xs.sort((a, b) => a - b)[(xs.length - 1) >> 1] : NaN);
    console.log("\n| server case | req/s c=1 | req/s c=4 | c=4 / c=1 |\n|---|---:|---:|---:|");
    for (const [k, c] of Object.entries(by)) console.log(`| ${k} | ${med(c[1]).toFixed(1)} | ${med(c[4]).toFixed(1)} | ${(med(c[4]) / med(c[1])).toFixed(2)} |`);
  ' "$OUT/ogcapi/compare.jsonl"
  echo "(after: $(load))"
}

mkdir -p "$OUT"
case "$what" in
  render) render ;;
  features) features ;;
  both) render; features ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
