#!/usr/bin/env bash
# Check the `extract compare` page as a reader sees it (issue 15, "Done when"): build the
# release binary, compare reports to an HTML page, and take a PNG screenshot of it with
# headless Chromium, to look at the 100% line of the plan charts and the issuer under each
# column.
#
# Usage: scripts/screenshot-compare.sh [INPUT...]   (default: tests/data/provinces/)
# Environment: OUT (the PNG, default target/compare.png), LANG_UI (vi or en, default vi),
#   SIZE (window size, default 1200,1600), CHROMIUM (the browser, default chromium).
# Out: the page beside the PNG (same name, .html). Needs chromium (Debian: apt-get install
# chromium). The PNG is not committed; make it again when the page changes.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-target/compare.png}
page=${out%.png}.html
browser=${CHROMIUM:-chromium}
command -v "$browser" >/dev/null || { echo "$browser is required (apt-get install chromium)" >&2; exit 1; }
[ $# -gt 0 ] || set -- tests/data/provinces/

cargo build --release --quiet
mkdir -p "$(dirname "$out")"
./target/release/extract compare -q --lang "${LANG_UI:-vi}" --format html "$@" -o "$page"

# A fresh profile, no network, no GPU: the same picture on any machine, and nothing left behind.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --screenshot="$out" --window-size="${SIZE:-1200,1600}" \
    "file://$(realpath "$page")" 2>/dev/null
echo "$out (page: $page)"
