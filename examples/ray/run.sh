#!/usr/bin/env bash
# glaneur over INPUT_DIR as Ray tasks, one a shard, writing JSONL part files
# to OUTPUT_DIR. Needs `python` on PATH with ray 2. See README.md.
#   examples/ray/run.sh INPUT_DIR OUTPUT_DIR
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 INPUT_DIR OUTPUT_DIR" >&2
    exit 2
fi
exec python "$(dirname "$0")/glaneur_ray.py" "$@"
