#!/usr/bin/env bash
# Throughput of extract on PDF and Word 97 .doc reports beside the same report as text
# (issue 16; README "Scale"). Each file given is copied N times into a folder of its own,
# and `extract -q` runs over each folder (release build, two threads), timed by
# /usr/bin/time for wall time and peak memory. Usage:
#   scripts/bench-formats.sh [N] FILE...     e.g. 200 copies of report.txt, .pdf and .doc
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-200}
shift
cargo build --release --quiet
extract=target/release/extract
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-28s %8s %8s %9s %10s\n' file MB seconds MB/s "peak MB"
for file in "$@"; do
  name=$(basename "$file")
  mkdir -p "$work/$name"
  for i in $(seq "$copies"); do cp "$file" "$work/$name/$i-$name"; done
  bytes=$(du -cb "$work/$name" | tail -n 1 | cut -f1)
  "$extract" -q -j 2 "$work/$name" > /dev/null   # page cache warm
  /usr/bin/time -f '%e %M' -o "$work/time" "$extract" -q -j 2 "$work/$name" > /dev/null
  read -r seconds peak < "$work/time"
  python3 -c "import sys; b, s, p = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]); print(f'{sys.argv[4]:<28} {b/1e6:8.1f} {s:8.2f} {b/1e6/s:9.1f} {p/1024:10.0f}')" "$bytes" "$seconds" "$peak" "$name"
done
