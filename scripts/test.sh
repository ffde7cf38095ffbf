#!/usr/bin/env bash
# Runs every test of maeul: the Rust suites (domain, engines, storage and server on SQLite AND PostgreSQL,
# CLI), the API contract (scripts/api-contract.sh), then the browser suite in headless Chromium with
# axe-core, after a bounded run of every fuzz target (fuzz/run.sh). Installs and starts what is missing
# (PostgreSQL, Chromium, npm packages). With CI=true, nothing may be skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

if pg_url=$(scripts/ensure-postgres.sh | tail -n 1); then
  export MAEUL_TEST_POSTGRES="$pg_url"
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true and PostgreSQL could not be started: failing" >&2
  exit 1
else
  echo "WARNING: PostgreSQL unavailable; its suites will say SKIPPED" >&2
fi

echo "== Rust test suites (SQLite and PostgreSQL)"
cargo test --workspace --locked

cargo build --locked -p maeul
echo "== Fuzz targets (every parser of outside input, ${FUZZ_SECONDS:-10} s each)"
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" FUZZ_PROFILE=dev fuzz/run.sh
bin="${CARGO_TARGET_DIR:-$PWD/target}/debug/maeul"

echo "== API contract (OpenAPI document validated; schemathesis against a demo server)"
MAEUL_BIN="$bin" scripts/api-contract.sh

echo "== Browser suite (headless Chromium, axe-core)"
MAEUL_BIN="$bin" scripts/e2e.sh
