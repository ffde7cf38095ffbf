"""Times red-dwarf 0.4.0 (polis-community/red-dwarf, the Python re-implementation of Pol.is's math) on the
shared Pol.is exports and the same synthetic 1M-vote conversation, and scores its groups against Pol.is's
exported group ids (ARI). Run by bench/opinion/run.sh inside a throw-away venv; prints one JSON object per line.
"""
import csv
import json
import random
import sys
import time
from pathlib import Path

from reddwarf.implementations.polis import run_pipeline
from sklearn.metrics import adjusted_rand_score


def load(folder: Path):
    votes = []
    with open(folder / "votes.csv", newline="") as f:
        for row in csv.DictReader(f):
            votes.append({
                "participant_id": int(row["voter-id"]),
                "statement_id": int(row["comment-id"]),
                "vote": int(row["vote"]),  # export sign: 1 = agree (red-dwarf's own sign)
                "modified": int(row["timestamp"]),
            })
    # red-dwarf wants one vote per (participant, statement): keep the latest event, as Pol.is does.
    latest = {}
    for v in sorted(votes, key=lambda v: v["modified"]):
        latest[(v["participant_id"], v["statement_id"])] = v
    votes = list(latest.values())
    mod_out, meta = [], []
    with open(folder / "comments.csv", newline="") as f:
        for row in csv.DictReader(f):
            tid = int(row["comment-id"])
            if row["moderated"].strip() == "-1":
                mod_out.append(tid)
            if row.get("is-meta", "false").strip() == "true":
                meta.append(tid)
    groups = {}
    with open(folder / "participants-votes.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["group-id"].strip() != "":
                groups[int(row["participant"])] = int(row["group-id"])
    return votes, mod_out, meta, groups


def run(votes, mod_out, meta):
    return run_pipeline(votes=votes, mod_out_statement_ids=sorted(set(mod_out + meta)),
                        meta_statement_ids=meta, random_state=0)


def best_time(votes, mod_out, meta, repeats):
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run(votes, mod_out, meta)
        best = min(best, time.perf_counter() - started)
    return best, result


def labels(result):
    df = result.participants_df
    column = "cluster_id" if "cluster_id" in df.columns else None
    if column is None:
        raise SystemExit(f"red-dwarf participants_df has no cluster_id column: {list(df.columns)}")
    import pandas as pd
    return {int(pid): int(g) for pid, g in df[column].items() if not pd.isna(g)}


def synthetic(participants=50_000, statements=1_000, per=20, seed=1):
    rng = random.Random(seed)
    camp_agree = [[rng.random() for _ in range(3)] for _ in range(statements)]
    votes, t = [], 0
    for p in range(participants):
        camp = rng.randrange(3)
        for s in rng.sample(range(statements), per):
            r = rng.random()
            vote = 0 if r < 0.1 else (1 if rng.random() < camp_agree[s][camp] else -1)
            t += 1
            votes.append({"participant_id": p, "statement_id": s, "vote": vote, "modified": t})
    return votes


def main():
    data = Path(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        votes, mod_out, meta, groups = load(folder)
        seconds, result = best_time(votes, mod_out, meta, repeats)
        ours = labels(result)
        common = sorted(set(ours) & set(groups))
        ari = adjusted_rand_score([groups[p] for p in common], [ours[p] for p in common]) if common else None
        print(json.dumps({"conversation": folder.name, "seconds": seconds, "k": len(set(ours.values())),
                          "ari": ari, "both": len(common)}), flush=True)
    if "--no-synthetic" not in sys.argv:
        votes = synthetic()
        seconds, _ = best_time(votes, [], [], 1)
        print(json.dumps({"conversation": "synthetic-1M", "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
