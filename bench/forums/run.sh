#!/usr/bin/env bash
# Forums benchmark (issue 14): vote ingestion through the HTTP API while the map is kept live, on one
# server or two sharing a database, on SQLite and PostgreSQL.
#
# For each backend: a fresh database, server A = `maeul serve --demo` (the demo conversation of Jongno-gu:
# 20 statements, 240 simulated participants) and server B = a second `maeul serve` on the same database;
# both run the background worker, so either may update the map. Then
#   1. votes: wrk -c64 -t2 POST /api/v1/conversations/{id}/votes to A with the demo residents' bearer
#      tokens (vote.lua: statements and agree/disagree/pass rotated; every request a new vote event);
#   2. catch-up: how long after wrk ended the latest snapshot includes the burst's last vote;
#   3. lag: PROBES single votes cast on A one at a time; for each, the time from A's response until the
#      snapshot every server serves includes it (polled in the database; probe.py), and B serves the map;
#   4. map page: wrk GET /conversations/{id}/map on B.
# Prints one table row per backend. Goals (issue 14): >= 2,000 votes/s with p99 < 50 ms on SQLite; the map
# reflecting a new vote within 1 s, also when the vote arrived at another server.
#
#   bench/forums/run.sh                                  # release build, both backends, 10 s each
#   BACKENDS=sqlite DURATION=5s bench/forums/run.sh
#   MAEUL_BIN=target/release/maeul MAEUL_BENCH_PG=postgres://postgres@127.0.0.1:5432 bench/forums/run.sh
#
# Environment: MAEUL_BIN, BACKENDS ("sqlite postgres"), DURATION (10s), CONNECTIONS (64), THREADS (2),
# PROBES (10), MAEUL_BENCH_PG (a PostgreSQL server URL without database; a scratch database is created
# and dropped), KEEP=1 keeps the work folder and the PostgreSQL database.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/forums"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BACKENDS=${BACKENDS:-sqlite postgres}
PROBES=${PROBES:-10}
PG_SERVER=${MAEUL_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG_SERVER=${PG_SERVER%/}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v sqlite3 >/dev/null || die "sqlite3 is needed"
command -v python3 >/dev/null || die "python3 is needed"

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ -n "${MAEUL_BIN:-}" ]; then BIN=$MAEUL_BIN; else
  (cd "$ROOT" && cargo build --release -p maeul); BIN="$TARGET/release/maeul"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-forums-bench.XXXXXX")
PIDS=()
PG_DB=
stop_servers() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
drop_pg_db() {
  if [ -n "$PG_DB" ] && [ "${KEEP:-}" != 1 ]; then
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || echo "bench: could not drop $PG_DB" >&2
  fi
  PG_DB=
}
cleanup() {
  stop_servers
  drop_pg_db
  if [ "${KEEP:-}" = 1 ]; then echo "bench: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_server NAME DATABASE [--demo]: sets BASE_URL; the server's PID joins PIDS.
start_server() {
  local name=$1 database=$2 port pid
  shift 2
  port=$(free_port)
  BASE_URL="http://127.0.0.1:$port"
  "$BIN" serve --bind "127.0.0.1:$port" --database "$database" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    curl -fsS -o /dev/null --max-time 2 "$BASE_URL/healthz" 2>/dev/null && return 0
    sleep 0.2
  done
  tail -20 "$WORK/$name.err" >&2
  die "server $name did not start"
}

sql() { # backend database query
  case $1 in
    sqlite) sqlite3 "${2#sqlite://}" "$3" ;;
    postgres) psql "$2" -tAc "$3" ;;
  esac
}

# wrk's "Requests/sec" and latency percentiles in milliseconds.
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
pct() { # file percentile (50%, 99%)
  awk -v p="$2" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    m = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v; printf "%.1f", m }' "$1"
}

declare -a ROWS
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
for backend in $BACKENDS; do
  case $backend in
    sqlite) database="sqlite://$WORK/forums.sqlite" ;;
    postgres)
      command -v psql >/dev/null || die "psql is needed for the PostgreSQL run"
      PG_DB="maeul_forumsbench_$$_$(date +%s)"
      psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null || die "cannot create a database on $PG_SERVER"
      database="$PG_SERVER/$PG_DB" ;;
    *) die "unknown backend $backend" ;;
  esac
  log "$backend: server A (maeul serve --demo) and server B on the same database"
  start_server "$backend-a" "$database" --demo
  A=$BASE_URL
  start_server "$backend-b" "$database"
  B=$BASE_URL

  token() {
    local email=$1 password
    password=$(awk -v e="$email" '$2 == e { print $3 }' "$WORK/$backend-a.out")
    curl -fsS -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" \
      "$A/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
  }
  token resident@demo.maeul.kr >"$WORK/tokens"
  token member@demo.maeul.kr >>"$WORK/tokens"
  CONV=$(curl -fsS "$A/api/v1/conversations?scope=11110" | python3 -c 'import json,sys; print([c["id"] for c in json.load(sys.stdin) if c["state"]=="open"][0])')
  curl -fsS "$A/api/v1/conversations/$CONV/statements" | python3 -c 'import json,sys; [print(s["id"]) for s in json.load(sys.stdin)]' >"$WORK/statements"
  sed "s/^/$CONV /" "$WORK/statements" >"$WORK/targets"

  before_events=$(sql "$backend" "$database" "SELECT COUNT(*) FROM forum_vote_events")
  before_maps=$(sql "$backend" "$database" "SELECT COUNT(*) FROM forum_maps")
  load=$(cut -d" " -f1-3 /proc/loadavg)
  log "$backend votes: wrk -c$CONNECTIONS -t$THREADS -d$DURATION to A (load $load)"
  wrk -c"$CONNECTIONS" -t"$THREADS" -d"$DURATION" --latency -s "$HERE/vote.lua" "$A" -- "$WORK/tokens" "$WORK/targets" | tee "$WORK/$backend-votes.txt" >&2
  last_vote=$(date +%s.%N)
  last_event=$(sql "$backend" "$database" "SELECT MAX(id) FROM forum_vote_events")
  catchup=
  for _ in $(seq 1 400); do
    seen=$(sql "$backend" "$database" "SELECT COALESCE(MAX(last_event_id), 0) FROM forum_maps WHERE conversation_id = $CONV")
    if [ "$seen" -ge "$last_event" ]; then catchup=$(python3 -c "import time; print(f'{time.time() - $last_vote:.2f}')"); break; fi
    sleep 0.05
  done
  events=$(( $(sql "$backend" "$database" "SELECT COUNT(*) FROM forum_vote_events") - before_events ))
  maps=$(( $(sql "$backend" "$database" "SELECT COUNT(*) FROM forum_maps") - before_maps ))
  failed=$(awk '/^VOTES/ { split($3, f, "="); print f[2] }' "$WORK/$backend-votes.txt")
  log "$backend lag: $PROBES single votes on A, the map every server serves (B's) must include each"
  lag=$(python3 "$HERE/probe.py" "$A" "$B" "$CONV" "$(head -1 "$WORK/tokens")" "$WORK/statements" "$backend" \
    "$([ "$backend" = sqlite ] && echo "${database#sqlite://}" || echo "$database")" "$PROBES")
  log "$lag"
  log "$backend map page: wrk GET /conversations/$CONV/map on B"
  wrk -c"$CONNECTIONS" -t"$THREADS" -d"$DURATION" --latency "$B/conversations/$CONV/map" | tee "$WORK/$backend-map.txt" >&2
  map_failures=$(cat "$WORK/$backend-a.err" "$WORK/$backend-b.err" | grep -c "map update failed\|job failed\|vote batch failed" || true)
  median=$(sed -n 's/.*median=\([^ ]*\).*/\1/p' <<<"$lag"); max=$(sed -n 's/.*max=\([^ ]*\).*/\1/p' <<<"$lag")
  missed=$(sed -n 's/.*missed=\([^ ]*\).*/\1/p' <<<"$lag"); served=$(sed -n 's/.*served_by_B=\([^ ]*\).*/\1/p' <<<"$lag")
  ROWS+=("$(printf '| %s | %s | %s | %s | %s | %s of %s | %s | %s s | %s / %s s (%s missed, B serves: %s) | %s | %s | %s |' \
    "$backend" "$load" "$(rps "$WORK/$backend-votes.txt")" "$(pct "$WORK/$backend-votes.txt" 50%)" \
    "$(pct "$WORK/$backend-votes.txt" 99%)" "${failed:-?}" "$events" "$maps" "${catchup:-not within 20}" \
    "$median" "$max" "$missed" "$served" "$(rps "$WORK/$backend-map.txt")" "$(pct "$WORK/$backend-map.txt" 99%)" "$map_failures")")
  stop_servers
  drop_pg_db
done

echo
echo "forums bench, $(date -u '+%Y-%m-%d %H:%M UTC'), wrk -c$CONNECTIONS -t$THREADS -d$DURATION, load before: $LOAD_BEFORE, binary: $BIN"
echo "| backend | load (1/5/15 min) | votes/s | vote p50 ms | vote p99 ms | failed of stored events | snapshots during the burst | map caught up after the burst | lag vote on A -> map, median / max | map page req/s (B) | map page p99 ms | failed jobs/batches logged |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
