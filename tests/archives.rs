//! Archives end to end: WARC (plain and gzipped), JSONL dumps,
//! `--files-from`, and a corpus with planted bad records where every input
//! record ends as exactly one document or error record.

mod common;

use std::fs;

use common::{glaneur, gzip, warc_record};

fn http_page(body: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}").into_bytes()
}

fn article(n: usize) -> String {
    format!(
        "<html><body><article><h1>Amende numéro {n}</h1><p>La CNIL a infligé le {n} mars 2021 une amende de {n} millions d'euros \
         à la société, pour manquement aux articles 5 et 6 du RGPD, selon un communiqué publié par l'autorité.</p></article></body></html>"
    )
}

#[test]
fn warc_gz_pages_become_documents_with_their_uri_and_fetch_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = Vec::new();
    for n in 1..=3 {
        let uri = format!("https://news.example/{n}");
        file.extend(gzip(&warc_record("request", &uri, b"GET / HTTP/1.1\r\n\r\n")));
        file.extend(gzip(&warc_record("response", &uri, &http_page(&article(n)))));
    }
    let path = dir.path().join("crawl.warc.gz");
    fs::write(&path, &file).unwrap();
    let run = glaneur(&["extract", "--no-text", path.to_str().unwrap()], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    let docs: Vec<&serde_json::Value> = records.iter().filter(|r| r["kind"] == "document").collect();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["doc"], "https://news.example/1");
    assert_eq!(docs[0]["url"], "https://news.example/1");
    assert_eq!(docs[0]["fetched"], "2023-06-15T10:00:00Z");
    assert_eq!(
        docs[0]["published"],
        serde_json::Value::Null,
        "the crawl date is not the publication date"
    );
    let second = gzip(&warc_record(
        "request",
        "https://news.example/1",
        b"GET / HTTP/1.1\r\n\r\n",
    ))
    .len();
    assert_eq!(
        docs[0]["source"],
        format!("{}@{second}", path.display()),
        "the record's offset, to read it again"
    );
    assert!(
        run.stderr.contains("3 records: 3 documents, 0 errors"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("3 archive records without an article"),
        "{}",
        run.stderr
    );
    let amounts = records.iter().filter(|r| r["kind"] == "amount").count();
    assert_eq!(amounts, 3);
}

#[test]
fn planted_bad_records_are_each_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    // Plain WARC: good, lying Content-Length, good, non-HTML, 404.
    let good = |n: usize| warc_record("response", &format!("https://a.example/{n}"), &http_page(&article(n)));
    let lying = String::from_utf8(good(2))
        .unwrap()
        .replacen("Content-Length: ", "Content-Length: 9", 1)
        .into_bytes();
    let image = warc_record(
        "response",
        "https://a.example/logo.png",
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
    );
    let missing = warc_record(
        "response",
        "https://a.example/gone",
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\ngone",
    );
    let plain = [good(1), lying, good(3), image, missing].concat();
    fs::write(dir.path().join("a.warc"), &plain).unwrap();
    // Gzipped WARC: good, a corrupt member, good, then a truncated member.
    let member = gzip(&good(4));
    let mut corrupt = gzip(&good(5));
    let middle = corrupt.len() / 2;
    corrupt[middle..middle + 8].copy_from_slice(b"garbage!");
    let cut = gzip(&good(7));
    let gz = [member.clone(), corrupt, gzip(&good(6)), cut[..cut.len() / 2].to_vec()].concat();
    fs::write(dir.path().join("b.warc.gz"), &gz).unwrap();
    // Not a WARC at all, named as one.
    fs::write(dir.path().join("c.warc"), "<html>hello</html>").unwrap();
    // A JSONL dump with a broken line.
    let dump = format!(
        "{}\nnot json\n{}\n",
        serde_json::json!({"id": "j1", "html": article(8), "published": "2021-03-09"}),
        serde_json::json!({"url": "https://j.example/2", "text": "La CNIL a infligé une amende de 3 millions d'euros."})
    );
    fs::write(dir.path().join("d.jsonl"), dump).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let list = elsewhere.path().join("list.txt");
    fs::write(
        &list,
        format!("{}\n{}\n", dir.path().display(), dir.path().join("d.jsonl").display()),
    )
    .unwrap();

    let run = glaneur(&["extract", "--no-text", "--files-from", list.to_str().unwrap()], None);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let got = run.outcomes();
    let codes: Vec<&str> = got.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "document",
            "bad_record",
            "document", // a.warc
            "document",
            "bad_gzip",
            "document",
            "truncated_gzip", // b.warc.gz
            "not_warc",       // c.warc
            "document",
            "bad_record",
            "document", // d.jsonl
        ],
        "{got:?}"
    );
    assert_eq!(got[0].0, "https://a.example/1");
    assert!(
        got[1].0.starts_with("a@"),
        "an error names the file and offset: {}",
        got[1].0
    );
    assert_eq!(got[8].0, "j1");
    assert_eq!(got[10].0, "https://j.example/2");
    let j1 = run.records().into_iter().find(|r| r["doc"] == "j1").unwrap();
    assert_eq!(j1["published"], "2021-03-09");
    assert!(
        run.stderr
            .contains("11 records: 6 documents, 5 errors (bad_gzip 1, bad_record 2, not_warc 1, truncated_gzip 1)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("2 archive records without an article"),
        "{}",
        run.stderr
    );
}
