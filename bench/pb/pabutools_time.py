"""Times pabutools 1.2.3 on .pb files, one forked child per (file, rule) with a timeout.

Prints one JSON object per line: {"file", "rule", "status": ok|timeout|error|skipped, "seconds", "selected"}
(plus one {"file", "parse_seconds"} line per file). The calls are those that made the reference expected.json files
(see ../../../shared/docs/pb-semantics.md). Usage: python pabutools_time.py TIMEOUT_SECONDS FILE...
"""
import json
import multiprocessing as mp
import sys
import time

from pabutools.election import (Additive_Borda_Sat, Additive_Cardinal_Sat, Cardinality_Sat, Cost_Sat,
                                parse_pabulib)
from pabutools.rules import (completion_by_rule_combination, exhaustion_by_budget_increase,
                             greedy_utilitarian_welfare, method_of_equal_shares, sequential_phragmen)


def rule_calls(vote_type):
    mes, greedy = method_of_equal_shares, greedy_utilitarian_welfare
    calls = {
        "greedy_cost": lambda i, p: greedy(i, p, sat_class=Cost_Sat),
        "greedy_card": lambda i, p: greedy(i, p, sat_class=Cardinality_Sat),
        "mes_cost": lambda i, p: mes(i, p, sat_class=Cost_Sat),
        "mes_card": lambda i, p: mes(i, p, sat_class=Cardinality_Sat),
        "mes_cost_greedy": lambda i, p: completion_by_rule_combination(
            i, p, [mes, greedy], [{"sat_class": Cost_Sat}, {"sat_class": Cost_Sat}]),
        "mes_cost_add1": lambda i, p: mes(i, p, sat_class=Cost_Sat, voter_budget_increment=1),
        "mes_cost_add1_greedy": lambda i, p: completion_by_rule_combination(
            i, p, [mes, greedy], [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}]),
        "mes_cost_budget_increase": lambda i, p: exhaustion_by_budget_increase(
            i, p, mes, {"sat_class": Cost_Sat}),
        "mes_cost_budget_increase_greedy": lambda i, p: completion_by_rule_combination(
            i, p, [exhaustion_by_budget_increase, greedy],
            [{"rule": mes, "rule_params": {"sat_class": Cost_Sat}}, {"sat_class": Cost_Sat}]),
    }
    if vote_type in ("cumulative", "scoring"):
        calls["greedy_points"] = lambda i, p: greedy(i, p, sat_class=Additive_Cardinal_Sat)
        calls["mes_points"] = lambda i, p: mes(i, p, sat_class=Additive_Cardinal_Sat)
    if vote_type == "ordinal":
        calls["greedy_borda"] = lambda i, p: greedy(i, p, sat_class=Additive_Borda_Sat, is_sat_additive=True)
    if vote_type in ("approval", "choose-1"):
        calls["phragmen"] = lambda i, p: sequential_phragmen(i, p)
    return calls


def child(path, key, queue):
    try:
        instance, profile = parse_pabulib(path)
        if profile.num_ballots() > 10000:
            profile = profile.as_multiprofile()
        call = rule_calls(instance.meta.get("vote_type", "approval"))[key]
        queue.put({"parsed": True})
        started = time.perf_counter()
        outcome = call(instance, profile)
        seconds = time.perf_counter() - started
        queue.put({"status": "ok", "seconds": seconds, "selected": [str(p.name) for p in outcome]})
    except Exception as error:  # reported, not hidden
        queue.put({"status": "error", "error": repr(error)})


def main():
    timeout = float(sys.argv[1])
    context = mp.get_context("fork")
    for path in sys.argv[2:]:
        started = time.perf_counter()
        instance, _profile = parse_pabulib(path)
        print(json.dumps({"file": path, "parse_seconds": time.perf_counter() - started}), flush=True)
        for key in rule_calls(instance.meta.get("vote_type", "approval")):
            queue = context.Queue()
            process = context.Process(target=child, args=(path, key, queue))
            process.start()
            result = None
            try:
                first = queue.get(timeout=300)  # parsing in the child is not timed
                result = first if "parsed" not in first else queue.get(timeout=timeout)
            except Exception:
                result = None
            if process.is_alive():
                process.kill()
                process.join()
            if result is None or (result.get("seconds", 0) > timeout):
                result = {"status": "timeout", "seconds": None}
            result.update({"file": path, "rule": key})
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
