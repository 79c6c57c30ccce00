//! Public authorities: the gazetteer in `data/authorities.toml`, then the
//! language's patterns for named bodies it does not list.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;
use regex::Regex;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input};
use serde::{Deserialize, Serialize};

use crate::lang::LangPack;
use crate::text::{alternation, compile, is_boundary, word_key, word_pattern};

/// A named authority: canonical name and country (`EU`, `INT` for
/// international bodies; `null` when a pattern found a name the gazetteer
/// does not know, since its country is not in the text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityRef {
    pub name: String,
    pub country: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Gazetteer {
    authority: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    country: String,
    aliases: Vec<String>,
    /// Aliases this body shares with another (`CNPD`: Luxembourg's and
    /// Portugal's); they give the first such body's name, without a country.
    #[serde(default)]
    ambiguous: Vec<String>,
}

impl Entry {
    /// Every alias, with whether another body shares it.
    fn all_aliases(&self) -> impl Iterator<Item = (&String, bool)> {
        self.aliases
            .iter()
            .map(|a| (a, false))
            .chain(self.ambiguous.iter().map(|a| (a, true)))
    }
}

/// Which body an alias names, and whether another body shares it.
#[derive(Debug, Clone, Copy)]
struct Claim {
    entry: usize,
    shared: bool,
}

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZETTEER
        .get_or_init(|| toml::from_str(include_str!("../../../data/authorities.toml")).expect("data/authorities.toml"))
}

/// A one-word alias keeps its case: `ICE` the agency, not `ice`. Acronyms of
/// four letters or more are also written as names (`Cnil`, `Arcep`).
fn exact_forms(alias: &str) -> Vec<String> {
    let letters = alias.chars().filter(|c| c.is_alphabetic()).count();
    let mut forms = vec![alias.to_string()];
    if letters >= 4 && alias.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()) {
        let mut chars = alias.chars();
        let first = chars.next().expect("non-empty alias");
        forms.push(first.to_string() + &chars.as_str().to_lowercase());
    }
    forms
}

/// An alternation of many names, tried only where one of them may begin.
/// Searched unanchored, its lazy DFA carries every name in every state and
/// determinises new states on each new text, page after page; anchored at
/// the places where a name's first word begins, it only follows the names
/// that began there. The matches are the same: leftmost first, the longest
/// name (listed first) winning at one place.
struct Names {
    /// Each name's leading literal: what comes before its first space or
    /// apostrophe, the parts a pattern writes as a class.
    starts: AhoCorasick,
    /// The alternation as a lazy DFA alone: an anchored search needs only
    /// where a match ends, so none of the other engines a `Regex` compiles
    /// at start-up (a reverse automaton, capture engines) is built.
    anchored: DFA,
    caches: Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>,
}

impl Names {
    /// `pattern` is the alternation of `names`, a case-folded `(?i-u:…)`
    /// part of it matching ASCII letters in either case when `ascii_any_case`.
    fn new(names: &[&String], pattern: &str, ascii_any_case: bool) -> Self {
        let leading = names
            .iter()
            .map(|n| n.split([' ', '\'', '’']).next().unwrap_or_default());
        let anchored = DFA::builder()
            // Thousands of names need more than the default cache, which
            // grows only as far as the texts need.
            .configure(DFA::config().cache_capacity(16 << 20))
            .thompson(thompson::Config::new().which_captures(WhichCaptures::None))
            .build(pattern)
            .expect("gazetteer aliases");
        let for_caches = anchored.clone();
        Self {
            starts: AhoCorasick::builder()
                .ascii_case_insensitive(ascii_any_case)
                .build(leading)
                .expect("gazetteer aliases"),
            anchored,
            caches: Pool::new(Box::new(move || for_caches.create_cache())),
        }
    }

    /// The non-overlapping matches of the alternation in `text`, leftmost
    /// first.
    fn find_iter(&self, text: &str) -> Vec<Range<usize>> {
        let mut starts: Vec<usize> = self.starts.find_overlapping_iter(text).map(|m| m.start()).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut cache = self.caches.get();
        let mut found = Vec::new();
        let mut next = 0;
        for start in starts {
            // An empty leading literal begins everywhere, inside a
            // character too.
            if start < next || !text.is_char_boundary(start) {
                continue;
            }
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            // The search cannot fail: the DFA has no quit bytes and never
            // gives up on its cache.
            if let Ok(Some(end)) = self.anchored.try_search_fwd(&mut cache, &input) {
                found.push(start..end.offset());
                next = end.offset();
            }
        }
        found
    }
}

/// The gazetteer's matchers, the same in every language: compiled once.
struct Listed {
    exact: Names,
    any_case: Names,
    exact_names: HashMap<String, Claim>,
    folded_names: HashMap<String, Claim>,
}

fn listed() -> &'static Listed {
    static LISTED: std::sync::OnceLock<Listed> = std::sync::OnceLock::new();
    LISTED.get_or_init(|| {
        let mut exact_names = HashMap::new();
        let mut folded_names = HashMap::new();
        for (i, entry) in gazetteer().authority.iter().enumerate() {
            for (alias, shared) in entry.all_aliases() {
                let claim = Claim { entry: i, shared };
                if alias.split_whitespace().count() == 1 {
                    for form in exact_forms(alias) {
                        exact_names.entry(form).or_insert(claim);
                    }
                } else {
                    folded_names.entry(word_key(alias)).or_insert(claim);
                }
            }
        }
        let exact: Vec<&String> = exact_names.keys().collect();
        let mut phrases: Vec<&String> = gazetteer()
            .authority
            .iter()
            .flat_map(|e| e.all_aliases().map(|(a, _)| a))
            .filter(|a| a.split_whitespace().count() > 1)
            .collect();
        phrases.sort_by_key(|a| std::cmp::Reverse(a.chars().count()));
        phrases.dedup();
        // The first letter keeps its case, so that the description `autorité
        // de protection des données` is not the Belgian `Autorité de
        // protection des données`; the rest may vary in case.
        let any_case = phrases
            .iter()
            .map(|a| {
                let mut chars = a.chars();
                let first = chars.next().expect("non-empty alias");
                word_pattern(&first.to_string()) + &ascii_any_case(chars.as_str())
            })
            .collect::<Vec<_>>()
            .join("|");
        Listed {
            exact: Names::new(&exact, &alternation(&exact), false),
            any_case: Names::new(&phrases, &any_case, true),
            exact_names,
            folded_names,
        }
    })
}

/// `rest` as a pattern whose ASCII letters match in either case and other
/// characters as written (`É`, `é`): Unicode case folding of two thousand
/// names would make a regex too big to compile, and names in capitals with
/// accents (`AUTORITÉ`) are rare in running text.
fn ascii_any_case(rest: &str) -> String {
    let mut pattern = String::new();
    let mut letters = String::new();
    for c in rest.chars() {
        if c.is_ascii_alphabetic() {
            letters.push(c);
            continue;
        }
        if !letters.is_empty() {
            pattern += &format!("(?i-u:{letters})");
            letters.clear();
        }
        pattern += &word_pattern(&c.to_string());
    }
    if !letters.is_empty() {
        pattern += &format!("(?i-u:{letters})");
    }
    pattern
}

pub struct AuthorityRules {
    listed: &'static Listed,
    patterns: Vec<Regex>,
    not_names: Vec<String>,
    leading_articles: Vec<String>,
}

impl AuthorityRules {
    pub fn new(pack: &LangPack) -> Self {
        let a = &pack.authorities;
        Self {
            listed: listed(),
            patterns: a
                .patterns
                .iter()
                .map(|p| compile(p).unwrap_or_else(|e| panic!("authority pattern {p}: {e}")))
                .collect(),
            not_names: a.not_names.iter().map(|n| word_key(n)).collect(),
            leading_articles: a.leading_articles.clone(),
        }
    }

    fn entry(&self, claim: Claim) -> AuthorityRef {
        let e = &gazetteer().authority[claim.entry];
        AuthorityRef {
            name: e.name.clone(),
            country: (!claim.shared).then(|| e.country.clone()),
        }
    }

    pub fn find(&self, text: &str) -> Vec<(Range<usize>, AuthorityRef)> {
        // (span, rank: 0 for the gazetteer, 1 for patterns, value)
        let mut found: Vec<(Range<usize>, u8, AuthorityRef)> = Vec::new();
        let word = |r: &Range<usize>| is_boundary(text, r.start) && is_boundary(text, r.end);
        for m in self.listed.exact.find_iter(text).into_iter().filter(word) {
            if let Some(&claim) = self.listed.exact_names.get(&text[m.clone()]) {
                found.push((m, 0, self.entry(claim)));
            }
        }
        for m in self.listed.any_case.find_iter(text).into_iter().filter(word) {
            if let Some(&claim) = self.listed.folded_names.get(&word_key(&text[m.clone()])) {
                found.push((m, 0, self.entry(claim)));
            }
        }
        for re in &self.patterns {
            for caps in re.captures_iter(text) {
                let Some(m) = caps.name("name") else { continue };
                if !word(&m.range()) {
                    continue;
                }
                let (span, name) = self.strip_article(m.start(), m.as_str());
                let folded = word_key(name);
                if name.split_whitespace().count() < 2 || self.not_names.contains(&folded) {
                    continue;
                }
                let value = match self.listed.folded_names.get(&folded) {
                    Some(&claim) => self.entry(claim),
                    None => AuthorityRef {
                        name: name.to_string(),
                        country: None,
                    },
                };
                found.push((span..span + name.len(), 1, value));
            }
        }
        // A pattern's name that only puts one capitalised word before a
        // listed body (`Britain's Competition and Markets Authority`, `US
        // Federal Trade Commission`) is that body; one that says more (`Cour
        // de justice de la CEDEAO`, `Conseil constitutionnel sénégalais`,
        // `slowenische Verfassungsgerichtshof`) is another.
        let listed: Vec<Range<usize>> = found
            .iter()
            .filter(|(_, rank, _)| *rank == 0)
            .map(|(span, ..)| span.clone())
            .collect();
        let only_a_word_before = |span: &Range<usize>, l: &Range<usize>| {
            if !(span.start <= l.start && l.start < span.end && l.end >= span.end) {
                return false;
            }
            let before = text[span.start..l.start].trim_end();
            before.is_empty() || before.starts_with(char::is_uppercase) && !before.contains(char::is_whitespace)
        };
        found.retain(|(span, rank, _)| *rank == 0 || !listed.iter().any(|l| only_a_word_before(span, l)));
        found.sort_by_key(|(span, rank, _)| (span.start, std::cmp::Reverse(span.end), *rank));
        let mut kept: Vec<(Range<usize>, AuthorityRef)> = Vec::new();
        for (span, _, value) in found {
            if kept.last().is_none_or(|(k, _)| k.end <= span.start) {
                kept.push((span, value));
            }
        }
        kept
    }

    /// `The Federal Trade Commission` names the `Federal Trade Commission`.
    fn strip_article<'t>(&self, start: usize, name: &'t str) -> (usize, &'t str) {
        for article in &self.leading_articles {
            if let Some(rest) = name.strip_prefix(article.as_str()) {
                let trimmed = rest.trim_start();
                if article.ends_with('\'') || rest.len() != trimmed.len() {
                    return (start + name.len() - trimmed.len(), trimmed);
                }
            }
        }
        (start, name)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;
    use proptest::sample::select;

    use super::{alternation, ascii_any_case, exact_forms, gazetteer, word_key, word_pattern, Names};
    use crate::text::compile_large;

    /// A country is an ISO 3166-1 alpha-2 code, `EU` or `INT`.
    fn is_country(code: &str) -> bool {
        code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) || code == "INT"
    }

    #[test]
    fn every_body_has_a_country_and_a_name_among_its_forms() {
        for e in &gazetteer().authority {
            assert!(is_country(&e.country), "{}: country {:?}", e.name, e.country);
            assert!(!e.aliases.is_empty() || !e.ambiguous.is_empty(), "{}: no alias", e.name);
        }
    }

    /// As matching reads them: a one-word alias by its exact forms, a
    /// longer one folded.
    fn forms(alias: &str) -> Vec<String> {
        if alias.split_whitespace().count() == 1 {
            exact_forms(alias)
        } else {
            vec![word_key(alias)]
        }
    }

    #[test]
    fn an_alias_names_one_body_unless_every_body_claiming_it_marks_it_ambiguous() {
        let mut claims: HashMap<String, Vec<(usize, &str, bool)>> = HashMap::new();
        for (i, e) in gazetteer().authority.iter().enumerate() {
            for (alias, shared) in e.all_aliases() {
                for form in forms(alias) {
                    let bodies = claims.entry(form).or_default();
                    if !bodies.iter().any(|(body, ..)| *body == i) {
                        bodies.push((i, &e.name, shared));
                    }
                }
            }
        }
        let mut clashes: Vec<String> = claims
            .iter()
            .filter(|(_, bodies)| bodies.len() > 1 && bodies.iter().any(|(.., shared)| !shared))
            .map(|(form, bodies)| format!("{form}: {bodies:?}"))
            .collect();
        clashes.sort();
        assert!(clashes.is_empty(), "aliases claimed twice:\n{}", clashes.join("\n"));
    }

    /// Names sharing first words and prefixes, with apostrophes and spaces
    /// that their patterns write as classes.
    const NAMES: [&str; 7] = [
        "CNIL",
        "CNILS",
        "Conseil d'État",
        "Conseil d'Etat",
        "Conseil constitutionnel",
        "Federal Trade Commission",
        "Trade Commission",
    ];

    /// What texts are made of: pieces of the names in other cases and
    /// spacings, and what may stand between them.
    const PIECES: [&str; 16] = [
        "CNIL",
        "Cnil",
        "S",
        "Conseil",
        "conseil",
        " ",
        "\n ",
        "d'",
        "d’",
        "État",
        "Etat",
        "constitutionnel",
        "Federal",
        "Trade",
        "COMMISSION",
        "é",
    ];

    fn patterns(ascii_any_case_names: bool) -> String {
        if !ascii_any_case_names {
            return alternation(&NAMES);
        }
        let mut names = NAMES.to_vec();
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        names
            .iter()
            .map(|n| word_pattern(&n[..1]) + &ascii_any_case(&n[1..]))
            .collect::<Vec<_>>()
            .join("|")
    }

    proptest! {
        #[test]
        fn names_tried_where_they_begin_match_as_the_whole_alternation_does(
            pieces in proptest::collection::vec(select(&PIECES[..]), 0..24),
            any_case in any::<bool>(),
        ) {
            let text = pieces.concat();
            let names: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
            let names: Vec<&String> = names.iter().collect();
            let pattern = patterns(any_case);
            let whole = compile_large(&pattern).unwrap();
            let expected: Vec<_> = whole.find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(Names::new(&names, &pattern, any_case).find_iter(&text), expected);
        }
    }
}

#[cfg(test)]
mod matching_forms {
    //! How an alias is turned into the forms matched in a text.

    use regex::Regex;

    use super::{ascii_any_case, exact_forms, listed, AuthorityRules};

    #[test]
    fn an_acronym_of_four_letters_or_more_is_also_written_as_a_name() {
        assert_eq!(exact_forms("CNIL"), ["CNIL", "Cnil"]);
        assert_eq!(exact_forms("AEPD"), ["AEPD", "Aepd"]);
        // `ICO` written `Ico` would be a word or a name of its own.
        assert_eq!(exact_forms("ICO"), ["ICO"]);
        assert_eq!(exact_forms("Garante"), ["Garante"]);
        assert_eq!(exact_forms("ePrivacy"), ["ePrivacy"]);
    }

    #[test]
    fn the_rest_of_a_phrase_matches_ascii_letters_in_any_case_and_others_as_written() {
        let rest = Regex::new(&format!("^{}$", ascii_any_case("utorité de la concurrence"))).unwrap();
        assert!(rest.is_match("utorité de la concurrence"));
        assert!(rest.is_match("UTORITé DE LA CONCURRENCE"));
        assert!(rest.is_match("utorité  de la\nconcurrence"));
        assert!(!rest.is_match("UTORITÉ DE LA CONCURRENCE"));
    }

    #[test]
    fn a_leading_article_is_dropped_only_as_a_whole_word_or_an_elided_one() {
        let rules = AuthorityRules {
            listed: listed(),
            patterns: Vec::new(),
            not_names: Vec::new(),
            leading_articles: vec!["The".into(), "l'".into()],
        };
        assert_eq!(rules.strip_article(10, "The Federal Court"), (14, "Federal Court"));
        assert_eq!(rules.strip_article(0, "l'Autorité"), (2, "Autorité"));
        assert_eq!(rules.strip_article(0, "Theodor Court"), (0, "Theodor Court"));
    }
}
