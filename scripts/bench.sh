#!/usr/bin/env bash
# Throughput benchmark: extract on a generated corpus (1,500 report-sized files, ~100 MB,
# some NFD, some CRLF) beside ripgrep finding only the plan percentages with one regex in
# the same files; then start-up on a one-line input. Prints MB/s, facts/s and peak memory.
# Not part of the test suite.
#
# The corpus: variants of the real report by ../shared/eval/mkcorpus.py when ../shared is
# there (issue 13's yardstick), else report-sized files of our own sentences.
#
# usage: scripts/bench.sh [FILES] [KB_PER_FILE]     (needs ripgrep and GNU time; hyperfine
#        for the start-up line)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-1500}
kb=${2:-66}
mkcorpus=../shared/eval/mkcorpus.py
seed=../shared/corpus/000_f759c5d0266d09df.txt
if [ -f "$mkcorpus" ] && [ -f "$seed" ]; then
  corpus=${BENCH_DIR:-target/bench-real-$files}
  [ -d "$corpus" ] || python3 "$mkcorpus" "$seed" "$corpus" "$files" > /dev/null
else
  corpus=${BENCH_DIR:-target/bench-corpus-$files-$kb}
  [ -d "$corpus" ] || python3 scripts/make-corpus.py "$corpus" "$files" "$kb"
fi
cargo build --release --quiet
mb=$(du -sm --apparent-size "$corpus" | cut -f1)
echo "corpus: $files files, ${mb} MB in $corpus"

measure() { # label, command...
  local label=$1; shift
  local log; log=$(mktemp)
  # warm the page cache so both tools read from memory
  cat "$corpus"/* > /dev/null
  /usr/bin/time -f "%e %M" -o "$log" "$@" > "$log.out"
  read -r seconds kb_peak < "$log"
  echo "$label: ${seconds}s, $(python3 -c "print(round($mb/max($seconds,1e-9),1))") MB/s, peak $((kb_peak / 1024)) MB, $(wc -l < "$log.out") output lines"
  echo "$seconds" > "$log.seconds"
  LAST_SECONDS=$seconds
}

measure "extract" ./target/release/extract --quiet "$corpus"
extract_seconds=$LAST_SECONDS
facts=$(./target/release/extract --quiet "$corpus" | wc -l)
echo "facts: $facts ($(python3 -c "print(round($facts/max($extract_seconds,1e-9)))") facts/s)"
if command -v rg > /dev/null; then
  measure "rg -o plan %" rg -o --no-filename 'đạt [0-9]+(?:[.,][0-9]+)?\s*% (?:so với )?(?:kế hoạch|KH)' "$corpus"
  echo "extract / rg: $(python3 -c "print(round($extract_seconds/max($LAST_SECONDS,1e-9),2))")x"
else
  echo "ripgrep not installed (apt-get install ripgrep): no comparison"
fi

one_line=$(mktemp)
echo "Doanh thu đạt 5 tỷ đồng, tăng 2% so với cùng kỳ." > "$one_line"
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 3 --runs 20 --style basic "./target/release/extract --quiet $one_line" 2>&1 | grep -E "Time|Range"
else
  /usr/bin/time -f "start-up on a one-line input: %e s, peak %M KB" ./target/release/extract --quiet "$one_line" > /dev/null
fi
