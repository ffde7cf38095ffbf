#!/usr/bin/env bash
# Foundation benchmark: requests/s and p99 latency of /healthz (the machine's ceiling: routing, one
# database ping, JSON) and of a district page (/scopes/11110 Jongno-gu, anonymous: scope tree, template,
# CSRF cookie), on SQLite and on PostgreSQL, with wrk at 64 connections and 2 threads.
#
#   bench/foundation/run.sh                 # both backends, 10 s per measurement
#   DURATION=30s BACKENDS=sqlite bench/foundation/run.sh
#   MAEUL_BIN=target/release/maeul bench/foundation/run.sh   # skip the build
#
# Goals (issue 2): district/healthz >= 25% on SQLite, >= 15% on PostgreSQL. The script prints the
# table and the ratios, and exits non-zero if a measurement failed (server down, non-2xx answers);
# missing a goal is reported, not fatal (figures depend on the machine), unless STRICT=1.
#
# Environment: MAEUL_BIN, BACKENDS ("sqlite postgres"), DURATION (10s), CONNECTIONS (64), THREADS (2),
# WARMUP (3s), MAEUL_BENCH_PG (postgres://postgres@127.0.0.1:5432), DISTRICT (11110), STRICT.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BACKENDS=${BACKENDS:-sqlite postgres}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3s}
DISTRICT=${DISTRICT:-11110}
PG_SERVER=${MAEUL_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG_SERVER=${PG_SERVER%/}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else die "need root to run: $*"; fi; }

if ! command -v wrk >/dev/null; then
  log "installing Debian's wrk"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null || die "curl is needed"

if [ -n "${MAEUL_BIN:-}" ]; then
  BIN=$MAEUL_BIN
else
  log "building (cargo build --release -p maeul)"
  (cd "$ROOT" && cargo build --release -p maeul)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/maeul"
fi
[ -x "$BIN" ] || die "$BIN is not an executable"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-bench.XXXXXX")
SERVER_PID=
PG_DB=
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
drop_pg_db() {
  if [ -n "$PG_DB" ]; then
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || echo "bench: could not drop $PG_DB" >&2
    PG_DB=
  fi
}
cleanup() { stop_server; drop_pg_db; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start_server() {
  local name=$1 database=$2 port
  port=$(free_port)
  BASE_URL="http://127.0.0.1:$port"
  # Started directly, so $! is the server's PID (not a subshell's).
  "$BIN" serve --bind "127.0.0.1:$port" --database "$database" --demo >"$WORK/$name.out" 2>"$WORK/$name.err" &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    curl -fsS -o /dev/null --max-time 2 "$BASE_URL/healthz" 2>/dev/null && return 0
    sleep 0.2
  done
  tail -n 20 "$WORK/$name.err" >&2
  die "the $name server did not start"
}

# measure NAME URL → "rps p99" (p99 as wrk prints it, e.g. 12.34ms)
measure() {
  local name=$1 url=$2 out="$WORK/wrk-$1.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null 2>&1 || true
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $url"; }
  if grep -q 'Non-2xx or 3xx responses' "$out" || grep -Eq 'Socket errors:.*(read|write|timeout) [1-9]' "$out"; then
    cat "$out" >&2; die "$url: errors or non-2xx answers during the run"
  fi
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  [ -n "$rps" ] && [ -n "$p99" ] || { cat "$out" >&2; die "could not read wrk's output for $url"; }
  echo "$rps $p99"
}

declare -a ROWS RATIOS
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo "?")
MISSED=0
for backend in $BACKENDS; do
  case $backend in
    sqlite) database="sqlite://$WORK/bench.db"; goal=25 ;;
    postgres)
      command -v psql >/dev/null || die "psql is needed for the PostgreSQL run"
      PG_DB="maeul_bench_$$_$(date +%s)"
      psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null || die "cannot create a database on $PG_SERVER"
      database="$PG_SERVER/$PG_DB"; goal=15 ;;
    *) die "unknown backend $backend" ;;
  esac
  log "$backend: starting the demo server"
  start_server "$backend" "$database"
  curl -fsS "$BASE_URL/healthz" | grep -q "\"database\":\"$backend\"" || die "/healthz does not report $backend"
  page=$(curl -fsS -H 'Accept-Language: en' "$BASE_URL/scopes/$DISTRICT") || die "/scopes/$DISTRICT does not answer 200"
  grep -q '<h1>' <<<"$page" || die "/scopes/$DISTRICT is not the district page"
  log "$backend: /healthz (${DURATION}, ${CONNECTIONS} connections, ${THREADS} threads)"
  read -r h_rps h_p99 < <(measure "$backend-healthz" "$BASE_URL/healthz")
  log "$backend: /scopes/$DISTRICT"
  read -r d_rps d_p99 < <(measure "$backend-district" "$BASE_URL/scopes/$DISTRICT")
  stop_server
  [ "$backend" = postgres ] && drop_pg_db
  rm -f "$WORK"/bench.db*
  ROWS+=("$(printf '%-9s %-16s %12s %10s' "$backend" /healthz "$h_rps" "$h_p99")")
  ROWS+=("$(printf '%-9s %-16s %12s %10s' "$backend" "/scopes/$DISTRICT" "$d_rps" "$d_p99")")
  ratio=$(awk -v d="$d_rps" -v h="$h_rps" 'BEGIN { printf "%.1f", 100 * d / h }')
  verdict=$(awk -v r="$ratio" -v g="$goal" 'BEGIN { print (r >= g) ? "meets" : "MISSES" }')
  [ "$verdict" = meets ] || MISSED=1
  RATIOS+=("$(printf '%-9s district/healthz = %5s%%  (goal >= %d%%: %s)' "$backend" "$ratio" "$goal" "$verdict")")
done

echo
echo "maeul foundation benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, load average before: $LOAD_BEFORE"
printf '%-9s %-16s %12s %10s\n' backend endpoint 'requests/s' 'p99'
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${RATIOS[@]}"
if [ "$MISSED" != 0 ] && [ "${STRICT:-}" = 1 ]; then exit 2; fi
