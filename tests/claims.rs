//! `glaneur claims` end to end: the seeds are one story, and the slots a
//! fact-checker reads in them (`shared/spec/claims.md`, the seeds table)
//! come out slot by slot.

mod common;

use std::collections::BTreeSet;

use common::glaneur;
use serde_json::{json, Value};

fn stories(run: &common::Run) -> Vec<Value> {
    assert!(run.status == 0, "status {}: {}", run.status, run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not a JSON array: {e}: {}", run.stdout))
}

/// The three-digit number that opens a seed's `doc`.
fn seed(doc: &Value) -> String {
    doc.as_str().unwrap()[..3].to_string()
}

/// The slot of a kind and role whose issuer is `issuer` (case ignored;
/// `None`: any issuer).
fn slot<'a>(story: &'a Value, kind: &str, role: &str, issuer: Option<&str>) -> &'a Value {
    story["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["kind"] == kind
                && s["role"] == role
                && issuer.is_none_or(|i| s["issuer"].as_str().is_some_and(|x| x.eq_ignore_ascii_case(i)))
        })
        .unwrap_or_else(|| panic!("no slot {kind} · {role} · {issuer:?} in {:#}", story["slots"]))
}

/// A slot's values, each with the seeds that state it.
fn values(slot: &Value) -> Vec<(Value, BTreeSet<String>)> {
    slot["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].clone(),
                v["docs"].as_array().unwrap().iter().map(|e| seed(&e["doc"])).collect(),
            )
        })
        .collect()
}

fn seeds(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn eur(amount: u64) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

/// The seeds table of `claims.md`, row by row.
fn assert_seeds_table(story: &Value) {
    let decision = slot(story, "date", "decision", Some("CNIL"));
    assert_eq!(decision["status"], "disputed", "{decision:#}");
    for (date, by) in [("2022-10-17", "001"), ("2022-10-20", "003"), ("2022-10", "002")] {
        assert!(
            values(decision).contains(&(json!(date), seeds(&[by]))),
            "{date} by {by}: {decision:#}"
        );
    }

    let fine = slot(story, "amount", "fine", Some("CNIL"));
    assert_eq!(fine["status"], "agreed", "{fine:#}");
    assert!(
        values(fine).contains(&(eur(20_000_000), seeds(&["001", "002", "003", "004"]))),
        "{fine:#}"
    );

    let periodic = slot(story, "amount", "periodic_penalty", Some("CNIL"));
    assert_eq!(periodic["status"], "agreed", "{periodic:#}");
    let per_day = json!({"amount": 100000, "currency": "EUR", "per": "day"});
    assert_eq!(values(periodic), vec![(per_day, seeds(&["001", "002", "003"]))]);

    // 5,200,000 EUR: liquidated penalty for 002, a fine for 004.
    let liquidated = slot(story, "amount", "penalty_payment", None);
    assert!(
        values(liquidated).contains(&(eur(5_200_000), seeds(&["002"]))),
        "{liquidated:#}"
    );
    assert!(
        values(fine)
            .iter()
            .any(|(v, by)| *v == eur(5_200_000) && by.contains("004")),
        "{fine:#}"
    );

    let notice = slot(story, "date", "formal_notice", Some("CNIL"));
    assert_eq!(notice["status"], "disputed", "{notice:#}");
    assert!(
        values(notice).contains(&(json!("2021-11-26"), seeds(&["003"]))),
        "{notice:#}"
    );
    assert!(
        values(notice).contains(&(json!("2021-12-16"), seeds(&["000"]))),
        "{notice:#}"
    );

    let breached = slot(story, "gdpr_article", "breached", None);
    assert_eq!(breached["status"], "disputed", "{breached:#}");
    let articles = |ns: &[u64]| json!(ns.iter().map(|n| json!({"article": n})).collect::<Vec<_>>());
    assert!(
        values(breached).contains(&(articles(&[12, 15, 17]), seeds(&["000"]))),
        "{breached:#}"
    );
    assert!(
        values(breached).contains(&(articles(&[6, 12, 15, 17]), seeds(&["003"]))),
        "{breached:#}"
    );

    let other_fines: Vec<&Value> = story["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "amount" && s["role"] == "fine" && s["issuer"].is_string() && s["issuer"] != "CNIL")
        .collect();
    assert!(
        !other_fines.is_empty(),
        "no fine by another issuer: {:#}",
        story["slots"]
    );
    for other in &other_fines {
        assert_eq!(other["status"], "single", "{other:#}");
        assert!(values(other).iter().all(|(_, by)| *by == seeds(&["003"])), "{other:#}");
    }
    let amounts: BTreeSet<String> = other_fines
        .iter()
        .flat_map(|s| values(s))
        .map(|(v, _)| v.to_string())
        .collect();
    assert!(amounts.contains(&eur(8_500_000).to_string()), "{amounts:?}");
}

#[test]
fn the_seeds_show_the_specs_table_slot_by_slot() {
    let stories = stories(&glaneur(&["claims", "fixtures/seeds", "--format", "json"], None));
    assert_seeds_table(&stories[0]);
}

#[test]
fn the_seeds_are_one_story_with_nothing_else() {
    let stories = stories(&glaneur(&["claims", "fixtures/seeds", "--format", "json"], None));
    assert_eq!(stories.len(), 1, "{stories:#?}");
    let docs: Vec<String> = stories[0]["docs"].as_array().unwrap().iter().map(seed).collect();
    assert_eq!(docs, ["000", "001", "002", "003", "004"]);
    assert_eq!(stories[0]["sources"].as_array().unwrap().len(), 5);
}

/// The role, issuer and subject of a seed fact as a careful reader gives
/// them (`claims.md`, the seeds table), for records built in the test:
/// the claims of records hold whatever produced their roles.
fn read_as_the_spec(doc: &str, fact: &Value) -> (Option<&'static str>, Option<&'static str>, Option<&'static str>) {
    let (cnil, clearview) = (Some("CNIL"), Some("Clearview AI"));
    let sentence = fact["sentence"].as_str().unwrap();
    let value = &fact["value"];
    match (fact["kind"].as_str().unwrap(), value.as_str()) {
        ("date", Some("2022-10-17" | "2022-10-20")) => (Some("decision"), cnil, clearview),
        ("date", Some("2022-10")) if doc == "002" => (Some("decision"), cnil, clearview),
        ("date", Some("2021-11-26")) => (Some("formal_notice"), cnil, clearview),
        // `la CNIL a mis en demeure cette société`: no name for the subject.
        ("date", Some("2021-12-16")) => (Some("formal_notice"), cnil, None),
        ("date", Some("2022-01-03" | "2025-11-07")) => (Some("publication"), None, None),
        ("gdpr_article", _) => (Some("breached"), None, None),
        ("amount", _) if value.get("per").is_some() => (Some("periodic_penalty"), cnil, None),
        ("amount", _) if sentence.contains("Royaume-Uni") && *value == eur(8_500_000) => {
            (Some("fine"), Some("ICO"), None)
        }
        ("amount", _) if sentence.contains("Royaume-Uni") => (Some("fine"), Some("Garante"), None),
        ("amount", _) if *value == eur(5_200_000) && doc == "002" => (Some("penalty_payment"), cnil, clearview),
        ("amount", _) => (Some("fine"), cnil, clearview),
        _ => (None, None, None),
    }
}

#[test]
fn extract_records_with_roles_show_the_seeds_table_slot_by_slot() {
    let extracted = glaneur(&["extract", "fixtures/seeds"], None);
    let mut records = extracted.records();
    for record in records.iter_mut().filter(|r| r["kind"] != "document") {
        let doc = seed(&record["doc"]);
        let (role, issuer, subject) = read_as_the_spec(&doc, record);
        record["role"] = json!(role);
        record["issuer"] = json!(issuer);
        record["subject"] = json!(subject);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seeds.jsonl");
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let stories = stories(&glaneur(&["claims", path.to_str().unwrap(), "--format", "json"], None));
    assert_eq!(stories.len(), 1, "{stories:#?}");
    assert_seeds_table(&stories[0]);
    let statuses: Vec<&str> = stories[0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses[0], "disputed", "disputed slots first: {statuses:?}");
    assert!(statuses.iter().all(|s| *s != "publication"));
}

#[test]
fn records_come_from_standard_input_too() {
    let extracted = glaneur(&["extract", "fixtures/seeds"], None);
    let stories = stories(&glaneur(
        &["claims", "--format", "json"],
        Some(extracted.stdout.as_bytes()),
    ));
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0]["docs"].as_array().unwrap().len(), 5);
}

#[test]
fn a_bad_input_is_reported_and_the_others_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.jsonl");
    std::fs::write(
        &broken,
        "{\"doc\":\"a\",\"kind\":\"document\",\"title\":\"A\"}\nnot json\n",
    )
    .unwrap();
    let run = glaneur(
        &["claims", broken.to_str().unwrap(), "fixtures/seeds", "--format", "json"],
        None,
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("broken.jsonl: line 2"), "{}", run.stderr);
    let stories: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let docs: usize = stories.iter().map(|s| s["docs"].as_array().unwrap().len()).sum();
    assert_eq!(docs, 6);
}

#[test]
fn the_table_holds_in_100_columns_and_names_each_source() {
    let run = glaneur(&["claims", "fixtures/seeds", "--format", "table"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("Story 1 · 5 sources · "), "{}", run.stdout);
    for line in run.stdout.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    for doc in ["000_", "001_", "002_", "003_", "004_"] {
        assert!(run.stdout.contains(doc), "{doc} missing: {}", run.stdout);
    }
}
