#!/bin/sh
# Same-run reference: times `glaneur extract --threads 1` beside trafilatura
# (fast) and htmldate on the three development sets, and scores each.
#
# usage: benches/reference.sh [--repeat N]
#
# The Python tools, at pinned versions, go into a virtual environment under
# target/ (made once); the release binary is built first; every set's pages
# are decompressed into a temporary directory that all the tools read.
# GLANEUR_BENCH names the sets' directory (default ../shared/bench).
set -eu
cd "$(dirname "$0")/.."
bench=${GLANEUR_BENCH:-../shared/bench}
venv=target/reference-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet trafilatura==2.3.1 htmldate==1.11.0 lxml==6.1.3 lxml_html_clean==0.4.6
fi
cargo build --release --quiet
pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
for set in article-extraction published-dates segments; do
    mkdir "$pages/$set"
    for page in "$bench/$set"/html/*.gz; do
        name=$(basename "$page" .gz)
        gzip -dc "$page" > "$pages/$set/$name"
    done
done
"$venv/bin/python" benches/reference.py target/release/glaneur "$bench" "$pages" "$@"
