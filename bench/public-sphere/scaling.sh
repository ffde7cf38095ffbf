#!/usr/bin/env bash
# Scaling of the public sphere's main pages (issue 16): the proposals list (page 1) and the search page at
# 10k / 100k / 1M proposals, on each backend, with the server's peak memory. Runs run.sh once per size with
# MEASURE="healthz list1 search" (supports and comments scale with the proposals: 10 supports and 1
# comment per proposal, at most 1,000,000 supports; the big 500-comment thread is there at every size).
#
#   bench/public-sphere/scaling.sh                        # SIZES="10000 100000 1000000", both backends
#   SIZES="10000 100000" BACKENDS=sqlite bench/public-sphere/scaling.sh
#   MAEUL_BIN=… SEEDER_BIN=… bench/public-sphere/scaling.sh   # prebuilt binaries
#
# Prints run.sh's table for each size, then one summary table (req/s, p50, p99, peak memory per row).
set -Eeuo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIZES=${SIZES:-10000 100000 1000000}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/maeul-ps-scaling.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

for n in $SIZES; do
  supports=$(( n * 10 )); [ "$supports" -gt 1000000 ] && supports=1000000
  comments=$n
  users=$(( n / 2 )); [ "$users" -lt 10000 ] && users=10000; [ "$users" -gt 60000 ] && users=60000
  echo "== $n proposals, $supports supports, $comments comments, $users residents" >&2
  PROPOSALS=$n SUPPORTS=$supports COMMENTS=$comments USERS=$users MEASURE="healthz list1 search" \
    RESULTS="$OUT/$n.tsv" "$HERE/run.sh"
done

echo
echo "maeul public-sphere scaling — $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %10s %-12s %10s %9s %9s %12s\n' backend proposals page 'req/s' 'p50 ms' 'p99 ms' 'peak kB'
for n in $SIZES; do
  awk -F'\t' -v n="$n" '$2 != "healthz" { printf "%-9s %10s %-12s %10s %9s %9s %12s\n", $1, n, $2, $3, $4, $5, $6 }' "$OUT/$n.tsv"
done
