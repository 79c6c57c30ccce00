//! Claims across sources (`shared/spec/claims.md`): documents about the same
//! event are grouped into stories, and within a story the facts that say
//! the same thing (same kind, role, issuer and subject) are aligned into
//! slots that are agreed, disputed or stated by a single source. No I/O:
//! documents in, stories out.

mod grouping;
mod slots;
mod values;

use serde::{Deserialize, Serialize};

/// The stories of `docs`, each document in exactly one (a document that
/// reports nothing another does is a story of its own), with their slots.
/// Stories with more sources come first, then in the order of their first
/// document.
pub fn stories(docs: &[Document]) -> Vec<Story> {
    let mut groups = grouping::group(docs);
    groups.sort_by_key(|members| (std::cmp::Reverse(members.len()), members[0]));
    groups
        .into_iter()
        .enumerate()
        .map(|(n, members)| {
            let members: Vec<&Document> = members.iter().map(|&i| &docs[i]).collect();
            Story {
                story: n + 1,
                docs: members.iter().map(|d| d.id.clone()).collect(),
                title: members
                    .iter()
                    .find_map(|d| d.title.clone().filter(|t| !t.trim().is_empty()))
                    .unwrap_or_default(),
                sources: members.iter().map(|d| Source::of(d)).collect(),
                slots: slots::slots(&members),
            }
        })
        .collect()
}

/// One article as the claims see it: its metadata, the start of its text
/// and its facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The document identifier (`doc` of the records).
    pub id: String,
    pub title: Option<String>,
    /// The site that published it (the URL's host), when known.
    pub site: Option<String>,
    pub url: Option<String>,
    /// ISO 8601 publication date, at the precision known.
    pub published: Option<String>,
    pub lang: Option<String>,
    /// The first sentences of the text, where a report names who and what.
    pub lead: String,
    pub facts: Vec<DocFact>,
}

/// One fact mention of a document, as `glaneur extract` writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocFact {
    /// `date`, `amount`, `gdpr_article` or `authority`.
    pub kind: String,
    pub role: Option<String>,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    /// The normalised value, in the records' JSON form.
    pub value: serde_json::Value,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
}

/// A set of documents about the same event, with its aligned facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// 1-based number of the story in the output.
    pub story: usize,
    pub docs: Vec<String>,
    /// The title of the story's first source that has one.
    pub title: String,
    /// Each document of the story, in the order of `docs`.
    pub sources: Vec<Source>,
    pub slots: Vec<Slot>,
}

/// A document of a story, as a reader identifies it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub doc: String,
    pub title: Option<String>,
    pub site: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
}

impl Source {
    fn of(doc: &Document) -> Source {
        Source {
            doc: doc.id.clone(),
            title: doc.title.clone(),
            site: doc.site.clone(),
            url: doc.url.clone(),
            published: doc.published.clone(),
        }
    }
}

/// One thing the sources of a story state: a kind, a role, and the issuer
/// and subject where known, with every distinct value stated for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    pub kind: String,
    pub role: String,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub status: Status,
    pub values: Vec<SlotValue>,
}

/// Whether the sources that fill a slot agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Two documents give incompatible values.
    Disputed,
    /// Every document gives the same or a compatible value.
    Agreed,
    /// Only one document fills the slot.
    Single,
}

/// One distinct value of a slot and the mentions that state it. For
/// `gdpr_article` the value is a document's whole set of articles in the
/// slot: a JSON array of article values, in article order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotValue {
    pub value: serde_json::Value,
    pub docs: Vec<Evidence>,
}

/// A mention behind a value: the document, the text as written, its
/// character offsets and its sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub doc: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
}
