//! Articles of the GDPR: `article 17`, `articles 12, 15 et 17`, `articles
//! 12 à 14`, `Art. 5(1)(a)`, `article 83 paragraphe 5`, tied to the GDPR by
//! the law named after them or by a sentence about the GDPR.

use std::ops::Range;

use regex::Regex;
use serde::Serialize;

use crate::lang::LangPack;
use crate::text::{
    alternation, case_aware_alternation, compile, ending_alternation, floor_boundary, is_boundary, window_before,
};

/// A cited article, with paragraph and point where the text gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleRef {
    pub article: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
}

/// The GDPR has 99 articles.
const LAST_ARTICLE: u16 = 99;
/// How far after a citation the law it belongs to is looked for.
const LAW_WINDOW: usize = 100;

pub struct GdprRules {
    citation: Regex,
    reference: Regex,
    range_connector: Regex,
    law: Regex,
    name_before: Regex,
    name: Regex,
    other_law: Regex,
}

impl GdprRules {
    pub fn new(pack: &LangPack) -> Self {
        let g = &pack.gdpr;
        let para = alternation(&g.paragraph_words);
        let point = alternation(&g.point_words);
        // `83.º`, `1er`: the number's own ordinal mark.
        let mark = ending_alternation(&g.number_suffixes);
        let reference = format!(
            r"(?P<art>[0-9]{{1,3}})(?:{mark}|\b)(?:\.(?P<p1>[0-9]{{1,2}})(?:\.(?P<pt1>[a-z])\b\)?)?|\s?\((?P<p2>[0-9]{{1,2}})\)(?:\s?\((?P<pt2>[a-z])\))?)?(?:,?\s*(?i:{para})\s*(?P<p3>[0-9]{{1,2}})(?:{mark})?)?(?:,?\s*(?i:{point})\s*(?P<pt3>[a-z])\b\)?)?"
        );
        let bare_reference = Regex::new(r"\(\?P<[a-z0-9]+>")
            .expect("static")
            .replace_all(&reference, "(?:");
        let connector = format!(
            "(?i:{}|{})",
            alternation(&g.list_connectors),
            alternation(&g.range_connectors)
        );
        let names = case_aware_alternation(&g.names);
        let others = case_aware_alternation(&g.other_laws);
        Self {
            citation: compile(&format!(
                r"(?i:\b{})\s*(?P<list>{bare_reference}(?:\s*{connector}\s*{bare_reference})*)",
                alternation(&g.article_words)
            ))
            .expect("citation pattern"),
            reference: compile(&reference).expect("reference pattern"),
            range_connector: compile(&format!(r"(?i)^\s*{}\s*$", alternation(&g.range_connectors)))
                .expect("range connectors"),
            law: compile(&format!(r"(?P<gdpr>\b{names})|(?P<other>\b{others}\b)")).expect("law names"),
            name_before: compile(&format!(
                r"\b{names}\s*(?:{}\s*|,\s*|\(\s*)?$",
                alternation(&g.name_possessives)
            ))
            .expect("law names"),
            name: compile(&format!(r"\b{names}")).expect("law names"),
            other_law: compile(&format!(r"\b{others}\b")).expect("law names"),
        }
    }

    pub fn find(&self, text: &str, sentence_of: impl Fn(usize) -> Range<usize>) -> Vec<(Range<usize>, ArticleRef)> {
        let mut out = Vec::new();
        for caps in self.citation.captures_iter(text) {
            let whole = caps.get(0).expect("whole match");
            let list = caps.name("list").expect("list group");
            let sentence = sentence_of(whole.start());
            if !is_boundary(text, whole.start()) || !self.is_gdpr(text, whole.range(), sentence) {
                continue;
            }
            let mut previous: Option<(Range<usize>, u16)> = None;
            for r in self.reference.captures_iter(list.as_str()) {
                let span = list.start() + r.get(0).expect("ref").start()..list.start() + r.get(0).expect("ref").end();
                let Some(article) = r["art"].parse::<u16>().ok().filter(|a| (1..=LAST_ARTICLE).contains(a)) else {
                    previous = None;
                    continue;
                };
                // `articles 12 à 14`: the articles between the ends are cited
                // too, and point at the whole range.
                if let Some((prev_span, prev)) = previous.take() {
                    if self.range_connector.is_match(&text[prev_span.end..span.start])
                        && prev < article
                        && article - prev <= 20
                    {
                        for between in prev + 1..article {
                            out.push((
                                prev_span.start..span.end,
                                ArticleRef {
                                    article: between,
                                    paragraph: None,
                                    point: None,
                                },
                            ));
                        }
                    }
                }
                let paragraph = ["p1", "p2", "p3"].iter().find_map(|g| r.name(g)?.as_str().parse().ok());
                let point = ["pt1", "pt2", "pt3"]
                    .iter()
                    .find_map(|g| r.name(g))
                    .map(|m| m.as_str().to_string());
                out.push((
                    span.clone(),
                    ArticleRef {
                        article,
                        paragraph,
                        point,
                    },
                ));
                previous = Some((span, article));
            }
        }
        out.sort_by_key(|(span, a)| (span.start, a.article));
        out
    }

    /// The first law named after the citation decides; a GDPR name just
    /// before it (`GDPR Article 17`) also ties it; failing both, a sentence
    /// that names the GDPR and no other law does.
    fn is_gdpr(&self, text: &str, citation: Range<usize>, sentence: Range<usize>) -> bool {
        let window_end = floor_boundary(text, (citation.end + LAW_WINDOW).min(sentence.end.max(citation.end)));
        if let Some(first) = self.law.captures(&text[citation.end..window_end]) {
            return first.name("gdpr").is_some();
        }
        if self.name_before.is_match(window_before(text, citation.start, 60)) {
            return true;
        }
        let sentence_text = &text[sentence.start.min(citation.start)..sentence.end.max(citation.end)];
        self.name.is_match(sentence_text) && !self.other_law.is_match(sentence_text)
    }
}
