#!/usr/bin/env bash
# Photo-analysis throughput against the plain libjpeg decode loop (release build).
#   Benchmarks/photos.sh            # synthesizes 24 photos of 2560x1920 at q88
#   Benchmarks/photos.sh DIR        # your own photos
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product via >/dev/null
exec .build/release/via bench photos "$@"
