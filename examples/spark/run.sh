#!/usr/bin/env bash
# glaneur over INPUT_DIR as a Spark job: GLANEUR_SHARDS tasks, each running
# `glaneur extract --shard K/N`, writing JSONL part files to OUTPUT_DIR.
#   examples/spark/run.sh INPUT_DIR OUTPUT_DIR
#   examples/spark/run.sh --listing LISTING OUTPUT_DIR
# Needs `python` on PATH with pyspark 4 (and Java 17). SPARK_MASTER picks
# the cluster (default local[2]); see README.md for the other settings.
set -euo pipefail
if [ $# -ne 2 ] && { [ $# -ne 3 ] || [ "$1" != --listing ]; }; then
    echo "usage: $0 INPUT_DIR OUTPUT_DIR | $0 --listing LISTING OUTPUT_DIR" >&2
    exit 2
fi
export SPARK_MASTER="${SPARK_MASTER:-local[2]}"
exec python "$(dirname "$0")/glaneur_job.py" "$@"
