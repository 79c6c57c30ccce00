//! The seed articles end to end: every fact's offsets point at its text,
//! and the facts score against the hand-made gold with the rules of
//! `shared/eval/score`.

mod common;

use std::collections::HashMap;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

const KINDS: [&str; 4] = ["date", "amount", "gdpr_article", "authority"];

/// Case, accents, apostrophes and spaces folded, as the scorer does.
fn fold(s: &str) -> String {
    let s: String = s
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    s.replace('’', "'")
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn matches(kind: &str, gold: &Value, pred: &Value) -> bool {
    let (g, p) = (&gold["value"], &pred["value"]);
    match kind {
        "date" => g == p,
        "amount" => {
            let (ga, pa) = (g["amount"].as_f64().unwrap(), p["amount"].as_f64().unwrap());
            g["currency"] == p["currency"]
                && g.get("per") == p.get("per")
                && (ga - pa).abs() <= 0.005 * ga.abs().max(1e-9)
        }
        "gdpr_article" => g["article"] == p["article"],
        _ => {
            let name = fold(p["name"].as_str().unwrap());
            let aliases = gold["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            std::iter::once(g["name"].as_str().unwrap())
                .chain(aliases)
                .any(|a| fold(a) == name)
        }
    }
}

/// (true positives, false positives, false negatives) per kind.
fn score(gold: &[Value], pred: &[Value]) -> HashMap<&'static str, [usize; 3]> {
    let mut counts: HashMap<&str, [usize; 3]> = KINDS.iter().map(|k| (*k, [0; 3])).collect();
    let docs: Vec<&str> = gold
        .iter()
        .filter(|r| r["kind"] == "document")
        .map(|r| r["doc"].as_str().unwrap())
        .collect();
    for doc in docs {
        for kind in KINDS {
            let of = |records: &[Value]| -> Vec<Value> {
                let mut v: Vec<Value> = records
                    .iter()
                    .filter(|r| r["doc"] == doc && r["kind"] == kind)
                    .cloned()
                    .collect();
                v.dedup_by(|a, b| a["value"] == b["value"]);
                v
            };
            let golds = of(gold);
            let mut preds = of(pred);
            preds.sort_by_key(|p| p["value"].to_string());
            preds.dedup_by(|a, b| a["value"] == b["value"]);
            let mut used = vec![false; preds.len()];
            let c = counts.get_mut(kind).unwrap();
            for g in &golds {
                match (0..preds.len()).find(|&i| !used[i] && matches(kind, g, &preds[i])) {
                    Some(i) => {
                        used[i] = true;
                        c[0] += 1;
                    }
                    None => c[2] += 1,
                }
            }
            c[1] += used.iter().filter(|u| !**u).count();
        }
    }
    counts
}

fn f1([tp, fp, fn_]: [usize; 3]) -> f64 {
    let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
    let r = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    };
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

#[test]
fn seeds_score_against_their_gold() {
    let run = common::glaneur(&["extract", "fixtures/seeds"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let pred = run.records();
    let gold: Vec<Value> = include_str!("../fixtures/seeds/gold.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let counts = score(&gold, &pred);
    let mut total = [0; 3];
    for kind in KINDS {
        let c = counts[kind];
        assert!(f1(c) >= 0.90, "{kind}: F1 {:.3} (tp, fp, fn = {c:?})", f1(c));
        for i in 0..3 {
            total[i] += c[i];
        }
    }
    assert!(f1(total) >= 0.95, "overall F1 {:.3} ({total:?})", f1(total));

    let gold_docs: HashMap<&str, &Value> = gold
        .iter()
        .filter(|r| r["kind"] == "document")
        .map(|r| (r["doc"].as_str().unwrap(), r))
        .collect();
    for doc in pred.iter().filter(|r| r["kind"] == "document") {
        let expected = gold_docs[doc["doc"].as_str().unwrap()];
        assert_eq!(doc["lang"], expected["lang"], "{}", doc["doc"]);
        assert_eq!(doc["published"], expected["published"], "{}", doc["doc"]);
    }
}

#[test]
fn every_fact_points_at_its_text() {
    let run = common::glaneur(&["extract", "fixtures"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let mut texts: HashMap<String, Vec<char>> = HashMap::new();
    let mut facts = 0;
    for r in run.records() {
        let doc = r["doc"].as_str().unwrap().to_string();
        if r["kind"] == "document" {
            texts.insert(doc, r["text"].as_str().unwrap().chars().collect());
            continue;
        }
        let text = &texts[&doc];
        let (start, end) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        let mention: String = text[start..end].iter().collect();
        assert_eq!(mention, r["text"].as_str().unwrap(), "{doc} [{start}, {end})");
        assert!(
            r["sentence"].as_str().unwrap().contains(&mention),
            "{doc}: sentence of {mention}"
        );
        facts += 1;
    }
    assert!(facts > 50, "only {facts} facts");
}
