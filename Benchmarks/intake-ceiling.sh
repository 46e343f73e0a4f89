#!/usr/bin/env bash
# The yardstick for `via serve`'s ratio to the decode limit (Benchmarks/serve-load.sh): what a minimal C server
# (Benchmarks/intake-ceiling.c) reaches on this machine when all it does per photo is receive it over loopback,
# store it and decode it as the decode loop does, driven by a C load client on the same cores.
#
#   Benchmarks/intake-ceiling.sh [--photo-size 1280x960] [--pool 240] [--duration 15] [--connections 60]
#
# Photos: the same cached pool as serve-load.sh (generated with `via samples generate` when missing), first 360
# files. Store: a new folder under ${TMPDIR:-/tmp} (where serve-load.sh puts via's store), so the same filesystem.
# Steps, each printed as photos/s and as a ratio to the mean of the decode loop measured before and after:
#   1. receive + decode                      (no file at all)
#   2. receive + write a file + decode       (no fsync: the page cache only)
#   3. receive + write + fsync + decode      (durable; via also renames into place and fsyncs the directory)
# The ceiling has no HTTP, multipart, SHA-256, EXIF, database or rules, so `via serve` stays below step 3.
set -euo pipefail
cd "$(dirname "$0")/.."

size=1280x960 pool=240 duration=15 connections=60
while [ $# -gt 0 ]; do
  case "$1" in
    --photo-size) size=$2; shift 2 ;;
    --pool) pool=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done

cache="bench-out/serve-load/pool-$size-$pool"
if [ ! -f "$cache/batch.json" ]; then
  VIA=${VIA:-}
  if [ -z "$VIA" ]; then
    swift build -c release --product via >/dev/null
    VIA=.build/release/via
  fi
  echo "generating photos: $((pool * 2)) clean records at $size into $cache"
  rm -rf "$cache"
  "$VIA" samples generate "$cache" --records $((pool * 2)) --defect-rate 0 --seed 1 --station 150602001 \
    --photo-size "$size" --batch-id load-pool >/dev/null
fi

tool=bench-out/intake-ceiling
mkdir -p bench-out
if [ ! -x "$tool" ] || [ Benchmarks/intake-ceiling.c -nt "$tool" ]; then
  ${CC:-cc} -O2 -Wall -Wextra -o "$tool" Benchmarks/intake-ceiling.c -ljpeg -lpthread
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/photos"
find "$cache/photos" -name '*.jpg' | sort | sed -n '1,360p' | while read -r f; do
  cp "$f" "$work/photos/$(echo "$f" | tr / _)"
done

decode_loop() { # OUTFILE: photos/s of the decode loop
  "$tool" decode "$work/photos" "$(nproc)" 10 >"$1"
}

run_server() { # OUTFILE [STOREDIR [fsync]]: photos/s through the ceiling server
  local out=$1
  shift
  : >"$work/port"
  "$tool" serve "$@" >"$work/port" &
  server=$!
  for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
  if [ ! -s "$work/port" ]; then echo "the ceiling server did not start" >&2; exit 1; fi
  "$tool" load "$(cat "$work/port")" "$work/photos" "$connections" "$duration" >"$out"
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
}

# Each step starts with nothing left to write back from the one before (it would be paid for in the next). The
# stored files stay until the end: deleting many files slows file creation for minutes on ext4 without a journal.
sync
decode_loop "$work/before"
echo "decode loop (libjpeg 1/8 grey, $(nproc) threads, photos in memory): $(cat "$work/before") photos/s"
run_server "$work/received"
mkdir "$work/store-cache" "$work/store-sync"
run_server "$work/cached" "$work/store-cache"
sync
run_server "$work/durable" "$work/store-sync" fsync
sync
decode_loop "$work/after"
echo "decode loop again: $(cat "$work/after") photos/s"
python3 - "$(cat "$work/before")" "$(cat "$work/after")" "$(cat "$work/received")" "$(cat "$work/cached")" \
  "$(cat "$work/durable")" "$size" "$connections" <<'EOF'
import sys
before, after, received, cached, durable = map(float, sys.argv[1:6])
limit = (before + after) / 2
print(f"{sys.argv[7]} connections, {sys.argv[6]} photos; decode limit (mean) {limit:.1f} photos/s")
for name, rate in (("receive + decode", received), ("receive + write + decode", cached),
                   ("receive + write + fsync + decode", durable)):
    print(f"  {name:34} {rate:7.1f} photos/s   ratio {rate / limit:.2f}")
EOF
