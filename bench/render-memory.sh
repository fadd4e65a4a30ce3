#!/usr/bin/env bash
# Tessera alone through the peers' render matrix (../shared/peers/mapserver: 16 JPEG COGs by
# reference, 512² exportImage, EPSG:32633/3857 x native/mid/full x png/jpg, c=1 and 4), for
# issue 18's memory goal where MapServer is not installed. Prints per variant: RSS idle after
# start, after the peers' warm-up and at its peak through the matrix, and CPU ms per request per
# cell (from /proc: robust to other load). Several variants (checkouts or environments) run side
# by side, cell by cell, in an order that alternates per repetition.
# usage: bench/render-memory.sh [VARIANT...]   (default: one variant "this" = this checkout)
#   A variant NAME takes its environment from VARIANT_NAME, e.g.
#   VARIANT_small="TESSERA_GDAL_CACHE_MB=16" VARIANT_base="TESSERA_DIR=/tmp/base" bench/render-memory.sh base small
# Environment (defaults): PEERS (../shared/peers), OUT (/tmp/tessera-render-memory), N (100
#   boxes a class), FULL_TOTAL (20), REPS (1), CONCS ("1 4"), T_PORT (6391; variant i uses
#   T_PORT+i), PY (a python3 that imports osgeo: Debian's python3-gdal).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/peers}"
M="$PEERS/mapserver"
[ -f "$M/tessera.sh" ] || { echo "No peer scripts in $PEERS: set PEERS to the shared/peers folder" >&2; exit 2; }
OUT="${OUT:-/tmp/tessera-render-memory}"
N="${N:-100}"; FULL_TOTAL="${FULL_TOTAL:-20}"; REPS="${REPS:-1}"; CONCS="${CONCS:-1 4}"; T_PORT="${T_PORT:-6391}"
if [ -z "${PY:-}" ]; then
  for c in $(type -ap python3) /usr/bin/python3; do "$c" -c 'import osgeo, numpy' 2>/dev/null && { PY="$c"; break; }; done
fi
PY="${PY:-python3}"
VARIANTS=("${@:-this}")
load() { cut -d' ' -f1-3 /proc/loadavg; }
# The kernel's own peak RSS (VmHWM), reset before each cell: bench.mjs samples VmRSS every 50 ms
# and misses peaks shorter than that. Where the reset is refused, the peak since the start.
hwm_reset() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || echo "no VmHWM reset: per-cell peaks are since start" >&2; }
hwm() { awk '/^VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# tessera.sh with one variant's checkout, data folder, port and environment
t() { # variant index, tessera.sh arguments...
  local v="$1" i="$2"; shift 2
  local spec="VARIANT_$v"
  # shellcheck disable=SC2086
  env TESSERA_DIR="$ROOT" ${!spec:-} TDATA="$OUT/data-$v" TPORT="$((T_PORT + i))" "$M/tessera.sh" "$@"
}

mkdir -p "$OUT"
if ! ls "$OUT"/tiles/tile_*.tif >/dev/null 2>&1; then
  "$PY" "$M/gen_tiles.py" "$OUT/tiles" 4 2048 >/dev/null
  gdalbuildvrt -q "$OUT/tiles/mosaic.vrt" "$OUT"/tiles/tile_*.tif
fi
[ -f "$OUT/requests.json" ] || "$PY" "$M/make_requests.py" "$OUT/tiles/mosaic.vrt" "$OUT" http://unused "$N" >/dev/null
trap 'for i in "${!VARIANTS[@]}"; do t "${VARIANTS[$i]}" "$i" stop >/dev/null || true; done' EXIT

for i in "${!VARIANTS[@]}"; do
  v="${VARIANTS[$i]}"
  t "$v" "$i" stop >/dev/null; rm -rf "$OUT/data-$v" "$OUT/urls-$v"; mkdir -p "$OUT/urls-$v"
  t "$v" "$i" start >/dev/null
  sleep 2; echo "$v idle RSS after start: $(t "$v" "$i" rss) MiB (load $(load))"
  base="http://127.0.0.1:$((T_PORT + i))/arcgis"
  token="$(t "$v" "$i" token)"
  svc="$(node "$M/tessera_collection.mjs" "$base" "$token" mosaic "$OUT/tiles" 2>/dev/null)"
  node "$M/tessera_urls.mjs" "$OUT/requests.json" "$OUT/urls-$v" "$svc" "$token"
done
for i in "${!VARIANTS[@]}"; do # the peers' warm-up: every class in PNG, 2 clients
  v="${VARIANTS[$i]}"
  for srs in 32633 3857; do for cls in native mid full; do
    node "$M/bench.mjs" "$OUT/urls-$v/turls_${srs}_${cls}_png.txt" 2 "$N" warmup >/dev/null
  done; done
  sleep 2; echo "$v idle RSS after warm-up: $(t "$v" "$i" rss) MiB (load $(load))"
done

runs="$OUT/runs.jsonl"; : >"$runs"
for rep in $(seq "$REPS"); do
  for srs in 32633 3857; do for fmt in png jpg; do for cls in native mid full; do for c in $CONCS; do
    total="$N"; [ "$cls" = full ] && total="$FULL_TOTAL"
    for k in "${!VARIANTS[@]}"; do
      i=$(( (k + rep + ${#VARIANTS[@]} - 1) % ${#VARIANTS[@]} )); v="${VARIANTS[$i]}"
      pid="$(t "$v" "$i" pid)"; hwm_reset "$pid"
      row="$(BENCH_PIDS="$pid" node "$M/bench.mjs" "$OUT/urls-$v/turls_${srs}_${cls}_${fmt}.txt" "$c" "$total" \
        "variant=$v srs=$srs class=$cls fmt=$fmt c=$c rep=$rep")"
      echo "${row%\}},\"hwm_mb\":$(hwm "$pid")}" >>"$runs"
    done
  done; done; done; done
done
for i in "${!VARIANTS[@]}"; do sleep 2; echo "${VARIANTS[$i]} idle RSS after the matrix: $(t "${VARIANTS[$i]}" "$i" rss) MiB"; done

node - "$runs" <<'EOF'
const rows = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const key = (r) => Object.fromEntries(r.label.split(' ').map((kv) => kv.split('=')));
const variants = [...new Set(rows.map((r) => key(r).variant))];
const cells = [...new Set(rows.map((r) => { const k = key(r); return `${k.srs} ${k.class} ${k.fmt} c=${k.c}`; }))];
const med = (xs) => xs.sort((a, b) => a - b)[(xs.length - 1) >> 1];
const of = (v, cell) => rows.filter((r) => { const k = key(r); return k.variant === v && `${k.srs} ${k.class} ${k.fmt} c=${k.c}` === cell; });
console.log(`\n| cell | ${variants.map((v) => `${v} cpu ms/req | ${v} peak MiB | ${v} VmHWM`).join(' | ')} | load |`);
console.log(`|---|${variants.map(() => '---:|---:|---:').join('|')}|---:|`);
for (const cell of cells) {
  const cols = variants.map((v) => { const rs = of(v, cell); return `${med(rs.map((r) => r.server_cpu_ms_per_req)).toFixed(1)} | ${Math.max(...rs.map((r) => r.rss_max_mb))} | ${Math.max(...rs.map((r) => r.hwm_mb))}`; });
  console.log(`| ${cell} | ${cols.join(' | ')} | ${med(rows.filter((r) => of(variants[0], cell).includes(r)).map((r) => r.load1))} |`);
}
for (const v of variants) {
  const rs = rows.filter((r) => key(r).variant === v);
  const gm = Math.exp(rs.reduce((a, r) => a + Math.log(r.server_cpu_ms_per_req), 0) / rs.length);
  console.log(`${v}: peak RSS ${Math.max(...rs.map((r) => r.rss_max_mb))} MiB sampled, ${Math.max(...rs.map((r) => r.hwm_mb))} MiB VmHWM, CPU geometric mean ${gm.toFixed(1)} ms/req, errors ${rs.reduce((a, r) => a + r.errors, 0)}`);
}
EOF
echo "load average at the end: $(load)"
