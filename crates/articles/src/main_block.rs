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
//! related stories: `data/articles/markup.toml`) is not counted; those
//! elements, and the blocks of links, are removed from the block chosen.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use dom_query::{Document, NodeData, NodeId, NodeRef};
use serde::Deserialize;

use crate::html::starts_any_case;
use crate::spaces::collapsed_len;

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
/// containers hold the text whatever their class says, and a link is
/// judged with the block it is in.
const CLASS_NOT_JUDGED: &[&str] = &["a", "article", "body", "html", "main"];
/// Blocks removed from the article's when they are mostly links.
const LINK_BLOCKS: &[&str] = &["div", "li", "ol", "p", "section", "span", "table", "ul"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Markup {
    #[serde(deserialize_with = "any_case_of")]
    not_article: AhoCorasick,
    #[serde(deserialize_with = "any_case_of")]
    content: AhoCorasick,
}

/// Words looked for in any ASCII case, all in one pass over a name: a page
/// has thousands of classes to read.
fn any_case_of<'de, D: serde::Deserializer<'de>>(words: D) -> Result<AhoCorasick, D::Error> {
    let words: Vec<String> = Vec::deserialize(words)?;
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .map_err(serde::de::Error::custom)
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

/// The article's block of a page, found by where its text lies, with
/// what is to be removed from it.
pub(crate) struct ArticleBlock<'a> {
    node: NodeRef<'a>,
    /// Its elements that are never the article's.
    not_article: Vec<NodeRef<'a>>,
    /// Its blocks over [`MAX_LINK_SHARE`] link text.
    link_blocks: Vec<NodeRef<'a>>,
}

impl<'a> ArticleBlock<'a> {
    /// The block without what is never the article's, then without its
    /// blocks of links, and what `judge` says of it between the two: a
    /// block made mostly of links lists other pages, however few of them
    /// are in lists of their own.
    pub(crate) fn clean<T>(self, judge: impl FnOnce(&NodeRef<'a>) -> T) -> (NodeRef<'a>, T) {
        for node in self.not_article {
            node.remove_from_parent();
        }
        let judged = judge(&self.node);
        for node in self.link_blocks {
            node.remove_from_parent();
        }
        (self.node, judged)
    }
}

/// The article's block of `page`, when where the text lies makes it
/// clear; the page is not changed.
pub(crate) fn find(page: &Document) -> Option<ArticleBlock<'_>> {
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
        let block_chars = plain(&block);
        let Some(largest) = block
            .children_it(false)
            .filter(NodeRef::is_element)
            .max_by(|a, b| plain(a).total_cmp(&plain(b)))
        else {
            break;
        };
        let share = plain(&largest) / block_chars;
        if share >= WRAPPER_SHARE {
            block = largest;
        } else if share > UNCLEAR_SHARE {
            return None;
        } else {
            break;
        }
    }
    let inside = |n: &NodeRef| n.ancestors_it(None).any(|a| a.id == block.id);
    not_article.retain(inside);
    let link_blocks = block
        .descendants_it()
        .filter(|n| n.node_name().is_some_and(|name| LINK_BLOCKS.contains(&name.as_ref())))
        .filter(|n| chars.get(&n.id).is_some_and(|c| c.link_share() > MAX_LINK_SHARE))
        .collect();
    Some(ArticleBlock {
        node: block,
        not_article,
        link_blocks,
    })
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
        NodeData::Text { contents } => Some(collapsed_len(contents)),
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
    let names = [node.attr("class"), node.attr("id")];
    let named = |words: &AhoCorasick| names.iter().flatten().any(|name| words.is_match(name.as_ref()));
    let markup = markup();
    named(&markup.not_article) && !named(&markup.content)
}

/// Hidden by the page itself: `hidden`, `aria-hidden="true"`, or a style
/// that shows nothing.
fn is_hidden(node: &NodeRef) -> bool {
    node.has_attr("hidden")
        || node.attr("aria-hidden").is_some_and(|v| v.as_ref() == "true")
        || node.attr("style").is_some_and(|style| shows_nothing(&style))
}

/// Whether a `style` attribute declares `display: none` or `visibility:
/// hidden`, read declaration by declaration without a copy: every styled
/// element of the page comes here.
fn shows_nothing(style: &str) -> bool {
    style
        .split(';')
        .filter_map(|declaration| declaration.split_once(':'))
        .any(|(property, value)| {
            let (property, value) = (property.trim(), value.trim().as_bytes());
            property.eq_ignore_ascii_case("display") && starts_any_case(value, b"none")
                || property.eq_ignore_ascii_case("visibility") && starts_any_case(value, b"hidden")
        })
}

#[cfg(test)]
mod tests {
    use super::{find, shows_nothing};
    use crate::spaces::collapsed;
    use dom_query::Document;

    const PARAGRAPH: &str = "Le conseil a voté le budget, qui entre en vigueur le mois prochain, \
        après un long débat sur les dépenses de la ville et les impôts des habitants.";

    fn paragraphs(n: usize) -> String {
        (0..n).map(|_| format!("<p>{PARAGRAPH}</p>")).collect()
    }

    /// The cleaned block's text, white space collapsed.
    fn block_text(html: &str) -> Option<String> {
        let page = Document::from(html);
        let block = find(&page)?;
        let (node, ()) = block.clean(|_| ());
        Some(collapsed(&node.text()).into_owned())
    }

    #[test]
    fn the_block_is_where_the_paragraphs_are_under_the_wrappers() {
        let html = format!(
            "<body><div id=page><div class=wrap><div class=story>{}</div></div><p>©</p></div></body>",
            paragraphs(5)
        );
        let page = Document::from(html.as_str());
        let block = find(&page).expect("a clear block");
        let (node, ()) = block.clean(|_| ());
        assert_eq!(node.attr("class").as_deref(), Some("story"));
    }

    #[test]
    fn text_that_is_never_the_article_does_not_count() {
        // Counted, the comments would hold more than half of the text and
        // leave the page to Readability.
        let html = format!(
            "<body><div><div class=comments>{}</div><div>{}</div></div></body>",
            paragraphs(6),
            paragraphs(4)
        );
        assert_eq!(block_text(&html).map(|t| t.matches("Le conseil").count()), Some(4));
    }

    #[test]
    fn what_is_never_the_article_leaves_the_block() {
        let p = format!("<p>{PARAGRAPH}</p>");
        let html = format!(
            "<body><div><nav>{p}</nav><aside>{p}</aside><div style='display: none'>{p}</div>{}</div></body>",
            paragraphs(4)
        );
        assert_eq!(block_text(&html).map(|t| t.matches("Le conseil").count()), Some(4));
    }

    #[test]
    fn a_style_shows_nothing_by_its_declarations_in_any_case_and_spacing() {
        assert!(shows_nothing("color: red; DISPLAY : none !important"));
        assert!(shows_nothing("visibility:hidden"));
        assert!(!shows_nothing("display: block; content: 'display:none'"));
    }

    #[test]
    fn blocks_of_links_leave_the_block_after_it_is_judged() {
        let links: String = (0..6)
            .map(|i| format!("<li><a href=/{i}>Un autre article sur le budget</a></li>"))
            .collect();
        let html = format!(
            "<body><div>{}<ul>{links}</ul>{}</div></body>",
            paragraphs(3),
            paragraphs(2)
        );
        let page = Document::from(html.as_str());
        let (node, judged_text) = find(&page)
            .expect("a clear block")
            .clean(|node| node.text().to_string());
        assert!(judged_text.contains("Un autre article"));
        let text = node.text();
        assert!(!text.contains("Un autre article"), "{text}");
        assert_eq!(text.matches("Le conseil").count(), 5);
    }

    #[test]
    fn a_large_block_beside_smaller_ones_is_left_to_readability_untouched() {
        let teasers: String = (0..3).map(|_| format!("<div>{PARAGRAPH}</div>")).collect();
        let html = format!(
            "<body><div><aside>Pub</aside><div>{}</div>{teasers}</div></body>",
            paragraphs(5)
        );
        let page = Document::from(html.as_str());
        let before = page.html().to_string();
        assert!(find(&page).is_none());
        assert_eq!(page.html().to_string(), before);
    }

    #[test]
    fn a_short_or_empty_page_is_left_to_readability() {
        assert_eq!(block_text(&format!("<body><div>{}</div></body>", paragraphs(1))), None);
        assert_eq!(block_text(""), None);
        assert_eq!(block_text("<frameset><frame src=a.html></frameset>"), None);
    }

    #[test]
    fn text_without_elements_is_the_body() {
        let page = Document::from(PARAGRAPH.repeat(3).as_str());
        let (node, ()) = find(&page).expect("a clear block").clean(|_| ());
        assert!(node.has_name("body"));
    }
}
