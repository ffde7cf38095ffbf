#!/usr/bin/env bash
# Public-sphere benchmark (issue 4): the demo city seeded with 100,000 proposals, 1,000,000 supports and
# 500,000 comments (crates/db/examples/seed_public_sphere/), then wrk at 64 connections and 2 threads on
#   /healthz                          the machine's ceiling (routing, one database ping, JSON)
#   /scopes/11/proposals              the city's proposal list, page 1
#   /scopes/11/proposals?before=…     page 100 (the cursor reached by following "next" 99 times: walked
#                                     once with curl, and checked against the seeder's own computation)
#   /proposals/{id}                   the proposal with 500 threaded comments (first comment page)
#   /search?q=놀이                     a Korean two-syllable fragment (matches ~13% of the proposals)
#   POST /api/v1/proposals/{id}/support  support casting with rotating bearer tokens (support.lua)
# on SQLite and on PostgreSQL. Each backend gets a fresh database: `maeul serve --demo` once (demo city and
# accounts), the seeder, then the server again.
#
#   bench/public-sphere/run.sh                      # both backends, 10 s per measurement
#   DURATION=30s BACKENDS=sqlite bench/public-sphere/run.sh
#   MAEUL_BIN=… SEEDER_BIN=… bench/public-sphere/run.sh   # skip the builds
#   PROPOSALS=10000 SUPPORTS=100000 COMMENTS=50000 USERS=10000 bench/public-sphere/run.sh   # a smaller city
#
# Goals (issue 4): p99 < 50 ms for the pages (lists, proposal, search), and the proposal list (page 1 and
# page 100) at >= 40% of /healthz's requests/s. Missing a goal is reported, not fatal (figures depend on
# the machine), unless STRICT=1. A failed measurement is fatal: server down, non-2xx answers, socket
# errors, a support refused (a support by a resident who already supports answers 200 "changed": false
# and is counted apart, not as an error), or support counts that no longer match the support rows.
#
# MEASURE (default "healthz list1 list100 proposal search support") picks the measurements; the scaling run
# (scaling.sh) takes "healthz list1 search". The server's peak resident memory (VmHWM) is printed per backend.
#
# RESULTS=FILE appends one tab-separated line per measurement (backend, measurement, req/s, p50 ms, p99 ms,
# server peak kB) for scripts (scaling.sh).
#
# Environment: MAEUL_BIN, SEEDER_BIN, BACKENDS ("sqlite postgres"), DURATION (10s), CONNECTIONS (64),
# THREADS (2), WARMUP (3s), TIMEOUT (30s: wrk's per-request timeout, so slow pages are measured, not
# counted as errors), MAEUL_BENCH_PG (postgres://postgres@127.0.0.1:5432), PROPOSALS (100000),
# SUPPORTS (1000000), COMMENTS (500000), USERS (60000), TOKENS (2000), SEED (4), STRICT, KEEP=1 (keep the
# seeded databases and wrk outputs, and print where they are).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/public-sphere"
BACKENDS=${BACKENDS:-sqlite postgres}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3s}
PROPOSALS=${PROPOSALS:-100000}
SUPPORTS=${SUPPORTS:-1000000}
COMMENTS=${COMMENTS:-500000}
USERS=${USERS:-60000}
TOKENS=${TOKENS:-2000}
SEED=${SEED:-4}
PG_SERVER=${MAEUL_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG_SERVER=${PG_SERVER%/}
TIMEOUT=${TIMEOUT:-30s}
P99_GOAL_MS=50
RATIO_GOAL=40
MEASURE=${MEASURE:-healthz list1 list100 proposal search support}
wanted() { [[ " $MEASURE " == *" $1 "* ]]; }

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else die "need root to run: $*"; fi; }

if ! command -v wrk >/dev/null; then
  log "installing Debian's wrk"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null || die "curl is needed"

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ -n "${MAEUL_BIN:-}" ]; then
  BIN=$MAEUL_BIN
else
  log "building (cargo build --release -p maeul)"
  (cd "$ROOT" && cargo build --release -p maeul)
  BIN="$TARGET/release/maeul"
fi
if [ -n "${SEEDER_BIN:-}" ]; then
  SEEDER=$SEEDER_BIN
else
  log "building the seeder (cargo build --release -p maeul-db --example seed_public_sphere)"
  (cd "$ROOT" && cargo build --release -p maeul-db --example seed_public_sphere)
  SEEDER="$TARGET/release/examples/seed_public_sphere"
fi
[ -x "$BIN" ] || die "$BIN is not an executable"
[ -x "$SEEDER" ] || die "$SEEDER is not an executable"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-ps-bench.XXXXXX")
SERVER_PID=
PG_DB=
PEAK_KB=-
stop_server() {
  if [ -n "$SERVER_PID" ] && [ -r "/proc/$SERVER_PID/status" ]; then
    PEAK_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo -)
  fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
drop_pg_db() {
  if [ -n "$PG_DB" ] && [ "${KEEP:-}" != 1 ]; then
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || echo "bench: could not drop $PG_DB" >&2
  fi
  PG_DB=
}
cleanup() {
  stop_server
  drop_pg_db
  if [ "${KEEP:-}" = 1 ]; then echo "bench: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
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
  "$BIN" serve --bind "127.0.0.1:$port" --database "$database" --demo >>"$WORK/$name.out" 2>>"$WORK/$name.err" &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    curl -fsS -o /dev/null --max-time 2 "$BASE_URL/healthz" 2>/dev/null && return 0
    sleep 0.2
  done
  tail -n 20 "$WORK/$name.err" >&2
  die "the $name server did not start"
}

# wrk's latency ("850.00us", "12.34ms", "1.20s", "2.00m") in milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# wrk DURATION URL [script arguments…]: with $SCRIPT set, runs that lua script with the arguments.
run_wrk() {
  local duration=$1 url=$2
  shift 2
  if [ -n "${SCRIPT:-}" ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout "$TIMEOUT" --latency -s "$SCRIPT" "$url" -- "$@"
  else
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout "$TIMEOUT" --latency "$url"
  fi
}

# measure NAME URL [script arguments…]: sets M_RPS, M_P50, M_P99 (ms). A failed measurement (wrk failed,
# errors, non-2xx answers, no request completed) is printed, sets FAILED=1 and the figures to "-".
measure() {
  local name=$1 url=$2 out="$WORK/wrk-$1.txt"
  shift 2
  M_RPS=- M_P50=- M_P99=-
  if ! run_wrk "$DURATION" "$url" "$@" >"$out" 2>&1; then
    cat "$out" >&2; echo "bench: wrk failed on $url" >&2; FAILED=1; return 0
  fi
  if grep -q 'Non-2xx or 3xx responses' "$out" || grep -Eq 'Socket errors:.*(connect|read|write|timeout) [1-9]' "$out" \
     || grep -Eq '^ +0 requests in' "$out"; then
    cat "$out" >&2; echo "bench: $name ($url): errors, non-2xx answers or no answer during the run" >&2; FAILED=1; return 0
  fi
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  if [ -z "$rps" ] || [ -z "$p50" ] || [ -z "$p99" ]; then
    cat "$out" >&2; echo "bench: could not read wrk's output for $url" >&2; FAILED=1; return 0
  fi
  M_RPS=$rps M_P50=$(to_ms "$p50") M_P99=$(to_ms "$p99")
}

warm() { run_wrk "$WARMUP" "$@" >/dev/null 2>&1 || true; }

# Support counts that disagree with the support rows (must be 0 after the concurrent support run).
count_mismatches() {
  local sql="SELECT COUNT(*) FROM proposals p WHERE p.support_count <> (SELECT COUNT(*) FROM proposal_supports s WHERE s.proposal_id = p.id)"
  case $1 in
    sqlite) if command -v sqlite3 >/dev/null; then sqlite3 "$WORK/bench.db" "$sql"; else echo "?"; fi ;;
    postgres) psql "$2" -tAc "$sql" ;;
  esac
}

declare -a ROWS VERDICTS
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo "?")
MISSED=0
FAILED=0
add_row() { # backend endpoint rps p50 p99 goal-text
  ROWS+=("$(printf '%-9s %-34s %10s %9s %9s  %s' "$1" "$2" "$3" "$4" "$5" "$6")")
}
p99_verdict() { [ "$1" = - ] && { echo "FAILED"; return; }; awk -v p="$1" -v g="$P99_GOAL_MS" 'BEGIN { print (p < g) ? "p99 < " g " ms: meets" : "p99 < " g " ms: MISSES" }'; }

for backend in $BACKENDS; do
  case $backend in
    sqlite) database="sqlite://$WORK/bench.db" ;;
    postgres)
      command -v psql >/dev/null || die "psql is needed for the PostgreSQL run"
      PG_DB="maeul_psbench_$$_$(date +%s)"
      psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null || die "cannot create a database on $PG_SERVER"
      database="$PG_SERVER/$PG_DB" ;;
    *) die "unknown backend $backend" ;;
  esac
  log "$backend: demo city and accounts (maeul serve --demo, once)"
  start_server "$backend" "$database"
  stop_server
  log "$backend: seeding $PROPOSALS proposals, $SUPPORTS supports, $COMMENTS comments, $USERS residents"
  out="$WORK/seed-$backend"
  if ! "$SEEDER" "$database" --proposals "$PROPOSALS" --supports "$SUPPORTS" --comments "$COMMENTS" \
    --users "$USERS" --tokens "$TOKENS" --seed "$SEED" --out "$out" 2>&1 | sed 's/^/    /' >&2; then
    die "seeding failed"
  fi
  # shellcheck disable=SC1091
  . "$out/manifest.env"
  ! wanted list100 || [ -n "$LIST_PAGE100_BEFORE" ] || die "the list of scope $LIST_SCOPE has fewer than 100 pages ($LIST_PUBLIC proposals)"
  [ -n "$COMMENTS_PROPOSAL" ] || die "no proposal with comments"
  log "$backend: starting the server on the seeded database"
  start_server "$backend" "$database"
  curl -fsS "$BASE_URL/healthz" | grep -q "\"database\":\"$backend\"" || die "/healthz does not report $backend"

  # Page 100 as a reader reaches it: follow "next" 99 times.
  page100=
  if wanted list100; then
    path="/scopes/$LIST_SCOPE/proposals"
    for _ in $(seq 1 99); do
      next=$(curl -fsS "$BASE_URL$path" | grep -o "href=\"/scopes/$LIST_SCOPE/proposals?before=[0-9]*\" rel=\"next\"" | head -n1 | cut -d'"' -f2) \
        || die "no next link on $path"
      path=$next
    done
    [ "$path" = "/scopes/$LIST_SCOPE/proposals?before=$LIST_PAGE100_BEFORE" ] \
      || die "page 100 by walking is $path, the seeder computed before=$LIST_PAGE100_BEFORE"
    page100=$path
    n=$(curl -fsS "$BASE_URL$page100" | grep -c '<a href="/proposals/[0-9]*"') || true
    [ "$n" -ge 30 ] || die "page 100 lists $n proposals"
  fi
  n=$(curl -fsS "$BASE_URL/proposals/$COMMENTS_PROPOSAL" | grep -c '<li class="comment ') || true
  [ "$n" -ge 20 ] || die "/proposals/$COMMENTS_PROPOSAL shows $n comments"
  search="/search?q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$SEARCH_QUERY")"
  n=$(curl -fsS "$BASE_URL$search" | grep -c '<li><a href="/proposals/') || true
  [ "$n" -ge 1 ] || die "the search for $SEARCH_QUERY finds nothing"

  log "$backend: measuring (${DURATION} each after ${WARMUP} warm-up, ${CONNECTIONS} connections, ${THREADS} threads)"
  declare -A RPS=() P50=() P99=()
  for key in healthz list1 list100 proposal search support; do RPS[$key]=-; P50[$key]=-; P99[$key]=-; done
  for item in "healthz|/healthz" "list1|/scopes/$LIST_SCOPE/proposals" "list100|$page100" \
              "proposal|/proposals/$COMMENTS_PROPOSAL" "search|$search"; do
    key=${item%%|*}; url=$BASE_URL${item#*|}
    wanted "$key" || continue
    log "$backend: $key ${item#*|}"
    warm "$url"
    measure "$backend-$key" "$url"
    RPS[$key]=$M_RPS P50[$key]=$M_P50 P99[$key]=$M_P99
  done
  s_new=- s_already=- s_failed=0
  if wanted support; then
    log "$backend: support casting (POST /api/v1/proposals/{id}/support, $TOKENS residents × $SUPPORT_TARGETS city proposals)"
    SCRIPT="$HERE/support.lua"
    support_url="$BASE_URL/api/v1/proposals/0/support"
    warm "$support_url" "$out/tokens.txt" "$out/support_targets.txt" 0 "$THREADS"
    # The warm-up used the (resident, proposal) pairs from offset 0 on; the measurement starts half-way.
    offset=$(( SUPPORT_TARGETS * TOKENS / 2 ))
    measure "$backend-support" "$support_url" "$out/tokens.txt" "$out/support_targets.txt" "$offset" "$THREADS"
    RPS[support]=$M_RPS P50[support]=$M_P50 P99[support]=$M_P99
    SCRIPT=
    counts=$(grep '^SUPPORTS' "$WORK/wrk-$backend-support.txt") || counts="SUPPORTS new=? already=? failed=?"
    s_new=$(sed 's/.*new=\([0-9?]*\).*/\1/' <<<"$counts")
    s_already=$(sed 's/.*already=\([0-9?]*\).*/\1/' <<<"$counts")
    s_failed=$(sed 's/.*failed=\([0-9?]*\).*/\1/' <<<"$counts")
    [ "$s_failed" = 0 ] || { echo "bench: $s_failed supports failed ($counts)" >&2; FAILED=1; }
  fi
  stop_server
  bad=$(count_mismatches "$backend" "$database")
  if [ "$bad" != 0 ] && [ "$bad" != "?" ]; then
    echo "bench: $bad proposals' support counts disagree with their rows after the run" >&2; FAILED=1
  fi

  add_row "$backend" /healthz "${RPS[healthz]}" "${P50[healthz]}" "${P99[healthz]}" "ceiling"
  for key in list1 list100; do
    wanted "$key" || continue
    if [ "${RPS[$key]}" = - ] || [ "${RPS[healthz]}" = - ]; then ratio=-; rv=FAILED; else
      ratio=$(awk -v d="${RPS[$key]}" -v h="${RPS[healthz]}" 'BEGIN { printf "%.1f", 100 * d / h }')
      rv=$(awk -v r="$ratio" -v g="$RATIO_GOAL" 'BEGIN { print (r >= g) ? "meets" : "MISSES" }')
    fi
    pv=$(p99_verdict "${P99[$key]}")
    [[ "$rv $pv" == *MISSES* ]] && MISSED=1
    label="list page 1"; [ "$key" = list100 ] && label="list page 100"
    add_row "$backend" "$label" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$pv; ${ratio}% of /healthz (>= ${RATIO_GOAL}%): $rv"
  done
  if wanted proposal; then
    pv=$(p99_verdict "${P99[proposal]}"); [[ "$pv" == *MISSES* ]] && MISSED=1
    add_row "$backend" "proposal, 500 comments" "${RPS[proposal]}" "${P50[proposal]}" "${P99[proposal]}" "$pv"
  fi
  if wanted search; then
    pv=$(p99_verdict "${P99[search]}"); [[ "$pv" == *MISSES* ]] && MISSED=1
    add_row "$backend" "search \"$SEARCH_QUERY\" ($SEARCH_MATCHES hits)" "${RPS[search]}" "${P50[search]}" "${P99[search]}" "$pv"
  fi
  if wanted support; then
    exact="support counts = rows"; [ "$bad" = "?" ] && exact="counts unchecked (no sqlite3)"
    add_row "$backend" "POST support" "${RPS[support]}" "${P50[support]}" "${P99[support]}" "new $s_new, already supporting $s_already, failed 0; $exact"
  fi
  if [ -n "${RESULTS:-}" ]; then
    for key in healthz list1 list100 proposal search support; do
      wanted "$key" && printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$key" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$PEAK_KB" >>"$RESULTS"
    done
  fi
  VERDICTS+=("$(printf '%-9s seeded in %s s (%s residents, %s proposals, %s supports, %s comments); server peak memory (VmHWM) %s kB' "$backend" "$SEED_SECONDS" "$SEED_USERS" "$SEED_PROPOSALS" "$SEED_SUPPORTS" "$SEED_COMMENTS" "$PEAK_KB")")
  if [ "$backend" = postgres ]; then
    [ "${KEEP:-}" = 1 ] && echo "bench: kept PostgreSQL database $PG_DB" >&2
    drop_pg_db
  fi
  [ "${KEEP:-}" = 1 ] || rm -f "$WORK"/bench.db*
  unset RPS P50 P99
done

echo
echo "maeul public-sphere benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, load average before: $LOAD_BEFORE, after: $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo "?")"
printf '%-9s %-34s %10s %9s %9s  %s\n' backend endpoint 'req/s' 'p50 ms' 'p99 ms' 'goal'
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${VERDICTS[@]}"
if [ "$FAILED" != 0 ]; then echo "bench: a measurement failed (see above)" >&2; exit 1; fi
if [ "$MISSED" != 0 ] && [ "${STRICT:-}" = 1 ]; then exit 2; fi
