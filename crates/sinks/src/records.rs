//! The JSON records of `shared/spec/facts.md`, as JSONL and JSON write
//! them; [`json_schema`] is their published schema.

use glaneur_facts::{Fact, Value};
use schemars::JsonSchema;
use serde::Serialize;

use glaneur_articles::Article;

use crate::{Entry, Failure};

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Document,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Error,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    Date,
    Amount,
    GdprArticle,
    Authority,
}

impl FactKind {
    fn of(value: &Value) -> Self {
        match value {
            Value::Date(_) => FactKind::Date,
            Value::Amount(_) => FactKind::Amount,
            Value::GdprArticle(_) => FactKind::GdprArticle,
            Value::Authority(_) => FactKind::Authority,
        }
    }
}

/// One article.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRecord<'a> {
    /// The document identifier: the input's name, a URL, a WARC target URI.
    pub doc: &'a str,
    pub kind: DocumentKind,
    /// Where the input came from: a path, a URL, a WARC file and offset.
    pub source: &'a str,
    /// ISO 639-1 code of the main text's language.
    pub lang: Option<&'a str>,
    pub title: Option<&'a str>,
    /// ISO 8601, at the precision known.
    pub published: Option<String>,
    pub modified: Option<String>,
    /// The address the page was read from, else its canonical URL.
    pub url: Option<&'a str>,
    /// When the page was fetched (HTTP `Date`), for fetched pages.
    pub fetched: Option<&'a str>,
    pub site_name: Option<&'a str>,
    pub authors: &'a [String],
    pub description: Option<&'a str>,
    /// An index or list page: its text is only its title.
    pub list_page: bool,
    /// Length of `text` in characters (Unicode scalar values).
    pub chars: usize,
    /// The article text; fact offsets point into it. Left out with `--no-text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
}

/// An input that gave no article.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorRecord<'a> {
    /// The document identifier the input would have had.
    pub doc: &'a str,
    pub kind: ErrorKind,
    pub source: &'a str,
    /// A stable code: `unreadable`, `not_text`, `timeout`, `http_status`, …
    pub code: &'a str,
    pub message: &'a str,
}

/// One fact mention.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactRecord<'a> {
    /// The identifier of the document the fact is in.
    pub doc: &'a str,
    pub kind: FactKind,
    /// The mention exactly as in the document's text.
    pub text: &'a str,
    /// Half-open offsets of the mention in the document's text, in characters.
    pub start: usize,
    pub end: usize,
    pub value: &'a Value,
    /// The sentence that contains the mention.
    pub sentence: &'a str,
}

/// A document with its facts, as `--format json` writes it.
#[derive(Serialize)]
pub struct DocumentWithFacts<'a> {
    #[serde(flatten)]
    pub document: DocumentRecord<'a>,
    pub facts: Vec<FactRecord<'a>>,
}

/// Any line of the JSONL output.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(title = "glaneur record")]
pub enum Record<'a> {
    Document(DocumentRecord<'a>),
    Error(ErrorRecord<'a>),
    Fact(FactRecord<'a>),
}

/// The JSON Schema of the JSONL records.
pub fn json_schema() -> schemars::Schema {
    let mut schema = schemars::schema_for!(Record<'static>);
    tie_fact_kinds_to_values(&mut schema);
    schema
}

/// A fact's `value` has the type its `kind` names: the fact schema gets one
/// `oneOf` branch a kind. `FactKind` lists the kinds in the order of
/// `Value`'s variants (a test keeps them so).
fn tie_fact_kinds_to_values(schema: &mut schemars::Schema) {
    let Some(definitions) = schema.get_mut("$defs").and_then(|d| d.as_object_mut()) else {
        return;
    };
    let kinds = definitions["FactKind"]["enum"].as_array().cloned().unwrap_or_default();
    let values = definitions["Value"]["anyOf"].as_array().cloned().unwrap_or_default();
    if kinds.len() != values.len() {
        return;
    }
    let branches: Vec<serde_json::Value> = kinds
        .into_iter()
        .zip(values)
        .map(|(kind, value)| serde_json::json!({"properties": {"kind": {"const": kind}, "value": value}}))
        .collect();
    if let Some(fact) = definitions.get_mut("FactRecord").and_then(|f| f.as_object_mut()) {
        fact.insert("oneOf".into(), branches.into());
    }
}

pub fn document<'a>(entry: &Entry<'a>, a: &'a Article, with_text: bool) -> DocumentRecord<'a> {
    DocumentRecord {
        doc: entry.doc,
        kind: DocumentKind::Document,
        source: entry.source,
        lang: a.lang.as_deref(),
        title: a.title.as_deref(),
        published: a.published.map(|d| d.to_string()),
        modified: a.modified.map(|d| d.to_string()),
        url: entry.url.or(a.url.as_deref()),
        fetched: entry.fetched,
        site_name: a.site_name.as_deref(),
        authors: &a.authors,
        description: a.description.as_deref(),
        list_page: a.list_page,
        chars: a.text.chars().count(),
        text: with_text.then_some(a.text.as_str()),
    }
}

pub fn error<'a>(entry: &Entry<'a>, e: Failure<'a>) -> ErrorRecord<'a> {
    ErrorRecord {
        doc: entry.doc,
        kind: ErrorKind::Error,
        source: entry.source,
        code: e.code,
        message: e.message,
    }
}

pub fn fact<'a>(doc: &'a str, f: &'a Fact) -> FactRecord<'a> {
    FactRecord {
        doc,
        kind: FactKind::of(&f.value),
        text: &f.text,
        start: f.start,
        end: f.end,
        value: &f.value,
        sentence: &f.sentence,
    }
}

#[cfg(test)]
mod tests {
    use glaneur_facts::{Amount, ArticleRef, AuthorityRef, PartialDate};

    use super::*;

    #[test]
    fn fact_kinds_are_listed_in_the_order_of_the_value_variants() {
        let one_of_each = [
            Value::Date(PartialDate::year(2022)),
            Value::Amount(Amount {
                amount: 1.0,
                currency: "EUR".into(),
                per: None,
            }),
            Value::GdprArticle(ArticleRef {
                article: 17,
                paragraph: None,
                point: None,
            }),
            Value::Authority(AuthorityRef {
                name: "CNIL".into(),
                country: Some("FR".into()),
            }),
        ];
        let schema = json_schema();
        let schema = schema.as_value();
        let branches = schema["$defs"]["FactRecord"]["oneOf"].as_array().unwrap();
        assert_eq!(branches.len(), one_of_each.len());
        for (value, branch) in one_of_each.iter().zip(branches) {
            assert_eq!(branch["properties"]["kind"]["const"], value.kind());
        }
    }
}
