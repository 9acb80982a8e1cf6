#!/usr/bin/env python3
"""Where extract is stricter than a plain regex: a recall probe for plan figures.

usage: scripts/probe-plans.py [--extract BIN] [--all] FILE_OR_DIR...

Runs a deliberately naive plan finder (a percentage followed closely by a plan basis word,
as a one-afternoon script would write it) and `extract` over the same texts, and lists
every naive hit that extract gives no plan-like measure (plan, exceed, target) for on that
line with that value, with what extract said of the figure instead, if anything. The naive
finder is no gold: read each line and decide whether the figure is a result the spec counts
as a plan (then a rule suppresses too much) or a goal, condition or share (then the rule
earns its place). It needs no gold, so it runs on any text of a genre we have none for.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

from audit_common import parse_number

NUMBER = r"(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
BASIS = r"(?:kế hoạch|kể hoạch|kh\b|dự toán|chỉ tiêu|nghị quyết|nq\b|mục tiêu)"
NAIVE = re.compile(NUMBER + r"\s*(?:%|phần trăm)\s*(?:[^\s\d%]+\s+){0,3}?" + BASIS, re.IGNORECASE)
PLAN_LIKE = ("plan", "exceed", "target")


def files_under(paths):
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith((".txt", ".md")):
                    yield os.path.join(path, name)
        else:
            yield path


def naive_hits(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = unicodedata.normalize("NFC", handle.read())
    for number, line in enumerate(text.splitlines(), 1):
        for match in NAIVE.finditer(line):
            yield number, parse_number(match.group(1)), line, match.start(), match.end()


def extracted(binary, files):
    out = subprocess.run([binary, "-q", *files], capture_output=True, check=False, text=True)
    said = {}
    for raw in out.stdout.splitlines():
        fact = json.loads(raw)
        for measure in fact.get("measures") or []:
            # A range's high end ("vượt 5-18% so với kế hoạch") is the naive finder's hit.
            for end in ("value", "value_max"):
                if measure.get(end) is None:
                    continue
                key = (fact["doc"], measure.get("line", fact["line"]), abs(measure[end]))
                said.setdefault(key, []).append((measure["kind"], fact.get("rule")))
    return said


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extract", default="target/release/extract")
    parser.add_argument("--all", action="store_true", help="list the hits extract found too")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    files = list(files_under(args.paths))
    said = extracted(args.extract, files)
    hits = found = 0
    for path in files:
        for line, value, text, start, end in naive_hits(path):
            hits += 1
            kinds = said.get((path, line, value), [])
            plan_like = [kind for kind, _ in kinds if kind in PLAN_LIKE]
            found += bool(plan_like)
            if plan_like and not args.all:
                continue
            context = text[max(0, start - 90):end + 20].replace("\n", " ")
            instead = ",".join(f"{kind}:{rule}" for kind, rule in kinds) or "nothing"
            mark = "ok  " if plan_like else "MISS"
            print(f"{mark} {path}:{line} {value:g} [{instead}]\n     ...{context}")
    share = found / hits if hits else 1.0
    print(f"\n{found} of {hits} naive plan hits have a plan-like measure ({share:.1%})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
