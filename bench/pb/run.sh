#!/usr/bin/env bash
# Benchmark of the maeul-pb engine against pabutools 1.2.3 on every shared pabulib file, in the same run.
#
#   bench/pb/run.sh [FILE.pb ...]         (default: every ../shared/data/pabulib/*.pb)
#
# Environment: PB_BENCH_TIMEOUT (seconds per pabutools call, default 60), PB_BENCH_VENV (default /work/venv-pb),
# MAEUL_SHARED (default <repo>/../shared), PB_BENCH_SKIP_PABUTOOLS=1 to time the engine only.
# Prints a table per file and rule: our time, pabutools' time, the ratio, and whether the outcomes agree (with
# pabutools in this run and with the expected.json reference); then the outcomes for the calls pabutools did not
# finish. Raw JSON lines are kept in $OUT (default /tmp/pb-bench).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
shared="${MAEUL_SHARED:-$repo/../shared}"
timeout="${PB_BENCH_TIMEOUT:-60}"
venv="${PB_BENCH_VENV:-/work/venv-pb}"
out="${OUT:-/tmp/pb-bench}"
mkdir -p "$out"
if [ "$#" -gt 0 ]; then files=("$@"); else files=("$shared"/data/pabulib/*.pb); fi

echo "== building the engine (release)"
(cd "$repo" && cargo build --release -p maeul-pb --example pb_bench >&2)
target="${CARGO_TARGET_DIR:-$repo/target}"
"$target/release/examples/pb_bench" "${files[@]}" > "$out/maeul.jsonl"

pabutools_ok=0
if [ "${PB_BENCH_SKIP_PABUTOOLS:-0}" != "1" ]; then
  if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv with pabutools 1.2.3"
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet pabutools==1.2.3 || true
  fi
  if "$venv/bin/python" -c "import pabutools" 2>/dev/null; then
    pabutools_ok=1
    echo "== timing pabutools 1.2.3 (timeout ${timeout}s per call; this takes a while)"
    "$venv/bin/python" "$repo/bench/pb/pabutools_time.py" "$timeout" "${files[@]}" > "$out/pabutools.jsonl"
  else
    echo "!! pabutools 1.2.3 could not be installed in $venv: reporting the engine's times only"
  fi
fi
[ "$pabutools_ok" = 1 ] || : > "$out/pabutools.jsonl"
python3 "$repo/bench/pb/report.py" "$out/maeul.jsonl" "$out/pabutools.jsonl" "$pabutools_ok"

# Every rule in one process on one parsed profile (what `maeul pb tally FILE --rule all` does), per file: the
# issue-16 goal is Warsaw 2026 under 2 s for the whole process.
echo "== every rule in one process (pb_bench --all-in-one; wall and CPU of the whole process)"
for file in "${files[@]}"; do
  start=$(date +%s.%N)
  line=$( { /usr/bin/time -f "cpu %U+%S s" "$target/release/examples/pb_bench" "$file" --all-in-one | tail -1; } 2>&1 | tr '\n' ' ')
  end=$(date +%s.%N)
  printf '%s: wall %.3f s; %s\n' "$(basename "$file")" "$(echo "$end - $start" | bc)" "$line"
done
echo "(load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
