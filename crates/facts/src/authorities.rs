//! Public authorities: the gazetteer in `data/authorities.toml`, then the
//! language's patterns for named bodies it does not list.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

use crate::lang::LangPack;
use crate::text::{is_boundary, word_key, Pattern};

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

/// Many names, tried only where one of them may begin, each read as its
/// pattern would read it: a space matches any run of white space, either
/// apostrophe matches either, and with `ascii_any_case` the ASCII letters
/// after the first character match in either case. The names are a trie of
/// such folded characters: building one costs microseconds where a regex
/// alternation of thousands of names cost a tenth of a second at every
/// start-up. At one place the longest name wins, then the search goes on
/// after it (leftmost first, as the alternation longest-first matched).
struct Names {
    /// Each name's leading literal: what comes before its first space or
    /// apostrophe, the parts the folding may change.
    starts: AhoCorasick,
    trie: Vec<TrieNode>,
    ascii_any_case: bool,
}

#[derive(Default)]
struct TrieNode {
    /// Folded character and child, sorted by character.
    children: Vec<(char, u32)>,
    /// A name ends here.
    ends: bool,
}

/// A character as names and texts are compared: any white space is one
/// space, the typographic apostrophe the straight one, and past the first
/// character, with `ascii_any_case`, an ASCII letter its lower case.
fn folded(c: char, first: bool, ascii_any_case: bool) -> char {
    match c {
        c if c.is_whitespace() => ' ',
        '’' => '\'',
        c if ascii_any_case && !first => c.to_ascii_lowercase(),
        c => c,
    }
}

impl Names {
    fn new(names: &[&String], ascii_any_case: bool) -> Self {
        // Many names share a leading word (`Ministry`, `Autorité`): each
        // literal once, or the overlapping search reports it once a name.
        let mut leading: Vec<&str> = names
            .iter()
            .map(|n| n.split([' ', '\'', '’']).next().unwrap_or_default())
            .collect();
        leading.sort_unstable();
        leading.dedup();
        let mut trie = vec![TrieNode::default()];
        for name in names {
            let mut node = 0;
            for (i, c) in name.chars().enumerate() {
                let c = folded(c, i == 0, ascii_any_case);
                node = match trie[node].children.binary_search_by_key(&c, |&(k, _)| k) {
                    Ok(at) => trie[node].children[at].1 as usize,
                    Err(at) => {
                        let child = trie.len();
                        trie.push(TrieNode::default());
                        trie[node].children.insert(at, (c, child as u32));
                        child
                    }
                };
            }
            trie[node].ends = true;
        }
        Self {
            starts: AhoCorasick::builder()
                .ascii_case_insensitive(ascii_any_case)
                .build(leading)
                .expect("gazetteer aliases"),
            trie,
            ascii_any_case,
        }
    }

    /// Where the longest name that begins at `start` ends.
    fn longest_at(&self, text: &str, start: usize) -> Option<usize> {
        let mut node = 0;
        let mut longest = None;
        let mut chars = text[start..].char_indices().peekable();
        let mut first = true;
        while let Some((at, c)) = chars.next() {
            let key = folded(c, first, self.ascii_any_case);
            first = false;
            let children = &self.trie[node].children;
            let Ok(i) = children.binary_search_by_key(&key, |&(k, _)| k) else {
                break;
            };
            node = children[i].1 as usize;
            if key == ' ' {
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            }
            if self.trie[node].ends {
                longest = Some(start + at + c.len_utf8());
            }
        }
        longest
    }

    /// The non-overlapping matches of the names in `text`, leftmost first.
    fn find_iter(&self, text: &str) -> Vec<Range<usize>> {
        let mut starts: Vec<usize> = self.starts.find_overlapping_iter(text).map(|m| m.start()).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut found = Vec::new();
        let mut next = 0;
        for start in starts {
            // An empty leading literal begins everywhere, inside a
            // character too.
            if start < next || !text.is_char_boundary(start) {
                continue;
            }
            if let Some(end) = self.longest_at(text, start) {
                found.push(start..end);
                next = end;
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
        phrases.sort_unstable();
        phrases.dedup();
        Listed {
            exact: Names::new(&exact, false),
            // The first letter keeps its case, so that the description
            // `autorité de protection des données` is not the Belgian
            // `Autorité de protection des données`; the rest may vary in
            // case (names in capitals with accents, `AUTORITÉ`, are rare in
            // running text).
            any_case: Names::new(&phrases, true),
            exact_names,
            folded_names,
        }
    })
}

/// Whether an acronym stands in a run of words in capitals (`REPORTE UN
/// ERROR`, `UN HOMME ARRÊTÉ`): a word in capitals beside it, and no other
/// word on its line right before or after it. There, case no longer tells
/// an acronym from a word of the language (`un`).
fn shouted(text: &str, span: &Range<usize>) -> bool {
    const SPACES: [char; 2] = [' ', '\u{a0}'];
    // The word on each side with only spaces between: none after a line
    // break or punctuation (`(UN)`, `UN:`).
    let before = text[..span.start].trim_end_matches(SPACES);
    let after = text[span.end..].trim_start_matches(SPACES);
    let sides = [
        before.rsplit(|c: char| !c.is_alphabetic()).next(),
        after.split(|c: char| !c.is_alphabetic()).next(),
    ]
    .map(|w| w.filter(|w| !w.is_empty()));
    sides.iter().any(|w| w.is_some_and(in_capitals)) && sides.iter().all(|w| w.is_none_or(in_capitals))
}

/// A word of at least two letters, all capitals (`EPA`, `UN`).
fn in_capitals(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(char::is_uppercase)
}

/// Whether a name in capitals is joined by a slash to a word in capitals
/// that names no body (`ELVIS GONZALEZ/PAP/EPA`, `EPA/OLIVIER HOSLET`): a
/// photo credit, whose acronyms name picture agencies, not public bodies.
/// Two bodies joined so (`FTC/DOJ`, `EDPB/EDPS`) are both bodies, and a
/// capitalised word beside the slash (`WHO/Europe`) names a part of one.
fn in_credit(text: &str, span: &Range<usize>, names_body: impl Fn(&str) -> bool) -> bool {
    if !in_capitals(&text[span.clone()]) {
        return false;
    }
    let before = text[..span.start]
        .strip_suffix('/')
        .map(|t| t.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or(""));
    let after = text[span.end..]
        .strip_prefix('/')
        .map(|t| t.split(|c: char| !c.is_alphabetic()).next().unwrap_or(""));
    [before, after]
        .into_iter()
        .flatten()
        .any(|word| in_capitals(word) && !names_body(word))
}

pub struct AuthorityRules {
    listed: &'static Listed,
    patterns: Vec<Pattern>,
    not_names: Vec<String>,
    not_seats: Vec<String>,
    /// The pack's `media_words`, as word keys.
    media_words: Vec<String>,
    leading_articles: Vec<String>,
    /// The words that join the items of a list (`y`, `and`), lower case.
    list_words: Vec<String>,
    /// Short words of the language an acronym may spell (`un`, `la`),
    /// lower case: its number words, articles and list words.
    own_words: HashSet<String>,
}

impl AuthorityRules {
    pub fn new(pack: &LangPack) -> Self {
        let a = &pack.authorities;
        Self {
            listed: listed(),
            patterns: a.patterns.iter().map(Pattern::new).collect(),
            not_names: a.not_names.iter().map(|n| word_key(n)).collect(),
            not_seats: a.not_seats.iter().map(|n| word_key(n)).collect(),
            media_words: a.media_words.iter().map(|n| word_key(n)).collect(),
            leading_articles: a.leading_articles.clone(),
            list_words: pack
                .roles
                .list_words
                .iter()
                .filter(|w| w.chars().all(char::is_alphabetic))
                .map(|w| w.to_lowercase())
                .collect(),
            own_words: pack
                .amounts
                .number_words
                .iter()
                .map(|n| &n.text)
                .chain(&pack.roles.determiners)
                .chain(&pack.roles.list_words)
                .chain(&a.leading_articles)
                .map(|w| w.to_lowercase())
                .collect(),
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
            let spells_own_word = shouted(text, &m) && self.own_words.contains(&text[m.clone()].to_lowercase());
            let credit = in_credit(text, &m, |word| self.listed.exact_names.contains_key(word));
            if spells_own_word || credit {
                continue;
            }
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
            for caps in re.over(text).captures_iter(text) {
                let Some(m) = caps.name("name") else { continue };
                if !word(&m.range()) {
                    continue;
                }
                let (span, name) = self.strip_article(m.start(), m.as_str());
                let folded = word_key(name);
                let ends_with_no_seat = name
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|last| self.not_seats.contains(&word_key(last)));
                let names_media = name
                    .split(|c: char| c.is_whitespace() || c == '-')
                    .any(|w| self.media_words.contains(&word_key(w)));
                if name.split_whitespace().count() < 2
                    || self.not_names.contains(&folded)
                    || ends_with_no_seat
                    || names_media
                {
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
        // One that goes on past a listed body with a list word and an
        // article or a capital (`Agencia Española de Protección de Datos y
        // el Tribunal Supremo`, `Department of Homeland Security and Alex
        // Azar`) names two things: the listed body stands alone, the other
        // is found on its own.
        let goes_on_to_another = |span: &Range<usize>, l: &Range<usize>| {
            l.start == span.start && l.end < span.end && self.joins_another(&text[l.end..])
        };
        found.retain(|(span, rank, _)| {
            *rank == 0
                || !listed
                    .iter()
                    .any(|l| only_a_word_before(span, l) || goes_on_to_another(span, l))
        });
        found.sort_by_key(|(span, rank, _)| (span.start, std::cmp::Reverse(span.end), *rank));
        let mut kept: Vec<(Range<usize>, AuthorityRef)> = Vec::new();
        for (span, _, value) in found {
            if kept.last().is_none_or(|(k, _)| k.end <= span.start) {
                kept.push((span, value));
            }
        }
        kept
    }

    /// Whether `rest` opens with a list word and an article or a capital
    /// (` y el Tribunal`, ` and Alex Azar`): a listed body's whole name
    /// ends before it.
    fn joins_another(&self, rest: &str) -> bool {
        let rest = rest.trim_start();
        let Some(joiner) = rest.split_whitespace().next() else {
            return false;
        };
        if !self.list_words.contains(&joiner.to_lowercase()) {
            return false;
        }
        let after = rest[joiner.len()..].trim_start();
        self.strip_article(0, after).0 > 0 || after.starts_with(char::is_uppercase)
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

    use super::{exact_forms, gazetteer, word_key, Names};
    use crate::text::{alternation, word_pattern, Pattern};

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
    const PIECES: [&str; 18] = [
        "CNIL",
        "Cnil",
        "S",
        "Conseil",
        "conseil",
        " ",
        "\n ",
        "\u{a0}",
        "d'",
        "d’",
        "État",
        "Etat",
        "ÉTAT",
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

    /// `rest` as a pattern whose ASCII letters match in either case and other
    /// characters as written (`É`, `é`): what [`Names`] does with
    /// `ascii_any_case`, as a regex to compare it with.
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

    proptest! {
        #[test]
        fn names_match_as_their_alternation_longest_first_does(
            pieces in proptest::collection::vec(select(&PIECES[..]), 0..24),
            any_case in any::<bool>(),
        ) {
            let text = pieces.concat();
            let names: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
            let names: Vec<&String> = names.iter().collect();
            let pattern = patterns(any_case);
            let whole = Pattern::large(pattern);
            let expected: Vec<_> = whole.find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(Names::new(&names, any_case).find_iter(&text), expected);
        }
    }
}

#[cfg(test)]
mod matching_forms {
    //! How an alias is turned into the forms matched in a text.

    use std::collections::HashSet;

    use super::{exact_forms, listed, AuthorityRules, Names};

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
        let name = "Autorité de la concurrence".to_string();
        let names = Names::new(&[&name], true);
        let whole = |text: &str| names.find_iter(text).first() == Some(&(0..text.len()));
        assert!(whole("Autorité de la concurrence"));
        assert!(whole("AUTORITé DE LA CONCURRENCE"));
        assert!(whole("Autorité  de la\nconcurrence"));
        assert!(!whole("AUTORITÉ DE LA CONCURRENCE"));
        assert!(!whole("autorité de la concurrence"));
    }

    #[test]
    fn a_leading_article_is_dropped_only_as_a_whole_word_or_an_elided_one() {
        let rules = AuthorityRules {
            listed: listed(),
            patterns: Vec::new(),
            not_names: Vec::new(),
            not_seats: Vec::new(),
            media_words: Vec::new(),
            leading_articles: vec!["The".into(), "l'".into()],
            list_words: Vec::new(),
            own_words: HashSet::new(),
        };
        assert_eq!(rules.strip_article(10, "The Federal Court"), (14, "Federal Court"));
        assert_eq!(rules.strip_article(0, "l'Autorité"), (2, "Autorité"));
        assert_eq!(rules.strip_article(0, "Theodor Court"), (0, "Theodor Court"));
    }
}
