#!/usr/bin/env bash
# Runs the Ray job on the fixtures and checks that its records are those of
# one `glaneur extract --format jsonl --no-text` run: the same multiset.
# Installs ray into target/ray-venv when the `python` on PATH has none.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if ! python -c 'import ray' 2>/dev/null; then
    venv="$root/target/ray-venv"
    if ! "$venv/bin/python" -c 'import ray' 2>/dev/null; then
        echo "== installing ray into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet 'ray>=2,<3'
    fi
    export PATH="$venv/bin:$PATH"
fi
if [ -z "${GLANEUR_BIN:-}" ]; then
    cargo build --quiet
    export GLANEUR_BIN="$root/target/debug/glaneur"
fi

work="$root/target/ray-test"
rm -rf "$work"
mkdir -p "$work"
status=0
"$GLANEUR_BIN" extract --quiet --format jsonl --no-text "$root/fixtures" > "$work/one-run.jsonl" || status=$?
[ "$status" -le 1 ]
GLANEUR_SHARDS=3 examples/ray/run.sh fixtures "$work/output"
python - "$work/one-run.jsonl" "$work/output" <<'PY'
import collections, glob, json, sys
def records(paths):
    return collections.Counter(json.dumps(json.loads(l), sort_keys=True)
                               for p in paths for l in open(p, encoding="utf-8") if l.strip())
parts = sorted(glob.glob(f"{sys.argv[2]}/part-*"))
got, want = records(parts), records([sys.argv[1]])
if got != want:
    sys.exit(f"DIFFERENT: {sum((want - got).values())} records missing, {sum((got - want).values())} extra")
print(f"same multiset: {sum(got.values())} records in {len(parts)} part files")
PY
