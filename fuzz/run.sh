#!/usr/bin/env bash
# Runs every fuzz target for $FUZZ_SECONDS seconds each (default 30) with the stable toolchain.
#
#   FUZZ_SECONDS=60 fuzz/run.sh
#   FUZZ_SECONDS=10 FUZZ_PROFILE=dev fuzz/run.sh   # what scripts/test.sh runs: reuses the test build
#                                                  # (the engines are optimised in the dev profile too)
#
# Each target is a block below (one per parser of outside input); a target prints how many inputs it tried
# and exits non-zero, saving the failing input in the current folder, when the code under test panics.
# The script runs every block and exits non-zero if any failed. (cargo-fuzz/libFuzzer targets, such as
# fuzz_targets/*.rs, need a nightly toolchain and are not run here.)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
seconds="${FUZZ_SECONDS:-30}"
profile="${FUZZ_PROFILE:-release}"
case "$profile" in dev) out=debug ;; *) out="$profile" ;; esac
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
cd "$repo"
failed=()

run_target() { # NAME COMMAND…
  local name="$1"
  shift
  echo "== fuzz target $name ($seconds s)"
  if ! "$@"; then
    failed+=("$name")
  fi
}

# --- pb_stable: .pb files (both readers agree, round trip, check, cheap rules), maeul-pb; mutates the
# fixtures and the shared pabulib files (fuzz/pb_checks.rs holds the properties; the libFuzzer target
# fuzz_targets/pb_parse.rs checks the same with coverage guidance on nightly) ---
pb_seeds=("$repo"/crates/pb/tests/fixtures/*.pb)
shared="${MAEUL_SHARED:-$repo/../shared}"
if [ -d "$shared/data/pabulib" ]; then pb_seeds+=("$shared"/data/pabulib/*.pb); fi
cargo build --quiet --profile "$profile" --manifest-path "$here/pb_stable/Cargo.toml" &&
  run_target pb_stable "$CARGO_TARGET_DIR/$out/pb_stable" --seconds "$seconds" \
    --seed "${PB_FUZZ_SEED:-$(date +%s)}" "${pb_seeds[@]}" ||
  failed+=(pb_stable)

# --- opinion_export: Pol.is exports (comments.csv, votes.csv, participants-votes.csv), maeul-opinion ---
cargo build --quiet --profile "$profile" -p maeul-opinion --example fuzz_export &&
  run_target opinion_export "$CARGO_TARGET_DIR/$out/examples/fuzz_export" "$seconds" ||
  failed+=(opinion_export)

# --- sortition_input: lottery input JSON (maeul-sortition/1 and /2), maeul-sortition ---
cargo build --quiet --profile "$profile" -p maeul-sortition --example fuzz_input &&
  run_target sortition_input "$CARGO_TARGET_DIR/$out/examples/fuzz_input" "$seconds" ||
  failed+=(sortition_input)

# --- register_csv: the resident-register file officials upload, maeul-web's register parser ---
cargo build --quiet --profile "$profile" -p maeul-web --example fuzz_register &&
  run_target register_csv "$CARGO_TARGET_DIR/$out/examples/fuzz_register" "$seconds" ||
  failed+=(register_csv)

# --- updates_csv: tracked-project updates staff import, maeul-web's evaluation import parser ---
cargo build --quiet --profile "$profile" -p maeul-web --example fuzz_updates &&
  run_target updates_csv "$CARGO_TARGET_DIR/$out/examples/fuzz_updates" "$seconds" ||
  failed+=(updates_csv)

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz targets FAILED: ${failed[*]}"
  exit 1
fi
echo "all fuzz targets ran $seconds s without failure"
