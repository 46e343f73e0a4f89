# Sourced by scripts that need a live `via serve` on loopback (scripts/schemathesis.sh, Benchmarks/serve-load.sh).
# Needs $VIA and $work (a scratch folder). start_server STORE [extra serve options…] sets $server (pid) and $port;
# the EXIT trap stops the server with SIGTERM and removes $work.
server=""
port=""

stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" || true; fi
  rm -rf "$work"
}
trap stop_server EXIT

start_server() {
  local store=$1
  shift
  "$VIA" serve --store "$store" --host 127.0.0.1 --port 0 "$@" >"$work/serve.out" 2>"$work/serve.log" &
  server=$!
  for _ in $(seq 1 100); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.out")
    [ -n "$port" ] && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$work/serve.log" >&2
  echo "via serve did not start" >&2
  exit 1
}
