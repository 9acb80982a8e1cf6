#!/usr/bin/env bash
# The Spark example end to end, in local mode: a venv with pyspark, a release build of
# extract, the job over corpus/ with local[2], the plain CLI over the same files, and a
# line-by-line comparison of the two fact sets. Prints "same facts: N" or the difference
# (and exits 1). CI does not run it: it downloads pyspark (~300 MB) and needs Java.
#
#   examples/spark/run_local.sh
#
# Environment: EXTRACT=path/to/extract skips the build; PYSPARK="pyspark==..." picks
# another pyspark; CARGO_TARGET_DIR is honoured as by cargo.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
out="$here/out"
mkdir -p "$out"

step() { printf '== %s\n' "$*"; }

step "java"
if ! command -v java >/dev/null; then
    echo "run_local.sh: Spark needs Java (17 or later for pyspark 4): install a JDK" >&2
    exit 2
fi
java -version 2>&1 | head -n 1

step "pyspark"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import pyspark' 2>/dev/null; then
    "$venv/bin/pip" install --quiet "${PYSPARK:-pyspark==4.3.0}"
fi
"$venv/bin/python" -c 'import pyspark; print("pyspark", pyspark.__version__)'

step "extract"
if [ -z "${EXTRACT:-}" ]; then
    cargo build --release --quiet --bin extract
    EXTRACT="${CARGO_TARGET_DIR:-$root/target}/release/extract"
fi
EXTRACT="$(cd "$(dirname "$EXTRACT")" && pwd)/$(basename "$EXTRACT")"
"$EXTRACT" --version

step "spark job: local[2] over corpus/"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
rm -f "$out/spark-facts.jsonl" "$out/spark-errors.jsonl"
if ! "$venv/bin/python" "$here/facts_job.py" corpus \
    --extract "$EXTRACT" --master 'local[2]' \
    --out "$out/spark-facts.jsonl" --errors "$out/spark-errors.jsonl" \
    2>"$out/spark.log"; then
    echo "run_local.sh: the Spark job failed; the end of $out/spark.log:" >&2
    tail -n 40 "$out/spark.log" >&2
    exit 1
fi
grep '^facts_job:' "$out/spark.log" || true

step "plain CLI: extract corpus/*.txt"
# corpus/ holds only .txt reports; the job walks the folder for .txt/.md/.docx alike.
status=0
"$EXTRACT" corpus/*.txt >"$out/cli-facts.jsonl" 2>"$out/cli.log" || status=$?
cat "$out/cli.log"
if [ "$status" -gt 1 ]; then
    echo "run_local.sh: extract failed (exit $status)" >&2
    exit 1
fi

step "compare"
# Both name documents as extract does (corpus/<file>); the job sorts by document and then
# keeps extract's order, the CLI writes documents in argument order: sort the CLI's lines
# by document (stably) and compare the lines byte for byte.
"$venv/bin/python" - "$out/cli-facts.jsonl" "$out/spark-facts.jsonl" <<'PY'
import difflib, json, sys

def lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()

cli = sorted(lines(sys.argv[1]), key=lambda line: json.loads(line)["doc"])
spark = lines(sys.argv[2])
if cli == spark and cli:
    print(f"same facts: {len(cli)}")
    sys.exit(0)
print(f"facts differ: CLI {len(cli)}, Spark {len(spark)}")
diff = difflib.unified_diff(cli, spark, "extract corpus/*.txt", "facts_job.py", lineterm="", n=0)
for number, line in enumerate(diff):
    if number == 60:
        print("... (diff cut)")
        break
    print(line[:300])
sys.exit(1)
PY
