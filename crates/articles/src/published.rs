//! The publication date a page shows its reader, when its metadata says
//! nothing: the date next to the title or byline, told apart from the dates
//! a page also shows (today's date in the header, comments, related
//! articles, the copyright year); and the date forms metadata values take
//! beyond ISO 8601. Dates written in words are read by the caller's
//! [`DateReader`]: this module knows where pages write dates, not how
//! languages write them.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use dom_query::{Document, NodeId, NodeRef};
use glaneur_calendar::{DateReader, Day, PartialDate};
use regex::Regex;

use crate::html::{is_article_type, starts_any_case};
use crate::months;
use crate::spaces::collapsed;
use crate::words;

/// A date holder is a short element: a byline or a dateline, not a
/// paragraph that happens to mention a date.
const HOLDER_MAX_CHARS: usize = 160;

/// Words in a `class` or `id` that mark an element as holding a date,
/// besides each language's `date_marks` (`data/articles/`).
const HOLDER_MARKS: &[&str] = &["date", "time", "publish", "posted", "byline", "dateline"];

/// Words in a `class` or `id` of the element or an ancestor that put its
/// date elsewhere than on the article: comments, teasers of other pages,
/// the sidebar, the modified date.
const OTHER_MARKS: &[&str] = &[
    "comment",
    "related",
    "sidebar",
    "recommend",
    "modif",
    "update",
    TEASER_MARK,
];

/// Marks a teaser of another page, or the article's own lede (its
/// `teaser-text` under the title, where pages print `Press release of 25
/// January 2022`): the latter when it sits beside the title, alone of its
/// class there, as a list of teasers repeats its class.
const TEASER_MARK: &str = "teaser";

/// Elements walked between a date holder and the title below it for the
/// holder to be the title's own dateline: a date printed just above the
/// headline, in the same block.
const ABOVE_TITLE_MAX_ELEMENTS: usize = 8;

/// Characters of text after the title within which a short text that is
/// only a date is the dateline, when no element is marked as one.
const BELOW_TITLE_TEXT_CHARS: usize = 1500;

/// Texts the search over the page reads at most: a page's datelines
/// are among its first short texts with a year, and a data table of
/// thousands of them must not hold up a batch.
const TEXT_SEARCH_MAX_READS: usize = 400;

/// A label before a date is a few words.
const LABEL_MAX_CHARS: usize = 30;

/// Characters at the start of a short line within which a date opens it.
const OPENING_CHARS: usize = 48;

/// No news page on the web is older: an earlier date in a page's text is
/// the date of what it tells, not of its publication.
const EARLIEST_YEAR: i32 = 1995;

/// Characters of text, white space aside, that make an `<article>` a
/// story of its own rather than the head of the page's body.
const STORY_MIN_CHARS: usize = 500;

/// A heading this short is not taken for the title from its words alone.
const TITLE_MIN_CHARS: usize = 10;

/// A text this short that holds a full date is a dateline, not prose.
const BARE_DATE_MAX_CHARS: usize = 60;

/// A heading this short under the title that holds a full date is the
/// dateline set as a heading (`<h4>12.03.2020</h4>`), not a title.
const HEADING_DATELINE_MAX_CHARS: usize = 30;

/// Words a paragraph's opening dateline has at most: a place of a few
/// words, a weekday and a date (`Frankfurt am Main, Donnerstag, 12. März
/// 2020`), the words of a date alone (`12. März 2020`).
const DATELINE_MAX_WORDS: usize = 7;
const DATE_MAX_WORDS: usize = 3;

/// The date shown near the article's title (of [`title_heading`]): the
/// first date holder after it (an element marked as a date, a short text
/// that is a date, or a paragraph's dateline, not far below the title),
/// else the last holder before it.
/// A holder before the title that names a weekday, and is not right above
/// it, is the day of the visit printed in the site's header, not a
/// publication date: it is refused. On a page with no title heading, the
/// first holder that names no weekday wins: the article's date comes
/// before those of its comments and of the pages it links to.
pub fn visible_date(
    page: &Document,
    title: Option<NodeId>,
    locale: &Locale,
    dates: &dyn DateReader,
) -> Option<PartialDate> {
    let body = page.select("body");
    let root = body.nodes().first()?;
    let article = ArticleArea::around(page, title);
    let mut above_title: Option<(PartialDate, bool, usize)> = None;
    let mut first_without_weekday: Option<PartialDate> = None;
    let mut title_at: Option<usize> = None;
    let mut text_below_title = 0;
    let mut elements = 0;
    for node in root.descendants_it() {
        if node.is_text() {
            if title_at.is_none() || text_below_title > BELOW_TITLE_TEXT_CHARS {
                continue;
            }
            let text = node.text();
            let text = text.trim();
            text_below_title += text.chars().count();
            let chars = text.chars().count();
            let refused = |p: NodeRef| {
                is_link(&p)
                    || (is_heading(&p) && chars > HEADING_DATELINE_MAX_CHARS)
                    || is_elsewhere(&p, &article)
                    || after_modified_label(&p)
            };
            if node.parent().is_some_and(refused) {
                continue;
            }
            if chars > HOLDER_MAX_CHARS {
                // Unless the paragraph opens with a change (`Updated: …`).
                if let Some(date) = publication_part(opening(text)).and_then(|t| lede_dateline(t, locale, dates)) {
                    return Some(date);
                }
                continue;
            }
            let Some(text) = publication_part(text) else {
                continue;
            };
            if !is_copyright(text) {
                // A bare date, or a short line that opens with one
                // (`22/11/2020 - 04:30 - Source: …`).
                let read = if chars <= BARE_DATE_MAX_CHARS {
                    text
                } else {
                    opening(text)
                };
                if let Some(date) = written_date(read, locale, dates).filter(|d| d.has_day()) {
                    return Some(date);
                }
            }
            continue;
        }
        if !node.is_element() {
            continue;
        }
        elements += 1;
        let name = node.node_name().unwrap_or_default();
        if Some(node.id) == title && title_at.is_none() {
            title_at = Some(elements);
            continue;
        }
        if !is_holder(&node, &name) || is_elsewhere(&node, &article) {
            continue;
        }
        let Some((date, weekday)) = holder_date(&node, locale, dates) else {
            continue;
        };
        if title_at.is_some() {
            return Some(date);
        }
        if !weekday {
            first_without_weekday = first_without_weekday.or(Some(date));
        }
        above_title = Some((date, weekday, elements));
    }
    if title.is_none() {
        return first_without_weekday;
    }
    let (date, weekday, at) = above_title?;
    let right_above = title_at.is_some_and(|t| t - at <= ABOVE_TITLE_MAX_ELEMENTS);
    (!weekday || right_above).then_some(date)
}

/// The first characters of a text, where a line that opens with a date
/// holds it.
fn opening(text: &str) -> &str {
    let end = text.char_indices().nth(OPENING_CHARS).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// The date of the dateline a paragraph opens with: a date, after at most
/// a place and a comma, set off from the text by a dash, a bracket, a
/// colon or a full stop (`Berlin, 12.03.2020 – …`, `PARIS, 12 mars 2020
/// (AFP) - …`, `12.03.2020: …`). The words before the mark are few, and
/// more than a date alone only with a comma: `Am 12. März 2020 hat die
/// Stadt – …` is a sentence about that day.
fn lede_dateline(text: &str, locale: &Locale, dates: &dyn DateReader) -> Option<PartialDate> {
    let opening = opening(text).trim_start_matches(['(', '[']);
    opening
        .match_indices(['–', '—', '-', '(', ')', ']', ':', '.', '|'])
        .map(|(at, mark)| &opening[..at + mark.len()])
        .take_while(|line| {
            let words = line.split_whitespace().count();
            words <= DATELINE_MAX_WORDS && (words <= DATE_MAX_WORDS || line.contains(','))
        })
        .find_map(|line| written_date(line, locale, dates).filter(|d| d.has_day()))
}

/// The date the page's own text shows most often (of [`shown_dates`]), for
/// a page whose metadata and title area say nothing. On a tie the first
/// shown wins: the article's dateline comes before its comments.
pub fn text_date(shown: &[(PartialDate, usize)]) -> Option<PartialDate> {
    // `max_by_key` keeps the last of equals: search the reversed list.
    shown.iter().rev().max_by_key(|(_, count)| *count).map(|(d, _)| *d)
}

/// The full dates the page's own text shows, each with how many times, in
/// the order first shown: every short text of the body (not a heading,
/// not in comments, related articles, the footer or the navigation)
/// holding a date between 1995 and `today`. A text naming the copyright
/// is refused, and so is one naming a weekday before the title (the day
/// of the visit in the site's header).
pub fn shown_dates(
    page: &Document,
    title: Option<NodeId>,
    locale: &Locale,
    dates: &dyn DateReader,
    today: Day,
) -> Vec<(PartialDate, usize)> {
    let body = page.select("body");
    let Some(root) = body.nodes().first() else {
        return Vec::new();
    };
    let article = ArticleArea::around(page, title);
    let earliest = Day {
        year: EARLIEST_YEAR,
        month: 1,
        day: 1,
    };
    let mut seen: Vec<(PartialDate, usize)> = Vec::new();
    let mut past_title = title.is_none();
    let mut read = 0;
    for node in root.descendants_it() {
        if Some(node.id) == title {
            past_title = true;
        }
        if !node.is_text() {
            continue;
        }
        let text = node.text();
        let text = text.trim();
        if text.chars().count() > HOLDER_MAX_CHARS || !holds_year(text) {
            continue;
        }
        let Some(parent) = node.parent() else {
            continue;
        };
        if is_unread(&parent)
            || is_heading(&parent)
            || is_elsewhere(&parent, &article)
            || is_copyright(text)
            || after_modified_label(&parent)
        {
            continue;
        }
        let Some(text) = publication_part(text) else {
            continue;
        };
        if read == TEXT_SEARCH_MAX_READS {
            break;
        }
        read += 1;
        let Some(date) = written_date(text, locale, dates).filter(|d| d.has_day()) else {
            continue;
        };
        if date.first_day() < earliest || date.first_day() > today {
            continue;
        }
        if !past_title && names_weekday(text, locale, dates) {
            continue;
        }
        match seen.iter_mut().find(|(d, _)| *d == date) {
            Some((_, count)) => *count += 1,
            None => seen.push((date, 1)),
        }
    }
    seen
}

/// Four digits in a row that may be a year: a cheap test before reading.
fn holds_year(text: &str) -> bool {
    text.as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit) && matches!(&w[..2], b"19" | b"20"))
}

fn is_copyright(text: &str) -> bool {
    text.contains('©') || text.to_lowercase().contains("copyright")
}

/// Text no reader sees as the page's: scripts (the JSON-LD kept for the
/// metadata), templates.
fn is_unread(node: &NodeRef) -> bool {
    std::iter::once(*node).chain(node.ancestors_it(None)).any(|n| {
        matches!(
            n.node_name().as_deref(),
            Some("script" | "style" | "noscript" | "template" | "nav" | "select")
        )
    })
}

fn is_heading(node: &NodeRef) -> bool {
    std::iter::once(*node).chain(node.ancestors_it(None)).any(|n| {
        matches!(
            n.node_name().as_deref(),
            Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "title")
        )
    })
}

/// The heading that repeats one of the page's titles (`og:title`, then
/// `<title>`, which often adds the site's name), else the element whose
/// whole text is the headline of one (pages without headings set the
/// title in a styled `<div>`), else the first `<h1>`.
pub fn title_heading(page: &Document, titles: &[&String]) -> Option<NodeId> {
    let titles = compared_titles(titles);
    repeating_heading(page, &titles)
        .or_else(|| title_element(page, &titles))
        .or_else(|| page.select_single("h1").nodes().first().map(|n| n.id))
}

/// The page's titles as headings are compared with them: lower case, on
/// one line.
fn compared_titles(titles: &[&String]) -> Vec<String> {
    titles
        .iter()
        .map(|t| collapsed(t).to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The heading (`h1`–`h3`) that repeats most of one of `titles` (of
/// [`compared_titles`]): one that holds the whole title, else the longest
/// part of it. `<title>` adds the site's name, which the masthead's
/// heading repeats, and the headline is the longer part. Between equals,
/// one that is not a link wins, as a linked one is the page's teaser in
/// a list of news (a ticker, the most read) above the article; a blog's
/// title linked to its own address wins when alone. Then the first.
fn repeating_heading(page: &Document, titles: &[String]) -> Option<NodeId> {
    let headings = page.select("h1, h2, h3");
    let texts: Vec<(NodeId, String, bool)> = headings
        .nodes()
        .iter()
        .map(|n| (n.id, collapsed(&n.text()).to_lowercase(), is_link_text(n)))
        .collect();
    titles.iter().find_map(|title| {
        let share = |text: &str| {
            let chars = text.chars().count();
            if chars < TITLE_MIN_CHARS {
                None
            } else if text.contains(title.as_str()) {
                Some(title.chars().count())
            } else {
                title.contains(text).then_some(chars)
            }
        };
        // `max_by_key` keeps the last of equals: search the reversed list.
        texts
            .iter()
            .rev()
            .filter_map(|(id, text, link)| Some((share(text)?, !link, *id)))
            .max_by_key(|(share, unlinked, _)| (*share, *unlinked))
            .map(|(_, _, id)| id)
    })
}

/// Whether an element is a link or all its text sits in links: one walk
/// of it that does not enter its links, as headings may nest (a heading's
/// text, and so its cost, holds those of the headings in it).
fn is_link_text(node: &NodeRef) -> bool {
    if is_link(node) {
        return true;
    }
    let mut linked = false;
    let mut stack = vec![*node];
    while let Some(n) = stack.pop() {
        for child in n.children_it(false) {
            if child.is_text() {
                if !child.text().trim().is_empty() {
                    return false;
                }
            } else if child.node_name().as_deref() == Some("a") {
                linked |= !child.text().trim().is_empty();
            } else {
                stack.push(child);
            }
        }
    }
    linked
}

/// The article (of [`is_article`]: an `<article>`, or what microdata types
/// as one) that holds the heading repeating one of `titles`, on a page of
/// stories one after another (an endless scroll, a blog's front page):
/// that heading is the first of its rank in the article, which holds no
/// other article; another article beside it has a heading of that rank
/// too; and the story has [`STORY_MIN_CHARS`] of text, as an article that
/// only heads the page's body (title, byline) is no story of its own.
/// Returns the story's node and its text.
pub(crate) fn title_article(page: &Document, titles: &[&String]) -> Option<(NodeId, String)> {
    let heading = page.tree.get(&repeating_heading(page, &compared_titles(titles))?)?;
    let rank = heading.node_name()?;
    let story = heading.ancestors_it(None).find(is_article)?;
    let first_heading = |article: &NodeRef| {
        article
            .descendants_it()
            .find(|n| n.node_name().as_deref() == Some(&*rank))
            .map(|n| n.id)
    };
    if first_heading(&story) != Some(heading.id) || story.descendants_it().any(|n| is_article(&n)) {
        return None;
    }
    let around = |n: &NodeRef| story.ancestors_it(None).any(|a| a.id == n.id);
    let other_story = page
        .select("article, [itemtype]")
        .nodes()
        .iter()
        .any(|a| a.id != story.id && is_article(a) && !around(a) && first_heading(a).is_some());
    if !other_story {
        return None;
    }
    let text = story.text().to_string();
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    (chars >= STORY_MIN_CHARS).then_some((story.id, text))
}

/// Where the title heading links to: the article's own address, on pages
/// that link their title to its permalink (`<h1><a href="/2020/03/10/…">`).
pub(crate) fn title_link(page: &Document, title: Option<NodeId>) -> Option<String> {
    let title = page.tree.get(&title?)?;
    let link = std::iter::once(title)
        .chain(title.descendants_it())
        .chain(title.ancestors_it(None))
        .find(|n| n.node_name().as_deref() == Some("a"))?;
    link.attr("href").map(|href| href.to_string())
}

/// The element of the body whose whole text is the headline of one of
/// `titles` (of [`compared_titles`]): the title, or its longest part
/// between separators, as the site's name is the shorter part
/// (`Site - Headline`). Text in a link is another page's title, or the
/// site's logo.
fn title_element(page: &Document, titles: &[String]) -> Option<NodeId> {
    let headlines: Vec<String> = titles.iter().map(|t| headline_part(t)).collect();
    let body = page.select("body");
    let root = body.nodes().first()?;
    let found = root.descendants_it().filter(NodeRef::is_text).find_map(|node| {
        let text = node.text();
        if text.trim().chars().count() < TITLE_MIN_CHARS {
            return None;
        }
        let text = collapsed(&text).to_lowercase();
        let parent = node.parent()?;
        (headlines.contains(&text) && !is_heading_or_link(&parent) && !is_unread(&parent)).then_some(parent.id)
    });
    found
}

/// The longest part of a title between separators: words of punctuation
/// alone (` - `, ` | `, ` :: `).
fn headline_part(title: &str) -> String {
    let is_separator = |word: &str| {
        word.chars()
            .all(|c| c.is_ascii_punctuation() || matches!(c, '–' | '—' | '·' | '«' | '»'))
    };
    title
        .split(' ')
        .collect::<Vec<_>>()
        .split(|word| is_separator(word))
        .map(|part| part.join(" "))
        .max_by_key(|part| part.chars().count())
        .unwrap_or_default()
}

/// Text in a heading is a title (its dates are the story's, not its
/// publication's); text in a link belongs to the page it points to.
fn is_heading_or_link(node: &NodeRef) -> bool {
    is_heading(node) || is_link(node)
}

fn is_link(node: &NodeRef) -> bool {
    std::iter::once(*node)
        .chain(node.ancestors_it(None))
        .any(|n| n.node_name().as_deref() == Some("a"))
}

fn marks(node: &NodeRef) -> String {
    let mut marks = String::new();
    for attr in ["class", "id", "itemprop"] {
        if let Some(v) = node.attr(attr) {
            marks.push_str(&v.to_ascii_lowercase());
            marks.push(' ');
        }
    }
    marks
}

/// Whether an element holds a date: a `<time>`, or marked so
/// ([`HOLDER_MARKS`], or a pack's `date_marks`, read for pages in any
/// language). Every element of a page is asked: the marks are looked for
/// in one pass.
fn is_holder(node: &NodeRef, name: &str) -> bool {
    static HOLDER: OnceLock<AhoCorasick> = OnceLock::new();
    let holder = HOLDER.get_or_init(|| {
        let marks = HOLDER_MARKS
            .iter()
            .copied()
            .chain(words::all().iter().flat_map(|w| &w.date_marks).map(String::as_str));
        AhoCorasick::new(marks).expect("date marks make an automaton")
    });
    name == "time" || holder.is_match(&marks(node))
}

/// Where the article is on the page: the elements that hold its title
/// heading (`title`, else the first `<h1>`), up to the root. Whatever
/// their classes say (`layout-right-sidebar`), they hold the article, as
/// no sidebar, comment or list of other pages holds its title.
pub(crate) struct ArticleArea {
    holders: Vec<NodeId>,
    /// Whether an `<article>` element holds the title: the page then marks
    /// its articles, and any other `<article>` is a teaser of another page.
    in_article: bool,
    /// What [`is_elsewhere`] found of each element asked about and those
    /// around it: a page's dates are looked for in thousands of elements
    /// under the same few ancestors, each walked up to the body again.
    around: RefCell<HashMap<NodeId, Around>>,
}

/// What [`is_elsewhere`] knows of an element.
#[derive(Clone, Copy, Default)]
struct Around {
    /// It, or an element around it up to the body, holds dates of other
    /// things than the article.
    elsewhere: bool,
    /// It, or an element around it up to the body, is an article.
    in_an_article: bool,
}

impl ArticleArea {
    pub(crate) fn around(page: &Document, title: Option<NodeId>) -> Self {
        let holders: Vec<NodeRef> = title
            .and_then(|id| page.tree.get(&id))
            .map(|t| t.ancestors_it(None).collect())
            .unwrap_or_default();
        Self {
            in_article: holders.iter().any(is_article),
            holders: holders.iter().map(|h| h.id).collect(),
            around: RefCell::default(),
        }
    }
}

/// Whether the element, or one around it up to the body, holds dates of
/// other things than the article: marked so ([`OTHER_MARKS`], unless also
/// marked as the publication: `published`), another `<article>` than the
/// title's, the page's `<aside>` or footer, or a picture's caption (the
/// day the picture was taken). An aside or a footer inside an `<article>`
/// is the article's own, where pages print its byline and date. The
/// classes of `<body>` and `<html>` describe the page's layout
/// (`has-sidebar`), not where an element is, and so do those of the
/// elements holding the title. The class `updated` alone is the hAtom
/// microformat's, which blog themes put on the one date they show.
pub(crate) fn is_elsewhere(node: &NodeRef, article: &ArticleArea) -> bool {
    // The elements up to the body, or to the first one already judged.
    let mut unjudged = Vec::new();
    let mut above = Around::default();
    for n in std::iter::once(*node)
        .chain(node.ancestors_it(None))
        .filter(NodeRef::is_element)
        .take_while(|n| !matches!(n.node_name().as_deref(), Some("body" | "html")))
    {
        if let Some(known) = article.around.borrow().get(&n.id) {
            above = *known;
            break;
        }
        unjudged.push(n);
    }
    // Judged from the top down, each under what is above it.
    let mut around = article.around.borrow_mut();
    for n in unjudged.iter().rev() {
        let an_article = is_article(n);
        let here = !article.holders.contains(&n.id) && {
            let name = n.node_name().unwrap_or_default();
            let marks = marks(n);
            let footer = &*name == "footer" || marks.contains("footer");
            let marked_other = marks_other(&marks, || is_lone_beside_title(n, article));
            ((footer || &*name == "aside") && !above.in_an_article)
                || &*name == "figcaption"
                || marked_other
                || (an_article && article.in_article)
        };
        above = Around {
            elsewhere: above.elsewhere || here,
            in_an_article: above.in_an_article || an_article,
        };
        around.insert(n.id, above);
    }
    above.elsewhere
}

/// Whether an element's marks (of [`marks`]) name other things than the
/// article ([`OTHER_MARKS`]), unless they name the publication too;
/// `own_lede` tells whether a `teaser` is the article's own lede.
fn marks_other(marks: &str, own_lede: impl Fn() -> bool) -> bool {
    !marks.contains("publish")
        && marks
            .split_whitespace()
            .filter(|token| *token != "updated")
            .any(|token| {
                OTHER_MARKS
                    .iter()
                    .any(|m| token.contains(m) && !(*m == TEASER_MARK && own_lede()))
            })
}

/// Whether an opening tag (`<script class="related-articles">`) marks
/// what the element holds as about other things than the article, read
/// as [`is_elsewhere`] reads an element's marks: the data of the pages a
/// script lists holds their dates. A script is no lede.
pub(crate) fn tag_marks_elsewhere(tag: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    let marks: String = ["class", "id", "itemprop"]
        .iter()
        .filter_map(|name| tag_attribute(&tag, name))
        .collect::<Vec<_>>()
        .join(" ");
    marks_other(&marks, || false)
}

/// The value of attribute `name` (lower case) in an opening tag
/// (`<script class="x">`), quoted or not; HTML writes names in any case
/// (`<LINK REL=canonical>`).
pub(crate) fn tag_attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    // A match of the ASCII name starts and ends on character boundaries.
    let at = (1..tag.len()).find_map(|i| {
        if !starts_any_case(&tag.as_bytes()[i..], name.as_bytes()) {
            return None;
        }
        let before = tag[..i].chars().next_back()?;
        let rest = tag[i + name.len()..].trim_start().strip_prefix('=')?;
        before.is_whitespace().then_some(rest.trim_start())
    })?;
    match at.chars().next()? {
        quote @ ('"' | '\'') => at[1..].split(quote).next(),
        _ => at.split(|c: char| c.is_whitespace() || c == '>').next(),
    }
}

/// Whether the element holds an article: an `<article>`, or an element
/// that microdata types as one (`itemtype="https://schema.org/Article"`),
/// as CMSs mark their article's block.
fn is_article(node: &NodeRef) -> bool {
    node.node_name().as_deref() == Some("article")
        || node
            .attr("itemtype")
            .is_some_and(|t| t.trim_end_matches('/').rsplit('/').next().is_some_and(is_article_type))
}

/// Whether the element is a sibling of the title heading that no other
/// sibling shares its `class` with.
fn is_lone_beside_title(node: &NodeRef, article: &ArticleArea) -> bool {
    let Some(parent) = node.parent().filter(|p| article.holders.first() == Some(&p.id)) else {
        return false;
    };
    let class = node.attr("class");
    parent
        .element_children()
        .iter()
        .filter(|sibling| sibling.attr("class") == class)
        .count()
        == 1
}

/// Whether the element comes right after a label of a change
/// (`<span>Updated:</span> <time>…`).
fn after_modified_label(node: &NodeRef) -> bool {
    let mut before = node.prev_sibling();
    while let Some(b) = before {
        let text = b.text();
        if !text.trim().is_empty() {
            return text.chars().count() <= LABEL_MAX_CHARS && is_modified_label(&text);
        }
        before = b.prev_sibling();
    }
    false
}

/// Whether a text opens with the label of a change (`Updated`, `Mis à
/// jour le`), in any language: the date after it is not the publication's.
fn is_modified_label(text: &str) -> bool {
    let opening = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    words::all()
        .iter()
        .flat_map(|w| &w.modified_labels)
        .any(|label| label_end(opening, label).is_some())
}

/// The part of a short text that may date the publication: all of it,
/// unless it opens with the label of a change. Then only what follows a
/// label of publication (`Updated 13 March 2021 · Published 12 March
/// 2021`), or nothing when it names no publication.
fn publication_part(text: &str) -> Option<&str> {
    if !is_modified_label(text) {
        return Some(text);
    }
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        if !previous.is_some_and(char::is_alphanumeric) && c.is_alphanumeric() {
            let mut published = words::all().iter().flat_map(|w| &w.published_labels);
            if let Some(end) = published.find_map(|label| label_end(&text[at..], label)) {
                return Some(&text[at + end..]);
            }
        }
        previous = Some(c);
    }
    None
}

/// Where `label` (lower case) ends when `text` opens with it, in any case,
/// as a whole word.
fn label_end(text: &str, label: &str) -> Option<usize> {
    let mut rest = text.char_indices();
    for expected in label.chars() {
        let (_, c) = rest.next()?;
        if !c.to_lowercase().eq(std::iter::once(expected)) {
            return None;
        }
    }
    match rest.next() {
        Some((end, c)) => (!c.is_alphanumeric()).then_some(end),
        None => Some(text.len()),
    }
}

/// The full date (with its day) an element shows, and whether it names a
/// weekday; a `datetime` attribute is read first, then an ISO 8601 date
/// in its `title` or `content`, where pages that show a relative time
/// (`3 hours ago`) keep the date it stands for.
fn holder_date(node: &NodeRef, locale: &Locale, dates: &dyn DateReader) -> Option<(PartialDate, bool)> {
    if let Some(d) = node.attr("datetime").and_then(|d| PartialDate::parse_iso_prefix(&d)) {
        return d.has_day().then_some((d, false));
    }
    let attribute_date = ["title", "content"].iter().find_map(|a| {
        node.attr(a)
            .and_then(|v| PartialDate::parse_iso_prefix(&v))
            .filter(|d| d.has_day())
    });
    if let Some(d) = attribute_date {
        return Some((d, false));
    }
    let text = node.text();
    let text = text.trim();
    if text.is_empty() || text.chars().count() > HOLDER_MAX_CHARS || is_copyright(text) || after_modified_label(node) {
        return None;
    }
    let read = |text: &str| {
        let text = publication_part(text)?;
        let date = written_date(text, locale, dates).filter(|d| d.has_day())?;
        Some((date, names_weekday(text, locale, dates)))
    };
    // A calendar badge sets day, month and year in elements of their own
    // with no space between (`<span>10.</span><span>März</span>`).
    // A `<time>` that shows a relative time (`1 minute ago`) gives its
    // date in words in its tooltip (`title="Mar 18, 2020 at 12:22 PM"`);
    // the tooltips of other elements marked as dates tell other days (a
    // profile's `joinDate`).
    let tooltip = || {
        node.attr("title")
            .filter(|_| node.node_name().as_deref() == Some("time"))
    };
    read(text)
        .or_else(|| read(&spaced_text(node)))
        .or_else(|| read(&tooltip()?))
}

/// The texts under `node` joined with spaces.
fn spaced_text(node: &NodeRef) -> String {
    let texts: Vec<String> = node
        .descendants_it()
        .filter(NodeRef::is_text)
        .map(|t| t.text().trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    texts.join(" ")
}

/// Whether `text` names a day of the week, in the page's language or a
/// language without a pack.
fn names_weekday(text: &str, locale: &Locale, dates: &dyn DateReader) -> bool {
    dates.names_weekday(text, locale.lang()) || months::names_weekday(text)
}

/// What a page declares of where it is written, as far as dates go: its
/// language, and whether it writes numeric dates day first (`05/03/2020`
/// is 5 March on a page of France, Britain or India, 3 May in the United
/// States).
#[derive(Debug, Default, Clone)]
pub struct Locale {
    lang: Option<String>,
    day_first: bool,
    /// The earliest and latest offset from UTC of the clocks of the
    /// region, else of the language's readers, in minutes, when listed.
    utc_offsets: Option<[i64; 2]>,
}

impl Locale {
    /// The locale of a page from its declared tags, most trusted first
    /// (`<html lang>`, `og:locale`, `Content-Language`): the language of
    /// the first; the region of the first that names one, else the
    /// country of its own address's domain (`.co.uk`, `.ie`). A page
    /// writes numeric dates day first, as all but a few countries do,
    /// unless its language writes them month first and its region does
    /// not say otherwise; a page that declares no language keeps the
    /// default pack's order.
    pub fn declared(tags: &[Option<&str>], address: Option<&str>) -> Self {
        let tags: Vec<&str> = tags
            .iter()
            .flatten()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        let lang = tags.first().map(|t| primary_language(t));
        let region = tags
            .iter()
            .find_map(|t| region_of(t))
            .or_else(|| address.and_then(country_of_address));
        let signs = date_signs();
        let day_first_language = lang
            .as_deref()
            .is_some_and(|l| !signs.month_first_languages.iter().any(|m| m == l));
        let day_first = day_first_language || region.as_ref().is_some_and(|r| signs.day_first_regions.contains(r));
        let utc_offsets = match region {
            Some(region) => signs.utc_offsets.get(&region),
            None => lang.as_ref().and_then(|l| signs.language_utc_offsets.get(l)),
        }
        .map(|hours| hours.map(|h| (h * 60.0).round() as i64));
        Self {
            lang,
            day_first,
            utc_offsets,
        }
    }

    /// The day the page's region saw at a timestamp stated in UTC
    /// (`2020-05-02T02:54:29Z` is 1 May in the United States): `day`, the
    /// UTC day, moved when every offset of the region's clocks moves it
    /// alike; unmoved when the region is unknown or its clocks disagree,
    /// and at midnight.
    pub fn local_day(&self, day: PartialDate, utc: &str) -> PartialDate {
        static TIME: OnceLock<Regex> = OnceLock::new();
        let time =
            TIME.get_or_init(|| Regex::new(r"(?:^|[^0-9])([0-2]?[0-9]):([0-5][0-9])").expect("time of day pattern"));
        let (Some([earliest, latest]), Some(c)) = (self.utc_offsets, time.captures(utc)) else {
            return day;
        };
        let (Ok(hours), Ok(minutes)) = (c[1].parse::<i64>(), c[2].parse::<i64>()) else {
            return day;
        };
        let minute_of_day = hours * 60 + minutes;
        let shift = |offset: i64| (minute_of_day + offset).div_euclid(24 * 60);
        // Midnight is how CMSs write a date that has no time: its day is
        // the day meant.
        if !day.has_day() || minute_of_day == 0 || minute_of_day >= 24 * 60 || shift(earliest) != shift(latest) {
            return day;
        }
        day.first_day().plus_days(shift(earliest)).date()
    }

    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// The language code of a declared language tag: `fr` for `fr-FR`.
fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The region of a language tag, lower case: `gb` for `en-GB` or `en_gb`.
fn region_of(tag: &str) -> Option<String> {
    tag.split(['-', '_'])
        .skip(1)
        .find(|part| part.len() == 2 && part.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase)
}

/// The country of an address's domain, lower case: `uk` for
/// `https://www.example.co.uk/story`.
fn country_of_address(address: &str) -> Option<String> {
    let rest = address.split_once("://").map_or(address, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let top = host.trim_end_matches('.').rsplit('.').next()?;
    (top.len() == 2 && top.bytes().all(|b| b.is_ascii_alphabetic())).then(|| top.to_ascii_lowercase())
}

/// A date written in `text`: year first (`2020-03-04 16:52`, `2020/04/17`,
/// `2020年07月03日`) or day first with dots (`05.06.2020`), the same in
/// every language; day first with slashes or dashes (`05/03/2020`) on a
/// page that writes dates day first; else in words, read by `dates` in
/// the page's language first, else with the month names of languages
/// without a pack (`data/articles/months.toml`); else numeric with a
/// year of two digits (`05.03.20`, `05/03/20`).
pub fn written_date(text: &str, locale: &Locale, dates: &dyn DateReader) -> Option<PartialDate> {
    let text = &*western_digits(text);
    let read = year_first(text)
        .or_else(|| dotted_day_first(text))
        .or_else(|| locale.day_first.then(|| slashed_day_first(text)).flatten())
        .or_else(|| dates.first_date(text, locale.lang()));
    if read.is_some_and(PartialDate::has_day) {
        return read;
    }
    months::first_date(text, locale.lang())
        .or_else(|| short_year(text, locale.day_first))
        .or(read)
}

/// A numeric date with a year of two digits, of this century: day first
/// with dots (`05.03.20`), else in the page's order with slashes or dashes
/// (`05/03/20`, `05-03-20`).
fn short_year(text: &str, day_first: bool) -> Option<PartialDate> {
    static SHORT: OnceLock<Regex> = OnceLock::new();
    let re = SHORT.get_or_init(|| {
        Regex::new(
            r"(?:^|[^0-9A-Za-z./-])([0-3]?[0-9])([./-])([0-3]?[0-9])([./-])([0-9]{2})(?:[^0-9./-]|[./-][^0-9]|$)",
        )
        .expect("short-year date pattern")
    });
    re.captures_iter(text).filter(|c| c[2] == c[4]).find_map(|c| {
        let (a, b): (u8, u8) = (c[1].parse().ok()?, c[3].parse().ok()?);
        let year = 2000 + c[5].parse::<i32>().ok()?;
        let (day, month) = if &c[2] == "." || day_first { (a, b) } else { (b, a) };
        PartialDate::day(year, month, day)
    })
}

/// The one reader of dates in metadata and feeds, which are written for
/// machines in no particular language: ISO 8601 (`2022-10-20T08:00`),
/// its basic form (`20221020T08:00`), else a date written out (`Thu, 20 Oct
/// 2022 08:00:00 GMT`, `2022/10/20`, `20. Oktober 2022`).
/// A reading with a day wins over one without (`2022/10/20` opens with
/// the ISO year `2022`).
pub fn metadata_date(value: &str, dates: &dyn DateReader) -> Option<PartialDate> {
    let iso = PartialDate::parse_iso_prefix(value);
    if iso.is_some_and(PartialDate::has_day) {
        return iso;
    }
    compact_iso(value)
        .or_else(|| written_date(value, &Locale::default(), dates))
        .filter(|d| d.has_day() || iso.is_none())
        .or(iso)
}

/// Whether a metadata timestamp is written in UTC (`…T02:54:29Z`,
/// `+00:00`, `GMT`): its day may then be the day after (or before) the one
/// the publisher's readers saw.
pub fn is_utc_timestamp(value: &str) -> bool {
    let v = value.trim();
    v.contains(':')
        && ["Z", "z", "+00:00", "+0000", "GMT", "UTC"]
            .iter()
            .any(|z| v.ends_with(z))
}

/// Day, month and year separated by dots (`05.06.2020`, `5. 6. 2020`):
/// every language that writes dates with dots puts the day first.
fn dotted_day_first(text: &str) -> Option<PartialDate> {
    static DOTTED: OnceLock<Regex> = OnceLock::new();
    let re = DOTTED.get_or_init(|| {
        Regex::new(r"(?:^|[^0-9.])([0-3]?[0-9])\.\s?([01]?[0-9])\.\s?((?:19|20)[0-9]{2})(?:[^0-9.]|\.(?:[^0-9]|$)|$)")
            .expect("dotted date pattern")
    });
    first_day_month_year(re, text)
}

/// The first match of `re` (day, month, year as its three groups) that is
/// a real day.
fn first_day_month_year(re: &Regex, text: &str) -> Option<PartialDate> {
    re.captures_iter(text)
        .find_map(|c| PartialDate::day(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?))
}

/// The zero of each script's digits that pages write dates in besides
/// the Western ones: Arabic-Indic, Persian, Devanagari and Bengali (`١٢`,
/// `۱۲`, `१२`, `১২`); the other nine follow it.
const DIGIT_ZEROS: &[u32] = &[0x660, 0x6f0, 0x966, 0x9e6];

/// The Western digit a digit of another script stands for.
fn western_digit(c: char) -> Option<char> {
    let code = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        .map(|zero| char::from(b'0' + (code - zero) as u8))
}

/// `text` with the digits of other scripts written as the Western ones
/// every date reader reads.
fn western_digits(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| western_digit(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| western_digit(c).unwrap_or(c)).collect())
}

/// The two readings, day first and month first, of a numeric date that
/// opens `text` and whose first two numbers may each be the day or the
/// month (`10/05/2022 05:22 pm`, `01-11-2023 10:29`); none for any other
/// text.
pub fn swappable_readings(text: &str) -> Option<[PartialDate; 2]> {
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    let re = NUMERIC.get_or_init(|| {
        Regex::new(r"^\s*([0-9]{1,2})[/-]([0-9]{1,2})[/-]((?:19|20)[0-9]{2})(?:[^0-9]|$)")
            .expect("numeric date pattern")
    });
    let c = re.captures(text)?;
    let (a, b, year): (u8, u8, i32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    if a == b || a > 12 || b > 12 {
        return None;
    }
    Some([PartialDate::day(year, b, a)?, PartialDate::day(year, a, b)?])
}

/// Day, month and year separated by slashes or dashes (`05/03/2020`), read
/// day first.
fn slashed_day_first(text: &str) -> Option<PartialDate> {
    static SLASHED: OnceLock<Regex> = OnceLock::new();
    let re = SLASHED.get_or_init(|| {
        Regex::new(r"(?:^|[^0-9/-])([0-3]?[0-9])[/-]([01]?[0-9])[/-]((?:19|20)[0-9]{2})(?:[^0-9/-]|$)")
            .expect("slashed date pattern")
    });
    first_day_month_year(re, text)
}

/// `data/articles/dates.toml`: what may close the year and the month of a
/// year-first date, and the regions that write numeric dates day first.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DateSigns {
    year_signs: Vec<String>,
    month_signs: Vec<String>,
    day_first_regions: Vec<String>,
    month_first_languages: Vec<String>,
    /// Region → the earliest and latest offset from UTC of its clocks, in
    /// hours.
    utc_offsets: HashMap<String, [f64; 2]>,
    /// Language → the same, for languages read within one band of zones.
    language_utc_offsets: HashMap<String, [f64; 2]>,
}

fn date_signs() -> &'static DateSigns {
    static SIGNS: OnceLock<DateSigns> = OnceLock::new();
    SIGNS.get_or_init(|| {
        toml::from_str(include_str!("../../../data/articles/dates.toml")).expect("data/articles/dates.toml")
    })
}

/// Year, month and day in that order, with any one separator between them
/// (the CJK year and month signs included): unambiguous in every language.
fn year_first(text: &str) -> Option<PartialDate> {
    static YEAR_FIRST: OnceLock<Regex> = OnceLock::new();
    let re = YEAR_FIRST.get_or_init(|| {
        let signs = date_signs();
        let closing = |extra: &[String]| {
            let mut alternatives = vec![r"[-/.]".to_string()];
            alternatives.extend(extra.iter().map(|s| regex::escape(s)));
            format!("(?:{})", alternatives.join("|"))
        };
        Regex::new(&format!(
            r"(?:^|[^0-9])((?:19|20)[0-9]{{2}})\s*{}\s*([01]?[0-9])\s*{}\s*([0-3]?[0-9])(?:[^0-9]|$)",
            closing(&signs.year_signs),
            closing(&signs.month_signs)
        ))
        .expect("year-first date pattern")
    });
    re.captures_iter(text)
        .find_map(|c| PartialDate::day(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?))
}

/// ISO 8601 in its basic form, without separators: `20200924T15:04:34Z`.
pub fn compact_iso(value: &str) -> Option<PartialDate> {
    let v = value.trim();
    let digits = v.get(..8).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    if v.len() > 8 && !v[8..].starts_with(['T', 't', ' ']) {
        return None;
    }
    PartialDate::day(
        digits[..4].parse().ok()?,
        digits[4..6].parse().ok()?,
        digits[6..].parse().ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dates::TestDates;

    fn shown(body: &str) -> Option<String> {
        let page = Document::from(format!("<html><body>{body}</body></html>"));
        visible_date(
            &page,
            title_heading(&page, &[]),
            &Locale::declared(&[Some("en")], None),
            &TestDates,
        )
        .map(|d| d.to_string())
    }

    #[test]
    fn the_date_next_to_the_title_is_the_publication_date() {
        assert_eq!(
            shown(r#"<h1>Title</h1><p class="byline">By A. Writer, <span class="date">March 11, 2020</span></p><p>Text.</p>"#)
                .as_deref(),
            Some("2020-03-11")
        );
        assert_eq!(
            shown(r#"<div class="post-date">2020-03-04 16:52:59</div><h1>Title</h1><p>Text.</p>"#).as_deref(),
            Some("2020-03-04")
        );
        assert_eq!(
            shown(r#"<h1>Title</h1><span class="entry-time">2020年07月03日</span>"#).as_deref(),
            Some("2020-07-03")
        );
        assert_eq!(
            shown(r#"<h1>Title</h1><span class="date">입력 2020년 7월 3일 14:00</span>"#).as_deref(),
            Some("2020-07-03")
        );
        // Unmarked, but alone under the title.
        assert_eq!(
            shown(r#"<h1>Title</h1><div><b>13 Jan 2020, 22:11 GMT+10</b></div><p>Text.</p>"#).as_deref(),
            Some("2020-01-13")
        );
    }

    #[test]
    fn a_calendar_badge_is_read_across_its_elements() {
        assert_eq!(
            shown(r#"<div class="post-date"><span class="day">1</span><span class="month">May</span><span class="year">2018</span></div><h1>Title</h1><p>Text.</p>"#)
                .as_deref(),
            Some("2018-05-01")
        );
        // Parts of one date set in inline elements stay one text.
        assert_eq!(
            shown(r#"<h1>Title</h1><p class="date"><b>14</b>.03.2020</p><p>Text.</p>"#).as_deref(),
            Some("2020-03-14")
        );
    }

    #[test]
    fn a_relative_time_shown_is_read_from_the_date_it_stands_for() {
        assert_eq!(
            shown(r#"<h1>Title</h1><span class="timeago" title="2020-09-20T14:20:02Z">3 hours ago</span>"#).as_deref(),
            Some("2020-09-20")
        );
        assert_eq!(
            shown(r#"<h1>Title</h1><span class="date" title="Share on the network">3 hours ago</span>"#),
            None
        );
        // A `<time>`'s tooltip in words; other tooltips tell other days.
        assert_eq!(
            shown(r#"<h1>Title</h1><time class="u-dt" title="Mar 18, 2020 at 12:22 PM">1 minute ago</time>"#)
                .as_deref(),
            Some("2020-03-18")
        );
        assert_eq!(
            shown(r#"<h1>Title</h1><span class="joinDate" title="10:46 AM - 20 Mar 2007">Joined March 2007</span>"#),
            None
        );
    }

    #[test]
    fn without_a_title_the_first_date_holder_wins() {
        assert_eq!(
            shown(r#"<div class="date">Tuesday, 14 January 2020</div><p class="date">1 May 2018</p><p>Text.</p><p class="date">March 11, 2020</p>"#)
                .as_deref(),
            Some("2018-05-01")
        );
    }

    #[test]
    fn sites_name_their_date_classes_in_their_language() {
        // Above the title only a marked holder is a dateline.
        assert_eq!(
            shown(r#"<span class="fecha">1 May 2018</span><h1>Title</h1><p>Text.</p>"#).as_deref(),
            Some("2018-05-01")
        );
        assert_eq!(
            shown(r#"<span class="kicker">1 May 2018</span><h1>Title</h1><p>Text.</p>"#),
            None
        );
    }

    #[test]
    fn other_dates_of_the_page_are_refused() {
        // Today's date in the header names its weekday; a dateline right
        // above the title may too.
        let header = r#"<div class="date">Tuesday, 14 January 2020</div><nav><ul><li>a</li><li>b</li><li>c</li>
            <li>d</li><li>e</li><li>f</li><li>g</li><li>h</li></ul></nav>"#;
        assert_eq!(shown(&format!("{header}<h1>Title</h1><p>Text.</p>")), None);
        // In a language without a pack too.
        let header = header.replace("Tuesday, 14 January 2020", "czwartek, 12 marca 2020");
        assert_eq!(shown(&format!("{header}<h1>Title</h1><p>Text.</p>")), None);
        assert_eq!(
            shown(r#"<p class="date">Tuesday, 14 January 2020</p><h1>Title</h1><p>Text.</p>"#).as_deref(),
            Some("2020-01-14")
        );
        // Comments, related articles, the footer, the date of a change, a
        // picture's credit.
        for holder in [
            r#"<p>© A. Photographer, 1 May 2018</p>"#,
            r#"<figure><img src="a.jpg"><figcaption>The site, 1 May 2018</figcaption></figure>"#,
            r#"<p class="date">Copyright 1 May 2018</p>"#,
            r#"<div class="comment"><span class="date">August 6, 2019</span></div>"#,
            r#"<ul class="related-posts"><li><time datetime="2019-01-02">2 Jan</time></li></ul>"#,
            r#"<footer><span class="date">1 May 2018</span></footer>"#,
            r#"<span class="updated-date">1 May 2018</span>"#,
        ] {
            assert_eq!(shown(&format!("<h1>Title</h1><p>Text.</p>{holder}")), None, "{holder}");
        }
        // A paragraph is not a date holder.
        let long = format!(
            r#"<h1>Title</h1><p class="date">{} on 1 May 2018.</p>"#,
            "Words ".repeat(40)
        );
        assert_eq!(shown(&long), None);
    }

    #[test]
    fn a_short_line_under_the_title_that_opens_with_a_date_is_the_dateline() {
        assert_eq!(
            shown(r#"<h1>Title</h1><p class="tagline">1 May 2018 - 04:30 - Source: Agency - Photo: Some Photographer</p><p>Text.</p>"#)
                .as_deref(),
            Some("2018-05-01")
        );
        assert_eq!(
            shown(r#"<h1>Title</h1><p>Press release of 1 May 2018 | City – The ministry said on Monday that it would act.</p>"#)
                .as_deref(),
            Some("2018-05-01")
        );
        // A longer line that only mentions a date is prose.
        assert_eq!(
            shown(r#"<h1>Title</h1><p>The council met and decided, after a long debate, on 1 May 2018.</p>"#),
            None
        );
    }

    #[test]
    fn a_paragraph_under_the_title_that_opens_with_a_dateline_is_dated_by_it() {
        let prose = "The council met on Monday and decided, after a long debate that went on late into the night, to build the new bridge over the river by next spring.";
        for opening in [
            "City, 1 May 2018 – ",
            "CITY, 1 May 2018 (Agency) - ",
            "City, Tuesday, 1 May 2018. ",
            "(1 May 2018) ",
            "1 May 2018: ",
        ] {
            let page = format!("<h1>Title</h1><p>{opening}{prose}</p>");
            assert_eq!(shown(&page).as_deref(), Some("2018-05-01"), "{opening}");
        }
        // A sentence about a day, not a dateline; the date of a change.
        for opening in [
            "On 1 May 2018 the council – ",
            "After the vote of 1 May 2018, it said: ",
            "Updated: 01.05.2018 – ",
        ] {
            let page = format!("<h1>Title</h1><p>{opening}{prose}</p>");
            assert_eq!(shown(&page), None, "{opening}");
        }
    }

    #[test]
    fn a_short_heading_under_the_title_that_is_a_date_is_the_dateline() {
        assert_eq!(
            shown("<h1>Title</h1><h4>1 May 2018</h4><p>Text.</p>").as_deref(),
            Some("2018-05-01")
        );
        assert_eq!(
            shown("<h1>Title</h1><h2>What the council decided on 1 May 2018</h2><p>Text.</p>"),
            None
        );
    }

    #[test]
    fn the_date_of_a_change_is_not_the_publication_date() {
        for changed in [
            r#"<h1>Title</h1><p class="date">Updated: 1 May 2018</p>"#,
            r#"<h1>Title</h1><p class="date">mis à jour le 1 May 2018</p>"#,
            r#"<h1>Title</h1><p><span>Zuletzt aktualisiert</span> <time>1 May 2018</time></p>"#,
            "<h1>Title</h1><p>Last updated 1 May 2018</p>",
        ] {
            assert_eq!(shown(changed), None, "{changed}");
        }
        // A date published then updated keeps the first.
        assert_eq!(
            shown(r#"<h1>Title</h1><p class="date">Published 13 Jan 2020, updated 1 May 2018</p>"#).as_deref(),
            Some("2020-01-13")
        );
    }

    #[test]
    fn a_text_that_opens_with_a_change_may_go_on_to_the_publication() {
        for page in [
            r#"<h1>Title</h1><p class="date">Updated 14 January 2020 · Published 1 May 2018</p>"#,
            r#"<h1>Title</h1><p class="date">Mis à jour le 14 January 2020, publié le 1 May 2018</p>"#,
            "<h1>Title</h1><p>Aktualisiert am 14 January 2020 | Erstellt am 1 May 2018</p>",
            "<h1>Title</h1><p>ACTUALIZADO 14 January 2020 - PUBLICADO 1 May 2018</p>",
        ] {
            assert_eq!(shown(page).as_deref(), Some("2018-05-01"), "{page}");
        }
        // A label of publication inside a word is none.
        assert_eq!(
            shown(r#"<h1>Title</h1><p class="date">Updated 14 January 2020 by unpublished staff</p>"#),
            None
        );
    }

    /// The tag and text of the title heading of a page with `<title>` `title`.
    fn title_heading_of(body: &str, title: &str) -> Option<(String, String)> {
        let page = Document::from(format!("<html><body>{body}</body></html>"));
        let title = title.to_string();
        let heading = page.tree.get(&title_heading(&page, &[&title])?)?;
        Some((heading.node_name()?.to_string(), heading.text().trim().to_string()))
    }

    #[test]
    fn the_title_heading_is_the_one_that_repeats_most_of_the_title() {
        let heading = |tag: &str, text: &str| Some((tag.to_string(), text.to_string()));
        // `<title>` adds the site's name, which the masthead repeats.
        assert_eq!(
            title_heading_of(
                r#"<h1><a href="/">Daily Courier</a></h1><h2>Council backs the new bridge</h2>"#,
                "Council backs the new bridge | Daily Courier"
            ),
            heading("h2", "Council backs the new bridge")
        );
        // The page's own teaser in a list of news above it is a link.
        assert_eq!(
            title_heading_of(
                r#"<ul><li><h3><a href="/a">Council backs the new bridge</a></h3></li></ul><h1>Council backs the new bridge</h1>"#,
                "Council backs the new bridge"
            ),
            heading("h1", "Council backs the new bridge")
        );
        // A blog's title linked to its own address is the title when alone.
        assert_eq!(
            title_heading_of(
                r#"<h1><a href="/">A Blog</a></h1><h2><a href="/2008/07/29/bridge/">Council backs the new bridge</a></h2>"#,
                "Council backs the new bridge | A Blog"
            ),
            heading("h2", "Council backs the new bridge")
        );
    }

    #[test]
    fn a_script_is_elsewhere_by_its_class_or_id_alone() {
        assert!(tag_marks_elsewhere(
            r#"<script type="application/json" class="js-related-articles">"#
        ));
        assert!(tag_marks_elsewhere("<SCRIPT ID=comments-data>"));
        assert!(!tag_marks_elsewhere(
            r#"<script type="application/json" data-update="1" class="page">"#
        ));
        assert!(!tag_marks_elsewhere(r#"<script class="publish-related">"#));
    }

    #[test]
    fn the_layout_classes_of_the_body_place_no_element() {
        let page = Document::from(
            r#"<html class="no-sidebar"><body class="has-sidebar theme-footer"><h1>Title</h1><p class="date">1 May 2018</p></body></html>"#,
        );
        assert_eq!(
            visible_date(
                &page,
                title_heading(&page, &[]),
                &Locale::declared(&[Some("en")], None),
                &TestDates
            )
            .map(|d| d.to_string())
            .as_deref(),
            Some("2018-05-01")
        );
        // Blog themes mark their one date published and updated, or only
        // updated (hAtom's class); a class naming the update is refused.
        for hatom in ["entry-date published updated", "entry-date updated"] {
            assert_eq!(
                shown(&format!(r#"<h1>Title</h1><time class="{hatom}">1 May 2018</time>"#)).as_deref(),
                Some("2018-05-01")
            );
        }
        assert_eq!(
            shown(r#"<h1>Title</h1><time class="date-updated">1 May 2018</time>"#),
            None
        );
    }

    #[test]
    fn what_holds_the_title_is_the_article_whatever_its_classes_say() {
        assert_eq!(
            shown(r#"<div class="layout-right-sidebar"><h1>Title</h1><p class="date">1 May 2018</p></div>"#).as_deref(),
            Some("2018-05-01")
        );
        assert_eq!(
            shown(
                r#"<div class="layout"><h1>Title</h1><p>Text.</p></div><div class="sidebar"><p class="date">1 May 2018</p></div>"#
            ),
            None
        );
    }

    #[test]
    fn an_article_beside_the_titles_is_another_pages_teaser() {
        assert_eq!(
            shown(
                r#"<article><h1>Title</h1><p>Text.</p></article><article><h5 class="date">1 May 2018</h5><a>Other</a></article>"#
            ),
            None
        );
        // Without an article holding the title, articles are not told apart.
        assert_eq!(
            shown(r#"<h1>Title</h1><article><p class="date">1 May 2018</p><p>Text.</p></article>"#).as_deref(),
            Some("2018-05-01")
        );
    }

    #[test]
    fn a_teaser_beside_the_title_is_the_articles_own_lede() {
        assert_eq!(
            shown(r#"<div><h1>Title</h1><div class="teaser-text"><p>Press release of 1 May 2018 | City</p></div><p>Text.</p></div>"#)
                .as_deref(),
            Some("2018-05-01")
        );
        // Teasers of other pages repeat their class, beside the title too.
        assert_eq!(
            shown(
                r#"<div><h1>Title</h1><div class="teaser"><p>1 May 2018</p><a>Other</a></div><div class="teaser"><p>2 May 2018</p><a>More</a></div></div>"#
            ),
            None
        );
        // Away from the title, a teaser is another page's.
        assert_eq!(
            shown(
                r#"<div><h1>Title</h1><p>Text.</p></div><div><div class="teaser-text"><p>1 May 2018</p></div></div>"#
            ),
            None
        );
    }

    fn shown_titled(body: &str, title: &str) -> Option<String> {
        let page = Document::from(format!("<html><body>{body}</body></html>"));
        let title = title.to_string();
        let title = title_heading(&page, &[&title]);
        visible_date(&page, title, &Locale::declared(&[Some("en")], None), &TestDates).map(|d| d.to_string())
    }

    #[test]
    fn a_title_set_in_a_plain_element_places_the_dateline() {
        // The header's date of the visit names its weekday, above the
        // title: refused once the title is found, though no heading holds it.
        let page = r#"<div class="top">Tuesday, 14 January 2020, 0:26</div><div class="menu">a</div>
            <div class="title">Letters of the old town</div><p>Text.</p><div class="info">Posted 1 May 2018</div>"#;
        assert_eq!(
            shown_titled(page, "Old Town Blog - Letters of the old town").as_deref(),
            Some("2018-05-01")
        );
        assert_eq!(shown_titled(page, "Another title"), None);
        // The headline is the title's longest part between separators.
        assert_eq!(
            headline_part("old town blog - letters of the old town"),
            "letters of the old town"
        );
        assert_eq!(
            headline_part("letters of the old town | old town blog"),
            "letters of the old town"
        );
        assert_eq!(headline_part("letters: the old town :: blog"), "letters: the old town");
    }

    #[test]
    fn an_articles_own_aside_or_footer_holds_its_date_the_pages_do_not() {
        assert_eq!(
            shown(r#"<article><h1>Title</h1><p>Text.</p><footer>Posted <time>1 May 2018</time></footer></article>"#)
                .as_deref(),
            Some("2018-05-01")
        );
        assert_eq!(
            shown(r#"<article><h1>Title</h1><aside class="meta"><p>By A. Writer</p><time>1 May 2018</time></aside><p>Text.</p></article>"#)
                .as_deref(),
            Some("2018-05-01")
        );
        // Microdata types an article's block as `<article>` does (TYPO3's
        // news template prints the date in the article's `footer`).
        assert_eq!(
            shown(r#"<div class="article" itemscope itemtype="http://schema.org/Article"><div class="header"><h3>Title</h3></div><div class="footer"><time>1 May 2018</time></div><p>Text.</p></div>"#)
                .as_deref(),
            Some("2018-05-01")
        );
        assert_eq!(
            shown(
                r#"<div class="article"><div class="header"><h3>Title</h3></div><div class="footer"><time>1 May 2018</time></div><p>Text.</p></div>"#
            ),
            None
        );
        assert_eq!(
            shown(r#"<article><h1>Title</h1><p>Text.</p></article><aside><time>1 May 2018</time></aside>"#),
            None
        );
        assert_eq!(
            shown(
                r#"<article><h1>Title</h1><p>Text.</p></article><div class="site-footer"><time>1 May 2018</time></div>"#
            ),
            None
        );
    }

    fn in_text(body: &str) -> Option<String> {
        let page = Document::from(format!("<html><body>{body}</body></html>"));
        let today = Day {
            year: 2021,
            month: 6,
            day: 1,
        };
        text_date(&shown_dates(
            &page,
            title_heading(&page, &[]),
            &Locale::declared(&[Some("en")], None),
            &TestDates,
            today,
        ))
        .map(|d| d.to_string())
    }

    #[test]
    fn the_text_search_takes_the_date_the_page_shows_most() {
        // The dateline at the top and again at the bottom outnumbers a
        // comment's date.
        let page = r#"<div>Posted 03.04.2020</div><h1>Title</h1><p>Text.</p><div>Last line, 03.04.2020</div>
            <div>Reader wrote on 1 May 2018:</div>"#;
        assert_eq!(in_text(page).as_deref(), Some("2020-04-03"));
        // On a tie the first shown wins.
        assert_eq!(
            in_text("<p>1 May 2018</p><p>March 11, 2020</p>").as_deref(),
            Some("2018-05-01")
        );
    }

    #[test]
    fn the_text_search_reads_a_bounded_number_of_texts() {
        let page = format!(
            "{}{}",
            "<p>1 May 2018</p>".repeat(TEXT_SEARCH_MAX_READS),
            "<p>March 11, 2020</p>".repeat(TEXT_SEARCH_MAX_READS + 1)
        );
        assert_eq!(in_text(&page).as_deref(), Some("2018-05-01"));
    }

    #[test]
    fn the_text_search_refuses_dates_that_are_not_the_pages() {
        for refused in [
            "<p>© 1 May 2018 The Publisher</p>",
            "<p>Copyright 1 May 2018</p>",
            "<nav><a>March 11, 2020</a></nav>",
            r#"<div class="comments"><p>March 11, 2020</p></div>"#,
            "<h2>What happened on March 11, 2020</h2>",
            // The day of the visit in the header, before the title.
            r#"<div>Tuesday, 14 January 2020</div><h1>Title</h1>"#,
            // Before the web's news pages, or after the day of the run.
            "<p>01.02.1990</p>",
            "<p>01.02.2030</p>",
        ] {
            assert_eq!(in_text(refused), None, "{refused}");
        }
    }

    #[test]
    fn metadata_dates_are_read_by_one_reader() {
        for (value, expected) in [
            ("2022-10-20T08:00:00+02:00", Some("2022-10-20")),
            ("20221020T08:00:00Z", Some("2022-10-20")),
            ("2022/10/20 08:00", Some("2022-10-20")),
            ("20.10.2022", Some("2022-10-20")),
            ("Thu, 20 Oct 2022 08:00:00 GMT", Some("2022-10-20")),
            ("soon", None),
        ] {
            assert_eq!(
                metadata_date(value, &TestDates).map(|d| d.to_string()).as_deref(),
                expected,
                "{value}"
            );
        }
    }

    #[test]
    fn utc_timestamps_are_told_from_local_ones() {
        for utc in [
            "2020-05-02T02:54:29.000Z",
            "2020-04-24T21:25:06+00:00",
            "Sat, 02 May 2020 02:54:29 GMT",
        ] {
            assert!(is_utc_timestamp(utc), "{utc}");
        }
        for local in ["2020-06-29T00:16:15+03:00", "2020-05-02", "2020-05-01T22:54:29-04:00"] {
            assert!(!is_utc_timestamp(local), "{local}");
        }
    }

    #[test]
    fn a_utc_timestamp_is_dated_on_the_day_its_region_saw() {
        let day = |tags: &[Option<&str>], address: Option<&str>, utc: &str| {
            let stated = metadata_date(utc, &TestDates).expect("a date");
            Locale::declared(tags, address).local_day(stated, utc).to_string()
        };
        // Late evening in every zone of the United States.
        assert_eq!(
            day(&[Some("en"), Some("en_US")], None, "2020-05-02T02:54:29.000Z"),
            "2020-05-01"
        );
        assert_eq!(
            day(
                &[Some("es")],
                Some("https://www.example.com.ar/nota"),
                "2022-05-04T00:25:56Z"
            ),
            "2022-05-03"
        );
        // Morning of the next day across Australia.
        assert_eq!(day(&[Some("en-AU")], None, "2020-04-24T21:25:06+00:00"), "2020-04-25");
        // Where the region's zones disagree, or no region is known, the UTC day stands.
        assert_eq!(day(&[Some("en-US")], None, "2020-05-02T06:00:00Z"), "2020-05-02");
        assert_eq!(day(&[Some("en")], None, "2020-05-02T02:54:29Z"), "2020-05-02");
        // A language read within one band of zones stands for its region.
        assert_eq!(day(&[Some("de")], None, "2020-05-01T23:30:00Z"), "2020-05-02");
        assert_eq!(day(&[Some("de")], None, "2020-05-01T22:30:00Z"), "2020-05-01");
        assert_eq!(day(&[Some("en-US")], None, "2020-05-02T14:00:00Z"), "2020-05-02");
        // Midnight stands for a date without its time.
        assert_eq!(day(&[Some("en-US")], None, "2020-05-02T00:00:00Z"), "2020-05-02");
    }

    #[test]
    fn dotted_dates_put_the_day_first_in_every_language() {
        assert_eq!(
            written_date("05.06.2020, 14:03", &Locale::declared(&[Some("en")], None), &TestDates)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2020-06-05")
        );
        assert_eq!(dotted_day_first("version 1.2.2020.3"), None);
    }

    #[test]
    fn pages_of_day_first_regions_read_numeric_dates_day_first() {
        let read = |tags: &[Option<&str>], address: Option<&str>| {
            written_date(
                "Published 05/03/2020 10:00",
                &Locale::declared(tags, address),
                &TestDates,
            )
            .map(|d| d.to_string())
        };
        for (tags, address) in [
            (&[Some("en-GB")][..], None),
            (&[Some("en"), Some("en_AU")][..], None),
            (&[Some("en-IE"), Some("en_US")][..], None),
            (&[Some("en")][..], Some("https://www.example.co.uk/news/story")),
            (&[None, None, Some("en-IN")][..], Some("https://example.com/story")),
        ] {
            assert_eq!(
                read(tags, address).as_deref(),
                Some("2020-03-05"),
                "{tags:?} {address:?}"
            );
        }
        // The region a tag names wins over the address's domain.
        assert!(!Locale::declared(&[Some("en-US")], Some("https://example.co.uk/")).day_first);
        // So does a page of a language that writes them day first, with
        // a pack or without.
        for lang in ["vi", "tr-TR", "ru", "fr", "es-US"] {
            assert!(Locale::declared(&[Some(lang)], None).day_first, "{lang}");
        }
        // A page that names no region, nor has a country's domain, keeps
        // its language's order: the pack's.
        for (tags, address) in [
            (&[Some("en")][..], Some("https://example.com/story")),
            (&[Some("en-US")][..], None),
            (&[][..], None),
        ] {
            assert!(!Locale::declared(tags, address).day_first, "{tags:?} {address:?}");
        }
        assert_eq!(slashed_day_first("v1/05/03/2020x"), None);
        assert_eq!(
            slashed_day_first("31-12-2019").map(|d| d.to_string()).as_deref(),
            Some("2019-12-31")
        );
    }

    #[test]
    fn numeric_dates_with_day_and_month_swappable_have_two_readings() {
        let readings = |text: &str| swappable_readings(text).map(|r| r.map(|d| d.to_string()));
        assert_eq!(
            readings("10/05/2022 05:22 pm"),
            Some(["2022-05-10".to_string(), "2022-10-05".to_string()])
        );
        assert_eq!(
            readings("01-11-2023 10:29"),
            Some(["2023-11-01".to_string(), "2023-01-11".to_string()])
        );
        for one_reading in ["13/05/2022", "05/05/2022", "2022/05/10", "10.05.2022", "on 10/05/2022"] {
            assert_eq!(readings(one_reading), None, "{one_reading}");
        }
    }

    #[test]
    fn arabic_indic_persian_devanagari_and_bengali_digits_are_read() {
        assert_eq!(western_digits("١٢ مارس ٢٠٢٠"), "12 مارس 2020");
        assert_eq!(western_digits("۱۲/۰۳/۲۰۲۰"), "12/03/2020");
        assert_eq!(western_digits("१२ सितंबर २०२१"), "12 सितंबर 2021");
        assert_eq!(western_digits("১২ সেপ্টেম্বর ২০২১"), "12 সেপ্টেম্বর 2021");
        assert!(matches!(western_digits("12 March 2020"), Cow::Borrowed(_)));
        assert_eq!(
            written_date(
                "الخميس ١٢ مارس ٢٠٢٠",
                &Locale::declared(&[Some("ar")], None),
                &TestDates
            )
            .map(|d| d.to_string())
            .as_deref(),
            Some("2020-03-12")
        );
    }

    #[test]
    fn years_of_two_digits_are_of_this_century() {
        let read = |text: &str, day_first: bool| short_year(text, day_first).map(|d| d.to_string());
        assert_eq!(read("05.03.20, 14:00 Uhr", false).as_deref(), Some("2020-03-05"));
        assert_eq!(read("05/03/20 à 14h00", true).as_deref(), Some("2020-03-05"));
        assert_eq!(read("05-03-20", false).as_deref(), Some("2020-05-03"));
        for not_a_date in ["v1.2.20", "05.03-20", "1.2.203", "05/03/2020", "10.05.20.1"] {
            assert_eq!(read(not_a_date, true), None, "{not_a_date}");
        }
    }

    #[test]
    fn metadata_date_forms() {
        assert_eq!(
            compact_iso("20200924T15:04:34Z").map(|d| d.to_string()).as_deref(),
            Some("2020-09-24")
        );
        assert_eq!(compact_iso("2020092"), None);
        assert_eq!(
            written_date("2020/4/17 01:43", &Locale::default(), &TestDates)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2020-04-17")
        );
    }
}
