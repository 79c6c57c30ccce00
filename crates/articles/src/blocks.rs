//! Furniture that survives Readability in HTML pages, removed line by
//! line of the extracted text: repeated lines
//! (gallery captions shown twice), share bars and widget labels, captions
//! and credits, copyright and newsletter lines, and teaser lists under a
//! heading such as `Read more`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use crate::plain::{is_furniture_heading, is_teaser_title, TEASER_MAX_CHARS};
use crate::spaces::collapsed;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Furniture {
    labels: Vec<String>,
    /// Searched for in one pass over a line: a line is read once, not
    /// once a marker.
    #[serde(deserialize_with = "any_of")]
    markers: AhoCorasick,
    pub(crate) headings: Vec<String>,
    marker_block_words: usize,
    byline_starts: Vec<String>,
    byline_words: usize,
    byline_max_words: usize,
}

pub(crate) fn furniture() -> &'static Furniture {
    static FURNITURE: OnceLock<Furniture> = OnceLock::new();
    FURNITURE.get_or_init(|| {
        toml::from_str(include_str!("../../../data/articles/furniture.toml")).expect("data/articles/furniture.toml")
    })
}

fn any_of<'de, D: serde::Deserializer<'de>>(words: D) -> Result<AhoCorasick, D::Error> {
    let words: Vec<String> = Vec::deserialize(words)?;
    AhoCorasick::new(words).map_err(serde::de::Error::custom)
}

/// Repeats shorter than this many words may be the article's own (list
/// items, refrains); longer ones are captions shown twice.
const REPEAT_MIN_WORDS: usize = 8;
/// A gallery shows a caption again within a few lines; a recipe or a
/// schedule repeats its lines further apart, and those stay.
const REPEAT_MAX_DISTANCE: usize = 10;

pub fn remove_furniture(text: &str) -> String {
    let furniture = furniture();
    let mut last_seen: HashMap<Cow<str>, usize> = HashMap::new();
    let mut index = 0;
    let mut kept: Vec<String> = Vec::new();
    let mut kept_words = 0;
    let card_separator = card_separator(text, furniture);
    let mut under_furniture_heading = false;
    for block in text.split("\n\n") {
        let mut lines = Vec::new();
        for line in block.lines() {
            let normal = collapsed(line);
            if normal.is_empty() {
                continue;
            }
            index += 1;
            let previous = last_seen.insert(normal.clone(), index);
            let repeated = previous.is_some_and(|p| index - p <= REPEAT_MAX_DISTANCE);
            // Collapsed, the line's words are what its single spaces part.
            let words = normal.split(' ').count();
            if repeated && words >= REPEAT_MIN_WORDS {
                continue;
            }
            if is_furniture_heading(&normal) {
                under_furniture_heading = true;
                continue;
            }
            if under_furniture_heading {
                if is_teaser_title(&normal) {
                    continue;
                }
                under_furniture_heading = false;
            }
            if card_separator.as_deref() == Some(&*normal) && kept_words >= CARD_MIN_WORDS {
                if !lines.is_empty() {
                    kept.push(lines.join("\n"));
                }
                return kept.join("\n\n");
            }
            if is_widget(&normal, furniture)
                || is_caption(&normal, words, furniture)
                || is_byline(&normal, words, furniture)
                || is_inline_teaser(&normal)
                || is_bar(&normal)
            {
                continue;
            }
            kept_words += words;
            lines.push(line);
        }
        if !lines.is_empty() {
            kept.push(lines.join("\n"));
        }
    }
    kept.join("\n\n")
}

/// A page of cards (quotes, posts, products) repeats one share bar under
/// each card; an article has one above it and one below. With three or
/// more, the article is the first card: it ends at the first bar after some
/// text (more than a title and a breadcrumb). A bar names several
/// services; a single label (`- Advertisement -`) marks ad slots, which
/// sit between the paragraphs of one article.
const CARD_SEPARATOR_REPEATS: usize = 3;
const CARD_MIN_WORDS: usize = 40;
const CARD_SEPARATOR_MIN_WORDS: usize = 2;

fn card_separator<'a>(text: &'a str, furniture: &Furniture) -> Option<Cow<'a, str>> {
    let mut counts: HashMap<Cow<str>, usize> = HashMap::new();
    // White space separates words as any other sign does: only the lines
    // counted are collapsed. Few lines are widgets: that is asked first.
    for line in text.lines() {
        let words = || {
            line.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .count()
        };
        if is_widget(line, furniture) && words() >= CARD_SEPARATOR_MIN_WORDS && line.chars().any(char::is_alphabetic) {
            *counts.entry(collapsed(line)).or_insert(0) += 1;
        }
    }
    // The most repeated; among equals the first in byte order, so that
    // runs are reproducible.
    counts
        .into_iter()
        .filter(|(_, n)| *n >= CARD_SEPARATOR_REPEATS)
        .max_by(|(a, m), (b, n)| m.cmp(n).then_with(|| b.cmp(a)))
        .map(|(line, _)| line)
}

/// A teaser set into the text under its own label: `Lesen Sie auch:
/// Title of another page`, `Read more: Why did she resign?`. The label is a furniture
/// heading, what follows a title, not a sentence of the article.
fn is_inline_teaser(line: &str) -> bool {
    line.split_once(':').is_some_and(|(label, rest)| {
        let rest = rest.trim();
        // A headline may ask or exclaim; only a statement is a sentence.
        let headline = rest.ends_with(['?', '!']) && rest.chars().count() < TEASER_MAX_CHARS;
        !rest.is_empty() && is_furniture_heading(label) && (headline || is_teaser_title(rest))
    })
}

/// A bar of short items between pipes: `Imprint | Privacy | Contact`,
/// `Views: 1120 | Added by: Posh | Rating: 0.0/0`. Prose does not run
/// in such pieces.
const BAR_MIN_ITEMS: usize = 3;
const BAR_ITEM_MAX_WORDS: usize = 5;

fn is_bar(line: &str) -> bool {
    let items: Vec<&str> = line.split('|').collect();
    items.len() >= BAR_MIN_ITEMS && items.iter().all(|i| i.split_whitespace().count() <= BAR_ITEM_MAX_WORDS)
}

/// Only labels and numbers: `WhatsApp Facebook Pin`, `Image 1 of 8`.
fn is_widget(block: &str, furniture: &Furniture) -> bool {
    block
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().all(|c| c.is_ascii_digit()) || furniture.labels.iter().any(|l| l.eq_ignore_ascii_case(w)))
}

fn is_caption(line: &str, words: usize, furniture: &Furniture) -> bool {
    words <= furniture.marker_block_words && furniture.markers.is_match(line)
}

/// `By Jane Doe`, `Updated Nov 19, 6:55 AM`, `Publié le 3 mars 2021 à 10h`.
fn is_byline(line: &str, words: usize, furniture: &Furniture) -> bool {
    words <= furniture.byline_max_words
        && furniture.byline_starts.iter().any(|s| line.starts_with(s.as_str()))
        && (words <= furniture.byline_words || line.chars().any(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::remove_furniture;

    #[test]
    fn a_page_of_cards_keeps_its_first() {
        let card = |n: usize| format!("Card {n}: {}", "mot ".repeat(45).trim_end());
        let text = format!(
            "Title of the page\n\nHome » Section » Title\n\nFacebook Twitter Share\n\n{}\n\nFacebook Twitter Share\n\n{}\n\n\
             Facebook Twitter Share\n\n{}\n\nFacebook Twitter Share",
            card(1),
            card(2),
            card(3)
        );
        assert_eq!(
            remove_furniture(&text),
            format!("Title of the page\n\nHome » Section » Title\n\n{}", card(1))
        );
    }

    #[test]
    fn blocks() {
        let text = "Title\n\nThe first paragraph of the story, long enough to be one.\n\nWhatsapp Facebook Pin\n\n\
                    Image 1 of 8\n\nThe minister shakes hands in Hanoi (Image: GETTY )\n\n\
                    Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM\n\nBy Jane Doe\n\n\
                    The first paragraph of the story, long enough to be one.\n\nYou may also like...\n\n\
                    A teaser title\n\nAnother teaser title\n\n© 2019 The Daily Example. All rights reserved.\n\n\
                    Diese Website verwendet Akismet, um Spam zu reduzieren.";
        assert_eq!(
            remove_furniture(text),
            "Title\n\nThe first paragraph of the story, long enough to be one."
        );
    }

    #[test]
    fn ad_labels_between_paragraphs_do_not_cut_the_article() {
        let paragraph = |n: usize| format!("Paragraph {n} of the article, {}", "word ".repeat(20).trim_end());
        // An ad's slot says so in capitals, with its pitch after it.
        let text = format!(
            "Title\n\n{}\n\n- Advertisement -\n\n{}\n\n- Advertisement -\n\n{}\n\nANZEIGE - Heute mal ausgehen? Wie wäre es mit:\n\n{}",
            paragraph(1),
            paragraph(2),
            paragraph(3),
            paragraph(4)
        );
        assert_eq!(
            remove_furniture(&text),
            format!(
                "Title\n\n{}\n\n{}\n\n{}\n\n{}",
                paragraph(1),
                paragraph(2),
                paragraph(3),
                paragraph(4)
            )
        );
    }

    #[test]
    fn bars_of_short_items_go_and_prose_with_a_pipe_stays() {
        let text = "Title\n\nThe first paragraph of the story, long enough to be one.\n\n\
                    Views: 1120 | Added by: Posh | Rating: 0.0/0\n\nImprint | Privacy | Contact\n\n- Anzeige-\n\n\
                    Prices: adults from 32 euros | children under four years of age, who come with a parent, free.";
        assert_eq!(
            remove_furniture(text),
            "Title\n\nThe first paragraph of the story, long enough to be one.\n\n\
             Prices: adults from 32 euros | children under four years of age, who come with a parent, free."
        );
    }

    #[test]
    fn a_teaser_under_its_own_label_goes_and_a_sentence_after_one_stays() {
        let text = "Title\n\nThe first paragraph of the story, long enough to be one.\n\n\
                    Read more: The title of another story\n\nSee also: Why did the minister resign?\n\n\
                    See also: the statement of the minister, who says the law will change.\n\nThe last paragraph.";
        assert_eq!(
            remove_furniture(text),
            "Title\n\nThe first paragraph of the story, long enough to be one.\n\n\
             See also: the statement of the minister, who says the law will change.\n\nThe last paragraph."
        );
        // In a language without a file of its own words too.
        assert_eq!(
            remove_furniture(
                "Title\n\nPierwszy akapit.\n\nCzytaj też: Wyścig zbrojeń ruszył z kopyta\n\nOstatni akapit."
            ),
            "Title\n\nPierwszy akapit.\n\nOstatni akapit."
        );
    }
}
