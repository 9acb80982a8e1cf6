#!/usr/bin/env python3
"""Make a large corpus for benchmarks from the shipped sample reports.

usage: make-corpus.py OUT_DIR [FILES] [KB_PER_FILE]

Each file joins sample reports until it is about KB_PER_FILE kilobytes (report-sized: the
real reports run 50-100 KB), with figures shuffled so no two files are alike; a quarter are
decomposed (NFD) and a quarter have CRLF line ends, as archives do.
"""
import pathlib
import random
import sys
import unicodedata

out = pathlib.Path(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
size = int(sys.argv[3]) if len(sys.argv) > 3 else 66
root = pathlib.Path(__file__).resolve().parent.parent
samples = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))]
rng = random.Random(20251129)
out.mkdir(parents=True, exist_ok=True)


def shuffled_digits(text):
    return "".join(rng.choice("0123456789") if c.isdigit() and rng.random() < 0.3 else c for c in text)


for index in range(count):
    parts, total = [], 0
    while total < size * 1000:
        part = shuffled_digits(rng.choice(samples))
        parts.append(part)
        total += len(part.encode("utf-8"))
    text = "\n".join(parts)
    if index % 4 == 1:
        text = unicodedata.normalize("NFD", text)
    data = text.encode("utf-8")
    if index % 4 == 2:
        data = data.replace(b"\n", b"\r\n")
    (out / f"report-{index:05d}.txt").write_bytes(data)
