//! Articles of the GDPR: `article 17`, `articles 12, 15 et 17`, `articles
//! 12 à 14`, `Art. 5(1)(a)`, `article 83 paragraphe 5`, tied to the GDPR by
//! the law named after them or by a sentence about the GDPR.

use std::ops::Range;

use regex::Regex;
use serde::Serialize;

use crate::lang::LangPack;
use crate::text::{
    alternation, case_aware_alternation, ending_alternation, floor_boundary, is_boundary, window_before, Pattern,
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
    citation: Pattern,
    reference: Pattern,
    range_connector: Pattern,
    law: Pattern,
    name_before: Pattern,
    name: Pattern,
    other_law: Pattern,
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
        // A comma may stand before a word (`5(1)(f), and 32`, `5.º, n.º 1,
        // alínea f), e 32.º`): after a paragraph or a point it closes them.
        let connector = format!(
            r"(?:,\s*)?(?i:{}|{})",
            alternation(&g.list_connectors),
            alternation(&g.range_connectors)
        );
        let names = case_aware_alternation(&g.names);
        let others = case_aware_alternation(&g.other_laws);
        Self {
            citation: Pattern::new(format!(
                r"(?i:\b{})\s*(?P<list>{bare_reference}(?:\s*{connector}\s*{bare_reference})*)",
                alternation(&g.article_words)
            )),
            reference: Pattern::new(reference),
            range_connector: Pattern::new(format!(r"(?i)^\s*{}\s*$", alternation(&g.range_connectors))),
            law: Pattern::new(format!(r"(?P<gdpr>\b{names})|(?P<other>\b{others}\b)")),
            name_before: Pattern::new(format!(
                r"\b{names}\s*(?:{}\s*|,\s*|\(\s*)?$",
                alternation(&g.name_possessives)
            )),
            name: Pattern::new(format!(r"\b{names}")),
            other_law: Pattern::new(format!(r"\b{others}\b")),
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

#[cfg(test)]
mod tests {
    //! The limits and the sentence a citation is judged in: what the corpus
    //! rows reach only through the engine's own sentence splitting.

    use super::*;
    use crate::lang::pack;

    fn cited(text: &str, sentence_of: impl Fn(usize) -> Range<usize>) -> Vec<u16> {
        let rules = GdprRules::new(pack("en").expect("en pack"));
        rules
            .find(text, sentence_of)
            .into_iter()
            .map(|(_, a)| a.article)
            .collect()
    }

    fn whole(text: &str) -> impl Fn(usize) -> Range<usize> {
        let end = text.len();
        move |_| 0..end
    }

    #[test]
    fn the_law_is_looked_for_in_the_citations_own_sentence_only() {
        let text = "Article 17 applies here. The GDPR is clear.";
        assert_eq!(cited(text, whole(text)), [17]);
        let first_sentence_end = text.find(" The").unwrap();
        assert_eq!(cited(text, |_| 0..first_sentence_end), Vec::<u16>::new());
    }

    #[test]
    fn the_first_law_named_after_a_citation_decides_within_a_window() {
        let text = "Article 17 of the Civil Code, not of the GDPR.";
        assert_eq!(cited(text, whole(text)), Vec::<u16>::new());
        // Past the window, the first law named is too far to own the
        // citation, and a sentence naming two laws ties it to neither.
        let far = format!("Article 17 {} of the Civil Code and the GDPR.", "applies ".repeat(15));
        assert!(far.find("Code").unwrap() > LAW_WINDOW);
        assert_eq!(cited(&far, whole(&far)), Vec::<u16>::new());
    }

    #[test]
    fn only_the_gdprs_ninety_nine_articles_are_cited() {
        let text = "Articles 99 and 100 of the GDPR.";
        assert_eq!(cited(text, whole(text)), [99]);
    }

    #[test]
    fn a_range_cites_what_lies_between_its_ends_up_to_twenty_articles_apart() {
        let text = "Articles 12 to 15 of the GDPR.";
        assert_eq!(cited(text, whole(text)), [12, 13, 14, 15]);
        let wide = "Articles 5 to 30 of the GDPR.";
        assert_eq!(cited(wide, whole(wide)), [5, 30]);
        let backwards = "Articles 15 to 12 of the GDPR.";
        // A backwards range is two citations, in the order written.
        assert_eq!(cited(backwards, whole(backwards)), [15, 12]);
    }
}
