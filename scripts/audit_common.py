"""What the audit scripts share: the texts to run on and the measures `extract` finds."""
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_number(text):
    """A figure as reports write it: '1.204,5' -> 1204.5, '47,6' and '98.4' -> 47.6, 98.4."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def files_of(paths):
    """The files given, folders read one level deep; the dev set of ../shared by default."""
    paths = paths or [os.path.join(ROOT, "..", "shared", "corpus")]
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += sorted(os.path.join(path, f) for f in os.listdir(path))
        else:
            files.append(path)
    return files


def measures(extract, patterns, files):
    """Every measure found, as (file, line, kind, value, the fact's text)."""
    out = subprocess.run([extract, "-q", "--patterns", patterns, *files],
                         capture_output=True, check=False).stdout.decode()
    found = set()
    for raw in out.splitlines():
        fact = json.loads(raw)
        for measure in fact["measures"]:
            found.add((fact["doc"], measure.get("line"), measure["kind"], measure["value"],
                       fact["text"][:100]))
    return found


def print_change(label, base, now, shown=5):
    """The measures that one change to the rules adds and takes away."""
    print(f"{label}: {len(now - base)} measures more, {len(base - now)} fewer")
    for sign, rows in (("+", now - base), ("-", base - now)):
        for row in sorted(rows)[:shown]:
            print(f"   {sign} {os.path.basename(row[0])}:{row[1]} {row[2]} {row[3]:g}  {row[4]}")
