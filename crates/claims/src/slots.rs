//! The slots of a story: its documents' roled facts aligned by kind, role,
//! issuer and subject, each slot's distinct values with their evidence,
//! and whether the documents agree.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Value};

use crate::values::{article, compatible, fold, same};
use crate::{DocFact, Document, Evidence, Slot, SlotValue, Status};

/// Roles that make no claim about the event: each article's own dateline
/// (two datelines differing is no dispute), and the catch-alls of passing
/// mentions (an article cited in passing, an authority named in passing).
pub(crate) const NOT_CLAIMS: &[&str] = &["publication", "cited", "other"];

/// What a slot is about; issuer folded and subject by the first word of
/// its folded name, `None` when unknown. Within one story a subject's
/// first word names it (`Clearview AI`, `Clearview IA`, `Clearview`).
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
            subject: fact
                .subject
                .as_deref()
                .and_then(|subject| fold(subject).split_whitespace().next().map(str::to_owned)),
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
            let Some(role) = fact.role.as_deref().filter(|role| !NOT_CLAIMS.contains(role)) else {
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

/// A fact whose issuer or subject is unknown joins a slot that knows
/// more, of its kind and role and agreeing with what it does know: the
/// only most specific such slot; else the only one its own document
/// fills (the article is about that fine); else the one most documents
/// of the story fill, if more than any other (`20 millions d’euros :
/// l’amende …` joins the CNIL's fine of Clearview AI that three sources
/// name). With no such slot, it stays a slot of its own.
fn join_partial_keys(by_key: &mut BTreeMap<SlotKey, Vec<Mention>>) {
    let docs_of: BTreeMap<SlotKey, BTreeSet<&str>> = by_key
        .iter()
        .map(|(key, mentions)| (key.clone(), mentions.iter().map(|(doc, _)| *doc).collect()))
        .collect();
    let partial: Vec<SlotKey> = docs_of
        .keys()
        .filter(|key| key.issuer.is_none() || key.subject.is_none())
        .cloned()
        .collect();
    let mut moves: Vec<(SlotKey, Mention)> = Vec::new();
    for key in partial {
        let wider: Vec<&SlotKey> = docs_of.keys().filter(|other| key.generalises(other)).collect();
        let most_specific: Vec<&SlotKey> = wider
            .iter()
            .filter(|c| !wider.iter().any(|d| c.generalises(d)))
            .copied()
            .collect();
        if most_specific.is_empty() {
            continue;
        }
        let mentions = by_key.remove(&key).unwrap_or_default();
        let mut staying = Vec::new();
        for mention in mentions {
            let own: Vec<&SlotKey> = most_specific
                .iter()
                .filter(|k| docs_of[**k].contains(mention.0))
                .copied()
                .collect();
            let target = match (most_specific.as_slice(), own.as_slice()) {
                ([only], _) | (_, [only]) => Some(*only),
                _ => most_filled(&most_specific, &docs_of),
            };
            match target {
                Some(target) => moves.push((target.clone(), mention)),
                None => staying.push(mention),
            }
        }
        if !staying.is_empty() {
            by_key.insert(key, staying);
        }
    }
    for (to, mention) in moves {
        by_key.entry(to).or_default().push(mention);
    }
}

/// The slot filled by the most documents, when no other is filled by as many.
fn most_filled<'k>(keys: &[&'k SlotKey], docs_of: &BTreeMap<SlotKey, BTreeSet<&str>>) -> Option<&'k SlotKey> {
    let mut by_count: Vec<(usize, &SlotKey)> = keys.iter().map(|k| (docs_of[*k].len(), *k)).collect();
    by_count.sort_by_key(|(count, _)| std::cmp::Reverse(*count));
    match by_count.as_slice() {
        [(first, key), (second, _), ..] if first > second => Some(key),
        [(_, key)] => Some(key),
        _ => None,
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
    Slot {
        issuer: key
            .issuer
            .is_some()
            .then(|| most_written(mentions, |f| &f.issuer))
            .flatten(),
        subject: key
            .subject
            .is_some()
            .then(|| most_written(mentions, |f| &f.subject))
            .flatten(),
        kind: key.kind,
        role: key.role,
        status,
        values,
    }
}

/// The form of a field the mentions write most often (the first of equals).
fn most_written(mentions: &[Mention], field: fn(&DocFact) -> &Option<String>) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for written in mentions.iter().filter_map(|(_, fact)| field(fact).as_deref()) {
        match counts.iter_mut().find(|(w, _)| *w == written) {
            Some((_, n)) => *n += 1,
            None => counts.push((written, 1)),
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(w, _)| w.to_owned())
}

/// A document's value in a `gdpr_article` slot: the set of articles it
/// cites in that role; documents in the order of their mentions.
fn article_sets<'a>(mentions: &[Mention<'a>]) -> Vec<(&'a str, BTreeSet<u64>)> {
    let mut sets: Vec<(&str, BTreeSet<u64>)> = Vec::new();
    for (doc, fact) in mentions {
        let Some(number) = article(&fact.value) else {
            continue;
        };
        match sets.iter_mut().find(|(d, _)| d == doc) {
            Some((_, set)) => {
                set.insert(number);
            }
            None => sets.push((doc, BTreeSet::from([number]))),
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
