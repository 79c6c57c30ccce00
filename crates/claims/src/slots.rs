//! The slots of a story: its documents' roled facts aligned by kind, role,
//! issuer and subject, each slot's distinct values with their evidence,
//! and whether the documents agree.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Value};

use crate::values::{article, compatible, fold, same};
use crate::{DocFact, Document, Evidence, Slot, SlotValue, Status};

/// A role that is each document's own, not a claim about the event: every
/// article has its dateline, and two datelines differing is no dispute.
const OWN_ROLES: &[&str] = &["publication"];

/// What a slot is about; issuer and subject folded, `None` when unknown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SlotKey {
    kind: String,
    role: String,
    issuer: Option<String>,
    subject: Option<String>,
}

impl SlotKey {
    fn of(fact: &DocFact, role: &str) -> SlotKey {
        SlotKey {
            kind: fact.kind.clone(),
            role: role.to_owned(),
            issuer: fact.issuer.as_deref().map(fold),
            subject: fact.subject.as_deref().map(fold),
        }
    }

    /// `self` could be `other` with more known: same kind and role, and
    /// every field `self` knows equal in `other`.
    fn generalises(&self, other: &SlotKey) -> bool {
        fn within(mine: &Option<String>, theirs: &Option<String>) -> bool {
            mine.is_none() || mine == theirs
        }
        self.kind == other.kind
            && self.role == other.role
            && within(&self.issuer, &other.issuer)
            && within(&self.subject, &other.subject)
            && self != other
    }
}

/// One mention in a story: which document states it.
type Mention<'a> = (&'a str, &'a DocFact);

/// The slots of the documents of one story, disputed first.
pub(crate) fn slots(docs: &[&Document]) -> Vec<Slot> {
    let mut by_key: BTreeMap<SlotKey, Vec<Mention>> = BTreeMap::new();
    for doc in docs {
        for fact in &doc.facts {
            let Some(role) = fact.role.as_deref().filter(|role| !OWN_ROLES.contains(role)) else {
                continue;
            };
            by_key.entry(SlotKey::of(fact, role)).or_default().push((&doc.id, fact));
        }
    }
    join_partial_keys(&mut by_key);
    // Evidence in the order of the story's documents, then of the text.
    let position: HashMap<&str, usize> = docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    for mentions in by_key.values_mut() {
        mentions.sort_by_key(|(doc, fact)| (position.get(doc).copied(), fact.start));
    }
    let mut slots: Vec<Slot> = by_key.into_iter().map(|(key, mentions)| slot(key, &mentions)).collect();
    slots.sort_by(|a, b| {
        (a.status, kind_rank(&a.kind), &a.role, &a.issuer, &a.subject).cmp(&(
            b.status,
            kind_rank(&b.kind),
            &b.role,
            &b.issuer,
            &b.subject,
        ))
    });
    slots
}

/// A fact whose issuer or subject is unknown joins the slot that knows
/// more when exactly one most specific slot of its kind and role fits
/// what it does know (`la CNIL … le 20 octobre` joins the CNIL's decision
/// against Clearview AI); with two or more it cannot say which, and stays
/// a slot of its own.
fn join_partial_keys(by_key: &mut BTreeMap<SlotKey, Vec<Mention>>) {
    let keys: Vec<SlotKey> = by_key.keys().cloned().collect();
    let mut moves = Vec::new();
    for key in keys.iter().filter(|key| key.issuer.is_none() || key.subject.is_none()) {
        let wider: Vec<&SlotKey> = keys.iter().filter(|other| key.generalises(other)).collect();
        let mut most_specific = wider.iter().filter(|c| !wider.iter().any(|d| c.generalises(d)));
        if let (Some(target), None) = (most_specific.next(), most_specific.next()) {
            moves.push((key.clone(), (*target).clone()));
        }
    }
    for (from, to) in moves {
        let mentions = by_key.remove(&from).unwrap_or_default();
        by_key.entry(to).or_default().extend(mentions);
    }
}

fn kind_rank(kind: &str) -> usize {
    ["date", "amount", "gdpr_article", "authority"]
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

fn slot(key: SlotKey, mentions: &[Mention]) -> Slot {
    // Each document's values in the slot, as indices into `values`.
    let mut values: Vec<SlotValue> = Vec::new();
    let mut by_doc: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    if key.kind == "gdpr_article" {
        for (doc, set) in article_sets(mentions) {
            let value = json!(set.iter().map(|n| json!({ "article": n })).collect::<Vec<_>>());
            let index = value_index(&mut values, &key.kind, value);
            values[index].docs.extend(
                mentions
                    .iter()
                    .filter(|(d, _)| *d == doc)
                    .map(|(d, fact)| evidence(d, fact)),
            );
            by_doc.entry(doc).or_default().insert(index);
        }
    } else {
        for (doc, fact) in mentions {
            let index = value_index(&mut values, &key.kind, fact.value.clone());
            values[index].docs.push(evidence(doc, fact));
            by_doc.entry(doc).or_default().insert(index);
        }
    }
    let status = status(&key.kind, &values, &by_doc);
    let distinct_docs = |v: &SlotValue| v.docs.iter().map(|e| &e.doc).collect::<BTreeSet<_>>().len();
    values.sort_by_key(|v| std::cmp::Reverse(distinct_docs(v)));
    let shown = |field: fn(&DocFact) -> &Option<String>| mentions.iter().find_map(|(_, fact)| field(fact).clone());
    Slot {
        issuer: key.issuer.is_some().then(|| shown(|f| &f.issuer)).flatten(),
        subject: key.subject.is_some().then(|| shown(|f| &f.subject)).flatten(),
        kind: key.kind,
        role: key.role,
        status,
        values,
    }
}

/// A document's value in a `gdpr_article` slot: the set of articles it
/// cites in that role.
fn article_sets<'a>(mentions: &[Mention<'a>]) -> BTreeMap<&'a str, BTreeSet<u64>> {
    let mut sets: BTreeMap<&str, BTreeSet<u64>> = BTreeMap::new();
    for (doc, fact) in mentions {
        if let Some(number) = article(&fact.value) {
            sets.entry(doc).or_default().insert(number);
        }
    }
    sets
}

/// The index of `value` among the slot's distinct values, added if new.
fn value_index(values: &mut Vec<SlotValue>, kind: &str, value: Value) -> usize {
    let known = if kind == "gdpr_article" {
        values.iter().position(|v| v.value == value)
    } else {
        values.iter().position(|v| same(kind, &v.value, &value))
    };
    known.unwrap_or_else(|| {
        values.push(SlotValue {
            value,
            docs: Vec::new(),
        });
        values.len() - 1
    })
}

/// Disputed when two documents' values have nothing compatible in common:
/// a document stating two fines is not disputing itself, and a source
/// stating both of another's values does not contradict it.
fn status(kind: &str, values: &[SlotValue], by_doc: &BTreeMap<&str, BTreeSet<usize>>) -> Status {
    if by_doc.len() < 2 {
        return Status::Single;
    }
    let agree = |a: &BTreeSet<usize>, b: &BTreeSet<usize>| {
        a.iter().any(|&i| {
            b.iter().any(|&j| {
                if kind == "gdpr_article" {
                    i == j
                } else {
                    compatible(kind, &values[i].value, &values[j].value)
                }
            })
        })
    };
    let sets: Vec<&BTreeSet<usize>> = by_doc.values().collect();
    let disputed = sets
        .iter()
        .enumerate()
        .any(|(i, a)| sets[i + 1..].iter().any(|b| !agree(a, b)));
    if disputed {
        Status::Disputed
    } else {
        Status::Agreed
    }
}

fn evidence(doc: &str, fact: &DocFact) -> Evidence {
    Evidence {
        doc: doc.to_owned(),
        text: fact.text.clone(),
        start: fact.start,
        end: fact.end,
        sentence: fact.sentence.clone(),
    }
}
