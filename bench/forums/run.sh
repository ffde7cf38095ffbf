#!/usr/bin/env bash
# Forums benchmark (issue 14): vote ingestion through the HTTP API while the map is kept live.
# `maeul serve --demo` on a fresh SQLite database (the demo conversation of Jongno-gu: 20 statements, 240
# simulated participants), then wrk at 64 connections, 2 threads, POST /api/v1/conversations/{id}/votes with
# the bearer tokens of the demo's verified residents of Jongno-gu (vote.lua); the background worker updates
# the map meanwhile (one coalesced job per burst). Afterwards: how many vote events were stored, how many map
# snapshots were written, and the lag between the last vote and the map that includes it; then the map
# page's latency (wrk GET /conversations/{id}/map).
#
#   bench/forums/run.sh                    # release build, 10 s
#   MAEUL_BIN=… DURATION=20s bench/forums/run.sh
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/forums"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v sqlite3 >/dev/null || die "sqlite3 is needed"

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ -n "${MAEUL_BIN:-}" ]; then BIN=$MAEUL_BIN; else
  (cd "$ROOT" && cargo build --release -p maeul); BIN="$TARGET/release/maeul"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-forums-bench.XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
DB="$WORK/forums.sqlite"
"$BIN" serve --bind "127.0.0.1:$PORT" --database "sqlite://$DB" --demo >"$WORK/out" 2>"$WORK/err" &
SERVER_PID=$!
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break; sleep 0.2; done
curl -fsS -o /dev/null "$BASE/healthz" || { cat "$WORK/err" >&2; die "server did not start"; }

token() {
  local email=$1 password
  password=$(awk -v e="$email" '$2 == e { print $3 }' "$WORK/out")
  curl -fsS -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" \
    "$BASE/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
token resident@demo.maeul.kr >"$WORK/tokens"
token member@demo.maeul.kr >>"$WORK/tokens"
CONV=$(curl -fsS "$BASE/api/v1/conversations?scope=11110" | python3 -c 'import json,sys; print([c["id"] for c in json.load(sys.stdin) if c["state"]=="open"][0])')
curl -fsS "$BASE/api/v1/conversations/$CONV/statements" | python3 -c 'import json,sys; [print(s["id"]) for s in json.load(sys.stdin)]' >"$WORK/statements"

before_events=$(sqlite3 "$DB" "SELECT COUNT(*) FROM forum_vote_events")
before_maps=$(sqlite3 "$DB" "SELECT COUNT(*) FROM forum_maps")
log "load: $(uptime)"
log "votes: wrk -c$CONNECTIONS -t$THREADS -d$DURATION --latency"
wrk -c"$CONNECTIONS" -t"$THREADS" -d"$DURATION" --latency -s "$HERE/vote.lua" "$BASE" -- "$CONV" "$WORK/tokens" "$WORK/statements" | tee "$WORK/votes.txt"
last_vote=$(date +%s.%N)
last_event=$(sqlite3 "$DB" "SELECT MAX(id) FROM forum_vote_events")
lag=
for _ in $(seq 1 200); do
  seen=$(sqlite3 "$DB" "SELECT COALESCE(MAX(last_event_id), 0) FROM forum_maps WHERE conversation_id = $CONV")
  if [ "$seen" -ge "$last_event" ]; then lag=$(python3 -c "import time; print(f'{time.time() - $last_vote:.2f}')"); break; fi
  sleep 0.05
done
after_events=$(sqlite3 "$DB" "SELECT COUNT(*) FROM forum_vote_events")
after_maps=$(sqlite3 "$DB" "SELECT COUNT(*) FROM forum_maps")
grep -m3 -i "job failed\|map update" "$WORK/err" >&2 || true
echo "stored vote events: $((after_events - before_events)); map snapshots written meanwhile: $((after_maps - before_maps)); map caught up with the last vote ${lag:-(not within 10 s)} s after wrk ended"
log "map page: wrk GET /conversations/$CONV/map"
wrk -c"$CONNECTIONS" -t"$THREADS" -d"$DURATION" --latency "$BASE/conversations/$CONV/map" | tee "$WORK/map.txt"
