#!/usr/bin/env bash
# Forums memory benchmark (issue 14): 100 open conversations of 1,000 participants each, maps kept live.
# A fresh SQLite database with the demo city (`maeul serve --demo`, stopped again), then, in SQL: 100 open
# conversations of 50 statements, 1,000 participants each voting on ~60 % of the statements (three opinion
# groups plus a fifth of noise, a deterministic pattern: 30,000 current votes per conversation, 3 million in
# all) and one due map update per conversation. A fresh `maeul serve` (no --demo) computes the 100 maps,
# then wrk casts votes spread over all 100 conversations for DURATION while the worker keeps their maps
# live. Prints the server's peak resident memory (VmHWM) and current RSS, the time to the 100 first maps
# and the snapshots written during the votes.
#
#   bench/forums/memory.sh                      # release build
#   MAEUL_BIN=target/release/maeul CONVERSATIONS=100 PARTICIPANTS=1000 STATEMENTS=50 bench/forums/memory.sh
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/forums"
DURATION=${DURATION:-20s}
CONVERSATIONS=${CONVERSATIONS:-100}
PARTICIPANTS=${PARTICIPANTS:-1000}
STATEMENTS=${STATEMENTS:-50}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v sqlite3 >/dev/null || die "sqlite3 is needed"

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ -n "${MAEUL_BIN:-}" ]; then BIN=$MAEUL_BIN; else
  (cd "$ROOT" && cargo build --release -p maeul); BIN="$TARGET/release/maeul"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-forums-mem.XXXXXX")
PID=
stop_server() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  PID=
}
cleanup() { stop_server; if [ "${KEEP:-}" = 1 ]; then echo "bench: kept $WORK" >&2; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

DB="$WORK/forums.sqlite"
start_server() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  BASE="http://127.0.0.1:$port"
  "$BIN" serve --bind "127.0.0.1:$port" --database "sqlite://$DB" "$@" >>"$WORK/out" 2>>"$WORK/err" &
  PID=$!
  for _ in $(seq 1 600); do
    kill -0 "$PID" 2>/dev/null || break
    curl -fsS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null && return 0
    sleep 0.2
  done
  tail -20 "$WORK/err" >&2
  die "server did not start"
}

log "demo city (maeul serve --demo), a bearer token"
start_server --demo
password=$(awk '$2 == "resident@demo.maeul.kr" { print $3 }' "$WORK/out")
curl -fsS -H 'Content-Type: application/json' -d "{\"email\":\"resident@demo.maeul.kr\",\"password\":\"$password\"}" \
  "$BASE/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' >"$WORK/tokens"
stop_server

log "seeding $CONVERSATIONS conversations x $PARTICIPANTS participants x $STATEMENTS statements (SQL)"
start=$(date +%s)
sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < max($PARTICIPANTS, $CONVERSATIONS, $STATEMENTS) - 1)
  INSERT INTO n SELECT i FROM c;
INSERT INTO forum_conversations (scope_id, topic, description, state, participation, moderation, next_pseudonym, created_at, updated_at)
  SELECT c.scope_id, 'bench ' || n.i, '', 'open', 'residents', 'post', $PARTICIPANTS, c.created_at, c.updated_at
  FROM forum_conversations c, n WHERE c.id = (SELECT MIN(id) FROM forum_conversations) AND n.i < $CONVERSATIONS;
CREATE TEMP TABLE bench AS SELECT id FROM forum_conversations WHERE topic LIKE 'bench %';
INSERT INTO forum_statements (conversation_id, body, state, created_at)
  SELECT b.id, '벤치 진술 ' || n.i, 'accepted', strftime('%s', 'now') FROM bench b, n WHERE n.i < $STATEMENTS;
INSERT INTO forum_vote_events (conversation_id, statement_id, pseudonym, vote, created_at)
  SELECT s.conversation_id, s.id, p.i,
         CASE WHEN (s.id * 31 + p.i * 17) % 5 = 0 THEN (s.id + p.i) % 3 - 1 ELSE (s.id + p.i % 3) % 3 - 1 END,
         s.created_at
  FROM forum_statements s JOIN bench b ON b.id = s.conversation_id, n p
  WHERE p.i < $PARTICIPANTS AND (s.id * 7919 + p.i * 104729) % 100 < 60;
INSERT INTO forum_votes (conversation_id, statement_id, pseudonym, vote, event_id, voted_at)
  SELECT conversation_id, statement_id, pseudonym, vote, id, created_at FROM forum_vote_events
  WHERE conversation_id IN (SELECT id FROM bench);
INSERT INTO jobs (kind, detail, run_at, created_at) SELECT 'forum_map', CAST(id AS TEXT), 0, 0 FROM bench;
COMMIT;
SQL
votes=$(sqlite3 "$DB" "SELECT COUNT(*) FROM forum_votes")
log "seeded $votes current votes in $(( $(date +%s) - start )) s"
sqlite3 "$DB" "SELECT s.conversation_id || ' ' || s.id FROM forum_statements s JOIN forum_conversations c ON c.id = s.conversation_id WHERE c.topic LIKE 'bench %'" >"$WORK/targets"

log "fresh server: the $CONVERSATIONS first maps"
load_before=$(cut -d" " -f1-3 /proc/loadavg)
t0=$(date +%s.%N)
start_server
first=
for _ in $(seq 1 6000); do
  done_maps=$(sqlite3 "$DB" "SELECT COUNT(DISTINCT m.conversation_id) FROM forum_maps m JOIN forum_conversations c ON c.id = m.conversation_id WHERE c.topic LIKE 'bench %'")
  if [ "$done_maps" -ge "$CONVERSATIONS" ]; then first=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')"); break; fi
  sleep 0.1
done
hwm_first=$(awk '/^VmHWM/ { print $2 }' "/proc/$PID/status")
before_maps=$(sqlite3 "$DB" "SELECT COUNT(*) FROM forum_maps")
log "votes over all $CONVERSATIONS conversations: wrk -c64 -t2 -d$DURATION"
wrk -c64 -t2 -d"$DURATION" --latency -s "$HERE/vote.lua" "$BASE" -- "$WORK/tokens" "$WORK/targets" | tee "$WORK/votes.txt" >&2
# Let the worker finish the updates the burst scheduled.
for _ in $(seq 1 300); do
  pending=$(sqlite3 "$DB" "SELECT COUNT(*) FROM jobs WHERE kind = 'forum_map' AND done_at IS NULL")
  [ "$pending" -eq 0 ] && break
  sleep 0.2
done
maps=$(( $(sqlite3 "$DB" "SELECT COUNT(*) FROM forum_maps") - before_maps ))
updated=$(sqlite3 "$DB" "SELECT COUNT(DISTINCT conversation_id) FROM forum_maps WHERE id > (SELECT MAX(id) FROM forum_maps) - $maps")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$PID/status")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$PID/status")
failures=$(grep -c "map update failed\|job failed\|vote batch failed" "$WORK/err" || true)
echo
echo "forums memory bench, $(date -u '+%Y-%m-%d %H:%M UTC'), load before: $load_before, after: $(cut -d" " -f1-3 /proc/loadavg), binary: $BIN"
echo "$CONVERSATIONS open conversations x $PARTICIPANTS participants x $STATEMENTS statements: $votes current votes"
echo "first $CONVERSATIONS maps computed in: ${first:-not within 600} s (peak RSS then: $((hwm_first / 1024)) MiB)"
echo "votes during $DURATION: $(awk '/^Requests\/sec:/ { printf "%.0f/s", $2 }' "$WORK/votes.txt") ($(grep VOTES "$WORK/votes.txt")); map snapshots written: $maps, of $updated conversations; failed jobs logged: $failures"
echo "server peak resident memory (VmHWM): $((hwm / 1024)) MiB; resident now (VmRSS): $((rss / 1024)) MiB; goal: within 1024 MiB"
