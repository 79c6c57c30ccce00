//! The same binary as one stage of a cluster job: `--shard K/N` splits a
//! run into parts that together are the whole run, and JSONL documents on
//! standard input stream through as a filter (`rdd.pipe`, GNU parallel).

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{glaneur, gzip, Run};
use serde_json::Value;

const ARTICLE: &str = "La CNIL a infligé le 3 mars 2022 une amende de 20 millions d'euros \
                       pour violation de l'article 17 du RGPD.";

/// `glaneur ARGS` run from `dir`, so that paths (and so shards) are the
/// same from one test run to the next.
fn glaneur_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_glaneur"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the glaneur binary runs");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// HTML pages, text files, a WARC file, a broken gzip file, and four
/// articles of one name in four directories.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for (from, to, ext) in [
        ("html", "html", "html"),
        ("seeds", "text", "txt"),
        ("warc", "warc", "gz"),
    ] {
        fs::create_dir_all(corpus.join(to)).unwrap();
        for entry in fs::read_dir(fixtures.join(from)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == ext) {
                fs::copy(&path, corpus.join(to).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    for name in ["a", "b", "c", "d"] {
        fs::create_dir_all(corpus.join("same").join(name)).unwrap();
        fs::write(corpus.join("same").join(name).join("article.txt"), ARTICLE).unwrap();
    }
    let broken = gzip(ARTICLE.as_bytes());
    fs::write(corpus.join("broken.txt.gz"), &broken[..broken.len() / 2]).unwrap();
    dir
}

fn sorted_lines(stdout: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = stdout.lines().collect();
    lines.sort_unstable();
    lines
}

fn documents(run: &Run) -> Vec<String> {
    run.records()
        .iter()
        .filter(|r| r["kind"] == "document" || r["kind"] == "error")
        .map(|r| r["doc"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn three_shards_together_are_the_whole_run_with_the_same_docs() {
    let dir = corpus();
    let whole = glaneur_in(dir.path(), &["extract", "--quiet", "--no-text", "corpus"]);
    assert_eq!(whole.status, 1, "the broken file fails: {}", whole.stderr);
    let shards: Vec<Run> = (1..=3)
        .map(|k| {
            let shard = format!("{k}/3");
            glaneur_in(
                dir.path(),
                &["extract", "--quiet", "--no-text", "--shard", &shard, "corpus"],
            )
        })
        .collect();
    for (k, shard) in shards.iter().enumerate() {
        assert_ne!(shard.status, 2, "shard {}: {}", k + 1, shard.stderr);
        assert!(!documents(shard).is_empty(), "shard {} has inputs", k + 1);
    }
    let together: String = shards.iter().map(|s| s.stdout.as_str()).collect();
    assert_eq!(sorted_lines(&together), sorted_lines(&whole.stdout));

    let same_name = documents(&whole).into_iter().filter(|d| d.starts_with("article"));
    assert_eq!(
        same_name.collect::<Vec<_>>(),
        ["article", "article~2", "article~3", "article~4"]
    );
    let shards_of_same_name = shards
        .iter()
        .filter(|s| documents(s).iter().any(|d| d.starts_with("article")))
        .count();
    assert!(
        shards_of_same_name > 1,
        "the files of one name fall in several shards, and keep the whole run's suffixes"
    );
}

#[test]
fn one_shard_of_one_is_the_whole_run() {
    let whole = glaneur(&["extract", "--quiet", "--no-text", "fixtures"], None);
    let shard = glaneur(&["extract", "--quiet", "--no-text", "--shard", "1/1", "fixtures"], None);
    assert_eq!(whole.status, 0, "{}", whole.stderr);
    assert_eq!(shard.stdout, whole.stdout);
}

#[test]
fn shards_are_k_of_n_with_k_from_1_to_n() {
    for bad in ["0/3", "4/3", "1/0", "2", "a/b", "3/2"] {
        let run = glaneur(&["extract", "--shard", bad, "fixtures/html"], None);
        assert_eq!(run.status, 2, "--shard {bad}");
        assert!(run.stderr.contains("--shard"), "{bad}: {}", run.stderr);
    }
}

#[test]
fn standard_input_cannot_be_split() {
    // Refused before reading: no input is written, which would race the exit.
    let run = glaneur(&["extract", "--shard", "1/2", "-"], None);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("standard input"), "{}", run.stderr);
}

/// Lines of a child's standard output as they come.
fn lines_of(stdout: std::process::ChildStdout) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if send.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    receive
}

/// Waits for the `document` record of `doc`; the limit only turns a filter
/// that does not stream into a failure instead of a hang.
fn wait_for_document(lines: &mpsc::Receiver<String>, doc: &str) {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|e| panic!("no record of {doc} while standard input is open: {e}"));
        let record: Value = serde_json::from_str(&line).unwrap();
        if record["kind"] == "document" && record["doc"] == doc {
            return;
        }
    }
}

#[test]
fn a_filter_writes_each_document_before_the_next_one_comes() {
    for threads in ["1", "2"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_glaneur"))
            .args(["extract", "--quiet", "--no-text", "--threads", threads, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let lines = lines_of(child.stdout.take().unwrap());
        for id in ["un", "deux"] {
            let line = serde_json::json!({"id": id, "text": ARTICLE});
            writeln!(stdin, "{line}").unwrap();
            stdin.flush().unwrap();
            wait_for_document(&lines, id);
        }
        drop(stdin);
        let status = child.wait().unwrap();
        assert!(status.success(), "--threads {threads}: exits 0 at the end of input");
    }
}

#[test]
fn a_filter_reads_no_faster_than_its_output_is_taken() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_glaneur"))
        .args(["extract", "--quiet", "--no-text", "--threads", "2", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let documents = 2000;
    let padding = "x".repeat(1000);
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writer = {
        let written = std::sync::Arc::clone(&written);
        std::thread::spawn(move || {
            for i in 0..documents {
                let line = serde_json::json!({"id": format!("d{i}"), "text": ARTICLE, "padding": padding});
                writeln!(stdin, "{line}").unwrap();
                written.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        })
    };
    // Nobody reads the output yet: the input must stop being taken once
    // the pipes and the few batches in flight are full.
    let mut last = usize::MAX;
    loop {
        std::thread::sleep(Duration::from_secs(2));
        let now = written.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            now < documents,
            "all {documents} documents were taken with no output read"
        );
        if now == last {
            break;
        }
        last = now;
    }
    let mut records = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let record: Value = serde_json::from_str(&line.unwrap()).unwrap();
        records += usize::from(record["kind"] == "document");
    }
    writer.join().unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(records, documents, "once output is read, every document comes out");
}

#[test]
fn a_filter_keeps_input_order_and_reports_bad_lines_as_records() {
    let mut input = String::new();
    for i in 0..40 {
        input += &format!("{}\n", serde_json::json!({"id": format!("d{i}"), "text": ARTICLE}));
    }
    input += "not JSON\n";
    input += "{\"title\":\"no text\"}\n";
    input += &format!(
        "{}\n",
        serde_json::json!({"url": "https://news.example/a", "html": format!("<p>{ARTICLE}</p>")})
    );
    let run = glaneur(&["extract", "--quiet", "--no-text", "-"], Some(input.as_bytes()));
    assert_eq!(run.status, 0, "bad lines are records of the stream: {}", run.stderr);
    let mut expected: Vec<String> = (0..40).map(|i| format!("d{i}")).collect();
    expected.extend(["stdin:41", "stdin:42", "https://news.example/a"].map(String::from));
    assert_eq!(documents(&run), expected);
    let sources: Vec<Value> = run
        .records()
        .into_iter()
        .filter(|r| r["kind"] == "error")
        .map(|r| r["source"].clone())
        .collect();
    assert_eq!(sources, ["-:41", "-:42"]);
}

#[test]
fn a_filter_reads_other_field_names() {
    let line = serde_json::json!({"uuid": "x1", "body": ARTICLE});
    let run = glaneur(
        &[
            "extract",
            "--quiet",
            "--jsonl-field",
            "text=body",
            "--jsonl-field",
            "id=uuid",
            "-",
        ],
        Some(format!("\n{line}\n").as_bytes()),
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    assert_eq!(records[0]["doc"], "x1");
    assert_eq!(records[0]["source"], "-:2");
    assert!(records.iter().any(|r| r["kind"] == "gdpr_article"));
}
