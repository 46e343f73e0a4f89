#!/usr/bin/env bash
# Property-based API tests: schemathesis (PyPI) against a live `via serve` on loopback, driven by openapi.yaml.
# Every check (`--checks all`): no 5xx, status codes, content types, headers and bodies as documented, invalid input
# refused with 4xx, missing auth refused, undocumented methods answered 405 with Allow.
# Excluded: positive_data_acceptance ("schema-valid requests get 2xx"). A batch's validity depends on what no JSON
# Schema can say (the station registry, photo parts matching the records' paths, real JPEGs), so schema-valid random
# uploads are rightly refused with 400; every other check still runs on them (no 5xx, documented error bodies).
#
#   scripts/schemathesis.sh                  # uses .build/debug/via (built if missing)
#   VIA=path/to/via scripts/schemathesis.sh  # another binary
#   SCHEMATHESIS_EXAMPLES=100 scripts/schemathesis.sh
#
# The store holds the sample stations and the sample batch (so some GETs find something); the token is
# station 150602001's.
set -euo pipefail
cd "$(dirname "$0")/.."

VIA=${VIA:-.build/debug/via}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-30}
SEED=${SCHEMATHESIS_SEED:-20261018}

# schemathesis: the one on PATH, else a venv of our own (Debian's system Python refuses plain pip installs).
VENV=${SCHEMATHESIS_VENV:-.build-schemathesis/venv}
if command -v schemathesis >/dev/null 2>&1; then
  ST=(schemathesis)
else
  if [ ! -x "$VENV/bin/schemathesis" ]; then
    echo "installing schemathesis (PyPI) into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis>=4,<5"
  fi
  ST=("$VENV/bin/schemathesis")
fi
[ -x "$VIA" ] || swift build --product via

work=$(mktemp -d)
. scripts/lib/serve.sh

store="$work/store"
"$VIA" stations import samples/stations.yaml --store "$store" >/dev/null
"$VIA" submit samples/batch-20261018 --store "$store" >/dev/null
token=$("$VIA" stations token 150602001 --store "$store" 2>/dev/null)

start_server "$store"
echo "schemathesis against via serve on 127.0.0.1:$port ($EXAMPLES examples per operation, seed $SEED)"

status=0
"${ST[@]}" run openapi.yaml \
  --url "http://127.0.0.1:$port" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --max-examples "$EXAMPLES" \
  --seed "$SEED" \
  --workers 2 \
  --request-timeout 30 \
  --generation-database none \
  --no-color \
  -H "Authorization: Bearer $token" || status=$?

if [ "$status" -ne 0 ]; then
  echo "--- last lines of the server log (cut to 300 characters) ---" >&2
  tail -n 20 "$work/serve.log" | cut -c1-300 >&2
fi
# A server error anywhere in the run is a failure even when schemathesis did not flag it.
if grep -q '"status":"5[0-9][0-9]"' "$work/serve.log"; then
  echo "the server answered 5xx during the run:" >&2
  grep '"status":"5[0-9][0-9]"' "$work/serve.log" | head -5 >&2
  status=1
fi
exit "$status"
