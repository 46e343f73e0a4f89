#!/usr/bin/env bash
# Load run of `via serve` on loopback (release build): simulated stations upload single-vehicle batches of 12
# photos concurrently for a bounded time.
#
#   Benchmarks/serve-load.sh [--stations 60] [--duration 60] [--photo-size 1280x960] [--pool 240] [--paced-load 0.5]
#                            [--uplink MBIT]
#
# 1. Photos: `via samples generate` (clean records of the sample station, cached in bench-out/serve-load/); each
#    upload is one record cut to 12 photos (records with fewer are not used), so records with more photos come back
#    "returned" (photo.missing) — the audit work per photo is the same. The pool is reused round robin, but every
#    upload is a new batch and inspection and every photo a new file: the client inserts a JPEG comment (COM) segment
#    naming the upload into each photo, so each has its own SHA-256 and is stored as its own blob, as real traffic
#    would be (a reused record's photos are still near-duplicates by perceptual hash and get flagged; the work is
#    the same).
# 2. Stations: N copies of the sample station 150602001 (same lanes and cameras), one token each.
# 3. Saturation: N stations upload back to back (closed loop) for --duration seconds: records/s, photos/s, latency
#    from the first byte sent to the receipt (p50/p90/p99/max).
# 4. Paced: the same stations upload at --paced-load × the measured throughput (each station on its own schedule):
#    the latency a station sees when the server is not saturated.
# 5. Decode limit: `via bench photos` (plain libjpeg 1/8 greyscale decode loop, all cores) over the same photos,
#    in the same run, once before the load and once after the saturation phase (the server idle); their mean is the
#    limit, as it wanders by ±8 % on this shared VM. ratio = server photos/s ÷ decode-loop files/s (target ≥ 0.8).
#    Also per photo: the server's CPU time against the decode loop's, i.e. what the server spends beyond the decode.
# --uplink MBIT limits each station's sending rate (a lane's uplink; default unlimited loopback), and latency is also
# reported from the upload's last byte to the receipt: what a driver waits for once the lane software has sent.
# The load client (Python, standard library) runs on the same machine and its CPU time is reported.
set -euo pipefail
cd "$(dirname "$0")/.."

stations=60 duration=60 size=1280x960 pool=240 paced=0.5 uplink=0
while [ $# -gt 0 ]; do
  case "$1" in
    --stations) stations=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --photo-size) size=$2; shift 2 ;;
    --pool) pool=$2; shift 2 ;;
    --paced-load) paced=$2; shift 2 ;;
    --uplink) uplink=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done

VIA=${VIA:-}
if [ -z "$VIA" ]; then
  swift build -c release --product via >/dev/null
  VIA=.build/release/via
fi

cache="bench-out/serve-load/pool-$size-$pool"
if [ ! -f "$cache/batch.json" ]; then
  echo "generating photos: $((pool * 2)) clean records at $size into $cache"
  rm -rf "$cache"
  "$VIA" samples generate "$cache" --records $((pool * 2)) --defect-rate 0 --seed 1 --station 150602001 \
    --photo-size "$size" --batch-id load-pool >/dev/null
fi

work=$(mktemp -d)
. scripts/lib/serve.sh

# Station registry: N copies of the first sample station.
python3 - "$stations" >"$work/stations.yaml" <<'EOF'
import re, sys
n = int(sys.argv[1])
text = open("samples/stations.yaml", encoding="utf-8").read()
blocks = re.split(r"(?m)^  - code: ", text.split("stations:\n", 1)[1])
first = "  - code: " + blocks[1]
print("stations:")
for i in range(n):
    code = f"1506{i:05d}"
    print(first.replace('"150602001"', f'"{code}"', 1).rstrip("\n"))
EOF
store="$work/store"
"$VIA" stations import "$work/stations.yaml" --store "$store" >/dev/null
for i in $(seq 0 $((stations - 1))); do
  code=$(printf '1506%05d' "$i")
  printf '%s %s\n' "$code" "$("$VIA" stations token "$code" --store "$store" 2>/dev/null)"
done >"$work/tokens"

echo "decode limit: via bench photos over the pool's photos"
mkdir -p "$work/decode"
find "$cache/photos" -name '*.jpg' | sort | sed -n '1,360p' | while read -r f; do cp "$f" "$work/decode/$(echo "$f" | tr / _)"; done
"$VIA" bench photos "$work/decode" --rounds 3 --json >"$work/decode.json" 2>/dev/null

# Flush what earlier runs deleted: on ext4 without a journal (this VM's disk), inodes freed while their inode table
# block is still dirty are skipped one by one by every later file creation for ~5 minutes, which made a run right
# after another one measure the previous run's clean-up rather than the server.
sync
# shellcheck disable=SC2086 # VIA_SERVE_ARGS: extra `via serve` options for experiments, split on spaces.
start_server "$store" --log-level warning ${VIA_SERVE_ARGS:-}

python3 - "$port" "$work/tokens" "$cache" "$duration" "$pool" "$paced" "$work/decode.json" "$size" "$server" "$uplink" \
  "$VIA" "$work/decode" <<'EOF'
import http.client, json, os, random, subprocess, sys, threading, time

port, tokens_file, cache, duration, pool_size, paced, decode_file, size, server_pid, uplink, via, decode_dir = sys.argv[1:]
duration, pool_size, paced, port, uplink = float(duration), int(pool_size), float(paced), int(port), float(uplink)

def paced_body(payload):
    """The body in 64 kB chunks at most `uplink` Mbit/s (an iterable: http.client sends each as it comes)."""
    step, rate = 64 << 10, uplink * 1e6 / 8
    start = time.monotonic()
    for offset in range(0, len(payload), step):
        due = start + offset / rate
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        yield payload[offset:offset + step]
stations = [line.split() for line in open(tokens_file)]
batch = json.load(open(os.path.join(cache, "batch.json")))
pool = []
for record in batch["records"]:
    if len(record["photos"]) < 12:
        continue
    record = dict(record)
    record["photos"] = record["photos"][:12]
    files = [(p["file"], open(os.path.join(cache, p["file"]), "rb").read()) for p in record["photos"]]
    pool.append((record, files))
    if len(pool) == pool_size:
        break
photo_bytes = sum(len(d) for _, files in pool for _, d in files) / (12 * len(pool))
boundary = "via-load-boundary-5f1c"

def body(station, seq, entry):
    record, files = entry
    record = dict(record)
    record["inspection_id"] = f"{station}{seq:07d}"
    manifest = json.dumps({"format": "via-batch/1", "station": station, "batch_id": f"load-{seq}", "records": [record]},
                          ensure_ascii=False).encode()
    chunks = [f'--{boundary}\r\nContent-Disposition: form-data; name="batch"; filename="batch.json"\r\n'
              f'Content-Type: application/json\r\n\r\n'.encode(), manifest, b"\r\n"]
    for index, (path, data) in enumerate(files):
        comment = f"via load {station} {seq} {index}".encode()
        chunks += [f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="{path}"\r\n'
                   f'Content-Type: image/jpeg\r\n\r\n'.encode(),
                   data[:2], b"\xff\xfe", (len(comment) + 2).to_bytes(2, "big"), comment, data[2:], b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks)

counter = iter(range(10**9))
counter_lock = threading.Lock()
def next_seq():
    with counter_lock:
        return next(counter)

def run(phase_seconds, interval=None):
    results = []  # (latency seconds, status, end time)
    lock = threading.Lock()
    start = time.monotonic()
    stop_at = start + phase_seconds

    def station_loop(index, code, token):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        rng = random.Random(index)
        due = start + (rng.uniform(0, interval) if interval else 0)
        while True:
            if interval:
                now = time.monotonic()
                if due > now:
                    time.sleep(due - now)
                due += interval * rng.uniform(0.8, 1.2)
            if time.monotonic() >= stop_at:
                break
            seq = next_seq()
            payload = body(code, seq, pool[seq % len(pool)])
            headers = {"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}",
                       "Content-Length": str(len(payload))}
            sent = time.monotonic()
            last_byte = sent
            try:
                connection.request("POST", "/v1/batches", body=paced_body(payload) if uplink > 0 else payload, headers=headers)
                last_byte = time.monotonic()
                response = connection.getresponse()
                response.read()
                status = response.status
            except Exception as error:  # a failure counts, then reconnect
                status = f"error {type(error).__name__}"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            done = time.monotonic()
            with lock:
                results.append((done - sent, status, done, done - last_byte))
        connection.close()

    threads = [threading.Thread(target=station_loop, args=(i, code, token)) for i, (code, token) in enumerate(stations)]
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.monotonic() - start
    return results, elapsed

def summary(name, results, elapsed):
    ok = sorted(r[0] for r in results if r[1] == 201)
    statuses = {}
    for r in results:
        statuses[str(r[1])] = statuses.get(str(r[1]), 0) + 1
    def pct(p):
        return ok[min(len(ok) - 1, int(p * len(ok)))] if ok else float("nan")
    rate = len(ok) / elapsed
    print(f"{name}: {len(ok)} records stored in {elapsed:.1f} s = {rate:.2f} records/s, {rate * 12:.1f} photos/s, "
          f"{rate * 12 * photo_bytes / 1e6:.1f} MB/s; statuses {statuses}")
    print(f"  latency request → receipt: p50 {pct(0.5) * 1000:.0f} ms · p90 {pct(0.9) * 1000:.0f} ms · "
          f"p99 {pct(0.99) * 1000:.0f} ms · max {(ok[-1] if ok else float('nan')) * 1000:.0f} ms")
    tail = sorted(r[3] for r in results if r[1] == 201)
    if tail:
        at = lambda p: tail[min(len(tail) - 1, int(p * len(tail)))] * 1000
        print(f"  latency last byte sent → receipt: p50 {at(0.5):.0f} ms · p90 {at(0.9):.0f} ms · p99 {at(0.99):.0f} ms")
    return rate, pct(0.5), pct(0.99)

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

print(f"{len(stations)} stations, single-vehicle batches of 12 photos ({size}, {photo_bytes / 1e3:.0f} kB each on average), "
      f"pool of {len(pool)} records, {os.cpu_count()} cores")
server_cpu0, client_cpu0 = cpu_seconds(server_pid), time.process_time()
results, elapsed = run(duration)
server_cpu, client_cpu = cpu_seconds(server_pid) - server_cpu0, time.process_time() - client_cpu0
rate, p50, p99 = summary("saturation (back to back)", results, elapsed)
print(f"  cpu: server {server_cpu / elapsed * 100:.0f} %, load client {client_cpu / elapsed * 100:.0f} % (of one core)")

decode = json.load(open(decode_file))
after = subprocess.run([via, "bench", "photos", decode_dir, "--rounds", "3", "--json"], capture_output=True, text=True)
def find_rate(node):
    if isinstance(node, dict):
        for key in ("decode_loop", "decodeLoop", "decode"):
            if key in node and isinstance(node[key], dict) and "files_per_second" in node[key]:
                return node[key]["files_per_second"]
        for value in node.values():
            found = find_rate(value)
            if found: return found
    return None
before_rate = find_rate(decode)
after_rate = find_rate(json.loads(after.stdout)) if after.returncode == 0 else None
rates = [r for r in (before_rate, after_rate) if r]
decode_rate = sum(rates) / len(rates) if rates else None
if decode_rate:
    print(f"decode limit (libjpeg 1/8 grey loop, same photos, all cores): {decode_rate:.1f} files/s "
          f"(before the load {before_rate or float('nan'):.1f}, after it {after_rate or float('nan'):.1f})")
    print(f"server throughput / decode limit = {rate * 12:.1f} / {decode_rate:.1f} = {rate * 12 / decode_rate:.2f} (target ≥ 0.80)")
    if rate > 0:
        cores = os.cpu_count()
        server_ms = server_cpu / (rate * elapsed * 12) * 1000
        decode_ms = cores / decode_rate * 1000
        print(f"  per photo: server CPU {server_ms:.2f} ms, decode loop {decode_ms:.2f} ms (one core), "
              f"so {server_ms - decode_ms:.2f} ms beyond the decode; load client {client_cpu / (rate * elapsed * 12) * 1000:.2f} ms")
else:
    print("decode limit: could not read via bench photos --json output:", json.dumps(decode)[:300])

if paced > 0 and rate > 0:
    interval = len(stations) / (paced * rate)
    results, elapsed = run(duration, interval=interval)
    summary(f"paced at {paced:.0%} of that ({paced * rate:.2f} records/s, each station every {interval:.1f} s)", results, elapsed)
EOF
# The server's log of this run (one JSON line per request, with upload/wait/audit times and the audit's phases).
cp "$work/serve.log" bench-out/serve-load/serve.log
