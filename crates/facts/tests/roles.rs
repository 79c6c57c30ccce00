//! Role tables: per language, one row per mention in
//! `corpus/roles/<lang>.tsv`: whether the engine gets it yet (`ok`, or
//! `gap` for a known gap: listed, not failed, and failed once it passes so
//! that its marker is removed), the sentence, the mention, and the role,
//! issuer and subject it must carry (`-` for none).

use glaneur_facts::{extract, Context, PartialDate, Role};

fn run_table(lang: &str, table: &str) {
    let mut failures = Vec::new();
    let mut gaps = Vec::new();
    let mut rows = 0;
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 6, "malformed row: {line}");
        let [status, sentence, mention, role, issuer, subject] = [0, 1, 2, 3, 4, 5].map(|i| cols[i]);
        assert!(matches!(status, "ok" | "gap"), "status of {line}");
        let facts = extract(
            sentence,
            &Context {
                lang,
                published: PartialDate::parse_iso_prefix("2023-06-15"),
            },
        );
        let fact = facts
            .iter()
            .find(|f| f.text == mention)
            .unwrap_or_else(|| panic!("{lang}: no fact {mention:?} in {sentence}"));
        let got = (
            fact.role.map_or("-", Role::as_str),
            fact.issuer.as_deref().unwrap_or("-"),
            fact.subject.as_deref().unwrap_or("-"),
        );
        let report = format!("{sentence}\n    {mention}: expected {role} / {issuer} / {subject}, got {got:?}");
        match (got == (role, issuer, subject), status == "gap") {
            (true, true) => failures.push(format!("{report}\n    passes now: remove its gap marker")),
            (false, true) => gaps.push(report),
            (false, false) => failures.push(report),
            (true, false) => {}
        }
        rows += 1;
    }
    if !gaps.is_empty() {
        eprintln!("{lang}: {} known gaps:\n{}", gaps.len(), gaps.join("\n"));
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
    run_table("fr", include_str!("corpus/roles/fr.tsv"));
}

#[test]
fn english() {
    run_table("en", include_str!("corpus/roles/en.tsv"));
}

#[test]
fn german() {
    run_table("de", include_str!("corpus/roles/de.tsv"));
}

#[test]
fn spanish() {
    run_table("es", include_str!("corpus/roles/es.tsv"));
}

#[test]
fn italian() {
    run_table("it", include_str!("corpus/roles/it.tsv"));
}

#[test]
fn portuguese() {
    run_table("pt", include_str!("corpus/roles/pt.tsv"));
}

#[test]
fn dutch() {
    run_table("nl", include_str!("corpus/roles/nl.tsv"));
}
