//! Cards: the teasers of other pages that a page lists beside or below
//! its article (`You may also like`, more posts, products). They are told
//! by their shape, not by any site's markup: three or more sibling
//! elements of the same tag, of similar length, each holding a
//! link and little else but a teaser (text mostly link text, or cut with
//! an ellipsis). They are removed before the main text is chosen, so that
//! a list of teasers is never taken for the article or kept after it.
//! Menus go in the same pass: lists of short bare links.

use dom_query::{Document, NodeData, NodeRef};

use crate::spaces::collapsed_len;

/// A group of cards has at least this many members.
const MIN_CARDS: usize = 3;
/// A card is a teaser: longer text is an article of its own.
const CARD_MAX_CHARS: usize = 800;
/// Share of a card's text that is link text for the card to be mostly a
/// link (a title, a "read more").
const CARD_MIN_LINK_SHARE: f64 = 0.5;
/// Text besides the links that makes a card more than a link: a teaser
/// line. A list of bare links (sources, products) is the article's own.
const TEASER_MIN_CHARS: usize = 20;
/// Cards of one list are of similar length: within this factor of the
/// group's median.
const CARD_LENGTH_FACTOR: usize = 3;

/// What a card is judged on, counted once for every node of the page
/// (bottom-up, so that a page costs one pass, however deep its nesting).
#[derive(Clone, Copy, Default)]
struct Counts {
    /// Characters of text, each run of white space counted as one.
    chars: usize,
    /// Of which in links (`a[href]`).
    link_chars: usize,
    has_link: bool,
    /// Whether the text ends with an ellipsis (`…`, `...`): `None` for no
    /// text.
    cut: Option<bool>,
}

/// Removes every card group of the page's body.
pub fn remove_cards(page: &Document) {
    let body = page.select("body");
    let Some(root) = body.nodes().first().copied() else {
        return;
    };
    let mut cards = Vec::new();
    count(&root, &mut cards);
    for card in cards {
        card.remove_from_parent();
    }
}

/// The counts of `node`'s text, each node visited once (children before
/// their parent); the cards among the children of each element are added
/// to `cards` on the way. Nesting is bounded before any tree walk (see
/// `html::MAX_DEPTH`), so is this recursion.
fn count<'a>(node: &NodeRef<'a>, cards: &mut Vec<NodeRef<'a>>) -> Counts {
    // A text node is read in place: copying each text of the page was a
    // fifth of this walk.
    let text_counts = node.query_or(None, |n| match &n.data {
        NodeData::Text { contents } => Some(Counts {
            chars: collapsed_len(contents),
            cut: Some(contents.trim_end())
                .filter(|t| !t.is_empty())
                .map(|t| t.ends_with('…') || t.ends_with("...")),
            ..Counts::default()
        }),
        _ => None,
    });
    if let Some(counts) = text_counts {
        return counts;
    }
    let mut total = Counts::default();
    let mut linked: Vec<(NodeRef<'a>, usize, bool)> = Vec::new();
    let mut menu = MenuItems::default();
    for child in node.children_it(false) {
        let c = count(&child, cards);
        menu.add(&child, &c);
        total.chars += c.chars;
        total.link_chars += c.link_chars;
        total.has_link |= c.has_link;
        total.cut = c.cut.or(total.cut);
        if child.is_element() {
            if let Some(teaser) = card_text(&c) {
                linked.push((child, c.chars, teaser));
            }
        }
    }
    if node.has_name("a") && node.has_attr("href") {
        total.has_link = true;
        total.link_chars = total.chars;
    }
    if linked.iter().filter(|(_, _, t)| *t).count() >= MIN_CARDS {
        cards.extend(card_children(linked));
    }
    if is_cut_link_paragraph(node, &total) {
        cards.push(*node);
        return Counts::default();
    }
    if menu.is_menu() && (node.has_name("ul") || node.has_name("ol")) {
        // Gone from the page, a submenu leaves its item a short link.
        cards.push(*node);
        return Counts::default();
    }
    total
}

/// A paragraph that is nothing but a link cut with an ellipsis (`Read
/// another story on this …`) is a teaser for another page, alone as well
/// as in a group.
fn is_cut_link_paragraph(node: &NodeRef<'_>, c: &Counts) -> bool {
    c.chars > 0 && c.link_chars == c.chars && c.cut == Some(true) && node.has_name("p")
}

/// A list of at least [`MIN_MENU_ITEMS`] items, each nothing but a short
/// link (a word or two: `Home`, `Sport`, `Start-ups`), is a menu: links to
/// sections, not the article's own list (whose items say something, or
/// name a source in full).
const MIN_MENU_ITEMS: usize = 3;
const MENU_ITEM_MAX_CHARS: usize = 30;

#[derive(Default)]
struct MenuItems {
    items: usize,
    other: bool,
}

impl MenuItems {
    fn add(&mut self, child: &NodeRef<'_>, c: &Counts) {
        if c.chars == 0 {
            return;
        }
        let short_link = c.link_chars == c.chars && c.chars <= MENU_ITEM_MAX_CHARS;
        if child.is_element() && short_link {
            self.items += 1;
        } else {
            self.other = true;
        }
    }

    fn is_menu(&self) -> bool {
        !self.other && self.items >= MIN_MENU_ITEMS
    }
}

/// Among the short children of one element that hold a link (with their
/// length and whether each is a teaser), the cards: groups of one tag
/// with at least [`MIN_CARDS`] teasers making at least half the group,
/// and the members of similar length (short items shown whole as well).
fn card_children(mut linked: Vec<(NodeRef<'_>, usize, bool)>) -> Vec<NodeRef<'_>> {
    let mut cards = Vec::new();
    while let Some((first, _, _)) = linked.first() {
        let tag = first.node_name();
        let (members, rest): (Vec<_>, Vec<_>) = linked.into_iter().partition(|(m, _, _)| m.node_name() == tag);
        linked = rest;
        let teasers = members.iter().filter(|(_, _, t)| *t).count();
        if teasers < MIN_CARDS || teasers * 2 < members.len() {
            continue;
        }
        let mut lengths: Vec<usize> = members.iter().filter(|(_, _, t)| *t).map(|(_, n, _)| *n).collect();
        lengths.sort_unstable();
        let median = lengths[lengths.len() / 2];
        cards.extend(
            members
                .into_iter()
                .filter(|(_, n, _)| *n * CARD_LENGTH_FACTOR >= median && *n <= median * CARD_LENGTH_FACTOR)
                .map(|(m, _, _)| m),
        );
    }
    cards
}

/// For an element that is short and holds a link, whether it is a teaser:
/// cut with an ellipsis, or mostly link text with a teaser line besides.
fn card_text(c: &Counts) -> Option<bool> {
    if c.chars == 0 || c.chars > CARD_MAX_CHARS || !c.has_link {
        return None;
    }
    let cut = c.cut == Some(true);
    let teaser = c.chars.saturating_sub(c.link_chars) >= TEASER_MIN_CHARS;
    let mostly_link = c.link_chars as f64 >= CARD_MIN_LINK_SHARE * c.chars as f64;
    Some(cut || (mostly_link && teaser))
}

#[cfg(test)]
mod tests {
    use super::remove_cards;
    use crate::spaces::collapsed;
    use dom_query::Document;

    fn text_after(html: &str) -> String {
        let page = Document::from(html);
        remove_cards(&page);
        page.select("h1, p")
            .iter()
            .map(|e| collapsed(&e.text()).into_owned())
            .collect::<Vec<_>>()
            .join(" | ")
    }

    #[test]
    fn teaser_cards_below_an_article_are_removed() {
        let card = |n: usize| {
            format!(
                r#"<article class="post post-{n}"><a href="/p{n}">Other story {n}</a><p>The first lines of story {n}, cut …</p></article>"#
            )
        };
        let html = format!(
            r#"<body><article class="post post-1"><h1>Title</h1><p>{}</p>{}{}{}</article></body>"#,
            "The article's own text. ".repeat(30),
            card(2),
            card(3),
            card(4)
        );
        let text = text_after(&html);
        assert!(text.starts_with("Title | The article's own text."), "{text}");
        assert!(!text.contains("story"), "{text}");
    }

    #[test]
    fn paragraphs_and_short_lists_stay() {
        // Paragraphs have no links; bare links are a list of sources.
        let html = r#"<body><p>One paragraph of text.</p><p>Another paragraph, with <a href="/x">a link</a> in it.</p>
            <p>A third paragraph.</p><p><a href="/a">https://example.org/a</a></p><p><a href="/b">https://example.org/b</a></p>
            <p><a href="/c">https://example.org/c</a></p></body>"#;
        assert_eq!(
            text_after(html),
            "One paragraph of text. | Another paragraph, with a link in it. | A third paragraph. | \
             https://example.org/a | https://example.org/b | https://example.org/c"
        );
    }

    #[test]
    fn a_paragraph_that_is_only_a_cut_link_is_a_teaser() {
        let html = r#"<body><p>The article's own text, with <a href="/x">a link …</a> in it.</p>
            <p><a href="/other">Read here another story on the same subject …</a></p><p>The last paragraph.</p></body>"#;
        assert_eq!(
            text_after(html),
            "The article's own text, with a link … in it. | The last paragraph."
        );
    }

    #[test]
    fn a_list_of_short_bare_links_is_a_menu_and_a_list_that_says_something_stays() {
        let page = Document::from(
            r#"<body><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a>
            <ul><li><a href="/sport/foot">Football</a></li><li><a href="/sport/tennis">Tennis</a></li>
            <li><a href="/sport/golf">Golf</a></li></ul></li><li><a href="/startups">Start-ups</a></li></ul>
            <p>The article's own text.</p>
            <ul><li><a href="/r1">The annual report of the court of auditors</a></li>
            <li><a href="/r2">Budget</a>, voted on Monday</li> <li><a href="/r3">Minutes</a></li></ul></body>"#,
        );
        remove_cards(&page);
        let text = page
            .select("body")
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            text,
            "The article's own text. The annual report of the court of auditors Budget, voted on Monday Minutes"
        );
    }
}
