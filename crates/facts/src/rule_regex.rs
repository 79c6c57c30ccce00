//! A rule's compiled pattern: regex-automata's meta regex, built without
//! the literal prefilters, behind the part of the `regex` crate's API the
//! recognisers use, with the same matches.
//!
//! The `regex` crate looks for literals in every pattern it compiles, for a
//! prefilter to skip text with, and offers no way to ask it not to. For the
//! packs' rules that search is most of the compiling: their words are
//! case-insensitive alternations, with thousands of spellings to list and
//! few a prefilter could use, and a run compiles some 250 to 400 of them.
//! Without it a development set's run takes 3.4 to 5.3 % fewer instructions,
//! the slower searches counted (README, "Dependencies beside the
//! design's").

use std::ops::Range;

use regex_automata::util::captures::Captures as Slots;
use regex_automata::util::syntax;
use regex_automata::{meta, Input, MatchKind};
use regex_syntax::hir::HirKind;

pub use regex_automata::meta::BuildError;

/// The lazy DFA's cache, as the `regex` crate sizes it by default.
const CACHE_BYTES: usize = 2 << 20;

/// The compiled automata's size at most, as the `regex` crate allows.
const NFA_BYTES: usize = 10 << 20;

#[derive(Clone, Debug)]
pub struct Regex {
    regex: meta::Regex,
    /// No text matches the pattern (an empty word list's): a search ends
    /// before it starts. The meta regex would scan the whole text first.
    matches_nothing: bool,
}

impl Regex {
    /// Compiles `pattern` as `regex::Regex::new` does, but without a
    /// prefilter, and with `cache_bytes` for its lazy DFA.
    pub fn new(pattern: &str, cache_bytes: Option<usize>) -> Result<Regex, Box<BuildError>> {
        let config = meta::Config::new()
            .match_kind(MatchKind::LeftmostFirst)
            .utf8_empty(true)
            .nfa_size_limit(Some(NFA_BYTES))
            .hybrid_cache_capacity(cache_bytes.unwrap_or(CACHE_BYTES))
            // As the workspace builds `regex`: the bounded backtracker finds
            // a match's groups (README, "regex without its one-pass DFA").
            .onepass(false)
            .auto_prefilter(false);
        let syntax = syntax::Config::new().utf8(true);
        let mut builder = meta::Builder::new();
        builder.configure(config).syntax(syntax);
        // Parsed here to learn whether it can match at all; a pattern that
        // does not parse is built from its text for the builder's error.
        let hir = match syntax::parse_with(pattern, &syntax) {
            Ok(hir) => hir,
            Err(_) => {
                return Err(Box::new(
                    builder.build(pattern).expect_err("a pattern that does not parse"),
                ))
            }
        };
        let regex = builder.build_from_hir(&hir).map_err(Box::new)?;
        Ok(Regex {
            regex,
            // Only a pattern that is one empty class: `minimum_len` says
            // nothing matches an alternation that has such a branch.
            matches_nothing: matches!(hir.kind(), HirKind::Class(_)) && hir.properties().minimum_len().is_none(),
        })
    }

    /// How many searches an iteration may run: none for a pattern that
    /// matches nothing.
    fn searches(&self) -> usize {
        if self.matches_nothing {
            0
        } else {
            usize::MAX
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        !self.matches_nothing && self.regex.is_match(text)
    }

    pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        self.find_at(text, 0)
    }

    /// The first match starting at `start` or after; what comes before
    /// `start` still decides a word boundary or `^` there.
    pub fn find_at<'t>(&self, text: &'t str, start: usize) -> Option<Match<'t>> {
        if self.matches_nothing {
            return None;
        }
        let input = Input::new(text).span(start..text.len());
        self.regex.search(&input).map(|m| Match::new(text, m.range()))
    }

    pub fn find_iter<'r, 't>(&'r self, text: &'t str) -> impl Iterator<Item = Match<'t>> + 'r
    where
        't: 'r,
    {
        self.regex
            .find_iter(text)
            .take(self.searches())
            .map(move |m| Match::new(text, m.range()))
    }

    pub fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        self.captures_at(text, 0)
    }

    /// As [`Regex::find_at`], with the groups.
    pub fn captures_at<'t>(&self, text: &'t str, start: usize) -> Option<Captures<'t>> {
        if self.matches_nothing {
            return None;
        }
        let input = Input::new(text).span(start..text.len());
        let mut slots = self.regex.create_captures();
        self.regex.search_captures(&input, &mut slots);
        slots.is_match().then_some(Captures { text, slots })
    }

    pub fn captures_iter<'r, 't>(&'r self, text: &'t str) -> impl Iterator<Item = Captures<'t>> + 'r
    where
        't: 'r,
    {
        self.regex
            .captures_iter(text)
            .take(self.searches())
            .map(move |slots| Captures { text, slots })
    }
}

/// Where a pattern or one of its groups matched, in the text searched.
#[derive(Clone, Copy, Debug)]
pub struct Match<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Match<'t> {
    fn new(text: &'t str, range: Range<usize>) -> Self {
        Match {
            text,
            start: range.start,
            end: range.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn as_str(&self) -> &'t str {
        &self.text[self.range()]
    }
}

/// A match's groups, by number (0 for the whole match) or name.
#[derive(Clone, Debug)]
pub struct Captures<'t> {
    text: &'t str,
    slots: Slots,
}

impl<'t> Captures<'t> {
    pub fn get(&self, group: usize) -> Option<Match<'t>> {
        self.slots
            .get_group(group)
            .map(|span| Match::new(self.text, span.range()))
    }

    pub fn name(&self, name: &str) -> Option<Match<'t>> {
        self.slots
            .get_group_by_name(name)
            .map(|span| Match::new(self.text, span.range()))
    }
}

/// The text of a group that every match holds, as `regex::Captures`
/// gives it: asking for a group that did not match is a broken rule.
impl std::ops::Index<&str> for Captures<'_> {
    type Output = str;

    fn index(&self, name: &str) -> &str {
        self.name(name)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group named '{name}' in the match"))
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    /// Patterns in the packs' styles, and texts with accents, empty
    /// matches and groups that do not take part.
    const PATTERNS: &[&str] = &[
        r"(?i)(?:\bjanvier\b|\bfévrier\b)\s+(?P<y>[0-9]{4})?",
        r"(?P<d>[0-9]{1,2})(?:er)?\s*(?P<m>\p{L}+)",
        r"x*",
        r"(?-u:\b)(?P<w>\p{Lu}[\p{L}-]+)(?: (?P<next>\p{Lu}\p{L}+))?",
        // What an empty word list compiles to, alone and as one branch.
        r"(?-i:[^\s\S])",
        r"(?P<n>[0-9]+)(?:(?-i:[^\s\S])|\s)",
    ];
    const TEXTS: &[&str] = &[
        "Le 1er janvier 2024, puis FÉVRIER et février 2025.",
        "Élysée Conseil d'État, 3 mai, xx été",
        "Article 83 ",
        "",
    ];

    /// What `regex` finds is what a rule finds: the same matches, in the
    /// same order, with the same groups.
    #[test]
    fn matches_as_the_regex_crate_does() {
        for pattern in PATTERNS {
            let ours = Regex::new(pattern, None).unwrap();
            let theirs = regex::Regex::new(pattern).unwrap();
            let names: Vec<&str> = theirs.capture_names().flatten().collect();
            for text in TEXTS {
                let found: Vec<_> = ours.find_iter(text).map(|m| m.range()).collect();
                let expected: Vec<_> = theirs.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(found, expected, "{pattern} in {text:?}");
                let groups: Vec<Vec<_>> = ours
                    .captures_iter(text)
                    .map(|c| names.iter().map(|n| c.name(n).map(|m| m.as_str())).collect())
                    .collect();
                let expected: Vec<Vec<_>> = theirs
                    .captures_iter(text)
                    .map(|c| names.iter().map(|n| c.name(n).map(|m| m.as_str())).collect())
                    .collect();
                assert_eq!(groups, expected, "{pattern} in {text:?}");
                assert_eq!(ours.is_match(text), theirs.is_match(text));
            }
        }
    }

    /// A search from a position still sees what precedes it: `ai` inside
    /// `mai` does not start a word.
    #[test]
    fn a_search_from_a_position_sees_the_text_before_it() {
        let word = Regex::new(r"(?-u:\b)ai\b", None).unwrap();
        assert_eq!(word.find_at("mai ai", 1).map(|m| m.range()), Some(4..6));
        assert_eq!(
            word.captures_at("mai ai", 1).and_then(|c| c.get(0)).map(|m| m.start()),
            Some(4)
        );
    }
}
