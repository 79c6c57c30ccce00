//! Fact extraction: from an article's text, its language and publication
//! date, the dates, sums of money, GDPR articles and public authorities it
//! states, normalised as `shared/spec/facts.md` defines them. No I/O.

mod amounts;
mod authorities;
pub mod calendar;
mod currencies;
mod dates;
mod gdpr;
pub mod lang;
mod text;

use std::ops::Range;
use std::sync::OnceLock;

pub use amounts::{Amount, Period};
pub use authorities::AuthorityRef;
pub use calendar::PartialDate;
pub use gdpr::ArticleRef;
pub use lang::LangPack;

/// What the text alone does not say: its language and publication date.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// ISO 639-1 code; a language without a pack is read with the English one.
    pub lang: &'a str,
    /// Anchors dates without a year and relative dates (`hier`).
    pub published: Option<PartialDate>,
}

/// One fact mention: where it stands and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub value: Value,
    /// The mention exactly as in the text.
    pub text: String,
    /// Half-open character (Unicode scalar) offsets of the mention.
    pub start: usize,
    pub end: usize,
    pub sentence: String,
}

/// A fact's normalised value; its kind is the variant.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Value {
    Date(PartialDate),
    Amount(Amount),
    GdprArticle(ArticleRef),
    Authority(AuthorityRef),
}

impl Value {
    /// The `kind` of the spec: `date`, `amount`, `gdpr_article`, `authority`.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Date(_) => "date",
            Value::Amount(_) => "amount",
            Value::GdprArticle(_) => "gdpr_article",
            Value::Authority(_) => "authority",
        }
    }
}

/// The compiled rules of one language.
struct Rules {
    pack: &'static LangPack,
    dates: dates::DateRules,
    amounts: amounts::AmountRules,
    gdpr: gdpr::GdprRules,
    authorities: authorities::AuthorityRules,
}

/// The compiled rules of `lang` (of the default pack when `lang` has
/// none), each pack's compiled on first use: a run in one language pays
/// for one.
fn rules(lang: &str) -> &'static Rules {
    static RULES: OnceLock<Vec<(&'static str, OnceLock<Rules>)>> = OnceLock::new();
    let all = RULES.get_or_init(|| lang::supported().map(|code| (code, OnceLock::new())).collect());
    let pack = lang::pack(lang).unwrap_or_else(lang::fallback);
    let (_, cell) = all
        .iter()
        .find(|(code, _)| *code == pack.code)
        .expect("a slot for every pack");
    cell.get_or_init(|| Rules {
        pack,
        dates: dates::DateRules::new(pack),
        amounts: amounts::AmountRules::new(pack),
        gdpr: gdpr::GdprRules::new(pack),
        authorities: authorities::AuthorityRules::new(pack),
    })
}

/// Every fact in `text`, in text order (by start, then kind).
pub fn extract(text: &str, ctx: &Context) -> Vec<Fact> {
    let rules = rules(ctx.lang);
    let sentences = rules
        .dates
        .mend_sentences(text, text::sentences(text, &rules.pack.abbreviations));
    let sentence_of = |pos: usize| -> Range<usize> {
        let i = sentences.partition_point(|s| s.end <= pos);
        sentences.get(i).filter(|s| s.start <= pos).cloned().unwrap_or(pos..pos)
    };
    let mut found: Vec<(Range<usize>, Value)> = Vec::new();
    found.extend(
        rules
            .dates
            .find(text, ctx.published, sentence_of)
            .into_iter()
            .map(|(s, v)| (s, Value::Date(v))),
    );
    found.extend(rules.amounts.find(text).into_iter().map(|(s, v)| (s, Value::Amount(v))));
    found.extend(
        rules
            .gdpr
            .find(text, sentence_of)
            .into_iter()
            .map(|(s, v)| (s, Value::GdprArticle(v))),
    );
    found.extend(
        rules
            .authorities
            .find(text)
            .into_iter()
            .map(|(s, v)| (s, Value::Authority(v))),
    );
    drop_dates_inside_other_facts(&mut found);
    found.sort_by_key(|(span, v)| (span.start, span.end, v.kind()));

    let offsets = text::CharOffsets::new(text);
    found
        .into_iter()
        .map(|(span, value)| {
            let sentence = sentence_of(span.start);
            let sentence = if sentence.is_empty() {
                span.clone()
            } else {
                sentence.start.min(span.start)..sentence.end.max(span.end)
            };
            Fact {
                value,
                text: text[span.clone()].to_string(),
                start: offsets.of(span.start),
                end: offsets.of(span.end),
                sentence: text[sentence].to_string(),
            }
        })
        .collect()
}

/// A year inside a sum (`2000 €`) or a law citation is not a date.
fn drop_dates_inside_other_facts(found: &mut Vec<(Range<usize>, Value)>) {
    let others: Vec<Range<usize>> = found
        .iter()
        .filter(|(_, v)| matches!(v, Value::Amount(_)))
        .map(|(s, _)| s.clone())
        .collect();
    found.retain(|(span, v)| {
        !matches!(v, Value::Date(_)) || !others.iter().any(|o| o.start < span.end && span.start < o.end)
    });
}

/// The article's own dateline (`Publié le 08/09/2017`, `3 Jan 2022` alone
/// on a line) among its first lines, as its publication date.
pub fn dateline(text: &str, lang: &str) -> Option<PartialDate> {
    rules(lang).dates.dateline(text)
}

/// The first date with its year written in `text`, such as a metadata
/// value `Thu, 20 Oct 2022 08:00:00 GMT`. Metadata is written in any
/// language whatever the page declares (`20. Oktober 2022`): the most
/// precise reading among the packs wins, `lang`'s on a tie.
pub fn first_date(text: &str, lang: &str) -> Option<PartialDate> {
    let own = rules(lang).dates.first_date(text);
    if own.is_some_and(|d| d.day.is_some()) {
        return own;
    }
    let precision = |d: &PartialDate| (d.day.is_some(), d.month.is_some());
    lang::supported()
        .filter_map(|code| rules(code).dates.first_date(text))
        .fold(own, |best, d| match best {
            Some(b) if precision(&b) >= precision(&d) => Some(b),
            _ => Some(d),
        })
}
