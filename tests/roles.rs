//! The seeds as a fact-checker reads them (`shared/spec/claims.md`, "The
//! seeds"): each slot of the spec's table, stated as the facts behind it,
//! with the role, issuer and subject their own sentence gives them.
//!
//! A fact's issuer and subject come from its sentence only: where the
//! sentence names neither (001's *La sanction est finalement tombée ce 17
//! octobre*), they stay unknown, and the slot takes the fact for the
//! issuer and subject the other sources give (slots match them "where
//! known").

mod common;

use serde_json::{json, Value};

/// The fact records of the seeds, extracted once per test.
fn seed_facts() -> Vec<Value> {
    let run = common::glaneur(&["extract", "--no-text", "fixtures/seeds"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.records()
        .into_iter()
        .filter(|r| r["kind"] != "document" && r["kind"] != "error")
        .collect()
}

/// The (role, issuer, subject) of every fact of `doc` (its number, `001`)
/// with `kind` and `value`, in text order.
fn roles_of(facts: &[Value], doc: &str, kind: &str, value: Value) -> Vec<(Value, Value, Value)> {
    facts
        .iter()
        .filter(|f| f["doc"].as_str().unwrap().starts_with(doc) && f["kind"] == kind && f["value"] == value)
        .map(|f| (f["role"].clone(), f["issuer"].clone(), f["subject"].clone()))
        .collect()
}

fn eur(amount: u64) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

fn per_day(amount: u64) -> Value {
    json!({"amount": amount, "currency": "EUR", "per": "day"})
}

fn role(role: &str, issuer: Option<&str>, subject: Option<&str>) -> (Value, Value, Value) {
    (json!(role), json!(issuer), json!(subject))
}

fn cnil_against_clearview(r: &str) -> (Value, Value, Value) {
    role(r, Some("CNIL"), Some("Clearview AI"))
}

#[test]
fn decision_dates_disagree_between_001_and_003() {
    let facts = seed_facts();
    let of = |doc: &str, value: &str| roles_of(&facts, doc, "date", json!(value));
    assert_eq!(of("001", "2022-10-17"), [role("decision", None, None)]);
    assert_eq!(of("003", "2022-10-20"), [cnil_against_clearview("decision")]);
    // 002's month is compatible with both.
    assert_eq!(of("002", "2022-10"), [cnil_against_clearview("decision")]);
}

#[test]
fn the_cnil_fine_of_20_million_is_in_four_sources() {
    let facts = seed_facts();
    let of = |doc: &str| roles_of(&facts, doc, "amount", eur(20_000_000));
    // `20 millions d'euros : l'amende ne pouvait pas être plus lourde`.
    assert_eq!(of("001"), [role("fine", None, None)]);
    assert_eq!(of("002"), [cnil_against_clearview("fine")]);
    assert_eq!(
        of("003"),
        [
            // The title: `Clearview IA condamnée … par la Cnil`, as written.
            role("fine", Some("CNIL"), Some("Clearview IA")),
            cnil_against_clearview("fine"),
            // `Celle-ci a prononcé la sanction pécuniaire maximale`.
            role("fine", None, None),
            // `par le Royaume-Uni (8,5 M€), l'Italie et la Grèce (20 M€
            // chacun)`: one mention, the nearest country's authority; the
            // Garante's share is a known gap (one issuer a fact).
            role("fine", Some("HDPA"), Some("Clearview IA")),
        ]
    );
    // `une sanction de 20 millions d'euros infligée à l'entreprise`, and
    // `lorsqu'elle avait infligé la plus grande amende possible`.
    assert_eq!(of("004"), [role("fine", None, None), role("fine", None, None)]);
}

#[test]
fn the_periodic_penalty_is_100_000_euros_a_day() {
    let facts = seed_facts();
    let of = |doc: &str| roles_of(&facts, doc, "amount", per_day(100_000));
    for doc in ["001", "003"] {
        assert_eq!(of(doc), [role("periodic_penalty", None, None)], "{doc}");
    }
    // `L'astreinte … imposée par la CNIL`.
    assert_eq!(of("002"), [role("periodic_penalty", Some("CNIL"), None)]);
}

#[test]
fn the_same_5_2_million_is_a_penalty_payment_in_002_and_a_fine_in_004() {
    let facts = seed_facts();
    let of = |doc: &str| roles_of(&facts, doc, "amount", eur(5_200_000));
    // `l'autorité française a décidé de liquider l'astreinte et de réclamer
    // 5,2 millions d'euros … à Clearview AI`: the authority is not named.
    assert_eq!(of("002"), [role("penalty_payment", None, Some("Clearview AI"))]);
    assert_eq!(
        of("004"),
        [cnil_against_clearview("fine"), cnil_against_clearview("fine")]
    );
}

#[test]
fn formal_notice_dates_disagree_between_000_and_003() {
    let facts = seed_facts();
    let of = |doc: &str, value: &str| roles_of(&facts, doc, "date", json!(value));
    assert_eq!(of("003", "2021-11-26"), [cnil_against_clearview("formal_notice")]);
    // `la CNIL, a mis en demeure cette société américaine`: unnamed.
    assert_eq!(of("000", "2021-12-16"), [role("formal_notice", Some("CNIL"), None)]);
}

#[test]
fn breached_articles_disagree_on_article_6() {
    let facts = seed_facts();
    for (doc, articles) in [("000", vec![12, 15, 17]), ("003", vec![6, 12, 15, 17])] {
        let breached: Vec<u64> = facts
            .iter()
            .filter(|f| f["doc"].as_str().unwrap().starts_with(doc) && f["kind"] == "gdpr_article")
            .filter(|f| f["role"] == "breached")
            .map(|f| f["value"]["article"].as_u64().unwrap())
            .collect();
        assert_eq!(breached, articles, "{doc}");
    }
}

#[test]
fn other_authorities_fines_have_their_own_issuer() {
    let facts = seed_facts();
    assert_eq!(
        roles_of(&facts, "003", "amount", eur(8_500_000)),
        [role("fine", Some("ICO"), Some("Clearview IA"))]
    );
}

#[test]
fn datelines_are_publication_dates_and_a_quoted_title_says_nothing() {
    let facts = seed_facts();
    assert_eq!(
        roles_of(&facts, "000", "date", json!("2022-01-03")),
        [role("publication", None, None)]
    );
    assert_eq!(
        roles_of(&facts, "002", "date", json!("2025-11-07")),
        [role("publication", None, None)]
    );
    // `"La CNIL met en demeure …", 17 décembre 2021`: the date of the
    // article quoted, not of the notice.
    assert_eq!(
        roles_of(&facts, "000", "date", json!("2021-12-17")),
        [(Value::Null, Value::Null, Value::Null)]
    );
}

#[test]
fn every_seed_sum_and_most_seed_dates_have_a_role() {
    let facts = seed_facts();
    let with_role = |kind: &str| {
        let of_kind: Vec<&Value> = facts.iter().filter(|f| f["kind"] == kind).collect();
        let known = of_kind.iter().filter(|f| !f["role"].is_null()).count();
        (known, of_kind.len())
    };
    let (amounts_known, amounts) = with_role("amount");
    assert_eq!(amounts_known, amounts, "every seed sum says what it is of");
    let (dates_known, dates) = with_role("date");
    // The others are founding years, reminders, a quoted title's date:
    // nothing of the spec's vocabulary.
    assert!(dates_known * 2 >= dates, "{dates_known} of {dates} dates have a role");
}
