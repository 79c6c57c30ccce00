//! Archives at scale: a WARC.gz corpus of over 1 GB of HTML, built once
//! from the public extraction set (repeated, so it is real HTML), read and
//! decompressed alone, then extracted end to end with one thread and with
//! all, with the peak resident memory of each run.
//!
//! `cargo bench --bench archive` (the corpus is cached in `target/bench-corpus/`)

mod common;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use flate2::{write::GzEncoder, Compression};
use glaneur_warc::{pages as warc_pages, ArchiveItem, WarcReader};

const TARGET_HTML_BYTES: usize = 1_000_000_000;

fn record(uri: &str, html: &[u8]) -> Vec<u8> {
    let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    block.extend_from_slice(html);
    glaneur_warc::record(
        &[
            ("WARC-Type", "response"),
            ("WARC-Target-URI", uri),
            ("WARC-Date", "2024-01-01T00:00:00Z"),
            ("Content-Type", "application/http; msgtype=response"),
        ],
        &block,
    )
}

/// Builds the corpus unless it is there: one gzip member a record.
fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let path = dir.join("corpus-1gb.warc.gz");
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let pages = common::pages();
    let partial = dir.join("corpus-1gb.warc.gz.partial");
    let mut out = BufWriter::new(File::create(&partial).unwrap());
    let (mut written, mut copy) = (0, 0);
    while written < TARGET_HTML_BYTES {
        for p in &pages {
            let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
            gz.write_all(&record(&format!("https://bench.example/{}?copy={copy}", p.id), &p.html))
                .unwrap();
            out.write_all(&gz.finish().unwrap()).unwrap();
            written += p.html.len();
        }
        copy += 1;
    }
    out.flush().unwrap();
    std::fs::rename(&partial, &path).unwrap();
    path
}

fn read_only(path: &Path) -> (usize, usize, f64) {
    let start = Instant::now();
    let (mut pages, mut bytes) = (0, 0);
    for item in warc_pages(WarcReader::new(File::open(path).unwrap())) {
        if let ArchiveItem::Page(p) = item {
            pages += 1;
            bytes += p.body.len();
        }
    }
    (pages, bytes, start.elapsed().as_secs_f64())
}

/// Runs `glaneur extract` on the corpus; seconds and peak memory (MB, from
/// its summary).
fn end_to_end(path: &Path, threads: usize) -> (f64, String) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_glaneur"))
        .args(["extract", "--no-text", "--threads", &threads.to_string()])
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let secs = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stderr.lines().last().unwrap_or("").to_string();
    let memory = summary.rsplit("peak memory ").next().unwrap_or("?").to_string();
    (secs, memory)
}

fn main() {
    let path = corpus();
    let compressed = std::fs::metadata(&path).unwrap().len() as f64 / 1e6;
    let (pages, bytes, read_secs) = read_only(&path);
    let mb = bytes as f64 / 1e6;
    println!("corpus: {pages} pages, {mb:.0} MB of HTML, {compressed:.0} MB gzipped WARC");
    println!(
        "read + decompress only   {:>7.0} pages/s  {:>6.1} MB/s",
        pages as f64 / read_secs,
        mb / read_secs
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut one = 0.0;
    for threads in [1, cores] {
        let (secs, memory) = end_to_end(&path, threads);
        if threads == 1 {
            one = secs;
        }
        println!(
            "end to end, {threads} thread(s) {:>7.0} pages/s  {:>6.1} MB/s  ({:.2}x one thread, {:.0}% of read-only rate)  peak memory {memory}",
            pages as f64 / secs,
            mb / secs,
            one / secs,
            100.0 * read_secs / secs
        );
    }
}
