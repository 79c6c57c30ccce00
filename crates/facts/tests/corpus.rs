//! Corpus tables, one a kind and language (`corpus/<kind>/<lang>.tsv`), in
//! the manner of Duckling's and Recognizers-Text's: each row a sentence,
//! its publication date (`-` for none) and the facts of that kind it must
//! yield, each as `VALUE [MENTION]` so that the span is specified as well
//! as the value. `negatives/` rows must yield no fact of any kind.
//!
//! A row the engine does not get yet keeps its place with a fourth column
//! saying what is missing: it is listed, not deleted, and the test fails
//! when such a row starts passing, so that its marker is removed.

use std::collections::BTreeSet;
use std::fmt::Write;

use glaneur_facts::{extract, Context, PartialDate, Value};

/// A fact's value as the tables write it: `2022-10-20`, `100000 EUR per
/// day`, `5(1)(a)` (paragraph and point are part of a GDPR value),
/// `CNIL`.
fn describe(value: &Value) -> String {
    match value {
        Value::Date(d) => d.to_string(),
        Value::Amount(a) => {
            let per = a.per.map(|p| format!(" per {}", p.as_str())).unwrap_or_default();
            format!("{} {}{per}", a.amount, a.currency)
        }
        Value::GdprArticle(g) => {
            let mut s = g.article.to_string();
            if let Some(p) = g.paragraph {
                let _ = write!(s, "({p})");
            }
            if let Some(p) = &g.point {
                let _ = write!(s, "({p})");
            }
            s
        }
        Value::Authority(a) => a.name.clone(),
    }
}

/// Every language's table of one kind; a pack without its table does not
/// compile.
macro_rules! tables {
    ($kind:literal) => {
        [
            ("de", include_str!(concat!("corpus/", $kind, "/de.tsv"))),
            ("en", include_str!(concat!("corpus/", $kind, "/en.tsv"))),
            ("es", include_str!(concat!("corpus/", $kind, "/es.tsv"))),
            ("fr", include_str!(concat!("corpus/", $kind, "/fr.tsv"))),
            ("it", include_str!(concat!("corpus/", $kind, "/it.tsv"))),
            ("nl", include_str!(concat!("corpus/", $kind, "/nl.tsv"))),
            ("pt", include_str!(concat!("corpus/", $kind, "/pt.tsv"))),
        ]
    };
}

/// Runs every table of `kind` (`None`: facts of any kind count, for the
/// negatives).
fn run(kind: Option<&str>, tables: &[(&str, &str)]) {
    let mut failures = Vec::new();
    let mut gaps = Vec::new();
    let mut rows = 0;
    for (lang, table) in tables {
        for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert!(cols.len() >= 2, "{lang}: malformed row: {line}");
            let published = (cols[0] != "-").then(|| PartialDate::parse_iso_prefix(cols[0]).expect("published date"));
            let sentence = cols[1];
            let expected: BTreeSet<String> = cols
                .get(2)
                .map(|c| {
                    c.split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            let gap = cols.get(3).map(|g| g.trim()).filter(|g| !g.is_empty());
            let facts = extract(sentence, &Context { lang, published });
            for f in &facts {
                let chars: String = sentence.chars().skip(f.start).take(f.end - f.start).collect();
                assert_eq!(chars, f.text, "{lang}: offsets of {:?} in {sentence}", f.text);
            }
            let got: BTreeSet<String> = facts
                .iter()
                .filter(|f| kind.is_none_or(|k| f.value.kind() == k))
                .map(|f| format!("{} [{}]", describe(&f.value), f.text))
                .collect();
            rows += 1;
            match (got == expected, gap) {
                (true, None) | (false, Some(_)) => {}
                (true, Some(gap)) => {
                    failures.push(format!("{lang}: {sentence}\n    passes now: remove its gap ({gap})"))
                }
                (false, None) => failures.push(format!(
                    "{lang}: {sentence}\n    expected {expected:?}\n    got      {got:?}"
                )),
            }
            if let Some(gap) = gap {
                gaps.push(format!("{lang}: {sentence} ({gap})"));
            }
        }
    }
    if !gaps.is_empty() {
        eprintln!("{} known gaps:\n  {}", gaps.len(), gaps.join("\n  "));
    }
    assert!(
        failures.is_empty(),
        "{} of {rows} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn dates() {
    run(Some("date"), &tables!("dates"));
}

#[test]
fn amounts() {
    run(Some("amount"), &tables!("amounts"));
}

#[test]
fn gdpr_articles() {
    run(Some("gdpr_article"), &tables!("gdpr"));
}

#[test]
fn authorities() {
    run(Some("authority"), &tables!("authorities"));
}

#[test]
fn negatives_yield_nothing() {
    run(None, &tables!("negatives"));
}
