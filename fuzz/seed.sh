#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from fixtures/ (the corpus grows
# while fuzzing and is not committed).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/warc corpus/html corpus/facts
cp ../fixtures/html/*.html corpus/html/
cp ../fixtures/seeds/*.txt corpus/facts/
cp ../fixtures/warc/*.warc* corpus/warc/ 2>/dev/null || true
