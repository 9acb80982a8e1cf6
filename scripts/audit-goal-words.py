#!/usr/bin/env python3
"""Which goal words earn their place on real text.

A goal word (phấn đấu, mục tiêu, nhằm, nếu ...) keeps figures near it out of the facts:
the suppressions that cost recall on genres the rules were not written for. This takes
each word of the goal lists in patterns/fragments.toml out in turn, runs `extract` over
the texts given (by default the dev set of ../shared) and prints the facts that change:
a word whose removal changes nothing keeps out no figure of that text, and holds its place
only by our own sentences (tests/data); one whose removal adds facts shows what it keeps
out, to be read as goals rightly dropped or results lost. Probe texts of other genres
(see scripts/probe-plans.py) can be given as well.

usage: scripts/audit-goal-words.py [--extract BIN] [PATH ...]
"""
import argparse
import os
import re
import shutil
import tempfile

from audit_common import ROOT, files_of, measures, print_change

FRAGMENTS = ("goal_across_commas", "goal_in_clause", "goal_purpose", "goal_opening",
             "goal_lead", "goal_after", "goal_section_word", "goal_topic_word",
             "threshold_qualifier")


def block(text, name):
    """(start, end) of a fragment's table in fragments.toml."""
    start = text.index(f"[fragment.{name}]")
    following = re.search(r"^\[", text[start + 1:], re.M)
    return start, start + 1 + following.start() if following else len(text)


def words_of(text, name):
    start, end = block(text, name)
    listing = re.search(r"^words\s*=\s*\[(.*?)\]", text[start:end], re.M | re.S)
    if not listing:
        return []
    body = re.sub(r"#[^\n]*", "", listing.group(1))
    return re.findall(r'"([^"]+)"', body)


def without(text, name, word):
    start, end = block(text, name)
    quoted = re.escape(f'"{word}"')
    part = re.sub(quoted + r",\s*", "", text[start:end], count=1)
    if part == text[start:end]:
        part = re.sub(r",\s*" + quoted, "", part, count=1)
    return text[:start] + part + text[end:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extract", default=os.path.join(ROOT, "target/release/extract"))
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    files = files_of(args.paths)
    with tempfile.TemporaryDirectory() as scratch:
        patterns = os.path.join(scratch, "patterns")
        shutil.copytree(os.path.join(ROOT, "patterns"), patterns)
        fragments = os.path.join(patterns, "fragments.toml")
        original = open(fragments, encoding="utf-8").read()
        base = measures(args.extract, patterns, files)
        idle = []
        for name in FRAGMENTS:
            for word in words_of(original, name):
                with open(fragments, "w", encoding="utf-8") as out:
                    out.write(without(original, name, word))
                now = measures(args.extract, patterns, files)
                if now == base:
                    idle.append(f"{name}: {word}")
                    continue
                print_change(f"{name}: {word!r}", base, now)
        with open(fragments, "w", encoding="utf-8") as out:
            out.write(original)
    print(f"\n{len(idle)} goal words change nothing on these texts:")
    for row in idle:
        print("  ", row)


if __name__ == "__main__":
    main()
