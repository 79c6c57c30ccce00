//! The rows of the tables (CSV, SQLite, Parquet): one struct a table. A
//! table's columns, their order, types and nullability are read from its
//! struct, so no format can list a column that another lacks.

use std::io;

use glaneur_articles::Article;
use glaneur_facts::{Fact, Period, Value};
use schemars::JsonSchema;
use serde::Serialize;

use crate::cells::{cells, ColumnType};
use crate::{Entry, Failure};

/// A row type and the name of its table.
pub trait Table: Serialize + JsonSchema + Default {
    const NAME: &'static str;
}

/// One column of a table, as its row type declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnType,
    pub nullable: bool,
    /// The field's documentation.
    pub description: Option<String>,
}

/// The columns of `T`'s table, in the struct's field order.
pub fn columns<T: Table>() -> io::Result<Vec<Column>> {
    let schema = schemars::schema_for!(T);
    let properties = schema.get("properties").and_then(|p| p.as_object());
    cells(&T::default())?
        .into_iter()
        .map(|(name, _)| {
            let property = properties
                .and_then(|p| p.get(name))
                .ok_or_else(|| untyped(T::NAME, name))?;
            let types: Vec<&str> = match property.get("type") {
                Some(serde_json::Value::String(t)) => vec![t.as_str()],
                Some(serde_json::Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).collect(),
                _ => Vec::new(),
            };
            let kind = match types.iter().find(|t| **t != "null") {
                Some(&"string") => ColumnType::Text,
                Some(&"integer") => ColumnType::Integer,
                Some(&"number") => ColumnType::Real,
                Some(&"boolean") => ColumnType::Bool,
                _ => return Err(untyped(T::NAME, name)),
            };
            Ok(Column {
                name,
                kind,
                nullable: types.contains(&"null"),
                description: property.get("description").and_then(|d| d.as_str()).map(str::to_string),
            })
        })
        .collect()
}

fn untyped(table: &str, column: &str) -> io::Error {
    io::Error::other(format!("column {table}.{column} has no scalar type in its schema"))
}

/// A document: one row an article (`--no-text` or not, tables leave the
/// text out).
#[derive(Serialize, JsonSchema, Default)]
pub struct DocumentRow<'a> {
    /// The document identifier.
    pub doc: &'a str,
    /// Where the input came from: a path, a URL, a WARC file and offset.
    pub source: &'a str,
    /// ISO 639-1 code of the main text's language.
    pub lang: Option<&'a str>,
    pub title: Option<&'a str>,
    /// Publication date, ISO 8601 at the precision known.
    pub published: Option<String>,
    /// Last modification date, ISO 8601.
    pub modified: Option<String>,
    /// The address the page was read from, else its canonical URL.
    pub url: Option<&'a str>,
    /// When the page was fetched (HTTP `Date`).
    pub fetched: Option<&'a str>,
    pub site_name: Option<&'a str>,
    /// The authors, joined with `; `.
    pub authors: String,
    pub description: Option<&'a str>,
    /// An index or list page: no single article.
    pub list_page: bool,
    /// Length of the article text in characters.
    pub chars: u64,
}

impl Table for DocumentRow<'_> {
    const NAME: &'static str = "documents";
}

impl<'a> DocumentRow<'a> {
    pub fn of(entry: &Entry<'a>, a: &'a Article) -> Self {
        DocumentRow {
            doc: entry.doc,
            source: entry.source,
            lang: a.lang.as_deref(),
            title: a.title.as_deref(),
            published: a.published.map(|d| d.to_string()),
            modified: a.modified.map(|d| d.to_string()),
            url: entry.url.or(a.url.as_deref()),
            fetched: entry.fetched,
            site_name: a.site_name.as_deref(),
            authors: a.authors.join("; "),
            description: a.description.as_deref(),
            list_page: a.list_page,
            chars: a.text.chars().count() as u64,
        }
    }
}

/// An input that gave no article.
#[derive(Serialize, JsonSchema, Default)]
pub struct ErrorRow<'a> {
    /// The document identifier the input would have had.
    pub doc: &'a str,
    pub source: &'a str,
    /// A stable error code (`unreadable`, `timeout`, `http_status`, …).
    pub code: &'a str,
    pub message: &'a str,
}

impl Table for ErrorRow<'_> {
    const NAME: &'static str = "errors";
}

impl<'a> ErrorRow<'a> {
    pub fn of(entry: &Entry<'a>, e: Failure<'a>) -> Self {
        ErrorRow {
            doc: entry.doc,
            source: entry.source,
            code: e.code,
            message: e.message,
        }
    }
}

/// A fact mention: `value` is the canonical value as one string, the
/// columns after it its parts (null where they do not apply).
#[derive(Serialize, JsonSchema, Default)]
pub struct FactRow<'a> {
    /// The document identifier.
    pub doc: &'a str,
    /// `date`, `amount`, `gdpr_article` or `authority`.
    pub kind: &'a str,
    /// The mention exactly as in the article text.
    pub text: &'a str,
    /// Half-open offsets of the mention in the article text, in characters.
    pub start: u64,
    pub end: u64,
    /// The canonical value: `2022-10-20`, `100000 EUR/day`, `5(1)(a)`, `CNIL`.
    pub value: String,
    /// A date fact's ISO 8601 date.
    pub date: Option<String>,
    /// An amount fact's sum.
    pub amount: Option<f64>,
    /// An amount fact's ISO 4217 currency.
    pub currency: Option<&'a str>,
    /// `day`, `month` or `year` for a periodic sum.
    pub per: Option<&'static str>,
    /// A GDPR article's number.
    pub article: Option<u16>,
    pub paragraph: Option<u16>,
    pub point: Option<&'a str>,
    /// An authority's canonical name.
    pub authority: Option<&'a str>,
    /// An authority's ISO 3166 country (`EU`, `INT`).
    pub country: Option<&'a str>,
    /// The sentence that contains the mention.
    pub sentence: &'a str,
}

impl Table for FactRow<'_> {
    const NAME: &'static str = "facts";
}

impl<'a> FactRow<'a> {
    pub fn of(doc: &'a str, f: &'a Fact) -> Self {
        let mut row = FactRow {
            doc,
            kind: f.value.kind(),
            text: &f.text,
            start: f.start as u64,
            end: f.end as u64,
            value: value_string(&f.value),
            sentence: &f.sentence,
            ..FactRow::default()
        };
        match &f.value {
            Value::Date(d) => row.date = Some(d.to_string()),
            Value::Amount(a) => {
                row.amount = Some(a.amount);
                row.currency = Some(&a.currency);
                row.per = a.per.map(Period::as_str);
            }
            Value::GdprArticle(g) => {
                row.article = Some(g.article);
                row.paragraph = g.paragraph;
                row.point = g.point.as_deref();
            }
            Value::Authority(a) => {
                row.authority = Some(&a.name);
                row.country = a.country.as_deref();
            }
        }
        row
    }
}

/// The canonical value as one string: `2022-10-20`, `100000 EUR/day`,
/// `5(1)(a)`, `CNIL`.
fn value_string(v: &Value) -> String {
    match v {
        Value::Date(d) => d.to_string(),
        Value::Amount(a) => {
            let per = a.per.map(|p| format!("/{}", p.as_str())).unwrap_or_default();
            format!("{} {}{per}", a.amount, a.currency)
        }
        Value::GdprArticle(g) => {
            let paragraph = g.paragraph.map(|p| format!("({p})")).unwrap_or_default();
            let point = g.point.as_ref().map(|p| format!("({p})")).unwrap_or_default();
            format!("{}{paragraph}{point}", g.article)
        }
        Value::Authority(a) => a.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_take_their_type_and_nullability_from_the_row_type() {
        let facts = columns::<FactRow>().unwrap();
        let column = |name: &str| facts.iter().find(|c| c.name == name).unwrap().clone();
        assert_eq!(facts.first().map(|c| c.name), Some("doc"));
        assert_eq!(facts.last().map(|c| c.name), Some("sentence"));
        assert_eq!((column("doc").kind, column("doc").nullable), (ColumnType::Text, false));
        assert_eq!(
            (column("start").kind, column("start").nullable),
            (ColumnType::Integer, false)
        );
        assert_eq!(
            (column("amount").kind, column("amount").nullable),
            (ColumnType::Real, true)
        );
        assert_eq!(
            (column("article").kind, column("article").nullable),
            (ColumnType::Integer, true)
        );
        let documents = columns::<DocumentRow>().unwrap();
        let list_page = documents.iter().find(|c| c.name == "list_page").unwrap();
        assert_eq!((list_page.kind, list_page.nullable), (ColumnType::Bool, false));
    }
}
