#!/usr/bin/env python3
"""Score `extract` on the probe reports of genres the dev set lacks (tests/data/probes).

usage: scripts/score-probes.py EXTRACT [--min-recall R] [--max-goals-kept G] [--show]

Each set under tests/data/probes holds reports written for this project (district,
sector, bank, congress, treasury, school, news, ministry, meeting-conclusion ... styles;
names and figures invented) and `gold.tsv`: every share of a plan in them, by file, line
and value as written, with `keep` = yes for a result and no for a goal, directive,
forecast, condition or threshold. A gold figure is found when a plan or exceed measure of
that value stands on its line. Prints per set the recall of results and how many goals
were kept; exits 1 when a set's recall is below --min-recall or its share of goals kept
above --max-goals-kept. `--show` lists the misses and the goals kept.
"""
import argparse
import collections
import json
import pathlib
import subprocess
import sys

from audit_common import parse_number

PROBES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "probes"


def plan_figures(extract, files):
    """(file name, line, value) -> how many plan or exceed measures stand there."""
    out = subprocess.run([extract, "-q", *map(str, files)], capture_output=True, text=True)
    found = collections.Counter()
    for line in out.stdout.splitlines():
        fact = json.loads(line)
        name = pathlib.Path(fact["doc"]).name
        for measure in fact["measures"]:
            if measure["kind"] in ("plan", "exceed"):
                found[(name, measure["line"], round(measure["value"], 3))] += 1
    return found


def score(extract, folder, show):
    rows = [l.rstrip("\n").split("\t") for l in open(folder / "gold.tsv", encoding="utf-8")][1:]
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))
    found = plan_figures(extract, files)
    used = collections.Counter()
    results = hits = goals = kept_goals = 0
    for name, line, written, keep, snippet in rows:
        key = (name, int(line), round(parse_number(written), 3))
        hit = found[key] > used[key]
        used[key] += hit
        if keep == "yes":
            results += 1
            hits += hit
            if show and not hit:
                print(f"  miss       {name}:{line} {written}  {snippet}")
        else:
            goals += 1
            kept_goals += hit
            if show and hit:
                print(f"  goal kept  {name}:{line} {written}  {snippet}")
    return hits / max(results, 1), kept_goals / max(goals, 1), results, goals, hits, kept_goals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract")
    parser.add_argument("--min-recall", type=float, default=0.0)
    parser.add_argument("--max-goals-kept", type=float, default=1.0)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    failed = False
    for folder in sorted(p for p in PROBES.iterdir() if (p / "gold.tsv").exists()):
        recall, goals_kept, results, goals, hits, kept = score(args.extract, folder, args.show)
        print(f"{folder.name}: results found {hits}/{results} (recall {recall:.3f}), "
              f"goals kept {kept}/{goals} ({goals_kept:.3f})")
        failed |= recall < args.min_recall or goals_kept > args.max_goals_kept
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
