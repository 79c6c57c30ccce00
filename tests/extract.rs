//! `glaneur extract` end to end: inputs, bad inputs, output formats.

mod common;

use std::fs;

use common::{glaneur, gzip};
use serde_json::Value;

const ARTICLE: &str =
    "La CNIL a infligé le 20 octobre 2022 une amende de 20 millions d'euros, selon l'article 83 du RGPD.";

#[test]
fn every_bad_input_gets_a_record_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::write(p("a-empty.txt"), b"").unwrap();
    fs::write(p("b-binary.html"), b"\x00\x01\x02\x03binary\x00data").unwrap();
    fs::write(p("c-pdf.txt"), b"%PDF-1.7\n1 0 obj").unwrap();
    let packed = gzip(ARTICLE.as_bytes());
    fs::write(p("d-truncated.html.gz"), &packed[..packed.len() / 2]).unwrap();
    fs::write(
        p("e-invalid-utf8.txt"),
        b"La CNIL a inflig\xe9 une amende \xff\xfe de 20 millions d'euros.",
    )
    .unwrap();
    let mut big = b"<html><body><p>".to_vec();
    big.resize(50 * 1024 * 1024, b'a');
    fs::write(p("f-big.html"), big).unwrap();
    fs::write(
        p("g-nested.html"),
        "<div>".repeat(100_000) + "texte" + &"</div>".repeat(100_000),
    )
    .unwrap();
    fs::write(p("h-good.txt"), ARTICLE).unwrap();
    fs::write(
        p("i-good.html.gz"),
        gzip(format!("<html><body><p>{ARTICLE}</p></body></html>").as_bytes()),
    )
    .unwrap();
    fs::write(p("notes.md"), "not an article: directories take article files only").unwrap();

    let run = glaneur(&["extract", dir.path().to_str().unwrap(), "--no-text"], None);
    assert_eq!(run.status, 1, "an input failed, so the status is 1: {}", run.stderr);
    let records = run.records();
    let outcome: Vec<(String, String)> = records
        .iter()
        .filter(|r| r["kind"] == "document" || r["kind"] == "error")
        .map(|r| {
            let what = if r["kind"] == "error" {
                r["code"].as_str().unwrap()
            } else {
                "document"
            };
            (r["doc"].as_str().unwrap().to_string(), what.to_string())
        })
        .collect();
    let expected = [
        ("a-empty", "empty"),
        ("b-binary", "not_text"),
        ("c-pdf", "not_text"),
        ("d-truncated", "truncated_gzip"),
        ("e-invalid-utf8", "document"),
        ("f-big", "too_large"),
        ("g-nested", "too_deep"),
        ("h-good", "document"),
        ("i-good", "document"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(d, w)| (d.to_string(), w.to_string())).collect();
    assert_eq!(outcome, expected);
    for r in records.iter().filter(|r| r["kind"] == "error") {
        assert!(
            run.stderr.contains(r["source"].as_str().unwrap()),
            "stderr names {}",
            r["source"]
        );
        assert!(!r["message"].as_str().unwrap().is_empty());
    }
    assert!(
        records
            .iter()
            .filter(|r| r["kind"] == "document")
            .all(|r| r.get("text").is_none()),
        "--no-text"
    );
    let good_facts = records
        .iter()
        .filter(|r| r["doc"] == "i-good" && r["kind"] != "document")
        .count();
    assert_eq!(
        good_facts, 4,
        "date, amount, GDPR article and authority of the gzipped page"
    );
}

#[test]
fn standard_input_is_one_document() {
    let run = glaneur(&["extract"], Some(ARTICLE.as_bytes()));
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    assert_eq!(records[0]["doc"], "stdin");
    assert_eq!(records[0]["source"], "-");
    assert_eq!(records[0]["lang"], "fr");
    let kinds: Vec<&str> = records[1..].iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["authority", "date", "amount", "gdpr_article"]);
}

#[test]
fn same_names_get_distinct_docs() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("a")).unwrap();
    fs::create_dir(dir.path().join("b")).unwrap();
    fs::write(dir.path().join("a/article.txt"), ARTICLE).unwrap();
    fs::write(dir.path().join("b/article.html"), format!("<p>{ARTICLE}</p>")).unwrap();
    let run = glaneur(&["extract", dir.path().to_str().unwrap()], None);
    let docs: Vec<String> = run
        .records()
        .iter()
        .filter(|r| r["kind"] == "document")
        .map(|r| r["doc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(docs, ["article", "article~2"]);
}

#[test]
fn json_is_one_array_of_documents_with_their_facts() {
    let run = glaneur(&["extract", "--format", "json", "fixtures/seeds"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let docs: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(docs.len(), 5);
    for d in &docs {
        assert_eq!(d["kind"], "document");
        assert!(!d["facts"].as_array().unwrap().is_empty());
        assert!(d["facts"][0]["value"].is_object() || d["facts"][0]["value"].is_string());
    }
}

#[test]
fn csv_tables_survive_commas_quotes_and_newlines() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("tricky.txt");
    fs::write(
        &input,
        "Le « chef », dit \"le boss\", a payé 20 000 €, le 3 mars 2021, à la CNIL.",
    )
    .unwrap();
    let out = dir.path().join("tables/");
    let run = glaneur(
        &[
            "extract",
            "--format",
            "csv",
            "--output",
            out.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["documents.csv", "facts.csv"], "no partial files left behind");

    let mut facts = csv::Reader::from_path(out.join("facts.csv")).unwrap();
    let headers: Vec<String> = facts.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "doc",
            "kind",
            "text",
            "start",
            "end",
            "value",
            "date",
            "amount",
            "currency",
            "per",
            "article",
            "paragraph",
            "point",
            "authority",
            "country",
            "sentence",
            "role",
            "issuer",
            "subject"
        ]
    );
    let rows: Vec<csv::StringRecord> = facts.records().map(Result::unwrap).collect();
    let values: Vec<(&str, &str)> = rows.iter().map(|r| (&r[1], &r[5])).collect();
    assert_eq!(
        values,
        [("amount", "20000 EUR"), ("date", "2021-03-03"), ("authority", "CNIL")]
    );
    assert!(
        rows[0][15].contains("\"le boss\", a payé"),
        "sentence kept whole: {}",
        &rows[0][15]
    );

    let mut documents = csv::Reader::from_path(out.join("documents.csv")).unwrap();
    let headers: Vec<String> = documents.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "doc",
            "kind",
            "source",
            "lang",
            "title",
            "published",
            "modified",
            "url",
            "fetched",
            "site_name",
            "authors",
            "description",
            "list_page",
            "chars",
            "code",
            "message"
        ]
    );
    let doc = documents.records().next().unwrap().unwrap();
    assert_eq!((&doc[0], &doc[1], &doc[3]), ("tricky", "document", "fr"));
}

#[test]
fn html_pages_give_text_and_metadata() {
    let run = glaneur(&["extract", "fixtures/html"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    let doc = |name: &str| {
        records
            .iter()
            .find(|r| r["kind"] == "document" && r["doc"] == name)
            .unwrap()
            .clone()
    };

    let fr = doc("quotidien-cnil-courtier");
    assert_eq!(fr["title"], "La CNIL sanctionne un courtier en données");
    assert_eq!(
        fr["published"], "2023-06-14",
        "article:published_time, not the modified date"
    );
    assert_eq!(fr["modified"], "2023-06-15");
    assert_eq!(fr["authors"], serde_json::json!(["Claire Martin"]));
    assert_eq!(fr["site_name"], "Le Quotidien du Numérique");
    assert_eq!(fr["url"], "https://quotidien.example/2023/06/14/cnil-courtier-donnees");
    assert_eq!(fr["lang"], "fr");
    let text = fr["text"].as_str().unwrap();
    assert!(text.starts_with("La CNIL sanctionne un courtier en données\n\n"));
    assert_eq!(
        text.matches("La CNIL sanctionne un courtier").count(),
        1,
        "title not repeated"
    );
    assert!(
        text.contains("Données concernées : 2 millions de contacts"),
        "lists stay in"
    );
    for furniture in [
        "Accueil",
        "cookies",
        "Lire aussi",
        "Très bon article",
        "Mentions légales",
        "window.analytics",
    ] {
        assert!(!text.contains(furniture), "{furniture} left in the text");
    }

    let en = doc("techledger-ico-fine");
    assert_eq!(en["title"], "ICO fines retailer over data breach");
    assert_eq!(en["published"], "2023-03-02");
    assert_eq!(en["lang"], "en");

    let w1252 = doc("vieux-site-1252");
    assert!(w1252["text"]
        .as_str()
        .unwrap()
        .contains("amende de 750 000 € à l'opérateur"));
    let latin9 = doc("latin9-euro");
    assert!(latin9["text"].as_str().unwrap().contains("passera à 12 € par mois"));
}

#[test]
fn forced_language_wins_over_detection() {
    let run = glaneur(&["extract", "--lang", "en"], Some(ARTICLE.as_bytes()));
    assert_eq!(run.records()[0]["lang"], "en");
}

#[test]
fn any_language_pack_can_be_forced_and_an_unknown_code_is_refused() {
    let german = "Am 20. Oktober 2022 verhängte die Behörde ein Bußgeld von 20 Mio. Euro.";
    let run = glaneur(&["extract", "--lang", "de", "--no-text"], Some(german.as_bytes()));
    let records = run.records();
    assert_eq!(records[0]["lang"], "de");
    let values: Vec<&Value> = records[1..].iter().map(|r| &r["value"]).collect();
    assert!(values.contains(&&Value::from("2022-10-20")), "{values:?}");
    assert!(values.iter().any(|v| v["amount"] == 20_000_000), "{values:?}");

    let refused = glaneur(&["extract", "--lang", "xx"], Some(b"text"));
    assert_eq!(refused.status, 2);
    assert!(
        refused.stderr.contains("no language pack for `xx`"),
        "{}",
        refused.stderr
    );
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("facts.jsonl");
    let run = glaneur(
        &[
            "extract",
            "--output",
            out.to_str().unwrap(),
            "--threads",
            "2",
            "fixtures/seeds",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = fs::read_to_string(&out).unwrap();
    assert_eq!(
        written.lines().filter(|l| l.contains("\"kind\":\"document\"")).count(),
        5
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no partial file left behind"
    );
}

#[test]
fn list_pages_are_flagged_not_given_a_fake_text() {
    let run = glaneur(&["extract", "fixtures/html/techledger-latest-news.html"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let doc = &run.records()[0];
    assert_eq!(doc["list_page"], true);
    assert_eq!(doc["text"], doc["title"]);
    let article = glaneur(&["extract", "fixtures/html/techledger-ico-fine.html"], None);
    assert_eq!(article.records()[0]["list_page"], false);
}

#[test]
fn guards_name_what_went_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::write(p("a-json.html"), r#"{"articles": [{"title": "not a page"}]}"#).unwrap();
    let filler = "Le texte continue sans fin sur une seule ligne, ";
    let line = filler.repeat(10 * 1024 * 1024 / filler.len());
    fs::write(
        p("b-one-line.html"),
        format!("<html><body><p>{ARTICLE} {line}</p></body></html>"),
    )
    .unwrap();
    fs::write(
        p("c-broken.html"),
        "<html><body><p>Texte <b>non <i>fermé <div></p></span> La CNIL a parlé.",
    )
    .unwrap();
    // A debug build on a busy machine may need more than the default
    // minute for the 10 MB line; the time limit is tested below.
    let run = glaneur(
        &[
            "extract",
            "--no-text",
            "--doc-timeout",
            "600",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    let outcome: Vec<String> = run
        .records()
        .iter()
        .filter(|r| r["kind"] == "document" || r["kind"] == "error")
        .map(|r| {
            format!(
                "{} {}",
                r["doc"].as_str().unwrap(),
                r["code"].as_str().unwrap_or("document")
            )
        })
        .collect();
    assert_eq!(
        outcome,
        ["a-json not_article", "b-one-line document", "c-broken document"]
    );

    let slow = glaneur(
        &[
            "extract",
            "--doc-timeout",
            "0",
            "fixtures/html/quotidien-cnil-courtier.html",
        ],
        None,
    );
    assert_eq!(slow.status, 1);
    assert_eq!(slow.records()[0]["code"], "timeout");
}
