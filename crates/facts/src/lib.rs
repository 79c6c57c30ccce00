//! Fact extraction: from an article's text, its language and publication
//! date, the dates, sums of money, GDPR articles and public authorities it
//! states, normalised as `shared/spec/facts.md` defines them. No I/O.

mod amounts;
mod authorities;
mod currencies;
mod date_reader;
mod dates;
mod gdpr;
pub mod lang;
mod roles;
mod rule_regex;
mod text;

use std::ops::Range;
use std::sync::{Arc, OnceLock};

pub use amounts::{Amount, Period};
pub use authorities::AuthorityRef;
pub use date_reader::PackDateReader;
pub use gdpr::ArticleRef;
pub use glaneur_calendar::PartialDate;
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
    /// The sentence around the mention, one copy shared by all the facts
    /// it holds: a long document states many facts a sentence.
    pub sentence: Arc<str>,
    /// What the value is *of*, read from the words around the mention;
    /// `None` when they do not say (`shared/spec/claims.md`, Roles).
    pub role: Option<Role>,
    /// The canonical name of the authority the sentence makes the author
    /// of the fine, decision or notice.
    pub issuer: Option<String>,
    /// The organisation the fine or decision is against, as written.
    pub subject: Option<String>,
}

/// The closed vocabulary of roles of `shared/spec/claims.md`; each kind
/// uses its own part of it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Fine,
    PeriodicPenalty,
    PenaltyPayment,
    Damages,
    Turnover,
    Price,
    Budget,
    Decision,
    FormalNotice,
    Complaint,
    Hearing,
    Deadline,
    EntryIntoForce,
    Announcement,
    Publication,
    Breached,
    Cited,
    Issuer,
    Other,
}

impl Role {
    /// The role's name as the records write it (`periodic_penalty`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Fine => "fine",
            Role::PeriodicPenalty => "periodic_penalty",
            Role::PenaltyPayment => "penalty_payment",
            Role::Damages => "damages",
            Role::Turnover => "turnover",
            Role::Price => "price",
            Role::Budget => "budget",
            Role::Decision => "decision",
            Role::FormalNotice => "formal_notice",
            Role::Complaint => "complaint",
            Role::Hearing => "hearing",
            Role::Deadline => "deadline",
            Role::EntryIntoForce => "entry_into_force",
            Role::Announcement => "announcement",
            Role::Publication => "publication",
            Role::Breached => "breached",
            Role::Cited => "cited",
            Role::Issuer => "issuer",
            Role::Other => "other",
        }
    }
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
    dates: &'static dates::DateRules,
    amounts: amounts::AmountRules,
    gdpr: gdpr::GdprRules,
    authorities: authorities::AuthorityRules,
    roles: roles::RoleRules,
}

/// One lazily compiled value per language pack.
type PerPack<T> = OnceLock<Vec<(&'static str, OnceLock<T>)>>;

/// `pack`'s value among `cells`, made by `make` on first use.
fn per_pack<T>(cells: &'static PerPack<T>, pack: &'static LangPack, make: impl FnOnce() -> T) -> &'static T {
    let all = cells.get_or_init(|| lang::supported().map(|code| (code, OnceLock::new())).collect());
    let (_, cell) = all
        .iter()
        .find(|(code, _)| *code == pack.code)
        .expect("a slot for every pack");
    cell.get_or_init(make)
}

/// The compiled rules of `lang` (of the default pack when `lang` has
/// none), each pack's compiled on first use: a run in one language pays
/// for one.
fn rules(lang: &str) -> &'static Rules {
    static RULES: PerPack<Rules> = OnceLock::new();
    let pack = lang::pack(lang).unwrap_or_else(lang::fallback);
    per_pack(&RULES, pack, || Rules {
        pack,
        dates: date_rules(&pack.code),
        amounts: amounts::AmountRules::new(pack),
        gdpr: gdpr::GdprRules::new(pack),
        authorities: authorities::AuthorityRules::new(pack),
        roles: roles::RoleRules::new(pack),
    })
}

/// The compiled date rules of `lang`, apart from its other rules: a
/// metadata date is read with every pack's date rules, and compiling the
/// rest of every pack for it made start-up several times longer.
fn date_rules(lang: &str) -> &'static dates::DateRules {
    static DATES: PerPack<dates::DateRules> = OnceLock::new();
    let pack = lang::pack(lang).unwrap_or_else(lang::fallback);
    per_pack(&DATES, pack, || dates::DateRules::new(pack))
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
    found.extend(
        rules
            .amounts
            .find(text, ctx.lang, sentence_of)
            .into_iter()
            .map(|(s, v)| (s, Value::Amount(v))),
    );
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

    let assigned = assign_roles(rules, text, &found, sentence_of);

    let mut offsets = text::CharOffsets::new(text);
    // Facts come in text order, so those of one sentence follow each other.
    let mut shared: Option<(Range<usize>, Arc<str>)> = None;
    found
        .into_iter()
        .zip(assigned)
        .map(|((span, value), assigned)| {
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
                sentence: match &shared {
                    Some((range, copy)) if *range == sentence => copy.clone(),
                    _ => shared.insert((sentence.clone(), text[sentence].into())).1.clone(),
                },
                role: assigned.role,
                issuer: assigned.issuer,
                subject: assigned.subject,
            }
        })
        .collect()
}

/// The role, issuer and subject of each of `found` (in text order), read
/// sentence by sentence: the facts of one sentence follow each other.
fn assign_roles(
    rules: &Rules,
    text: &str,
    found: &[(Range<usize>, Value)],
    sentence_of: impl Fn(usize) -> Range<usize>,
) -> Vec<roles::Assigned> {
    let mut assigned = Vec::with_capacity(found.len());
    let mut rest = found;
    while let Some((first, _)) = rest.first() {
        let sentence = sentence_of(first.start);
        let sentence = if sentence.is_empty() { first.clone() } else { sentence };
        let count = rest
            .iter()
            .take_while(|(span, _)| span.start < sentence.end)
            .count()
            .max(1);
        let (group, tail) = rest.split_at(count);
        let sentence = sentence.start.min(first.start)..group.iter().map(|(s, _)| s.end).fold(sentence.end, usize::max);
        let facts: Vec<(Range<usize>, &Value)> = group.iter().map(|(s, v)| (s.clone(), v)).collect();
        assigned.extend(rules.roles.assign(text, &sentence, &facts));
        rest = tail;
    }
    assigned
}

/// A year inside a sum (`2000 €`) or a law citation is not a date.
fn drop_dates_inside_other_facts(found: &mut Vec<(Range<usize>, Value)>) {
    let sums = covered(
        found
            .iter()
            .filter(|(_, v)| matches!(v, Value::Amount(_)))
            .map(|(s, _)| s.clone()),
    );
    found.retain(|(span, v)| !matches!(v, Value::Date(_)) || !text::overlaps_any(&sums, span));
}

/// The union of `spans` as sorted, disjoint ranges, so that an overlap test
/// is one binary search instead of a scan of every span.
fn covered(spans: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = spans.filter(|s| !s.is_empty()).collect();
    spans.sort_by_key(|s| s.start);
    let mut union: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match union.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => union.push(s),
        }
    }
    union
}

/// The article's own dateline (`Publié le 08/09/2017`, `3 Jan 2022` alone
/// on a line) among its first lines, as its publication date.
pub fn dateline(text: &str, lang: &str) -> Option<PartialDate> {
    date_rules(lang).dateline(text)
}

/// The first date with its year written in `text`, such as a metadata
/// value `Thu, 20 Oct 2022 08:00:00 GMT`. Metadata is written in any
/// language whatever the page declares (`20. Oktober 2022`): the most
/// precise reading among the packs wins, `lang`'s on a tie.
///
/// Another pack is consulted only for what it reads differently: its
/// month names, when the text writes one, or its order of numeric dates.
/// Every pack reads a year the same way, as four digits, so a text
/// without four digits in a row is read by none; and a bare year is
/// judged by `lang`'s rules alone. This spares compiling and running six
/// packs' date rules on every short text of every page.
pub fn first_date(text: &str, lang: &str) -> Option<PartialDate> {
    if !has_four_digits(text) {
        return None;
    }
    let own_pack = lang::pack(lang).unwrap_or_else(lang::fallback);
    let own = date_rules(lang).first_date(text);
    if own.is_some_and(|d| d.day.is_some()) {
        return own;
    }
    let words = lower_words(text);
    let numeric = has_numeric_date(text);
    let reads_differently = |pack: &'static LangPack| {
        numeric && pack.dates.numeric_order != own_pack.dates.numeric_order
            || month_words(pack).iter().any(|m| words.contains(m.as_str()))
    };
    let precision = |d: &PartialDate| (d.day.is_some(), d.month.is_some());
    let mut best = own;
    let others = lang::supported()
        .filter_map(lang::pack)
        .filter(|pack| pack.code != own_pack.code && reads_differently(pack));
    for pack in others {
        // A day of a month is as precise as a reading gets, and a later
        // pack wins only by being more precise: the packs left are not
        // compiled for nothing (`18 NOV 2019` is read alike by five).
        if best.is_some_and(|b| precision(&b) == (true, true)) {
            break;
        }
        if let Some(d) = date_rules(&pack.code).first_date(text) {
            if best.is_none_or(|b| precision(&b) < precision(&d)) {
                best = Some(d);
            }
        }
    }
    best
}

/// Whether `text` holds four ASCII digits in a row, as every year a pack
/// reads is written.
fn has_four_digits(text: &str) -> bool {
    text.as_bytes().split(|b| !b.is_ascii_digit()).any(|run| run.len() >= 4)
}

/// Whether `text` may write a numeric date (`5/3/2020`, `05.03.2020`):
/// four digits after two numbers of one or two digits, each followed by
/// `/`, `.` or `-`.
fn has_numeric_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A number of one or two digits and its separator, ending at `end`;
    // where the number starts.
    let number_before = |end: usize| -> Option<usize> {
        let sep = end.checked_sub(1)?;
        if !b"/.-".contains(&bytes[sep]) {
            return None;
        }
        let digits = bytes[..sep].iter().rev().take_while(|b| b.is_ascii_digit()).count();
        (1..=2).contains(&digits).then(|| sep - digits)
    };
    let mut at = 0;
    for run in bytes.split(|b| !b.is_ascii_digit()) {
        if run.len() >= 4 && number_before(at).and_then(number_before).is_some() {
            return true;
        }
        at += run.len() + 1;
    }
    false
}

/// The words of `text` in lower case, split at every character that is
/// not a letter: each month name a pattern can match is among them.
fn lower_words(text: &str) -> std::collections::HashSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Every form of every month of `pack`, in lower case, without its dot.
fn month_words(pack: &'static LangPack) -> &'static Vec<String> {
    static MONTHS: PerPack<Vec<String>> = OnceLock::new();
    per_pack(&MONTHS, pack, || {
        pack.dates
            .months
            .iter()
            .flatten()
            .map(|m| m.trim_end_matches('.').to_lowercase())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(span: Range<usize>) -> (Range<usize>, Value) {
        let amount = Amount {
            amount: 2000.0,
            currency: "EUR".into(),
            per: None,
        };
        (span, Value::Amount(amount))
    }

    fn year(span: Range<usize>) -> (Range<usize>, Value) {
        (span, Value::Date(PartialDate::year(2000)))
    }

    /// Patterns compile on first use: a broken one in any pack fails here,
    /// not on the first page that needs it.
    #[test]
    fn every_pattern_of_every_pack_compiles() {
        for code in lang::supported() {
            rules(code);
        }
        assert_eq!(text::made_patterns_errors(), Vec::<String>::new());
    }

    #[test]
    fn a_metadata_date_is_read_by_the_pack_whose_month_names_it_writes() {
        assert_eq!(first_date("20. Oktober 2022", "en"), PartialDate::day(2022, 10, 20));
        assert_eq!(first_date("mardi 14 janvier 2020", "de"), PartialDate::day(2020, 1, 14));
        // Day first where the page's own language reads month first.
        assert_eq!(first_date("25/03/2020", "en"), PartialDate::day(2020, 3, 25));
        assert_eq!(first_date("Oktober", "en"), None);
    }

    #[test]
    fn only_four_digits_in_a_row_can_be_a_year() {
        assert!(has_four_digits("le 3 mars 2021"));
        assert!(!has_four_digits("3 mars, 21 h 30"));
    }

    #[test]
    fn a_numeric_date_is_two_short_numbers_and_a_year_with_separators() {
        for dated in ["25/03/2020", "5.3.2020", "le 05-03-2020 à midi"] {
            assert!(has_numeric_date(dated), "{dated}");
        }
        for undated in ["2020", "3/2020", "125/03/2020", "25/03 2020", "25 03 2020"] {
            assert!(!has_numeric_date(undated), "{undated}");
        }
    }

    #[test]
    fn dates_inside_any_sum_are_dropped_whatever_the_order() {
        let mut found = vec![
            year(52..56),
            sum(50..60),
            year(0..4),
            sum(20..30),
            sum(25..40),
            year(38..42),
            year(40..44),
            year(60..64),
        ];
        drop_dates_inside_other_facts(&mut found);
        let dates: Vec<Range<usize>> = found
            .into_iter()
            .filter(|(_, v)| matches!(v, Value::Date(_)))
            .map(|(s, _)| s)
            .collect();
        assert_eq!(dates, [0..4, 40..44, 60..64]);
    }

    #[test]
    fn facts_of_one_sentence_share_one_copy_of_it() {
        let text = "Le 3 mars 2021, la CNIL a infligé 20 millions d'euros. Le 4 mai 2022, rien.";
        let facts = extract(
            text,
            &Context {
                lang: "fr",
                published: None,
            },
        );
        let first: Vec<&Fact> = facts.iter().filter(|f| f.start < 54).collect();
        assert!(first.len() >= 3, "{facts:?}");
        assert!(first.iter().all(|f| Arc::ptr_eq(&f.sentence, &first[0].sentence)));
        assert_eq!(
            &*first[0].sentence,
            "Le 3 mars 2021, la CNIL a infligé 20 millions d'euros."
        );
        assert_eq!(&*facts.last().unwrap().sentence, "Le 4 mai 2022, rien.");
    }
}
