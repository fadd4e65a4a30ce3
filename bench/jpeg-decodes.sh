#!/usr/bin/env bash
# JPEG work per request of a running server (issue 18: does our read path decode more than
# MapServer's?). Counts, with perf uprobes on the system libjpeg, `jpeg_start_decompress` (one
# per JPEG tile GDAL decodes, whoever calls GDAL) and `jpeg_start_compress` (one per JPEG
# encoded with the system libjpeg: MapServer's answers; sharp bundles its own libjpeg) in the
# given processes while a URL list runs through the peers' bench.mjs.
# usage: bench/jpeg-decodes.sh <url-list> <pid[,pid…]> [requests=100] [clients=1]
#   e.g. the lists and PIDs of ../shared/peers/mapserver/compare.sh prepare (urls_*, turls_*).
# Needs root and perf. Environment: PEERS (../shared/peers from the clone root), LIBJPEG
# (the libjpeg.so.62 GDAL links, found with ldconfig).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/peers}"
[ $# -ge 2 ] || { sed -n '2,10p' "$0"; exit 2; }
urls="$1"; pids="$2"; n="${3:-100}"; c="${4:-1}"
LIBJPEG="${LIBJPEG:-$(ldconfig -p | awk '/libjpeg\.so\.62 .*x86-64/ {print $NF; exit}')}"
events=(jpeg_start_decompress jpeg_start_compress)
added=()
for e in "${events[@]}"; do
  perf probe -l 2>/dev/null | grep -q "probe_libjpeg:$e " && continue
  perf probe -q -x "$LIBJPEG" "$e" && added+=("$e")
done
cleanup() { for e in "${added[@]}"; do perf probe -q -d "probe_libjpeg:$e" || true; done; }
trap cleanup EXIT

out="$(mktemp)"
perf stat -x, -e "$(printf 'probe_libjpeg:%s,' "${events[@]}" | sed 's/,$//')" -p "$pids" -o "$out" -- sleep 3600 2>/dev/null &
stat_pid=$!
sleep 1 # perf attaches
node "$PEERS/mapserver/bench.mjs" "$urls" "$c" "$n" "jpeg-decodes" >/dev/null
# perf prints its counts when its workload ends (a background job here ignores SIGINT).
kill "$(pgrep -P "$stat_pid" sleep)"; wait "$stat_pid" 2>/dev/null || true
awk -F, -v n="$n" '/probe_libjpeg/ { split($3, e, ":"); printf "%-22s %6d calls, %.2f per request\n", e[2], $1, $1 / n }' "$out"
rm -f "$out"
