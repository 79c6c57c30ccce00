//! No input can stop a batch: a panic while reading, extracting or finding
//! the facts of one input is that input's `internal_error` record, a broken
//! archive member loses no record after it, and oversized dump lines are
//! refused before they are read into memory. The panics are planted with
//! the debug-only hook `GLANEUR_TEST_PANIC=STAGE:TEXT`.

mod common;

use std::fs;
use std::io::Write;

use common::server::{response, Reply, Server};
use common::{glaneur, glaneur_with_env, gzip, warc_record};
use serde_json::Value;

fn page(n: usize) -> String {
    format!(
        "<html><head><title>Amende {n}</title></head><body><article><h1>Amende numéro {n}</h1>\
         <p>La CNIL a infligé le {n} mars 2021 une amende de {n} millions d'euros à la société, \
         pour manquement aux articles 5 et 6 du RGPD, selon un communiqué de l'autorité.</p></article></body></html>"
    )
}

fn five_pages() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (n, name) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        fs::write(dir.path().join(format!("{name}.html")), page(n + 1)).unwrap();
    }
    dir
}

#[test]
fn a_panic_at_any_stage_costs_one_record_and_the_batch_goes_on() {
    let dir = five_pages();
    for stage in ["read", "extract", "facts"] {
        for threads in ["1", "2"] {
            let run = glaneur_with_env(
                &[
                    "extract",
                    "--no-text",
                    "--threads",
                    threads,
                    dir.path().to_str().unwrap(),
                ],
                None,
                &[("GLANEUR_TEST_PANIC", &format!("{stage}:c.html"))],
            );
            assert_eq!(
                run.status, 1,
                "{stage}: some input failed, the rest ran: {}",
                run.stderr
            );
            let expected: Vec<(String, String)> = ["a", "b", "c", "d", "e"]
                .iter()
                .map(|n| {
                    (
                        n.to_string(),
                        if *n == "c" { "internal_error" } else { "document" }.to_string(),
                    )
                })
                .collect();
            assert_eq!(run.outcomes(), expected, "{stage} with {threads} threads");
            let error = run.records().into_iter().find(|r| r["kind"] == "error").unwrap();
            assert!(error["source"].as_str().unwrap().ends_with("c.html"));
            let message = error["message"].as_str().unwrap();
            assert!(message.contains(&format!("test panic at {stage}")), "{message}");
            assert!(message.contains(".rs:"), "the message says where: {message}");
            assert!(
                run.stderr.contains("internal_error 1"),
                "the summary counts it: {}",
                run.stderr
            );
            assert!(!run.stderr.contains("thread '"), "no panic report: {}", run.stderr);
        }
    }
}

#[test]
fn a_panic_while_reading_a_dump_record_costs_that_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl");
    let lines: Vec<String> = (1..=3)
        .map(|n| serde_json::json!({"id": format!("art-{n}"), "html": page(n)}).to_string())
        .collect();
    fs::write(&path, lines.join("\n")).unwrap();
    let run = glaneur_with_env(
        &["extract", "--no-text", path.to_str().unwrap()],
        None,
        &[("GLANEUR_TEST_PANIC", "read:dump.jsonl:2")],
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_eq!(
        run.outcomes(),
        [
            ("art-1".to_string(), "document".to_string()),
            ("dump".into(), "internal_error".into()),
            ("art-3".into(), "document".into())
        ]
    );
}

#[test]
fn a_dump_line_over_the_size_limit_is_refused_and_the_next_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl");
    let mut file = fs::File::create(&path).unwrap();
    writeln!(
        file,
        "{}",
        serde_json::json!({"id": "before", "text": "Le 3 mars 2021."})
    )
    .unwrap();
    let huge = "x".repeat(33 * 1024 * 1024);
    writeln!(file, "{}", serde_json::json!({"id": "huge", "text": huge})).unwrap();
    writeln!(
        file,
        "{}",
        serde_json::json!({"id": "after", "text": "Le 4 mars 2021."})
    )
    .unwrap();
    drop(file);
    let run = glaneur(&["extract", "--no-text", path.to_str().unwrap()], None);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_eq!(
        run.outcomes(),
        [
            ("before".to_string(), "document".to_string()),
            ("dump:2".into(), "too_large".into()),
            ("after".into(), "document".into())
        ]
    );
}

/// Thirteen records of a request and a response each; the response member
/// of record 7 is cut short, right before record 8's two members.
#[test]
fn a_warc_member_cut_short_loses_no_record_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = Vec::new();
    for n in 1..=13 {
        let uri = format!("https://news.example/{n}");
        file.extend(gzip(&warc_record("request", &uri, b"GET / HTTP/1.1\r\n\r\n")));
        let http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{}",
            page(n)
        );
        let member = gzip(&warc_record("response", &uri, http.as_bytes()));
        if n == 7 {
            file.extend_from_slice(&member[..member.len() / 2]);
        } else {
            file.extend(member);
        }
    }
    let path = dir.path().join("crawl.warc.gz");
    fs::write(&path, &file).unwrap();
    let run = glaneur(&["extract", "--no-text", path.to_str().unwrap()], None);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let got = run.outcomes();
    let documents: Vec<&str> = got
        .iter()
        .filter(|(_, code)| code == "document")
        .map(|(doc, _)| doc.as_str())
        .collect();
    let expected: Vec<String> = (1..=13)
        .filter(|n| *n != 7)
        .map(|n| format!("https://news.example/{n}"))
        .collect();
    assert_eq!(documents, expected, "every good record, 8 included");
    let errors: Vec<Value> = run.records().into_iter().filter(|r| r["kind"] == "error").collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("https://news.example/7"),
        "the broken record's URI: {}",
        errors[0]
    );
}

#[test]
fn year_ranges_with_multi_byte_dashes_are_read() {
    let text = "Baugeschichte\n\n1957–1959 Erster Bauabschnitt, 1960—1962 zweiter. Kosten: 3 Mio. € (2016–18).\n";
    let run = glaneur(&["extract", "--lang", "en", "-"], Some(text.as_bytes()));
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    assert_eq!(records[0]["kind"], "document");
    let doc_text = records[0]["text"].as_str().unwrap();
    for fact in &records[1..] {
        let (start, end) = (
            fact["start"].as_u64().unwrap() as usize,
            fact["end"].as_u64().unwrap() as usize,
        );
        let cut: String = doc_text.chars().skip(start).take(end - start).collect();
        assert_eq!(cut, fact["text"].as_str().unwrap());
    }
}

#[test]
fn a_panic_in_a_fetch_worker_costs_one_url() {
    let ok = || -> Box<dyn Fn(usize) -> Reply + Send + Sync> {
        Box::new(|_| {
            Reply::Raw(response(
                "200 OK",
                &[("Content-Type", "text/html")],
                b"<html><body><p>Le 3 mars 2021.</p></body></html>",
            ))
        })
    };
    let server = Server::start(vec![("/a", ok()), ("/b", ok()), ("/c", ok())]);
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("out.warc.gz");
    let urls: Vec<String> = ["/a", "/b", "/c"].iter().map(|p| server.url(p)).collect();
    let mut args = vec!["fetch", "--per-host-rate", "100", "--warc", warc.to_str().unwrap()];
    args.extend(urls.iter().map(String::as_str));
    let run = glaneur_with_env(&args, None, &[("GLANEUR_TEST_PANIC", "fetch:/b")]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let codes: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(codes, ["ok", "internal_error", "ok"]);
}
