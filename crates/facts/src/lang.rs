//! Language packs: everything the engine knows about one language, read
//! from `data/lang/*.toml` compiled into the binary.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::amounts::Period;
use crate::Role;

/// One language's words and conventions. Field meanings are documented in
/// `data/lang/README.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangPack {
    pub code: String,
    pub abbreviations: Vec<String>,
    pub dates: DateWords,
    pub amounts: AmountWords,
    pub gdpr: LawWords,
    pub authorities: AuthorityPatterns,
    pub roles: RoleWords,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateWords {
    /// Twelve lists, January first: full names, then abbreviations.
    pub months: Vec<Vec<String>>,
    /// Seven lists, Monday first.
    pub weekdays: Vec<Vec<String>>,
    pub day_ordinal_suffixes: Vec<String>,
    /// Words between a weekday and its day (`Tuesday, the 20th`, `Dienstag,
    /// den 20.`, `no dia 20`).
    pub day_articles: Vec<String>,
    /// Words between a day and its month (`20th of October`, `20 de octubre`).
    pub day_month_links: Vec<String>,
    /// Words between a month and its year (`octubre de 2022`).
    pub month_year_links: Vec<String>,
    /// `dmy` or `mdy`: how an ambiguous `03/04/2022` is read.
    pub numeric_order: String,
    /// Month names are only names when capitalised (English `May`).
    pub months_capitalised: bool,
    /// Words that make a month without day or year a date (`en mars`).
    pub month_prepositions: Vec<String>,
    /// Words right before a day and month written in numbers with their
    /// ordinal dots and no year (`am 15.12.`, `ab 4.11.`) that make them a
    /// date; a weekday before them does too (`Dienstag (15.12.)`). Empty
    /// where the language does not write dates so.
    pub numeric_day_month_cues: Vec<String>,
    /// Words after a month or weekday that point to the previous one
    /// (`octobre dernier`).
    pub last_words: Vec<String>,
    /// Words after a month or weekday that point to the next one
    /// (`mars prochain`).
    pub next_words: Vec<String>,
    /// Words before a date without its year, or a weekday, that point to
    /// the previous one (`el pasado octubre`, `last Monday`).
    pub last_words_before: Vec<String>,
    /// Words before a date without its year, or a weekday, that point to
    /// the next one (`el próximo lunes`, `next Monday`).
    pub next_words_before: Vec<String>,
    /// Words just before a date that put it in the future (`d'ici le`).
    pub future_cues: Vec<String>,
    /// Words just before a date that put it on or before the publication
    /// day, whatever the tense (`seit`, `depuis`, `since`).
    pub past_cues: Vec<String>,
    /// Words anywhere in the sentence that put it in the future (`will`).
    pub future_words: Vec<String>,
    /// Words earlier in the sentence that put it in the past (`devaient`,
    /// `had`), unless a future word follows them: they overrule a future
    /// cue (`devaient se conformer avant le 1er mars`).
    pub past_words: Vec<String>,
    /// Verbs of saying in a past tense (`señaló`, `sagte`, `said`): what
    /// the sentence tells after one is past, unless a future word follows
    /// it or a future cue stands right before the date (`said it could not
    /// answer until September`).
    pub saying_words: Vec<String>,
    /// Words joining two dates of a list or range (`et`, `à`, `and`).
    pub connectors: Vec<String>,
    /// Words before a line's date that mark it as the article's dateline.
    pub dateline_labels: Vec<String>,
    /// Words before a four-digit number that make it something else than a year.
    pub not_year_before: Vec<String>,
    /// Words after a four-digit number that make it something else than a year.
    pub not_year_after: Vec<String>,
    /// Holidays by name (`Black Friday`): not dates, though they name a weekday.
    pub holidays: Vec<String>,
    pub relative: Vec<RelativeWord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelativeWord {
    pub text: String,
    pub unit: Period,
    pub offset: i32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountWords {
    /// `,` or `.`: the separator read as decimal when a number is ambiguous.
    pub decimal_separator: char,
    pub currency_words: Vec<Named<String>>,
    pub scale_words: Vec<Named<f64>>,
    /// Case-sensitive scale abbreviations (`M` in `20 M€`, `bn` in `€1.2bn`).
    pub scale_abbreviations: Vec<Named<f64>>,
    /// Words between a scale and a currency word (`millions d'euros`).
    pub scale_links: Vec<String>,
    /// Words between the ends of a range of sums (`entre 10 et 20`).
    pub range_connectors: Vec<String>,
    /// Currency words and signs that also name something else (`pounds`
    /// of weight, `livres` that are books, German `TL`, a teaspoon): see
    /// `measure_links`.
    pub ambiguous_currency_forms: Vec<String>,
    /// Words after a sum that make it a quantity of a thing (`pounds of
    /// beef`): a sum written with an ambiguous currency form is money only
    /// after a scale word and without one of these after it, or when the
    /// text writes a sum of the same currency otherwise.
    pub measure_links: Vec<String>,
    pub number_words: Vec<Named<f64>>,
    pub periods: Vec<Named<Period>>,
    /// Words after a period word that make it a time, not a rate (`a year
    /// ago`, `im Jahr zuvor`), as a year and `dates.last_words` and
    /// `dates.next_words` do.
    pub period_time_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named<T> {
    pub text: String,
    pub value: T,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawWords {
    pub article_words: Vec<String>,
    pub paragraph_words: Vec<String>,
    pub point_words: Vec<String>,
    /// Ordinal marks written after an article or paragraph number
    /// (`article 1er`, `artigo 83.º`).
    pub number_suffixes: Vec<String>,
    pub list_connectors: Vec<String>,
    pub range_connectors: Vec<String>,
    /// Names of the GDPR in this language (and the ones its press uses).
    pub names: Vec<String>,
    /// Endings that join a GDPR name to the article after it (`GDPR's
    /// Article 17`).
    pub name_possessives: Vec<String>,
    /// Words that name another law (`loi`, `Act`): an article tied to one
    /// of them is not a GDPR article.
    pub other_laws: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityPatterns {
    /// Regular expressions for named bodies not in the gazetteer; the group
    /// `name` is the authority's name.
    pub patterns: Vec<String>,
    /// Names the patterns must not yield (generic or non-public bodies).
    pub not_names: Vec<String>,
    /// Capitalised words that follow a body's head as the object of its
    /// clause, never as its seat (`nimmt die Staatsanwaltschaft Ermittlungen
    /// auf`): a pattern's name that ends with one is no name.
    pub not_seats: Vec<String>,
    /// Words that make a pattern's name a news outlet's, not a public
    /// body's (`Xinhua News Agency`, `Agencia de Noticias`).
    pub media_words: Vec<String>,
    /// Leading words dropped from a pattern's name (`The`).
    pub leading_articles: Vec<String>,
}

/// The words that tell a fact's role, issuer and subject
/// (`shared/spec/claims.md`, Roles). A word ending in `*` is a stem.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleWords {
    /// Per amount role, its trigger words: the nearest in the clause wins.
    pub amount: BTreeMap<Role, Vec<String>>,
    /// Per date role, its trigger words.
    pub date: BTreeMap<Role, Vec<String>>,
    /// A role that wins over another when both are in the clause
    /// (`penalty_payment` over `periodic_penalty`: `liquider l'astreinte`).
    pub refines: BTreeMap<Role, Role>,
    /// Words that make a GDPR article one that was breached.
    pub breached: Vec<String>,
    /// Words just before a mention that make it a possibility or a maximum.
    pub hypothetical: Vec<String>,
    /// Right after a sum, a unit it is counted per (`per share`): such a
    /// sum's role is price or none.
    pub per_unit: Vec<String>,
    /// Verbs whose subject authority issues the sanction (`a infligé`).
    pub issuer_verbs: Vec<String>,
    /// A capitalised name right after an issuing verb (past a few
    /// lower-case words) is its object, the one sanctioned: not in a
    /// language that capitalises every noun.
    pub names_follow_verbs: bool,
    /// Which part of a hyphenated compound is its head, the part whose
    /// trigger still names its event.
    pub compound_heads: CompoundHeads,
    /// Words before the agent of a passive (`par`).
    pub agent_words: Vec<String>,
    /// Articles between an agent word and its name (`la`, `l'`).
    pub determiners: Vec<String>,
    /// Words joining names of a list (`et`, `,`).
    pub list_words: Vec<String>,
    /// Words before the one a sanction is against (`à l'encontre de`).
    pub subject_words: Vec<String>,
    /// Words before the one a sanction goes to, after a sanction word (`à`).
    pub recipient_words: Vec<String>,
    /// Passive forms after the one sanctioned (`condamnée`).
    pub passive_verbs: Vec<String>,
    /// Words between the one sanctioned and a passive verb (`a`, `été`, `déjà`).
    pub passive_auxiliaries: Vec<String>,
    /// Those auxiliaries that make the verb passive (`été`, `est`).
    pub passive_marks: Vec<String>,
    /// Country names, with their ISO 3166 code: a country named as the
    /// agent of a fine stands for its one data-protection authority.
    pub countries: Vec<CountryName>,
}

/// Which part of a hyphenated compound is its head.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CompoundHeads {
    /// The last (`DSGVO-Bußgeld` is a fine; `Bußgeld-Katalog` is none).
    Last,
    /// Either (`maxi-multa`, `multa-recorde`).
    Either,
    /// Neither: such a compound is an adjective (`Trump-imposed`,
    /// `low-cost`, `cost-cutting`).
    Neither,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryName {
    pub text: String,
    pub country: String,
}

/// The language whose pack reads texts of a language without one, and
/// dates of unknown language (metadata, feeds).
pub const DEFAULT: &str = "en";

const PACK_SOURCES: &[(&str, &str)] = &[
    ("de", include_str!("../../../data/lang/de.toml")),
    ("en", include_str!("../../../data/lang/en.toml")),
    ("es", include_str!("../../../data/lang/es.toml")),
    ("fr", include_str!("../../../data/lang/fr.toml")),
    ("it", include_str!("../../../data/lang/it.toml")),
    ("nl", include_str!("../../../data/lang/nl.toml")),
    ("pt", include_str!("../../../data/lang/pt.toml")),
];

/// Codes of the languages with a pack.
pub fn supported() -> impl Iterator<Item = &'static str> {
    PACK_SOURCES.iter().map(|(code, _)| *code)
}

/// The pack for an ISO 639-1 code, if the language has one.
pub fn pack(code: &str) -> Option<&'static LangPack> {
    static PACKS: OnceLock<Vec<LangPack>> = OnceLock::new();
    let packs = PACKS.get_or_init(|| {
        PACK_SOURCES
            .iter()
            .map(|(code, source)| {
                let pack: LangPack =
                    toml::from_str(source).unwrap_or_else(|e| panic!("data/lang/{code}.toml is invalid: {e}"));
                assert_eq!(pack.code, *code, "data/lang/{code}.toml has the wrong code");
                pack
            })
            .collect()
    });
    packs.iter().find(|p| p.code == code)
}

/// The pack used for a language without one of its own.
pub fn fallback() -> &'static LangPack {
    pack(DEFAULT).expect("the default pack is compiled in")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pack_loads_and_is_complete() {
        for code in supported() {
            let p = pack(code).unwrap();
            assert_eq!(p.dates.months.len(), 12, "{code}");
            assert_eq!(p.dates.weekdays.len(), 7, "{code}");
            assert!(matches!(p.dates.numeric_order.as_str(), "dmy" | "mdy"));
            assert!(matches!(p.amounts.decimal_separator, ',' | '.'));
        }
    }
}
