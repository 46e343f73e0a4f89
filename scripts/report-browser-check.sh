#!/usr/bin/env bash
# Renders `via report --html` in headless Chromium (Debian's chromium package) and checks that the page loads
# without errors: the DOM holds the report's sections and charts, nothing was fetched from the network, and a
# PNG screenshot is written (scripts/report-browser-check.sh [OUT.png]; default: .build/report.png).
set -euo pipefail
cd "$(dirname "$0")/.."
out_png="${1:-.build/report.png}"
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (for the report check)…"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
via=.build/debug/via
[ -x "$via" ] || swift build --product via >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="$work/store"
$via stations import samples/stations.yaml --store "$store" >/dev/null
$via submit samples/batch-20261018 --store "$store" >/dev/null
# A few decisions so that every chart has data.
for reviewer in li wang li; do
  item=$($via review next --reviewer "$reviewer" --store "$store" --json)
  id=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["claim"]["id"] if d.get("claim") else "")' <<<"$item")
  token=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["claim"]["token"] if d.get("claim") else "")' <<<"$item")
  [ -n "$id" ] || break
  sleep 1
  if [ "$reviewer" = wang ]; then verdict=(--reject R02); else verdict=(--approve); fi
  $via review decide "$id" --token "$token" "${verdict[@]}" --store "$store" >/dev/null
done
$via report --html "$work/report.html" --store "$store" --title "via report check" >/dev/null

chrome=(chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars
        --window-size=1200,3200 --virtual-time-budget=2000)
"${chrome[@]}" --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log" || true
for expected in "via report check" "Throughput per hour" "Queue depth" "Review time" "Flag rate by station" \
                "Rule override rate" "<svg" "<table" "150602001"; do
  if ! grep -q -- "$expected" "$work/dom.html"; then
    echo "report check FAILED: the rendered page lacks \"$expected\"" >&2
    tail -20 "$work/chromium.log" >&2
    exit 1
  fi
done
if grep -E "Uncaught|CONSOLE.*(ERROR|error)|net::ERR_" "$work/chromium.log" | grep -v "dbus\|Fontconfig\|sandbox" >&2; then
  echo "report check FAILED: the browser reported errors" >&2
  exit 1
fi
if grep -Eq 'src="https?:|href="https?:|@import' "$work/report.html"; then
  echo "report check FAILED: the report refers to the network" >&2
  exit 1
fi
mkdir -p "$(dirname "$out_png")"
"${chrome[@]}" --screenshot="$out_png" "file://$work/report.html" >/dev/null 2>&1 || true
if [ ! -s "$out_png" ]; then
  echo "report check FAILED: no screenshot was written" >&2
  exit 1
fi
echo "report check passed: rendered in headless Chromium without errors; screenshot $out_png"
