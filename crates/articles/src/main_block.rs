//! The article's block of an HTML page found by where its text lies, for
//! the pages where that is clear; Readability judges the others.
//!
//! From the page's body down, each element that holds nearly all of its
//! parent's text is a wrapper around the article, and the search goes
//! into it. It stops at an element whose text is spread over its children:
//! the paragraphs of one article. On most news pages that is all it takes,
//! at a small part of Readability's cost (Readability scores every
//! paragraph's ancestors and counts each candidate's links). Where one
//! child holds most but not nearly all of the text, the rest may be teasers,
//! comments or an author's box beside the article, or the article's own
//! standfirst and second half: that page goes to Readability.
//!
//! Text in what is never the article (forms, asides, headers and footers,
//! hidden elements, blocks whose class names them comments, menus or
//! related stories: `data/articles/markup.toml`) is not counted, and those
//! elements are removed from the block chosen, with its blocks of links.

use std::collections::HashMap;
use std::sync::OnceLock;

use dom_query::{Document, NodeData, NodeId, NodeRef};
use serde::Deserialize;

/// A child holding at least this share of its parent's text wraps the
/// article: the search goes down into it.
const WRAPPER_SHARE: f64 = 0.9;
/// Where no child wraps the rest, one holding more than this share stands
/// beside smaller blocks that may or may not be the article's.
const UNCLEAR_SHARE: f64 = 0.5;
/// A page with less text than this (characters) is left to Readability:
/// where so little text lies says little.
const MIN_CHARS: usize = 300;
/// A block of the article's with more than this share of its text in
/// links lists other pages (related stories, tags).
const MAX_LINK_SHARE: f64 = 0.5;

/// Elements that are never the article's text.
const NOT_ARTICLE_ELEMENTS: &[&str] = &[
    "aside", "button", "footer", "form", "header", "iframe", "nav", "noscript", "script", "select", "style", "template",
];
/// Elements whose class is not judged: the body and the article's own
/// containers hold the text whatever their class says, a link is inside.
const CLASS_NOT_JUDGED: &[&str] = &["a", "article", "body", "html", "main"];
/// Blocks removed from the article's when they are mostly links.
const LINK_BLOCKS: &[&str] = &["div", "li", "ol", "p", "section", "span", "table", "ul"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Markup {
    not_article: Vec<String>,
    content: Vec<String>,
}

fn markup() -> &'static Markup {
    static MARKUP: OnceLock<Markup> = OnceLock::new();
    MARKUP.get_or_init(|| {
        toml::from_str(include_str!("../../../data/articles/markup.toml")).expect("data/articles/markup.toml")
    })
}

/// Characters of text outside and inside links, white space runs counted
/// as one.
#[derive(Clone, Copy, Default)]
struct Chars {
    plain: usize,
    linked: usize,
}

impl Chars {
    fn link_share(self) -> f64 {
        let all = self.plain + self.linked;
        if all == 0 {
            0.0
        } else {
            self.linked as f64 / all as f64
        }
    }
}

/// The article's block of `page`, with what is not the article's removed
/// from it, when where the text lies makes it clear; `None` leaves the
/// page as it was, for Readability.
pub(crate) fn clear_block(page: &Document) -> Option<NodeRef<'_>> {
    let body = page.select("body");
    let root = *body.nodes().first()?;
    let mut chars = HashMap::new();
    let mut not_article = Vec::new();
    let total = count(&root, false, &mut chars, &mut not_article);
    if total.plain < MIN_CHARS {
        return None;
    }
    let plain = |n: &NodeRef| chars.get(&n.id).map_or(0, |c: &Chars| c.plain) as f64;
    let mut block = root;
    loop {
        let here = plain(&block);
        let Some(largest) = block
            .children_it(false)
            .filter(NodeRef::is_element)
            .max_by(|a, b| plain(a).total_cmp(&plain(b)))
        else {
            break;
        };
        let share = plain(&largest) / here;
        if share >= WRAPPER_SHARE {
            block = largest;
        } else if share > UNCLEAR_SHARE {
            return None;
        } else {
            break;
        }
    }
    for node in not_article {
        node.remove_from_parent();
    }
    let link_blocks: Vec<NodeRef> = block
        .descendants_it()
        .filter(|n| n.node_name().is_some_and(|name| LINK_BLOCKS.contains(&name.as_ref())))
        .filter(|n| chars.get(&n.id).is_some_and(|c| c.link_share() > MAX_LINK_SHARE))
        .collect();
    for node in link_blocks {
        node.remove_from_parent();
    }
    Some(block)
}

/// The characters of `node`'s text that may be the article's, each node
/// visited once (children first, as in `cards`); the elements that are
/// not the article's are counted as empty and gathered in `not_article`.
fn count<'a>(
    node: &NodeRef<'a>,
    in_link: bool,
    chars: &mut HashMap<NodeId, Chars>,
    not_article: &mut Vec<NodeRef<'a>>,
) -> Chars {
    let text = node.query_or(None, |n| match &n.data {
        NodeData::Text { contents } => Some(contents.split_whitespace().map(|w| w.chars().count() + 1).sum()),
        _ => None,
    });
    if let Some(text) = text {
        return if in_link {
            Chars { plain: 0, linked: text }
        } else {
            Chars { plain: text, linked: 0 }
        };
    }
    if !node.is_element() {
        return Chars::default();
    }
    if is_not_article(node) {
        not_article.push(*node);
        chars.insert(node.id, Chars::default());
        return Chars::default();
    }
    let in_link = in_link || node.has_name("a");
    let mut total = Chars::default();
    for child in node.children_it(false) {
        let c = count(&child, in_link, chars, not_article);
        total.plain += c.plain;
        total.linked += c.linked;
    }
    chars.insert(node.id, total);
    total
}

fn is_not_article(node: &NodeRef) -> bool {
    let Some(name) = node.node_name() else {
        return false;
    };
    if NOT_ARTICLE_ELEMENTS.contains(&name.as_ref()) || is_hidden(node) {
        return true;
    }
    if CLASS_NOT_JUDGED.contains(&name.as_ref()) {
        return false;
    }
    let class = node.attr("class").unwrap_or_default();
    let id = node.attr("id").unwrap_or_default();
    if class.is_empty() && id.is_empty() {
        return false;
    }
    let names = format!("{class} {id}").to_lowercase();
    let markup = markup();
    markup.not_article.iter().any(|w| names.contains(w.as_str()))
        && !markup.content.iter().any(|w| names.contains(w.as_str()))
}

/// Hidden by the page itself: `hidden`, `aria-hidden="true"`, or a style
/// that shows nothing.
fn is_hidden(node: &NodeRef) -> bool {
    node.has_attr("hidden")
        || node.attr("aria-hidden").is_some_and(|v| v.as_ref() == "true")
        || node.attr("style").is_some_and(|style| {
            let style: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            style.contains("display:none") || style.contains("visibility:hidden")
        })
}

#[cfg(test)]
mod tests {
    use super::clear_block;
    use crate::spaces::collapsed;
    use dom_query::Document;

    const PARAGRAPH: &str = "Le conseil a voté le budget, qui entre en vigueur le mois prochain, \
        après un long débat sur les dépenses de la ville et les impôts des habitants.";

    fn paragraphs(n: usize) -> String {
        (0..n).map(|_| format!("<p>{PARAGRAPH}</p>")).collect()
    }

    fn block_text(html: &str) -> Option<String> {
        let page = Document::from(html);
        clear_block(&page).map(|block| collapsed(&block.text()).into_owned())
    }

    #[test]
    fn the_block_is_where_the_paragraphs_are_under_the_wrappers() {
        let html = format!(
            "<body><div id=page><div class=wrap><div class=story>{}</div></div><p>©</p></div></body>",
            paragraphs(5)
        );
        let page = Document::from(html.as_str());
        let block = clear_block(&page).expect("a clear block");
        assert_eq!(block.attr("class").as_deref(), Some("story"));
    }

    #[test]
    fn what_is_never_the_article_is_neither_counted_nor_kept() {
        let html = format!(
            "<body><div><nav>{p}</nav><div class=comments>{p}{p}</div><div style='display: none'>{p}</div>{}</div></body>",
            paragraphs(4),
            p = format!("<p>{PARAGRAPH}</p>")
        );
        let text = block_text(&html).expect("a clear block");
        assert_eq!(text.matches("Le conseil").count(), 4);
    }

    #[test]
    fn blocks_of_links_inside_the_article_go() {
        let links: String = (0..6)
            .map(|i| format!("<li><a href=/{i}>Un autre article sur le budget</a></li>"))
            .collect();
        let html = format!(
            "<body><div>{}<ul>{links}</ul>{}</div></body>",
            paragraphs(3),
            paragraphs(2)
        );
        let text = block_text(&html).expect("a clear block");
        assert!(!text.contains("Un autre article"), "{text}");
        assert_eq!(text.matches("Le conseil").count(), 5);
    }

    #[test]
    fn a_large_block_beside_smaller_ones_is_left_to_readability() {
        let teasers: String = (0..3).map(|_| format!("<div>{PARAGRAPH}</div>")).collect();
        let html = format!("<body><div><div>{}</div>{teasers}</div></body>", paragraphs(5));
        assert_eq!(block_text(&html), None);
    }

    #[test]
    fn a_short_page_is_left_to_readability() {
        assert_eq!(block_text(&format!("<body><div>{}</div></body>", paragraphs(1))), None);
    }
}
