"""Merges the engine's and pabutools' timings (JSON lines) into the benchmark table. See run.sh."""
import json
import os
import sys


def load(path):
    rows = []
    if os.path.exists(path):
        with open(path) as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
    return rows


def same(rule, a, b):
    if a is None or b is None:
        return None
    return sorted(a) == sorted(b) if rule == "phragmen" else list(a) == list(b)


def main():
    ours, theirs, live = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3] == "1"
    their_rule = {(r["file"], r["rule"]): r for r in theirs if "rule" in r}
    their_parse = {r["file"]: r["parse_seconds"] for r in theirs if "parse_seconds" in r}
    voters = {r["file"]: r["voters"] for r in ours if "voters" in r}
    unfinished, goals, warsaw_total = [], [], {}
    print(f"{'file':<44} {'voters':>7} {'rule':<32} {'maeul s':>9} {'pabutools s':>12} {'ratio':>9}  live  ref")
    for row in ours:
        name = os.path.basename(row["file"])[:-3]
        if "parse_seconds" in row:
            theirs_parse = their_parse.get(row["file"])
            ratio = f"{theirs_parse / row['parse_seconds']:.0f}x" if theirs_parse else "-"
            print(f"{name[:44]:<44} {row['voters']:>7} {'(parse)':<32} {row['parse_seconds']:>9.4f} "
                  f"{theirs_parse if theirs_parse is not None else '-':>12} {ratio:>9}")
            continue
        if "rule" not in row:
            print(f"{name}: {row}")
            continue
        expected_path = row["file"][:-3] + ".expected.json"
        reference = None
        if os.path.exists(expected_path):
            with open(expected_path) as handle:
                entry = json.load(handle)["rules"].get(row["rule"])
            if entry and entry["status"] == "ok":
                reference = entry["selection_order"] or entry["selected"]
            elif entry:
                unfinished.append((name, row, entry["status"]))
        their = their_rule.get((row["file"], row["rule"]))
        their_seconds = their["seconds"] if their and their["status"] == "ok" else None
        their_text = f"{their_seconds:.3f}" if their_seconds is not None else (their["status"] if their else "-")
        ratio = their_seconds / max(row["seconds"], 1e-9) if their_seconds is not None else None
        live_same = same(row["rule"], row["selected"], their["selected"]) if their and their["status"] == "ok" else None
        ref_same = same(row["rule"], row["selected"], reference)
        mark = lambda v: "-" if v is None else ("yes" if v else "NO")
        ratio_text = f"{ratio:.0f}x" if ratio is not None else "-"
        print(f"{name[:44]:<44} {voters.get(row['file'], 0):>7} {row['rule']:<32} {row['seconds']:>9.4f} "
              f"{their_text:>12} {ratio_text:>9}  {mark(live_same):>4}  {mark(ref_same):>3}")
        if row["rule"] in ("mes_cost", "mes_cost_add1") and voters.get(row["file"], 0) > 1000:
            goals.append((name, row["rule"], ratio, their_text))
        if "Warszawa_2026.pb" in row["file"] and "Zoliborskie" not in row["file"]:
            warsaw_total[row["rule"]] = row["seconds"]
    print("\nGoal: mes_cost and mes_cost_add1 >= 100x faster than pabutools on files with > 1000 voters")
    for name, rule, ratio, their_text in goals:
        verdict = "met" if ratio is not None and ratio >= 100 else ("pabutools " + their_text if ratio is None else "NOT met")
        print(f"  {name[:50]:<50} {rule:<14} {('%.0fx' % ratio) if ratio else '-':>8}  {verdict}")
    if warsaw_total:
        total = sum(warsaw_total.values())
        print(f"\nGoal: Warsaw 2026 through every rule < 2 s: {total:.2f} s ({'met' if total < 2 else 'NOT met'}); "
              + ", ".join(f"{k} {v:.3f}" for k, v in warsaw_total.items()))
    if not live:
        print("\n(pabutools absent in this run: ratios and live comparisons are '-')")
    print("\nOutcomes for the calls the reference run did not finish (expected.json status != ok):")
    for name, row, status in unfinished:
        print(f"  {name} {row['rule']} (reference: {status}): {row['seconds']:.3f} s, total cost {row['total_cost']}, "
              f"selected in order {row['selected']}")


if __name__ == "__main__":
    main()
