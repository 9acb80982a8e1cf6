#!/usr/bin/env python3
"""Which context conditions of the measure rules earn their place on real text.

Switches off one condition at a time (`before`, `not_before`, `after`, `not_after` of one
rule), runs `extract` over the dev set of ../shared with that rule folder and prints, for
each condition whose removal changes the score, what changed (facts matched and predicted,
by kind); conditions that change nothing on the dev set are listed at the end. A condition
that keeps out no wrong fact of real text holds its place only by the sentences of our
own that pin it (tests/data): worth reading again before it costs recall on other genres.
With `--texts`, texts that have no gold (excerpts of other genres, see
scripts/probe-plans.py) are read instead, and the measures that change are printed, to be
read one by one as rightly kept out or lost.

usage: scripts/audit-conditions.py [EXTRACT] [--texts PATH ...]
       (EXTRACT: default target/release/extract; without --texts, needs ../shared)
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from audit_common import files_of, measures, print_change

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
KEYS = ("before", "not_before", "after", "not_after")


def score(extract, patterns):
    command = [sys.executable, os.path.join(SHARED, "eval", "score_set.py"),
               os.path.join(SHARED, "corpus"), os.path.join(SHARED, "gold"), "--",
               extract, "-q", "--patterns", patterns]
    out = subprocess.run(command, capture_output=True, check=True).stdout.decode()
    return json.loads(out.strip().splitlines()[-1])


def conditions(path):
    """(rule name, key, line index) of each condition in a measure rule file."""
    rule = None
    for index, line in enumerate(open(path, encoding="utf-8").read().split("\n")):
        name = re.match(r"name\s*=\s*\"([^\"]+)\"", line)
        if line.strip() == "[[rule]]":
            rule = None
        elif name and rule is None:
            rule = name.group(1)
        key = re.match(r"(%s)\s*=" % "|".join(KEYS), line)
        if key and rule:
            yield rule, key.group(1), index


def changes(base, other):
    rows = []
    for kind, counts in base.items():
        if not isinstance(counts, dict):
            continue
        now = other.get(kind, {})
        delta = {k: now.get(k, 0) - counts.get(k, 0) for k in ("matched", "predicted")}
        if any(delta.values()):
            rows.append(f"{kind}: matched {delta['matched']:+d}, predicted {delta['predicted']:+d}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", nargs="?",
                        default=os.path.join(ROOT, "target", "release", "extract"))
    parser.add_argument("--texts", nargs="+", help="texts without gold: print what changes")
    args = parser.parse_args()
    extract = os.path.abspath(args.extract)
    if not args.texts and not os.path.isdir(SHARED):
        sys.exit("needs ../shared (the dev set and its scorer), or --texts")
    shipped = os.path.join(ROOT, "patterns")
    texts = files_of(args.texts) if args.texts else None
    base = measures(extract, shipped, texts) if texts else score(extract, shipped)
    idle = []
    with tempfile.TemporaryDirectory() as scratch:
        for file in sorted(os.listdir(shipped)):
            path = os.path.join(shipped, file)
            if not re.search(r"^kind\s*=", open(path, encoding="utf-8").read(), re.M):
                continue
            for rule, key, index in conditions(path):
                folder = os.path.join(scratch, "patterns")
                shutil.rmtree(folder, ignore_errors=True)
                shutil.copytree(shipped, folder)
                lines = open(path, encoding="utf-8").read().split("\n")
                del lines[index]
                open(os.path.join(folder, file), "w", encoding="utf-8").write("\n".join(lines))
                label = f"{file[:-5]}.{rule} {key}"
                if texts:
                    now = measures(extract, folder, texts)
                    if now == base:
                        idle.append(label)
                    else:
                        print_change(label, base, now)
                    continue
                scored = score(extract, folder)
                rows = changes(base, scored)
                if scored["all"]["predicted"] == 0:
                    print(f"{label}: not switched off alone (the rules no longer load without it)")
                elif rows:
                    print(f"{label}: " + "; ".join(rows))
                else:
                    idle.append(label)
    print(f"\nno change on {'these texts' if texts else 'the dev set'} ({len(idle)}):")
    for label in idle:
        print(f"  {label}")


if __name__ == "__main__":
    main()
