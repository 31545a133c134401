#!/usr/bin/env bash
# make bench-serve: a bounded load test of `hindsight serve` on loopback (not part of `make test`).
#
#   LOAD_SECONDS=10      length of each load run
#   LOAD_CONNECTIONS=64  concurrent connections of each run
#   LOAD_LISTENERS=50    live-reload listeners (server-sent events) held open throughout
#
# Serves the bundled sample archive, holds LOAD_LISTENERS event streams open (as that many open
# browser tabs would), then loads a page, an asset, a missing page and traversal attempts with wrk
# (or a Python client when wrk is missing). Fails unless every answer is the expected status, the
# server is still up and answering afterwards, and it never served a file outside its folder.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${LOAD_SECONDS:-10}
CONNECTIONS=${LOAD_CONNECTIONS:-64}
LISTENERS=${LOAD_LISTENERS:-50}
BIN=${HINDSIGHT_BIN_DIR:-$(swift build -c release --show-bin-path)}
WORK=$(mktemp -d)
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2> /dev/null || true
  for pid in ${LISTENER_PIDS:-}; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The sample archive's working tree, served as an author previews it.
"$BIN/hindsight" serve --repo . --port 0 --output "$WORK/site" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 600); do grep -q "Serving at " "$WORK/serve.log" && break; sleep 0.1; done
ADDRESS=$(grep -o "http://127.0.0.1:[0-9]*/" "$WORK/serve.log" | head -1)
[ -n "$ADDRESS" ] || { cat "$WORK/serve.log"; echo "serve did not start"; exit 1; }
PAGE=$(cd "$WORK/site" && ls -d postmortems/*/ | head -1)
echo "serving $ADDRESS (pid $SERVER), $(nproc) cores; ${SECONDS_EACH} s per run, $CONNECTIONS connections, $LISTENERS live-reload listeners"
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$SERVER/status"; }
echo "server memory before: $(rss)"

LISTENER_PIDS=""
for _ in $(seq "$LISTENERS"); do
  curl -sN --max-time $((SECONDS_EACH * 6 + 30)) "${ADDRESS}__hindsight/events" > /dev/null 2>&1 &
  LISTENER_PIDS="$LISTENER_PIDS $!"
done

# load PATH EXPECTED-STATUS: one run; prints a result line, fails on any unexpected answer.
load() {
  local path=$1 expected=$2
  if command -v wrk > /dev/null; then
    # Each wrk thread counts answers other than the expected status; done() adds them up.
    cat > "$WORK/check.lua" << EOF
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) unexpected = 0 end
function response(status, headers, body) if status ~= $expected then unexpected = unexpected + 1 end end
function done(summary, latency, requests)
  local total = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(threads) do total = total + thread:get("unexpected") end
  io.write(string.format("RESULT %d %.0f %.2f %.2f %d\\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, total))
end
EOF
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -s "$WORK/check.lua" "$ADDRESS$path" > "$WORK/wrk.out" 2>&1 || true
    read -r requests rate p50 p99 unexpected < <(grep RESULT "$WORK/wrk.out" | cut -d' ' -f2-)
  else
    read -r requests rate p50 p99 unexpected < <(python3 Benchmarks/load.py "$ADDRESS$path" "$expected" "$CONNECTIONS" "$SECONDS_EACH")
  fi
  printf '/%-51s %8s req %7s req/s  p50 %6s ms  p99 %7s ms  unexpected %s\n' "$path → $expected" "$requests" "$rate" "$p50" "$p99" "$unexpected"
  [ "$unexpected" -eq 0 ] || FAILED=1
}

FAILED=0
load "" 200
load "$PAGE" 200
load "assets/style.css" 200
load "no/such/page/" 404
load "..%2f..%2f..%2fetc%2fpasswd" 400
load "assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd" 400

# Still up, still right, and nothing outside the folder was ever served.
kill -0 "$SERVER" || { echo "the server died"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$ADDRESS")
echo "after the load: GET / → $status; server memory $(rss); $(ls /proc/$SERVER/fd | wc -l) open descriptors"
[ "$status" = 200 ] || FAILED=1
if curl -s --path-as-is --max-time 5 "${ADDRESS}../../../../etc/passwd" | grep -q "root:"; then echo "served /etc/passwd"; FAILED=1; fi
[ "$FAILED" -eq 0 ] && echo "serve held up: every answer as expected" || { echo "serve failed under load"; exit 1; }
