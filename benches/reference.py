"""Same-run reference: glaneur beside trafilatura (fast) and htmldate.

usage: reference.py GLANEUR BENCH PAGES [--repeat N]

GLANEUR is the release binary, BENCH the directory of the development sets
(../shared/bench), PAGES a directory holding each set's pages already
decompressed (PAGES/<set>/<page>.html), so that every tool reads the same
files. Each tool runs as its own process over a whole set, timed from its
start to its end: interpreter start and imports for the Python tools,
start-up and rule compilation for glaneur. With --repeat N each timing is
the best of N runs, taken in turn, so that a busy spell of the machine
falls on every tool alike. Quality is scored by each set's `score` script
(the article-extraction set, which has none, by its README's shingle
metric) on the outputs of the timed runs.

Then the publication dates once more, untimed, on copies of the
published-dates pages with what they state for machines taken out (see
STRIPPED): the dates a tool finds on pages that only show them.

Run through benches/reference.sh, which builds the binary, makes the
Python environment with pinned versions and decompresses the pages."""

import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

SETS = ["article-extraction", "published-dates", "segments"]

# Each Python tool's whole run: read every page of a directory, write one
# JSONL record per page in the shape the sets' score scripts read.
TRAFILATURA = """
import json, sys
from pathlib import Path
from trafilatura import extract
out = open(sys.argv[2], "w", encoding="utf-8")
for page in sorted(Path(sys.argv[1]).iterdir()):
    text = extract(page.read_bytes(), fast=True)
    out.write(json.dumps({"kind": "document", "doc": page.stem, "text": text or ""}) + "\\n")
"""

HTMLDATE = """
import json, sys
from pathlib import Path
from htmldate import find_date
out = open(sys.argv[2], "w", encoding="utf-8")
for page in sorted(Path(sys.argv[1]).iterdir()):
    date = find_date(page.read_bytes(), original_date=True, extensive_search=True)
    out.write(json.dumps({"kind": "document", "doc": page.stem, "published": date}) + "\\n")
"""


# What the stripped copies of the published-dates pages lose: JSON-LD
# scripts; <meta> and <link> tags (the canonical address too); and both,
# with the datetime, pubdate and itemprop attributes besides.
JSON_LD = re.compile(r"<script[^>]*ld\+json[^>]*>.*?</script>", re.S | re.I)
META_LINK = re.compile(r"<(?:meta|link)\b[^>]*>", re.I)
MACHINE_ATTRIBUTES = re.compile(r"""\s(?:datetime|pubdate|itemprop)(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?""", re.I)
STRIPPED = {
    "without JSON-LD": [JSON_LD],
    "without <meta>, <link>": [META_LINK],
    "without any of these": [JSON_LD, META_LINK, MACHINE_ATTRIBUTES],
}


def stripped_dates(glaneur, bench, pages, out):
    """Rows (variant, tool, quality) of both date tools on each stripped
    copy of the published-dates pages."""
    rows = []
    for n, (variant, patterns) in enumerate(STRIPPED.items()):
        html = out / f"stripped-{n}"
        html.mkdir()
        for page in sorted((pages / "published-dates").iterdir()):
            text = page.read_text(encoding="utf-8", errors="replace")
            for pattern in patterns:
                text = pattern.sub("", text)
            (html / page.name).write_text(text, encoding="utf-8")
        ours, theirs = out / f"stripped-{n}.glaneur.jsonl", out / f"stripped-{n}.htmldate.jsonl"
        timed([glaneur, "extract", "--threads", "1", "--format", "jsonl", "--no-text", "--quiet", str(html)], ours)
        timed([sys.executable, "-c", HTMLDATE, str(html), str(theirs)], out / "htmldate.log")
        for tool, pred in [("glaneur", ours), ("htmldate", theirs)]:
            rows.append((variant, tool, score(bench / "published-dates" / "score", pred)))
    return rows


def timed(command, out_path):
    """Seconds the command takes from its start to its end, and seconds of
    processor it uses (user and system); its output goes to out_path."""
    with open(out_path, "w", encoding="utf-8") as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, stdout=out, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_of(repeat, runs):
    """Each named run `repeat` times, in turn; the best wall and processor
    times of each."""
    best = {}
    for _ in range(repeat):
        for name, (command, out_path) in runs.items():
            wall, cpu = timed(command, out_path)
            old = best.get(name, (wall, cpu))
            best[name] = (min(old[0], wall), min(old[1], cpu))
    return best


def score(script, pred):
    return subprocess.run([sys.executable, str(script), str(pred)], capture_output=True, text=True, check=True).stdout.strip()


def shingles(text):
    tokens = re.findall(r"\w+", text)
    if 0 < len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def article_f1(ground_truth, pred):
    """The article-extraction set's shingle F1 (its README), the body
    compared without the title glaneur puts first."""
    truth = json.loads(Path(ground_truth).read_text(encoding="utf-8"))
    bodies = {}
    for line in open(pred, encoding="utf-8"):
        r = json.loads(line)
        if r.get("kind") == "document":
            text, title = r.get("text") or "", r.get("title")
            if title and text.startswith(title):
                text = text[len(title) :].lstrip()
            bodies[r["doc"]] = text
    precisions, recalls = [], []
    for doc, t in truth.items():
        p, g = shingles(bodies.get(doc, "")), shingles(t["articleBody"])
        tp = sum((p & g).values())
        if p:
            precisions.append(tp / sum(p.values()))
        if g:
            recalls.append(tp / sum(g.values()))
    mp = sum(precisions) / max(len(precisions), 1)
    mr = sum(recalls) / max(len(recalls), 1)
    f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    return f"shingles: P {mp:.3f} R {mr:.3f} F1 {f1:.3f}"


def main():
    glaneur, bench, pages = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    out = Path(tempfile.mkdtemp(prefix="glaneur-reference-"))
    rows = []
    for name in SETS:
        html = pages / name
        count = sum(1 for _ in html.iterdir())
        runs = {
            "glaneur": ([glaneur, "extract", "--threads", "1", "--format", "jsonl", "--quiet", str(html)], out / f"{name}.glaneur.jsonl"),
            "trafilatura fast": ([sys.executable, "-c", TRAFILATURA, str(html), str(out / f"{name}.trafilatura.jsonl")], out / "trafilatura.log"),
        }
        if name == "published-dates":
            runs["htmldate"] = ([sys.executable, "-c", HTMLDATE, str(html), str(out / f"{name}.htmldate.jsonl")], out / "htmldate.log")
        secs = best_of(repeat, runs)
        preds = {"glaneur": out / f"{name}.glaneur.jsonl", "trafilatura fast": out / f"{name}.trafilatura.jsonl", "htmldate": out / f"{name}.htmldate.jsonl"}
        for tool, s in secs.items():
            if name == "article-extraction":
                quality = article_f1(bench / name / "ground-truth.json", preds[tool])
            elif name == "published-dates" and tool != "trafilatura fast":
                quality = score(bench / name / "score", preds[tool])
            elif name == "segments":
                quality = score(bench / name / "score", preds[tool])
            else:
                quality = ""
            rows.append((name, tool, count, s, quality))
    print("wall: from start to end; cpu: processor time used (steadier on a busy machine)")
    print(f"{'set':<20} {'tool':<17} {'pages':>5} {'wall s':>7} {'pages/s':>8} {'cpu s':>7} {'pages/cpu-s':>11}  quality")
    for name, tool, count, (wall, cpu), quality in rows:
        print(f"{name:<20} {tool:<17} {count:>5} {wall:>7.2f} {count / wall:>8.1f} {cpu:>7.2f} {count / cpu:>11.1f}  {quality}")
    print("glaneur pages/s as a multiple of trafilatura fast's (same run), by wall and by cpu time:")
    for name in SETS:
        t = {tool: s for n, tool, _, s, _ in rows if n == name}
        wall = t["trafilatura fast"][0] / t["glaneur"][0]
        cpu = t["trafilatura fast"][1] / t["glaneur"][1]
        print(f"  {name:<20} {wall:.2f}x  {cpu:.2f}x")
    print("publication dates on the published-dates pages stripped of what they state for machines:")
    for variant, tool, quality in stripped_dates(glaneur, bench, pages, out):
        print(f"  {variant:<24} {tool:<9} {quality}")
    print(f"outputs in {out}")


if __name__ == "__main__":
    main()
