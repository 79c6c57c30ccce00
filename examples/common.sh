# Shared by the examples' test scripts (sourced, not run): a Python that
# has the engine's module, the binary under test, and the comparison of
# their records with one `glaneur extract` run.

# Puts on PATH a Python that can import MODULE: the one already there, or a
# venv in target/VENV where PIP_SPEC is installed once.
#   use_python_with MODULE PIP_SPEC VENV
use_python_with() {
    local module=$1 spec=$2 venv="$root/target/$3"
    python -c "import $module" 2>/dev/null && return
    if ! "$venv/bin/python" -c "import $module" 2>/dev/null; then
        echo "== installing $spec into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "$spec"
    fi
    export PATH="$venv/bin:$PATH"
}

# GLANEUR_BIN: the binary tested (default: a debug build of this checkout).
use_glaneur_bin() {
    if [ -z "${GLANEUR_BIN:-}" ]; then
        cargo build --quiet
        export GLANEUR_BIN="$root/target/debug/glaneur"
    fi
}

# `glaneur extract --quiet --format jsonl --no-text ARGS…`; exit status 1
# (some input was an error record) is an answer, not a failure.
run_glaneur() {
    local status=0
    "$GLANEUR_BIN" extract --quiet --format jsonl --no-text "$@" || status=$?
    [ "$status" -le 1 ]
}

# The same multiset of records in EXPECTED (one file) and in OUTPUTS/part-*,
# the fields named after them left out; prints what it compared.
#   same_records EXPECTED OUTPUTS [FIELD…]
same_records() {
    python - "$@" <<'PY'
import collections, glob, json, sys
expected, outputs, left_out = sys.argv[1], sys.argv[2], sys.argv[3:]
def record(line):
    fields = json.loads(line)
    for name in left_out:
        fields.pop(name, None)
    return json.dumps(fields, sort_keys=True)
def records(paths):
    lines = (line for path in paths for line in open(path, encoding="utf-8") if line.strip())
    return collections.Counter(record(line) for line in lines)
want = records([expected])
parts = sorted(glob.glob(f"{outputs}/part-*"))
got = records(parts)
documents = sum(n for r, n in got.items() if json.loads(r)["kind"] in ("document", "error"))
if got != want:
    print(f"DIFFERENT: {sum((want - got).values())} records missing, {sum((got - want).values())} extra")
    for r in list((want - got).elements())[:5]:
        print("  missing", r[:200])
    for r in list((got - want).elements())[:5]:
        print("  extra  ", r[:200])
    sys.exit(1)
print(f"same multiset: {sum(got.values())} records ({documents} documents) in {len(parts)} part files")
PY
}
