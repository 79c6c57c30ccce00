#!/usr/bin/env bash
# Runs the Ray job on the fixtures and checks that its records are those of
# one `glaneur extract --format jsonl --no-text` run: the same multiset.
# Installs ray into target/ray-venv when the `python` on PATH has none.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

source examples/common.sh
use_python_with ray 'ray>=2,<3' ray-venv
use_glaneur_bin

work="$root/target/ray-test"
rm -rf "$work"
mkdir -p "$work"
run_glaneur "$root/fixtures" > "$work/one-run.jsonl"
GLANEUR_SHARDS=3 examples/ray/run.sh fixtures "$work/output"
same_records "$work/one-run.jsonl" "$work/output"
