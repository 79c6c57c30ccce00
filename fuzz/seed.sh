#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds: the fixtures, and the real pages of
# ../shared/bench (read in place: their HTML for `html`, their text lines for
# `facts`, small WARC files of them for `warc`). The corpus grows while
# fuzzing and is not committed.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/warc corpus/html corpus/facts
cp ../fixtures/html/*.html corpus/html/
cp ../fixtures/seeds/*.txt corpus/facts/
cp ../fixtures/warc/*.warc* corpus/warc/ 2>/dev/null || true
bench=../../shared/bench
[ -d "$bench" ] || bench=../shared/bench
[ -d "$bench" ] || { echo "no bench pages found; fixtures only" >&2; exit 0; }
for page in "$bench"/*/html/*.html.gz; do
  name=$(basename "$page" .html.gz)
  gunzip -c "$page" > "corpus/html/$name.html"
  # Facts: the page's text lines with digits (where dates and sums are),
  # a few KB a seed.
  gunzip -c "$page" | sed -e 's/<[^>]*>/ /g' | grep '[0-9]' | head -c 4096 > "corpus/facts/$name.txt" || true
done
# WARC: a few pages each as one gzipped response record.
for page in $(ls "$bench"/article-extraction/html/*.html.gz | head -40); do
  name=$(basename "$page" .html.gz)
  body=$(mktemp)
  { printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n'; gunzip -c "$page"; } > "$body"
  len=$(stat -c %s "$body")
  { printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/%s\r\nContent-Length: %s\r\n\r\n' "$name" "$len"
    cat "$body"; printf '\r\n\r\n'; } | gzip -c > "corpus/warc/$name.warc.gz"
  rm -f "$body"
done
