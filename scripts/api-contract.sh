#!/usr/bin/env bash
# The API's contract: the OpenAPI document the server publishes must be a valid OpenAPI 3.1 document
# (openapi-spec-validator), and the server must keep it — a contract fuzzer (schemathesis, every check)
# sends generated requests to every operation of a demo server and fails on any status, content type or
# body the document does not describe, and on any server error.
#
#   scripts/api-contract.sh                 # build target/debug/maeul, check against a fresh SQLite demo
#   MAEUL_BIN=target/release/maeul scripts/api-contract.sh
#
# The Python tools live in a virtual environment outside the repository
# (${MAEUL_TOOLS_DIR:-~/.cache/maeul}/contract-venv), created on first use with pinned versions.
# Environment: MAEUL_BIN, MAEUL_TOOLS_DIR, CONTRACT_EXAMPLES (generated cases per operation, default 40).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${MAEUL_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/maeul}
VENV="$TOOLS/contract-venv"
EXAMPLES=${CONTRACT_EXAMPLES:-40}
# Pinned so that a new release cannot change what passes.
PACKAGES=(openapi-spec-validator==0.9.0 schemathesis==4.32.5)

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'api-contract.sh: %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed (apt-get install python3 python3-venv)"
STAMP="$VENV/.maeul-packages"
if [ ! -x "$VENV/bin/schemathesis" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "${PACKAGES[*]}" ]; then
  log "installing ${PACKAGES[*]} into $VENV"
  mkdir -p "$TOOLS"
  if ! python3 -m venv --clear "$VENV" 2>/dev/null; then
    if command -v apt-get >/dev/null; then
      sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo -n)
      "${sudo_cmd[@]}" apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv --clear "$VENV"
    else
      die "python3 cannot create a virtual environment; install python3-venv"
    fi
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PACKAGES[@]}"
  echo "${PACKAGES[*]}" > "$STAMP"
fi

if [ -n "${MAEUL_BIN:-}" ]; then
  BIN=$(cd "$(dirname "$MAEUL_BIN")" && pwd)/$(basename "$MAEUL_BIN")
else
  log "building maeul (cargo build -p maeul)"
  (cd "$ROOT" && cargo build --locked -p maeul)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/maeul"
fi
[ -x "$BIN" ] || die "$BIN is not an executable"

# --- a demo server -----------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-contract.XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$port"
RUST_LOG=${RUST_LOG:-warn} "$BIN" serve --bind "127.0.0.1:$port" --database "sqlite://$WORK/contract.db" --demo \
  >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.err" >&2; die "the server did not start"; }
  sleep 0.2
done
# A bearer token of the demo resident, so that the operations behind authentication are exercised.
password=$(awk '$2 == "resident@demo.maeul.kr" { print $3 }' "$WORK/server.out")
[ -n "$password" ] || die "no demo resident in the server's output"
token=$(curl -fsS -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"email\":\"resident@demo.maeul.kr\",\"password\":\"$password\"}" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

# --- the document ------------------------------------------------------------------------------------------
curl -fsS "$BASE/api/v1/openapi.json" -o "$WORK/openapi.json"
log "validating the OpenAPI document"
"$VENV/bin/openapi-spec-validator" "$WORK/openapi.json"

# --- the contract ------------------------------------------------------------------------------------------
# revoke_current_token would revoke the token the run authenticates with; the server suite tests it.
# Every check runs but positive_data_acceptance ("every request the schema allows succeeds"): the document
# states shapes, types and required fields, while rules such as a title's length after its spaces are
# collapsed, a category that exists or a reply on the same proposal are the service's, refused with 422
# and a field code as documented. One worker: hypothesis describing its strategies from several threads
# trips a CPython 3.11 `ast` bug ("AST constructor recursion depth mismatch").
log "fuzzing every operation against the document ($EXAMPLES cases each, every check)"
status=0
"$VENV/bin/schemathesis" run "$WORK/openapi.json" --url "$BASE/api/v1" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$EXAMPLES" --workers 1 --seed 1 \
  --exclude-operation-id revoke_current_token \
  -H "Authorization: Bearer $token" --no-color || status=$?
if grep -Eq 'panicked|ERROR' "$WORK/server.err"; then
  echo "api-contract.sh: the server logged errors during the run:" >&2
  grep -E 'panicked|ERROR' "$WORK/server.err" | tail -n 20 >&2
  status=1
fi
[ "$status" = 0 ] || die "the API does not keep its contract (see above)"
log "the OpenAPI document is valid and the API keeps it"
