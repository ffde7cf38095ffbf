#!/usr/bin/env bash
# Benchmark of the maeul-sortition engine (issue 5): a 50-seat panel drawn from 10,000 synthetic applicants
# with 4 stratification features (gender 2, age band 6, neighbourhood 16, housing 4 = 28 quota cells).
#
#   bench/sortition/run.sh [APPLICANTS] [SEATS]
#
# Prints: pool shape, time to compute the leximin selection probabilities (column generation) and the draw
# (panel + 20 reserves), the leximin minimum probability, and the same figures for the "stratified uniform"
# baseline (every quota-meeting panel equally likely), whose probabilities are ESTIMATED BY MONTE CARLO
# (swap-chain, 20,000 samples 500 steps apart after 200,000 burn-in steps; the exact formula needs an
# enumeration of compositions that is out of reach at this size). Wall-clock and CPU times are both shown,
# since the machine is shared.
# Then, if the `maeul` binary builds, times the same thing end to end through `maeul sortition draw`
# (set SORTITION_BENCH_SKIP_CLI=1 to skip that part, which needs a release build of the whole server).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
applicants="${1:-10000}"
seats="${2:-50}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
cd "$repo"

echo "== engine (release build): $applicants applicants, $seats seats"
cargo build --quiet --release -p maeul-sortition --example synthetic_bench
/usr/bin/time -f "   [process: %e s wall, %U s user CPU, %M KiB max RSS]" \
  "$CARGO_TARGET_DIR/release/examples/synthetic_bench" "$applicants" "$seats"

echo
echo "== end to end: maeul sortition draw (release build)"
if [ "${SORTITION_BENCH_SKIP_CLI:-0}" = 1 ]; then
  echo "   (skipped: SORTITION_BENCH_SKIP_CLI=1)"
elif cargo build --quiet --release -p maeul 2>/dev/null; then
  input="$(mktemp --suffix=.json)"
  "$CARGO_TARGET_DIR/release/examples/synthetic_bench" "$applicants" "$seats" --write "$input" >/dev/null
  /usr/bin/time -f "   [maeul sortition draw: %e s wall, %U s user CPU]" \
    "$CARGO_TARGET_DIR/release/maeul" sortition draw "$input" --seed-text "benchmark seed" --json >/dev/null
  rm -f "$input"
else
  echo "   (the maeul binary does not build right now; skipped)"
fi
