#!/usr/bin/env python3
"""Map lag probe for bench/forums/run.sh: casts single votes through server A's API, one at a time with a
pause between them, and measures how long until the map every server serves (the latest snapshot in the
shared database) includes the vote, by polling the database; then fetches the map from server B.
Prints one line: "LAG n=.. median=.. max=.. seconds; B served the map: yes|no".

probe.py VOTE_BASE MAP_BASE CONVERSATION TOKEN STATEMENTS_FILE BACKEND DATABASE PROBES
"""
import json
import statistics
import subprocess
import sys
import time
import urllib.request

vote_base, map_base, conv, token, statements_file, backend, database, probes = sys.argv[1:9]
statements = [l.strip() for l in open(statements_file) if l.strip()]
probes = int(probes)

if backend == "sqlite":
    import sqlite3

    con = sqlite3.connect(database, isolation_level=None, timeout=10)

    def scalar(sql):
        return con.execute(sql).fetchone()[0]

else:

    def scalar(sql):
        out = subprocess.run(["psql", database, "-tAc", sql], check=True, capture_output=True, text=True)
        return int(out.stdout.strip())


def vote(i):
    body = json.dumps({"statement_id": int(statements[i % len(statements)]), "vote": ["agree", "disagree", "pass"][i % 3]})
    req = urllib.request.Request(
        f"{vote_base}/api/v1/conversations/{conv}/votes",
        data=body.encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200, r.status


lags = []
for i in range(probes):
    time.sleep(0.7)
    vote(i)
    t0 = time.time()
    event = scalar(f"SELECT MAX(id) FROM forum_vote_events WHERE conversation_id = {conv}")
    lag = None
    while time.time() - t0 < 10:
        seen = scalar(f"SELECT COALESCE(MAX(last_event_id), 0) FROM forum_maps WHERE conversation_id = {conv}")
        if seen >= event:
            lag = time.time() - t0
            break
        time.sleep(0.01)
    lags.append(lag)
served = False
try:
    with urllib.request.urlopen(f"{map_base}/api/v1/conversations/{conv}/map", timeout=10) as r:
        served = r.status == 200 and "groups" in json.load(r)
except Exception as e:  # noqa: BLE001
    print(f"probe: map from B: {e}", file=sys.stderr)
caught = [l for l in lags if l is not None]
missed = len(lags) - len(caught)
if caught:
    print(
        f"LAG n={len(lags)} median={statistics.median(caught):.2f} max={max(caught):.2f} missed={missed} "
        f"served_by_B={'yes' if served else 'no'}"
    )
else:
    print(f"LAG n={len(lags)} median=- max=- missed={missed} served_by_B={'yes' if served else 'no'}")
