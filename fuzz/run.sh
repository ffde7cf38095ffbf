#!/usr/bin/env bash
# Fuzzes the .pb readers for a bounded time with the stable toolchain (what CI can run):
#
#   fuzz/run.sh [SECONDS]          (default 60; PB_FUZZ_SEED to vary the inputs)
#
# `pb_stable` mutates the fixtures and shared files and checks every input with fuzz/pb_checks.rs (no panic, both
# readers agree, round trip, check, cheap rules within budget). The libFuzzer target fuzz_targets/pb_parse.rs checks
# the same properties with coverage guidance but needs nightly: `cd fuzz && cargo +nightly fuzz run pb_parse`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
seconds="${1:-60}"
shared="${MAEUL_SHARED:-$repo/../shared}"
seeds=("$repo"/crates/pb/tests/fixtures/*.pb)
if [ -d "$shared/data/pabulib" ]; then seeds+=("$shared"/data/pabulib/*.pb); fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
cargo build --release --manifest-path "$here/pb_stable/Cargo.toml" >&2
"$CARGO_TARGET_DIR/release/pb_stable" --seconds "$seconds" --seed "${PB_FUZZ_SEED:-$(date +%s)}" "${seeds[@]}"
