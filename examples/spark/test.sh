#!/usr/bin/env bash
# Runs the Spark job on the fixtures and checks that its records are those
# of one `glaneur extract --format jsonl --no-text` run: the same multiset.
# Installs pyspark 4 into target/spark-venv when the `python` on PATH has
# none (about 500 MB; Java 17 must be there). GLANEUR_BIN: the binary
# tested (default: a debug build of this checkout).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

source examples/common.sh
use_python_with pyspark 'pyspark>=4,<5' spark-venv
echo "== $(python -c 'import pyspark; print("pyspark", pyspark.__version__)'), $(java -version 2>&1 | head -n 1)"

use_glaneur_bin

# Spark's console progress bar would hide the lines below.
export PYSPARK_SUBMIT_ARGS="--conf spark.ui.showConsoleProgress=false pyspark-shell"

work="$root/target/spark-test"
rm -rf "$work"
mkdir -p "$work/input"
# HTML pages, text files, a WARC file, and one name in three directories
# (its ~2, ~3 must not depend on which task reads which file).
cp -r fixtures/html fixtures/warc "$work/input/"
mkdir -p "$work/input/text"
cp fixtures/seeds/*.txt "$work/input/text/"
for d in a b c; do
    mkdir -p "$work/input/same/$d"
    cp fixtures/seeds/000_3f9bd092f2235a63.txt "$work/input/same/$d/article.txt"
done

echo "== shards: examples/spark/run.sh INPUT_DIR OUTPUT_DIR (3 tasks)"
run_glaneur "$work/input" > "$work/one-run.jsonl"
GLANEUR_SHARDS=3 examples/spark/run.sh "$work/input" "$work/output"
same_records "$work/one-run.jsonl" "$work/output"

echo "== listing: examples/spark/run.sh --listing LISTING OUTPUT_DIR (2 tasks)"
find "$work/input/html" "$work/input/warc" -type f | sort > "$work/listing.txt"
run_glaneur --files-from "$work/listing.txt" > "$work/listed-run.jsonl"
GLANEUR_SHARDS=2 examples/spark/run.sh --listing "$work/listing.txt" "$work/listing-output"
same_records "$work/listed-run.jsonl" "$work/listing-output"

echo "== filter: rdd.pipe through glaneur extract - (JSONL documents in, 2 partitions)"
python - "$work/input/text" "$work/documents.jsonl" <<'PY'
import json, os, sys
folder, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as f:
    for name in sorted(os.listdir(folder)):
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        f.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
PY
run_glaneur - < "$work/documents.jsonl" > "$work/filtered-run.jsonl"
python - "$work/documents.jsonl" "$work/pipe-output" <<'PY'
import os, shlex, sys
from pyspark.sql import SparkSession
documents, output = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.master("local[2]").appName("glaneur-pipe").getOrCreate()
command = shlex.join([os.environ["GLANEUR_BIN"], "extract", "--quiet", "--no-text", "-"])
spark.sparkContext.textFile(documents, 2).pipe(command).saveAsTextFile(output)
spark.stop()
PY
# Each partition is one glaneur process: `source` counts its own lines.
same_records "$work/filtered-run.jsonl" "$work/pipe-output" source

