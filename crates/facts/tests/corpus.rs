//! Corpus tests: per language, one row per case in `corpus/<lang>.tsv`:
//! publication date (`-` for none), sentence, and the distinct facts it
//! must yield (nothing, for the negatives).

use std::collections::BTreeSet;

use glaneur_facts::{extract, Context, PartialDate, Value};

/// A fact's value as the tables write it: `date 2022-10-20`, `amount
/// 100000 EUR per day`, `gdpr 17`, `authority CNIL`.
fn describe(value: &Value) -> String {
    match value {
        Value::Date(d) => format!("date {d}"),
        Value::Amount(a) => {
            let per = a.per.map(|p| format!(" per {}", p.as_str())).unwrap_or_default();
            format!("amount {} {}{per}", a.amount, a.currency)
        }
        Value::GdprArticle(g) => format!("gdpr {}", g.article),
        Value::Authority(a) => format!("authority {}", a.name),
    }
}

fn run_table(lang: &str, table: &str) {
    let mut failures = Vec::new();
    let mut rows = 0;
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 2, "malformed row: {line}");
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
        let facts = extract(sentence, &Context { lang, published });
        for f in &facts {
            let chars: String = sentence.chars().skip(f.start).take(f.end - f.start).collect();
            assert_eq!(chars, f.text, "offsets of {:?} in {sentence}", f.text);
        }
        let got: BTreeSet<String> = facts.iter().map(|f| describe(&f.value)).collect();
        if got != expected {
            failures.push(format!("{sentence}\n    expected {expected:?}\n    got      {got:?}"));
        }
        rows += 1;
    }
    assert!(
        failures.is_empty(),
        "{lang}: {} of {rows} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn french() {
    run_table("fr", include_str!("corpus/fr.tsv"));
}

#[test]
fn english() {
    run_table("en", include_str!("corpus/en.tsv"));
}

#[test]
fn german() {
    run_table("de", include_str!("corpus/de.tsv"));
}

#[test]
fn spanish() {
    run_table("es", include_str!("corpus/es.tsv"));
}

#[test]
fn italian() {
    run_table("it", include_str!("corpus/it.tsv"));
}

#[test]
fn portuguese() {
    run_table("pt", include_str!("corpus/pt.tsv"));
}

#[test]
fn dutch() {
    run_table("nl", include_str!("corpus/nl.tsv"));
}
