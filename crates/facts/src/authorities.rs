//! Public authorities: the gazetteer in `data/authorities.toml`, then the
//! language's patterns for named bodies it does not list.

use std::collections::HashMap;
use std::ops::Range;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::lang::LangPack;
use crate::text::{alternation, compile, is_boundary, word_pattern};

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
}

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZETTEER
        .get_or_init(|| toml::from_str(include_str!("../../../data/authorities.toml")).expect("data/authorities.toml"))
}

/// Folds case, apostrophes and white space, for alias look-up.
fn fold(s: &str) -> String {
    s.to_lowercase()
        .replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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

pub struct AuthorityRules {
    exact: Regex,
    any_case: Regex,
    exact_names: HashMap<String, usize>,
    folded_names: HashMap<String, usize>,
    patterns: Vec<Regex>,
    not_names: Vec<String>,
    leading_articles: Vec<String>,
}

impl AuthorityRules {
    pub fn new(pack: &LangPack) -> Self {
        let mut exact_names = HashMap::new();
        let mut folded_names = HashMap::new();
        for (i, entry) in gazetteer().authority.iter().enumerate() {
            for alias in &entry.aliases {
                if alias.split_whitespace().count() == 1 {
                    for form in exact_forms(alias) {
                        exact_names.entry(form).or_insert(i);
                    }
                } else {
                    folded_names.entry(fold(alias)).or_insert(i);
                }
            }
        }
        let exact: Vec<&String> = exact_names.keys().collect();
        let mut phrases: Vec<&String> = gazetteer()
            .authority
            .iter()
            .flat_map(|e| &e.aliases)
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
                format!(
                    "{}(?i:{})",
                    word_pattern(&first.to_string()),
                    word_pattern(chars.as_str())
                )
            })
            .collect::<Vec<_>>()
            .join("|");
        let a = &pack.authorities;
        Self {
            exact: compile(&alternation(&exact)).expect("gazetteer aliases"),
            any_case: compile(&any_case).expect("gazetteer aliases"),
            exact_names,
            folded_names,
            patterns: a
                .patterns
                .iter()
                .map(|p| compile(p).unwrap_or_else(|e| panic!("authority pattern {p}: {e}")))
                .collect(),
            not_names: a.not_names.iter().map(|n| fold(n)).collect(),
            leading_articles: a.leading_articles.clone(),
        }
    }

    fn entry(&self, i: usize) -> AuthorityRef {
        let e = &gazetteer().authority[i];
        AuthorityRef {
            name: e.name.clone(),
            country: Some(e.country.clone()),
        }
    }

    pub fn find(&self, text: &str) -> Vec<(Range<usize>, AuthorityRef)> {
        // (span, rank: 0 for the gazetteer, 1 for patterns, value)
        let mut found: Vec<(Range<usize>, u8, AuthorityRef)> = Vec::new();
        let word = |r: &Range<usize>| is_boundary(text, r.start) && is_boundary(text, r.end);
        for m in self.exact.find_iter(text).filter(|m| word(&m.range())) {
            if let Some(&i) = self.exact_names.get(m.as_str()) {
                found.push((m.range(), 0, self.entry(i)));
            }
        }
        for m in self.any_case.find_iter(text).filter(|m| word(&m.range())) {
            if let Some(&i) = self.folded_names.get(&fold(m.as_str())) {
                found.push((m.range(), 0, self.entry(i)));
            }
        }
        for re in &self.patterns {
            for caps in re.captures_iter(text) {
                let Some(m) = caps.name("name") else { continue };
                if !word(&m.range()) {
                    continue;
                }
                let (span, name) = self.strip_article(m.start(), m.as_str());
                let folded = fold(name);
                if name.split_whitespace().count() < 2 || self.not_names.contains(&folded) {
                    continue;
                }
                let value = match self.folded_names.get(&folded) {
                    Some(&i) => self.entry(i),
                    None => AuthorityRef {
                        name: name.to_string(),
                        country: None,
                    },
                };
                found.push((span..span + name.len(), 1, value));
            }
        }
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
