#!/usr/bin/env bash
# Evaluation benchmark (issue 15): a city-sized dataset — Seoul's 25 districts and 426 neighbourhoods (the
# demo city), 10,000 tracked projects, 100,000 updates, 1,000,000 ballots — then the p99 latency of a
# district's dashboard (goal < 50 ms) and of a tracked project's trace (goal < 20 ms), on SQLite and/or
# PostgreSQL. See README.md.
#
#   bench/evaluation/run.sh                               # both backends, full size, 2,000 requests each
#   SCALE=0.001 REQUESTS=50 BACKENDS=sqlite bench/evaluation/run.sh    # a smoke run (10 projects, …)
#   MAEUL_BIN=target/debug/maeul bench/evaluation/run.sh  # a prebuilt binary (debug figures are not figures)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/evaluation"
SCALE="${SCALE:-1}"
REQUESTS="${REQUESTS:-2000}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_SERVER="${PG_SERVER:-postgres://postgres@127.0.0.1:5432}"
PORT="${PORT:-18095}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }
size() { awk -v s="$SCALE" -v n="$1" 'BEGIN { v = int(n * s); if (v < 1) v = 1; print v }'; }
PROJECTS=$(size 10000); UPDATES=$(size 100000); BALLOTS=$(size 1000000)

command -v curl >/dev/null || die "curl is needed"
BIN="${MAEUL_BIN:-}"
if [ -z "$BIN" ]; then
  log "building (cargo build --release -p maeul)"
  (cd "$ROOT" && cargo build --release -p maeul)
  BIN="$TARGET/release/maeul"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-eval-bench.XXXXXX")
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT

serve() { # URL: starts the server, waits for /healthz
  "$BIN" serve --bind "127.0.0.1:$PORT" --database "$1" --demo >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null && return 0
    sleep 0.5
  done
  die "the server did not start (see $WORK/server.log)"
}
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }

seed_sql() { # BACKEND
  sed -e "s/@PROJECTS@/$PROJECTS/; s/@UPDATES@/$UPDATES/; s/@BALLOTS@/$BALLOTS/" "$HERE/seed.sql.in"
}

p99() { # URL: REQUESTS sequential requests; prints p50 and p99 in ms (curl's total time)
  local url="$1" out="$WORK/times.txt"
  : >"$out"
  for _ in $(seq 1 "$REQUESTS"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' "$url" >>"$out" || die "failed: $url"
  done
  sort -n "$out" | awk '{ t[NR] = $1 * 1000 } END { i50 = int(NR * 0.5); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR; printf "%.1f %.1f\n", t[i50], t[i99] }'
}

printf '%-9s %-22s %8s %8s %8s\n' backend page p50_ms p99_ms goal_ms
for backend in $BACKENDS; do
  case "$backend" in
    sqlite) URL="sqlite://$WORK/bench.db" ;;
    postgres)
      command -v psql >/dev/null || die "psql is needed for the PostgreSQL run"
      DB="maeul_evalbench_$$"
      psql "$PG_SERVER/postgres" -qc "CREATE DATABASE \"$DB\"" >/dev/null
      URL="$PG_SERVER/$DB" ;;
    *) die "unknown backend $backend" ;;
  esac
  log "$backend: demo city (serve --demo, once)"
  serve "$URL"; stop
  log "$backend: seeding $PROJECTS projects, $UPDATES updates, $BALLOTS ballots"
  start=$(date +%s)
  case "$backend" in
    sqlite) command -v sqlite3 >/dev/null || die "sqlite3 is needed"; seed_sql | sqlite3 "$WORK/bench.db" ;;
    postgres) seed_sql | psql "$URL" -v ON_ERROR_STOP=1 -q && psql "$URL" -qc "VACUUM ANALYZE" ;;
  esac
  log "$backend: seeded in $(( $(date +%s) - start )) s"
  serve "$URL"
  BASE="http://127.0.0.1:$PORT"
  # The demo's plan-born project (its trace walks from the proposal to the grade): the list's object
  # whose origin is a plan project.
  curl -fsS -o "$WORK/projects.json" "$BASE/api/v1/tracked-projects?scope=11110" || die "the projects' list failed"
  project=$(grep -o '{[^{}]*"origin_kind":"plan_project"[^{}]*}' "$WORK/projects.json" \
    | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
  [ -n "$project" ] || die "no tracked project in Jongno-gu"
  # Into a file first: `curl | grep -q` fails under pipefail once the page outgrows the pipe (grep stops
  # reading at the first match and curl cannot write the rest).
  curl -fsS -o "$WORK/dashboard.html" "$BASE/scopes/11110/dashboard" || die "the dashboard failed"
  grep -q "<svg" "$WORK/dashboard.html" || die "the dashboard has no chart"
  read -r d50 d99 < <(p99 "$BASE/scopes/11110/dashboard")
  read -r t50 t99 < <(p99 "$BASE/api/v1/trace?kind=tracked_project&id=$project")
  printf '%-9s %-22s %8s %8s %8s\n' "$backend" "district dashboard" "$d50" "$d99" 50
  printf '%-9s %-22s %8s %8s %8s\n' "$backend" "trace (API)" "$t50" "$t99" 20
  printf '%-9s %-22s %8s %8s %8s\n' "$backend" "(load average)" "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)" "" ""
  stop
  if [ "$backend" = postgres ] && [ -z "${KEEP:-}" ]; then
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null
  fi
done
