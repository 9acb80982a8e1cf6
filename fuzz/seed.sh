#!/usr/bin/env bash
# Seed corpora from the project's own files (fuzz/corpus/ is not committed):
#   number    every figure written in corpus/*.txt
#   layout    corpus/*.txt in pieces of 25 lines, the text and Markdown fixtures whole
#   document  the same pieces and fixtures behind a first byte that picks the name
#             (0: fuzz.txt, 1: fuzz.md, 2: fuzz.docx, 3: fuzz.pdf, 4: fuzz.doc), and the
#             DOCX, PDF and .doc fixtures.
#   pdf       the PDF fixtures; word97 the .doc fixtures.
# Small pieces keep executions fast; libFuzzer splices them into larger inputs itself.
set -euo pipefail
cd "$(dirname "$0")"
root=..
rm -rf corpus/number corpus/layout corpus/document corpus/pdf corpus/word97
mkdir -p corpus/number corpus/layout corpus/document corpus/pdf corpus/word97

# Name each seed by its content, as libFuzzer does, so reruns give the same files.
put() { # put DIR < bytes
  local tmp
  tmp=$(mktemp)
  cat > "$tmp"
  mv "$tmp" "$1/$(sha1sum < "$tmp" | cut -c1-40)"
}

for figure in $(grep -ohE '[0-9][0-9.,]*[0-9]|[0-9]' "$root"/corpus/*.txt | sort -u); do
  printf '%s' "$figure" | put corpus/number
done

pieces=$(mktemp -d)
for report in "$root"/corpus/*.txt; do
  split -l 25 "$report" "$pieces/$(basename "$report" .txt)-"
done
for piece in "$pieces"/* "$root"/tests/data/formats/*.txt "$root"/tests/data/formats/*.md; do
  put corpus/layout < "$piece"
  { printf '\000'; cat "$piece"; } | put corpus/document
done
rm -rf "$pieces"
for markdown in "$root"/tests/data/formats/*.md; do
  { printf '\001'; cat "$markdown"; } | put corpus/document
done
for docx in "$root"/tests/data/formats/*.docx; do
  { printf '\002'; cat "$docx"; } | put corpus/document
done

for pdf in "$root"/tests/data/formats/*.pdf; do
  put corpus/pdf < "$pdf"
  { printf '\003'; cat "$pdf"; } | put corpus/document
done
for doc in "$root"/tests/data/formats/*.doc; do
  put corpus/word97 < "$doc"
  { printf '\004'; cat "$doc"; } | put corpus/document
done

for target in number layout document pdf word97; do
  echo "$target: $(ls corpus/$target | wc -l) seeds"
done
