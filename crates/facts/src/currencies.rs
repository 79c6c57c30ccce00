//! Currencies: every ISO 4217 currency of `data/currencies.toml` with its
//! signs and words, and how a form several currencies share (`$`, `kr`,
//! `francs`) is read from the places the text names around it.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::lang::Named;
use crate::text::{
    case_aware_alternation, floor_boundary, is_boundary, window_before, word_key, word_pattern, Pattern,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Table {
    pub currency: Vec<Currency>,
    pub shared: Vec<Shared>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Currency {
    pub code: String,
    pub signs: Vec<String>,
    /// By language code, or `all` for every language.
    pub words: HashMap<String, Vec<String>>,
    pub places: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Shared {
    pub signs: Vec<String>,
    pub words: Vec<String>,
    pub currencies: Vec<String>,
    pub default: Option<String>,
    /// By language code: the group's currency in a text of that language.
    #[serde(default)]
    pub languages: HashMap<String, String>,
}

/// How far from a sum its places are looked for, in bytes: a paragraph's
/// worth, so that a page written on one line costs no more than others.
const PLACE_REACH: usize = 800;

/// The words of `data/currencies.toml` that every language reads.
pub(crate) const ALL_LANGUAGES: &str = "all";

pub(crate) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(include_str!("../../../data/currencies.toml")).expect("data/currencies.toml"))
}

/// What a sign or word names: one currency, or one of a shared group.
#[derive(Debug, Clone)]
pub enum Reading {
    One(String),
    Shared(usize),
}

/// A group of currencies sharing forms, with the places that tell them apart.
struct Group {
    /// Matches any place of the group's currencies.
    places: Pattern,
    /// Lower-cased place → currency code.
    place_currency: HashMap<String, String>,
    currencies: Vec<String>,
    default: Option<String>,
    languages: HashMap<String, String>,
}

/// The currency forms of one language.
pub struct CurrencyRules {
    signs: HashMap<String, Reading>,
    /// Word keys (of [`word_key`]) of the language's currency words.
    words: HashMap<String, Reading>,
    /// The first words of the currency words of several words (`dollars`,
    /// `dollars des`, `dollars des caraïbes`): past them, no currency word
    /// goes on.
    word_heads: HashSet<String>,
    /// Bytes of the longest currency word key: no lookup reads further.
    word_max_len: usize,
    groups: &'static [Group],
}

/// The shared forms' groups, the same in every language: compiled once.
fn groups() -> &'static [Group] {
    static GROUPS: OnceLock<Vec<Group>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        let t = table();
        let by_code: HashMap<&str, &Currency> = t.currency.iter().map(|c| (c.code.as_str(), c)).collect();
        t.shared
            .iter()
            .map(|g| {
                let members: Vec<&Currency> = g
                    .currencies
                    .iter()
                    .filter_map(|m| by_code.get(m.as_str()).copied())
                    .collect();
                let mut place_currency = HashMap::new();
                for c in &members {
                    for p in &c.places {
                        place_currency.entry(p.to_lowercase()).or_insert_with(|| c.code.clone());
                    }
                }
                let places: Vec<&String> = members.iter().flat_map(|c| &c.places).collect();
                Group {
                    places: Pattern::large(case_aware_alternation(&places)),
                    place_currency,
                    currencies: g.currencies.clone(),
                    default: g.default.clone(),
                    languages: g.languages.clone(),
                }
            })
            .collect()
    })
}

/// A sign written as three capital letters (`EUR`, `CHF`): an ISO code.
fn is_code(sign: &str) -> bool {
    sign.len() == 3 && sign.bytes().all(|b| b.is_ascii_uppercase())
}

impl CurrencyRules {
    /// The table's forms for language `code`, plus the pack's own currency
    /// words; a form a group shares is read through the group.
    pub fn new(code: &str, pack_words: &[Named<String>]) -> Self {
        let t = table();
        let mut signs = HashMap::new();
        let mut words = HashMap::new();
        for c in &t.currency {
            for s in &c.signs {
                signs.insert(s.clone(), Reading::One(c.code.clone()));
            }
            for lang in [ALL_LANGUAGES, code] {
                for w in c.words.get(lang).into_iter().flatten() {
                    words.insert(word_key(w), Reading::One(c.code.clone()));
                }
            }
        }
        for w in pack_words {
            words.insert(word_key(&w.text), Reading::One(w.value.clone()));
        }
        for (i, g) in t.shared.iter().enumerate() {
            for s in &g.signs {
                signs.insert(s.clone(), Reading::Shared(i));
            }
            for w in &g.words {
                words.insert(word_key(w), Reading::Shared(i));
            }
        }
        Self {
            word_heads: words
                .keys()
                .flat_map(|w| w.match_indices(' ').map(|(i, _)| w[..i].to_string()))
                .collect(),
            word_max_len: words.keys().map(String::len).max().unwrap_or(0),
            signs,
            words,
            groups: groups(),
        }
    }

    /// A pattern for every sign, longest first; a sign that begins or ends
    /// with a letter or digit (`EUR`, `R$`, `kr.`) stands as a word there.
    /// The letter codes are one class, looked up after the match: two hundred
    /// of them spelled out would slow every page down by a third.
    pub fn sign_pattern(&self) -> String {
        let mut signs: Vec<&String> = self.signs.keys().filter(|s| !is_code(s)).collect();
        signs.sort_by_key(|s| (std::cmp::Reverse(s.chars().count()), s.as_str()));
        let parts: Vec<String> = signs
            .iter()
            .map(|s| {
                let before = if s.starts_with(char::is_alphanumeric) {
                    r"\b"
                } else {
                    ""
                };
                let after = if s.ends_with(char::is_alphanumeric) { r"\b" } else { "" };
                format!("{before}{}{after}", word_pattern(s))
            })
            .chain(std::iter::once(r"\b[A-Z]{3}\b".to_string()))
            .collect();
        parts.join("|")
    }

    pub fn sign(&self, s: &str) -> Option<&Reading> {
        self.signs.get(s)
    }

    pub fn word(&self, w: &str) -> Option<&Reading> {
        self.words.get(&word_key(w))
    }

    /// Where the longest currency word that starts at `start` in `text`
    /// ends, if one does. The words are looked up: a pattern of their
    /// hundreds took each pack 11 to 18 ms to compile, and as long again
    /// to warm up, in every run. A currency word spans words as far as
    /// some currency word does, each of letters, dots, hyphens and
    /// apostrophes (`U.S.`, `cfa-franc`, `pa'anga`), and ends at an ASCII
    /// word boundary, as `\b` ends a word in every rule, or with a letter
    /// beyond ASCII that no letter or digit follows (`guaraní`, `lekë`).
    pub fn word_end(&self, text: &str, start: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let ascii_word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        let in_word = |c: char| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’');
        // The words read so far as a word key (see `word_key`), built as
        // they are read rather than once for every place a word may end;
        // each place that ends a currency word is longer than the last.
        let mut key = String::with_capacity(32);
        let mut longest = None;
        let mut after_space = false;
        for (i, c) in text[start..].char_indices() {
            if c.is_whitespace() {
                after_space = true;
                continue;
            }
            if !in_word(c) {
                break;
            }
            if key.len() >= self.word_max_len {
                break;
            }
            if after_space {
                if !self.word_heads.contains(&key) {
                    break;
                }
                key.push(' ');
                after_space = false;
            }
            let end = start + i + c.len_utf8();
            let word_ends = if c.is_ascii() {
                key.push(c.to_ascii_lowercase());
                ascii_word(end - 1) != ascii_word(end)
            } else {
                match c {
                    '’' => key.push('\''),
                    c => key.extend(c.to_lowercase()),
                }
                ascii_word(end) || !text[end..].starts_with(char::is_alphanumeric)
            };
            if word_ends && self.words.contains_key(&key) {
                longest = Some(end);
            }
        }
        longest
    }

    /// The first of `codes` that belongs to the group.
    pub fn first_member<'c>(&self, group: usize, codes: &[&'c str]) -> Option<&'c str> {
        let members = &self.groups[group].currencies;
        codes.iter().copied().find(|c| members.iter().any(|m| m == c))
    }

    /// The group's currency in a text in `lang` when nothing in the text
    /// tells: the language's own, else the group's default.
    pub fn default(&self, group: usize, lang: &str) -> Option<&str> {
        let group = &self.groups[group];
        group.languages.get(lang).or(group.default.as_ref()).map(String::as_str)
    }

    /// The group's currency whose place stands nearest to `sum` in its
    /// paragraph (its line of `text`, as far as [`PLACE_REACH`]), before it
    /// or in its own sentence (which ends at `sentence_end`), if any place
    /// of the group does.
    pub fn by_place(&self, group: usize, text: &str, sum: &Range<usize>, sentence_end: usize) -> Option<&str> {
        let g = &self.groups[group];
        let reach = window_before(text, sum.start, PLACE_REACH);
        let start = sum.start - reach.len() + reach.rfind('\n').map_or(0, |i| i + 1);
        let end = floor_boundary(text, sum.end + PLACE_REACH);
        let end = text[sum.end..end].find('\n').map_or(end, |i| sum.end + i);
        let paragraph = &text[start..end];
        g.places
            .find_iter(paragraph)
            .filter(|m| is_boundary(text, start + m.start()) && is_boundary(text, start + m.end()))
            // A place in a later sentence is that sentence's business: the
            // context a sum's `$` is read in comes before it or with it.
            .filter(|m| start + m.start() < sentence_end.max(sum.end))
            .map(|m| {
                let (from, to) = (start + m.start(), start + m.end());
                let distance = if to <= sum.start {
                    sum.start - to
                } else {
                    from.saturating_sub(sum.end)
                };
                (distance, m.as_str())
            })
            .min_by_key(|(distance, _)| *distance)
            .and_then(|(_, place)| g.place_currency.get(&place.to_lowercase()))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::{groups, table, word_key, CurrencyRules};
    use crate::lang;

    fn rules(code: &str) -> CurrencyRules {
        CurrencyRules::new(code, &lang::pack(code).expect("a pack").amounts.currency_words)
    }

    /// Currency words are looked up, not spelled out in a pattern: every
    /// word of every pack must be read whole, in any case, wherever it
    /// stands before a word boundary.
    #[test]
    fn every_currency_word_of_every_pack_is_read_whole() {
        for code in lang::supported() {
            let rules = rules(code);
            for word in rules.words.keys() {
                // In capitals letter by letter, as case folding reads them
                // (`ß` stays: `SS` is two letters).
                let capitals: String = word
                    .chars()
                    .map(|c| {
                        let mut upper = c.to_uppercase();
                        match (upper.next(), upper.next()) {
                            (Some(u), None) => u,
                            _ => c,
                        }
                    })
                    .collect();
                for written in [word.to_string(), capitals] {
                    for after in ["", " x", ", x", "."] {
                        let text = format!("{written}{after}");
                        assert_eq!(rules.word_end(&text, 0), Some(written.len()), "{code}: {text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_longest_currency_word_wins_and_ends_at_a_word_boundary() {
        let fr = rules("fr");
        fn end<'t>(rules: &CurrencyRules, text: &'t str) -> Option<&'t str> {
            rules.word_end(text, 0).map(|e| &text[..e])
        }
        assert_eq!(
            end(&fr, "dollars  des Caraïbes orientales en 2020"),
            Some("dollars  des Caraïbes orientales")
        );
        assert_eq!(end(&fr, "dollars des Bermudes"), Some("dollars"));
        assert_eq!(end(&rules("de"), "Euro-Scheine"), Some("Euro"));
        assert_eq!(end(&rules("en"), "people"), None);
        assert_eq!(end(&rules("de"), "Europa"), None);
        assert_eq!(end(&rules("es"), "guaraní."), Some("guaraní"));
    }

    /// The places are compiled on first use: a broken one fails here.
    #[test]
    fn every_group_places_pattern_compiles() {
        for group in groups() {
            group.places.check().unwrap();
        }
    }

    #[test]
    fn every_code_is_listed_once_and_every_group_names_listed_currencies() {
        let mut codes = HashSet::new();
        for c in &table().currency {
            assert!(
                c.code.len() == 3 && c.code.bytes().all(|b| b.is_ascii_uppercase()),
                "{}",
                c.code
            );
            assert!(codes.insert(c.code.as_str()), "{} listed twice", c.code);
        }
        for g in &table().shared {
            for m in g.currencies.iter().chain(&g.default) {
                assert!(codes.contains(m.as_str()), "shared group names unknown {m}");
            }
            for m in g.default.iter().chain(g.languages.values()) {
                assert!(g.currencies.contains(m), "{m} is a default of a group it is not in");
            }
        }
    }

    /// A form belongs to one currency, or to one shared group: never to two.
    #[test]
    fn a_sign_or_word_names_one_currency_or_one_group() {
        let mut signs: HashMap<&str, HashSet<&str>> = HashMap::new();
        let mut words: HashMap<(String, String), HashSet<&str>> = HashMap::new();
        for c in &table().currency {
            for s in &c.signs {
                signs.entry(s).or_default().insert(&c.code);
            }
            for (lang, ws) in &c.words {
                for w in ws {
                    words.entry((lang.clone(), word_key(w))).or_default().insert(&c.code);
                }
            }
        }
        for g in &table().shared {
            for s in &g.signs {
                signs.entry(s).or_default().insert("shared");
            }
            for w in &g.words {
                for c in &table().currency {
                    for ws in c.words.values() {
                        assert!(
                            !ws.iter().any(|x| word_key(x) == word_key(w)),
                            "{w}: shared and {}",
                            c.code
                        );
                    }
                }
            }
        }
        let clashes: Vec<String> = signs
            .iter()
            .filter(|(_, owners)| owners.len() > 1)
            .map(|(s, owners)| format!("{s}: {owners:?}"))
            .chain(
                words
                    .iter()
                    .filter(|(_, owners)| owners.len() > 1)
                    .map(|((lang, w), owners)| format!("{lang} {w}: {owners:?}")),
            )
            .collect();
        assert!(clashes.is_empty(), "{clashes:?}");
    }
}
