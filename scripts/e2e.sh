#!/usr/bin/env bash
# End-to-end browser tests with accessibility checks (e2e/), against the real maeul server on SQLite and
# on PostgreSQL.
#
#   scripts/e2e.sh                      # build target/debug/maeul, run every test on both backends
#   MAEUL_BIN=target/release/maeul scripts/e2e.sh
#   scripts/e2e.sh tests/browse.test.js # only some test files (paths relative to e2e/)
#
# Idempotent: installs Debian's chromium (and a Korean font) with apt-get if missing, runs `npm ci` in
# e2e/ when node_modules is missing or older than package-lock.json, builds the binary unless
# MAEUL_BIN names one. Each pass starts `maeul serve --demo` on a free port against a fresh database
# (a temporary SQLite file; a new PostgreSQL database), hands the base URL and the demo accounts printed
# on the server's stdout to `node --test`, then stops the server and drops the database.
#
# Environment:
#   MAEUL_BIN            prebuilt maeul binary (default: cargo build -p maeul, target/debug/maeul)
#   E2E_BACKENDS         passes to run (default "sqlite postgres")
#   MAEUL_E2E_PG         PostgreSQL server URL without database (default postgres://postgres@127.0.0.1:5432)
#   CI                   when "true", an unreachable PostgreSQL fails the run instead of skipping its pass
#   CHROMIUM_PATH        browser (default /usr/bin/chromium)
# Exit status: non-zero if any pass failed or could not run.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E="$ROOT/e2e"
BACKENDS=${E2E_BACKENDS:-sqlite postgres}
PG_SERVER=${MAEUL_E2E_PG:-postgres://postgres@127.0.0.1:5432}
PG_SERVER=${PG_SERVER%/}
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
TEST_FILES=("$@")

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'e2e.sh: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else die "need root to run: $*"; fi; }
APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found; install $* by hand"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- prerequisites ---------------------------------------------------------------------------------------
if [ ! -x "$CHROMIUM_PATH" ]; then
  [ "$CHROMIUM_PATH" = /usr/bin/chromium ] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not executable"
  log "installing Debian's chromium"
  apt_install chromium
fi
# Without a CJK font Korean pages render as boxes (screenshots useless, widths wrong in layout checks).
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=ko 2>/dev/null | head -n1)" ]; then
  log "installing a Korean font (fonts-noto-cjk)"
  apt_install fonts-noto-cjk || echo "e2e.sh: warning: could not install fonts-noto-cjk; Korean text will not render" >&2
fi
command -v curl >/dev/null || { log "installing curl"; apt_install curl ca-certificates; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  log "installing node and npm"
  apt_install nodejs npm
fi
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 20 ] || die "node >= 20 is needed for its test runner (found $(node --version))"

# npm ci when node_modules is missing or was installed from another package-lock.json.
LOCK_SUM=$(sha256sum "$E2E/package-lock.json" | cut -d' ' -f1)
STAMP="$E2E/node_modules/.maeul-lock.sha256"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SUM" ]; then
  log "installing npm packages (npm ci in e2e/)"
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$LOCK_SUM" > "$STAMP"
fi

if [ -n "${MAEUL_BIN:-}" ]; then
  BIN=$(cd "$(dirname "$MAEUL_BIN")" && pwd)/$(basename "$MAEUL_BIN")
  [ -x "$BIN" ] || die "MAEUL_BIN=$MAEUL_BIN is not an executable"
else
  log "building maeul (cargo build -p maeul)"
  (cd "$ROOT" && cargo build -p maeul)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/maeul"
fi

# --- one server per pass ---------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-e2e.XXXXXX")
SERVER_PID=
PG_DB=

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && { echo "e2e.sh: server $SERVER_PID did not stop; killing it" >&2; kill -KILL "$SERVER_PID" 2>/dev/null || true; }
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
drop_pg_db() {
  if [ -n "$PG_DB" ]; then
    psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 \
      || echo "e2e.sh: warning: could not drop database $PG_DB" >&2
    PG_DB=
  fi
}
cleanup() {
  stop_server
  drop_pg_db
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# start_server NAME DATABASE_URL: starts the demo server, waits until /healthz answers; sets BASE_URL.
start_server() {
  local name=$1 database=$2 attempt port
  for attempt in 1 2 3; do
    port=$(free_port)
    BASE_URL="http://127.0.0.1:$port"
    SERVER_OUT="$WORK/$name.stdout"; SERVER_ERR="$WORK/$name.stderr"
    # Started directly (no subshell), so $! is the server's own PID.
    RUST_LOG=${RUST_LOG:-warn} "$BIN" serve --bind "127.0.0.1:$port" --database "$database" --demo \
      >"$SERVER_OUT" 2>"$SERVER_ERR" &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
      if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
      if curl -fsS -o /dev/null --max-time 2 "$BASE_URL/healthz" 2>/dev/null; then
        echo "server pid $SERVER_PID serving $BASE_URL ($name)" >&2
        return 0
      fi
      sleep 0.2
    done
    echo "e2e.sh: the $name server did not come up (attempt $attempt); its stderr:" >&2
    tail -n 20 "$SERVER_ERR" >&2 || true
    stop_server
    grep -qi "address already in use" "$SERVER_ERR" || return 1
  done
  return 1
}

# The table `maeul serve --demo` prints: "  <role> <email> <password>" → JSON for the tests.
demo_accounts_json() {
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
    const accounts = {};
    for (const l of lines) {
      const m = l.match(/^\s+([a-z_]+)\s+(\S+@\S+)\s+(\S+)\s*$/);
      if (m) accounts[m[1]] = { email: m[2], password: m[3] };
    }
    for (const role of ["resident", "official", "administrator"]) {
      if (!accounts[role]) { console.error(`no demo account for ${role} in the server output`); process.exit(1); }
    }
    console.log(JSON.stringify(accounts));
  ' "$1"
}

declare -A RESULT
run_pass() {
  local backend=$1 database=$2 status=0 log_file="$WORK/$1.tap"
  log "pass: $backend ($(printf '%s' "$database" | sed -E 's#//([^:@/]+):[^@/]*@#//\1:***@#'))"
  if ! start_server "$backend" "$database"; then RESULT[$backend]="server did not start"; return 1; fi
  local accounts
  if ! accounts=$(demo_accounts_json "$SERVER_OUT"); then
    cat "$SERVER_OUT" >&2; stop_server; RESULT[$backend]="no demo accounts"; return 1
  fi
  local files=("${TEST_FILES[@]}")
  [ ${#files[@]} -gt 0 ] || files=(tests/)
  (
    cd "$E2E"
    MAEUL_BASE_URL="$BASE_URL" MAEUL_DEMO_ACCOUNTS="$accounts" MAEUL_BACKEND="$backend" \
      MAEUL_BIN="$BIN" MAEUL_DATABASE_URL="$database" \
      node --test --test-reporter=tap --test-concurrency=1 "${files[@]}"
  ) 2>&1 | tee "$log_file" || status=$?
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "e2e.sh: the $backend server died during the tests; its stderr:" >&2; tail -n 40 "$SERVER_ERR" >&2; status=1
  elif grep -Eq 'panicked|ERROR' "$SERVER_ERR"; then
    echo "e2e.sh: the $backend server logged errors during the tests:" >&2; grep -E 'panicked|ERROR' "$SERVER_ERR" | tail -n 20 >&2
    status=1
  fi
  stop_server
  local pass fail
  pass=$(grep -Eo '^# pass [0-9]+' "$log_file" | tail -n1 | grep -Eo '[0-9]+' || echo '?')
  fail=$(grep -Eo '^# fail [0-9]+' "$log_file" | tail -n1 | grep -Eo '[0-9]+' || echo '?')
  RESULT[$backend]="# pass $pass  # fail $fail"
  [ "$fail" = 0 ] || status=1
  return "$status"
}

pg_reachable() {
  command -v psql >/dev/null && psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -qAtc 'SELECT 1' >/dev/null 2>&1
}

# One pass per backend, both at once (each with its own server and database, so they share nothing; each
# pass runs its files one at a time): the browser suite takes half the wall time. E2E_SEQUENTIAL=1 runs
# them one after the other. Each pass writes its log and its result line to files, printed in order.
pass_main() {
  local backend=$1
  trap 'stop_server; drop_pg_db' EXIT
  case $backend in
    sqlite)
      run_pass sqlite "sqlite://$WORK/e2e.db" || { echo "${RESULT[sqlite]:-failed}" > "$WORK/sqlite.result"; return 1; }
      ;;
    postgres)
      if ! pg_reachable; then
        if [ "${CI:-}" = true ]; then
          echo "e2e.sh: PostgreSQL at $PG_SERVER is unreachable and CI=true: failing" >&2
          echo "FAILED: PostgreSQL unreachable" > "$WORK/postgres.result"; return 1
        fi
        echo "e2e.sh: PostgreSQL at $PG_SERVER is unreachable: SKIPPING the PostgreSQL pass (set MAEUL_E2E_PG, or CI=true to make this fatal)" >&2
        echo "SKIPPED: PostgreSQL unreachable" > "$WORK/postgres.result"; return 3
      fi
      PG_DB="maeul_e2e_$$_$(date +%s)"
      psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null
      run_pass postgres "$PG_SERVER/$PG_DB" || { echo "${RESULT[postgres]:-failed}" > "$WORK/postgres.result"; return 1; }
      ;;
    *) echo "e2e.sh: unknown backend $backend in E2E_BACKENDS" >&2; return 1 ;;
  esac
  echo "${RESULT[$backend]}" > "$WORK/$backend.result"
}

FAILED=0
SKIPPED=0
declare -A PASS_PID
for backend in $BACKENDS; do
  if [ -n "${E2E_SEQUENTIAL:-}" ]; then
    ( pass_main "$backend" ) && rc=0 || rc=$?
    [ "$rc" = 0 ] || { [ "$rc" = 3 ] && SKIPPED=1 || FAILED=1; }
  else
    ( pass_main "$backend" ) >"$WORK/$backend.out" 2>&1 &
    PASS_PID[$backend]=$!
  fi
done
if [ -z "${E2E_SEQUENTIAL:-}" ]; then
  for backend in $BACKENDS; do
    wait "${PASS_PID[$backend]}" && rc=0 || rc=$?
    log "pass output: $backend"
    cat "$WORK/$backend.out"
    [ "$rc" = 0 ] || { [ "$rc" = 3 ] && SKIPPED=1 || FAILED=1; }
  done
fi
for backend in $BACKENDS; do RESULT[$backend]=$(cat "$WORK/$backend.result" 2>/dev/null || echo "not run"); done

log "end-to-end results"
for backend in $BACKENDS; do printf '  %-9s %s\n' "$backend" "${RESULT[$backend]:-not run}"; done
if [ "$FAILED" != 0 ]; then echo "e2e.sh: FAILED" >&2; exit 1; fi
if [ "$SKIPPED" != 0 ]; then echo "e2e.sh: the passes that ran are green; the PostgreSQL pass was SKIPPED"; else echo "e2e.sh: all passes green"; fi
