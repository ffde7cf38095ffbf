#!/usr/bin/env bash
# Benchmark of maeul-opinion against red-dwarf 0.4.0 on the same inputs, in the same run.
#
#   bench/opinion/run.sh [DATA_DIR] [REPEATS]
#
# DATA_DIR defaults to <repo>/../shared/data/polis (the six Pol.is exports). Builds the Rust benchmark in release
# mode, times each step of a full recompute of every conversation, one incremental update after a new vote, and a
# synthetic 1,000,000-vote conversation (50,000 participants × 1,000 statements); then installs red-dwarf into a
# throw-away venv OUTSIDE the repository (/work/venv-opinion, or $OPINION_VENV) if missing, times it on the same
# conversations (and the same synthetic generator), and prints the time ratios and both ARIs vs Pol.is's groups.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="${1:-$repo/../shared/data/polis}"
repeats="${2:-5}"
venv="${OPINION_VENV:-/work/venv-opinion}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

echo "== maeul-opinion (release build)"
cargo build --quiet --release -p maeul-opinion --example bench_opinion --example ari_report
"$CARGO_TARGET_DIR/release/examples/bench_opinion" "$data" "$repeats" | tee /tmp/opinion-bench-rust.txt
echo
for every in 50 200; do
  echo "== maeul-opinion ARI vs Pol.is group-id (from scratch | replay every $every votes)"
  "$CARGO_TARGET_DIR/release/examples/ari_report" "$data" "$every"
done
echo "   same, projections without sparsity scaling (--no-sparsity-scaling):"
PLAIN=1 "$CARGO_TARGET_DIR/release/examples/ari_report" "$data" 200

echo
echo "== red-dwarf 0.4.0 (Python, venv $venv)"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import reddwarf" 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "red-dwarf==0.4.0" || {
    echo "red-dwarf could not be installed into $venv: no comparison"; exit 0; }
fi
# red-dwarf needs about 10 minutes for the synthetic 1M votes: SKIP_REDDWARF_SYNTHETIC=1 leaves it out.
extra=()
if [ -n "${SKIP_REDDWARF_SYNTHETIC:-}" ]; then extra=(--no-synthetic); fi
"$venv/bin/python" -W ignore "$here/reddwarf_bench.py" "$data" "$repeats" "${extra[@]}" | tee /tmp/opinion-bench-reddwarf.txt

echo
echo "== ratio (red-dwarf run_pipeline time / maeul-opinion analyze time, both from the vote list to the groups)"
python3 - /tmp/opinion-bench-rust.txt /tmp/opinion-bench-reddwarf.txt <<'PY'
import json, re, sys
rust = {}
for line in open(sys.argv[1]):
    m = re.match(r"^(\S+)\s+analyze \(matrix build \+ update\)\s+([\d.]+)", line)
    if m:
        rust[m.group(1)] = float(m.group(2)) / 1e3
    m = re.match(r"^synthetic 1M votes:.*analyze \(matrix build \+ update\)\s+([\d.]+)", line)
    if m:
        rust["synthetic-1M"] = float(m.group(1)) / 1e3
for line in open(sys.argv[2]):
    r = json.loads(line)
    name = r["conversation"]
    if name in rust:
        ari = f"  red-dwarf ARI {r['ari']:.3f}" if r.get("ari") is not None else ""
        print(f"{name:30} maeul {rust[name]*1e3:9.2f} ms  red-dwarf {r['seconds']*1e3:10.1f} ms  ratio {r['seconds']/rust[name]:8.0f}x{ari}")
PY
