#!/usr/bin/env bash
# Participatory-budget benchmark (issue 12), on SQLite and PostgreSQL. Each backend gets a fresh database:
# `maeul serve --demo` once (the demo city: Jongno-gu's process with voting open on 12 projects, approval of
# 1 to 5), then crates/db/examples/seed_ballots.rs stores BALLOTS ballots of verified Jongno-gu residents
# the way the platform stores them (pseudonym per process, turnout apart) and mints TOKENS bearer tokens for
# residents who have not voted, then the server again. Measured:
#   1. casting: wrk at 64 connections, POST /api/v1/budgets/{id}/ballot with rotating tokens and random valid
#      ballots (ballot.lua; first ballots, then replacements) — ballots/s and p99; afterwards the stored
#      ballots must equal the turnout rows and BALLOTS + the voters who cast (one ballot per voter);
#   2. counting: voting's closing date is set to now in the database; the server's worker closes the vote and
#      its job counts it with the process's rule (mes_cost_add1). Time from the closing date being set to the
#      result being served by GET /api/v1/budgets/{id}/result (end to end: includes up to one worker pass);
#   3. the result page /budgets/{id}/result under wrk (64 connections): req/s and p99 (the stored result is
#      read, never recomputed).
# Goals (issue 12): >= 1,000 ballots/s on SQLite with p99 < 100 ms; counting < 5 s; result page p99 < 50 ms.
#
#   bench/budget/run.sh                                  # both backends, 100,000 seeded ballots
#   BACKENDS=sqlite BALLOTS=10000 bench/budget/run.sh
#   MAEUL_BIN=… SEEDER_BIN=… bench/budget/run.sh          # prebuilt release binaries
#
# Environment: MAEUL_BIN, SEEDER_BIN, BACKENDS ("sqlite postgres"), BALLOTS (100000), TOKENS (2000),
# DURATION (10s), CONNECTIONS (64), THREADS (2), MAEUL_BENCH_PG (postgres://postgres@127.0.0.1:5432), KEEP=1.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/budget"
BACKENDS=${BACKENDS:-sqlite postgres}
BALLOTS=${BALLOTS:-100000}
TOKENS=${TOKENS:-2000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PG_SERVER=${MAEUL_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG_SERVER=${PG_SERVER%/}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is needed (Debian: apt-get install wrk)"
command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed"

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ -z "${MAEUL_BIN:-}" ]; then
  log "building (cargo build --release -p maeul)"
  (cd "$ROOT" && cargo build --release -p maeul)
  MAEUL_BIN="$TARGET/release/maeul"
fi
if [ -z "${SEEDER_BIN:-}" ]; then
  log "building the seeder (cargo build --release -p maeul-db --example seed_ballots)"
  (cd "$ROOT" && cargo build --release -p maeul-db --example seed_ballots)
  SEEDER_BIN="$TARGET/release/examples/seed_ballots"
fi
[ -x "$MAEUL_BIN" ] && [ -x "$SEEDER_BIN" ] || die "$MAEUL_BIN or $SEEDER_BIN is not an executable"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-budget-bench.XXXXXX")
SERVER_PID= PG_DB= PEAK_KB=-
stop_server() {
  if [ -n "$SERVER_PID" ] && [ -r "/proc/$SERVER_PID/status" ]; then
    PEAK_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo -)
  fi
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
drop_pg_db() {
  if [ -n "$PG_DB" ] && [ "${KEEP:-}" != 1 ]; then
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  PG_DB=
}
cleanup() { stop_server; drop_pg_db; if [ "${KEEP:-}" = 1 ]; then echo "bench: kept $WORK" >&2; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
start_server() { # backend database
  local port
  port=$(free_port)
  BASE_URL="http://127.0.0.1:$port"
  "$MAEUL_BIN" serve --bind "127.0.0.1:$port" --database "$2" --demo >>"$WORK/$1.out" 2>>"$WORK/$1.err" &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    curl -fsS -o /dev/null --max-time 2 "$BASE_URL/healthz" 2>/dev/null && return 0
    sleep 0.2
  done
  tail -n 20 "$WORK/$1.err" >&2
  die "the $1 server did not start"
}
sql() { # backend database query
  case $1 in
    sqlite) sqlite3 "${2#sqlite://}" "$3" ;;
    postgres) psql "$2" -tAc "$3" ;;
  esac
}
to_ms() { # wrk's "850.00us", "12.34ms", "1.20s" in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.1f", n }'
}
wrk_figures() { # wrk output file → "req/s p50 p99"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1")
  p50=$(awk '$1 == "50%" {print $2}' "$1")
  p99=$(awk '$1 == "99%" {print $2}' "$1")
  [ -n "$rps" ] && [ -n "$p99" ] || { cat "$1" >&2; die "could not read wrk's output"; }
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
now_s() { date +%s.%N; }

ROWS=()
FAILED=0
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for backend in $BACKENDS; do
  case $backend in
    sqlite) command -v sqlite3 >/dev/null || die "sqlite3 is needed (Debian: apt-get install sqlite3)"
            database="sqlite://$WORK/bench.db" ;;
    postgres)
      command -v psql >/dev/null || die "psql is needed for the PostgreSQL run"
      PG_DB="maeul_budgetbench_$$_$(date +%s)"
      psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null || die "cannot create a database on $PG_SERVER"
      database="$PG_SERVER/$PG_DB" ;;
    *) die "unknown backend $backend" ;;
  esac
  log "$backend: demo city (maeul serve --demo, once)"
  start_server "$backend" "$database"
  stop_server
  log "$backend: seeding $BALLOTS ballots and $TOKENS voters with tokens"
  out="$WORK/seed-$backend"
  "$SEEDER_BIN" "$database" --ballots "$BALLOTS" --tokens "$TOKENS" --out "$out" 2>&1 | sed 's/^/    /' >&2 \
    || die "seeding failed"
  # shellcheck disable=SC1091
  . "$out/manifest.env"
  start_server "$backend" "$database"
  curl -fsS "$BASE_URL/api/v1/budgets" | grep -q "\"id\":$PROCESS,[^}]*\"state\":\"voting_open\"" \
    || die "process $PROCESS is not listed with voting open"

  log "$backend: casting ballots ($DURATION, $CONNECTIONS connections)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$HERE/ballot.lua" \
    "$BASE_URL" -- "$out/tokens.txt" "$out/projects.txt" "$PROCESS" "$MIN_PROJECTS" "$MAX_PROJECTS" "$THREADS" \
    >"$WORK/wrk-cast-$backend.txt" 2>&1 || { cat "$WORK/wrk-cast-$backend.txt" >&2; die "wrk failed"; }
  read -r cast_rps cast_p50 cast_p99 < <(wrk_figures "$WORK/wrk-cast-$backend.txt")
  counts=$(grep '^BALLOTS' "$WORK/wrk-cast-$backend.txt")
  accepted=$(sed -E 's/.*accepted=([0-9]+).*/\1/' <<<"$counts")
  refused=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$counts")
  voted=$(( accepted < TOKENS ? accepted : TOKENS ))
  stored=$(sql "$backend" "$database" "SELECT COUNT(*) FROM budget_ballots WHERE process_id = $PROCESS")
  turnout=$(sql "$backend" "$database" "SELECT COUNT(*) FROM budget_turnout WHERE process_id = $PROCESS")
  expected=$(( BALLOTS + voted ))
  check="ballots $stored = turnout $turnout = $BALLOTS seeded + $voted new"
  if [ "$refused" != 0 ] || [ "$stored" != "$turnout" ] || [ "$stored" != "$expected" ]; then
    check="$check: FAILED ($refused refused)"; FAILED=1
  fi
  log "$backend: $counts; $check"
  ROWS+=("$(printf '%-9s %-28s %9s/s %9s %9s  %s' "$backend" "cast a ballot (API)" "$cast_rps" "$cast_p50" "$cast_p99" "$check")")

  log "$backend: closing the vote (its closing date set to now) and waiting for the stored result"
  started=$(now_s)
  sql "$backend" "$database" "UPDATE budget_processes SET voting_close_at = $(date +%s) - 1 WHERE id = $PROCESS" >/dev/null
  counted=
  for _ in $(seq 1 3000); do
    if curl -fsS -o "$WORK/result-$backend.json" "$BASE_URL/api/v1/budgets/$PROCESS/result" 2>/dev/null; then counted=1; break; fi
    sleep 0.02
  done
  [ -n "$counted" ] || die "no result after 60 s"
  count_s=$(awk -v a="$started" -v b="$(now_s)" 'BEGIN { printf "%.2f", b - a }')
  total=$(sql "$backend" "$database" "SELECT ballots FROM budget_results WHERE process_id = $PROCESS")
  selected=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["selected"]), r["total_cost"])' "$WORK/result-$backend.json")
  ROWS+=("$(printf '%-9s %-28s %11s %9s %9s  %s' "$backend" "close → stored result" "-" "-" "${count_s}s" "$total ballots counted, selected/total cost: $selected")")
  [ "$total" = "$stored" ] || { log "counted $total of $stored ballots"; FAILED=1; }

  log "$backend: result page under load"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency "$BASE_URL/budgets/$PROCESS/result" \
    >"$WORK/wrk-result-$backend.txt" 2>&1 || { cat "$WORK/wrk-result-$backend.txt" >&2; die "wrk failed"; }
  grep -q 'Non-2xx' "$WORK/wrk-result-$backend.txt" && { cat "$WORK/wrk-result-$backend.txt" >&2; FAILED=1; }
  read -r page_rps page_p50 page_p99 < <(wrk_figures "$WORK/wrk-result-$backend.txt")
  stop_server
  ROWS+=("$(printf '%-9s %-28s %9s/s %9s %9s  %s' "$backend" "result page ($total ballots)" "$page_rps" "$page_p50" "$page_p99" "server peak ${PEAK_KB} kB")")
  drop_pg_db
done

echo
echo "maeul budget benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $BALLOTS seeded ballots; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-28s %11s %9s %9s  %s\n' backend measure rate 'p50 ms' 'p99 ms' check
printf '%s\n' "${ROWS[@]}"
echo "goals: casting >= 1,000 ballots/s with p99 < 100 ms on SQLite; close → result < 5 s; result page p99 < 50 ms"
[ "$FAILED" = 0 ] || die "a check failed (see above)"
