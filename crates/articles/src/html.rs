//! HTML pages: the main text by where the page's text lies when that is
//! clear (`main_block`), else by `dom_smoothie` (Readability); metadata from
//! JSON-LD, Open Graph and `article:*` meta, Dublin Core, `itemprop`,
//! `<time>` and the URL path, read from the same `dom_query` tree, so that
//! each page is parsed once.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::OnceLock;

use dom_query::{Document, Matcher, NodeRef, Selection};
use dom_smoothie::{Config, Readability, ReadabilityError, TextMode};
use glaneur_calendar::{DateReader, Day, PartialDate};
use regex::Regex;
use serde_json::Value as Json;

use crate::attributes::{without_data_attributes, RAW_TEXT};
use crate::spaces::collapsed;
use crate::{cards, main_block, published, Article, ArticleError, ErrorCode};

/// Real pages nest a few dozen elements deep; far deeper markup is built
/// to break parsers and is refused before any tree walk.
const MAX_DEPTH: usize = 1000;

/// True when the text is an HTML page: by its name, or by its first tags.
pub fn looks_like_html(text: &str, name: Option<&str>) -> bool {
    let head: String = text.chars().take(1024).collect::<String>().to_ascii_lowercase();
    let tagged = [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<div",
        "<p>",
        "<article",
    ]
    .iter()
    .any(|t| head.contains(t));
    let named = name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        let n = n.trim_end_matches(".gz");
        n.ends_with(".html") || n.ends_with(".htm") || n.ends_with(".xhtml")
    });
    tagged || (named && head.trim_start().starts_with('<'))
}

/// The article of an HTML page; `dates` reads the dates it writes in words.
pub fn extract(html: &str, dates: &dyn DateReader) -> Result<Article, ArticleError> {
    let (stripped, script_spans) = strip_unread(html);
    let scripts = Scripts {
        page: html,
        spans: script_spans,
    };
    let html = stripped.as_str();
    let depth = nesting_depth(html);
    if depth > MAX_DEPTH {
        return Err(ArticleError::new(
            ErrorCode::TooDeep,
            format!("elements nested {depth} deep, more than the {MAX_DEPTH} allowed"),
        ));
    }
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    // One parse: metadata is read from Readability's own tree before it
    // prunes it.
    let mut readability = Readability::with_document(Document::from(html), None, Some(config.clone()))
        .map_err(|e| ArticleError::new(ErrorCode::NotArticle, e.to_string()))?;
    let meta = Metadata::read(&readability.doc, &scripts, dates);
    let lede = meta.description.clone().filter(|d| shown_lede(html, d));
    // Both parsers hold their own copy: the page is not needed again.
    drop(stripped);
    cards::remove_cards(&readability.doc);
    // In one walk: captions (they describe a picture, they are not the
    // article's prose), and navigation left in the page (its end tag
    // missing, see `strip_unread`).
    readability.doc.select("nav, figcaption").remove();
    let marked = MarkedBody::read(&readability.doc);
    let titles: Vec<&String> = meta.headline.iter().chain(&meta.page_title).collect();
    // On a page of stories one after another, the one under the title.
    let title_story = published::title_article(&readability.doc, &titles);
    let readable = main_text(&mut readability);
    // Readability scores each story alone and may take a longer one than
    // the title's, and the block where the text spreads may hold other
    // stories: when none of the text's paragraphs is in the title's story,
    // that story is read on its own instead.
    let story = match (&readable, title_story) {
        (Ok(a), Some((id, text))) if !shares_a_paragraph(&a.text, &text) => {
            readability.doc.tree.get(&id).map(|n| n.html().to_string())
        }
        _ => None,
    };
    // Nor is the page's tree: the article is judged on a tree of its own,
    // and two trees of a long page at once double the peak memory.
    drop(readability);
    let readable = match (readable, story) {
        (Ok(a), Some(story)) => Readability::with_document(Document::from(story), None, Some(config))
            .and_then(|mut story| main_text(&mut story))
            .or(Ok(a)),
        (readable, _) => readable,
    };
    // A page whose best block is mostly links, or that has no block at
    // all, lists other pages: it gets its title, not a made-up text.
    let (title, body, list_page) = match readable {
        Ok(a) => {
            let (text, list_page) = match marked.filter(|m| visible_chars(&a.text) * MARKED_BODY_RATIO < m.chars) {
                Some(marked) => marked.content(),
                None => (a.text, a.lists_pages),
            };
            let body = if list_page { String::new() } else { text };
            (a.title, body, list_page)
        }
        Err(_) => (None, String::new(), true),
    };
    let title = meta.headline.clone().or(title).or(meta.page_title.clone());
    let body = tidy(&body);
    let body = match lede {
        Some(lede) if !list_page && !collapsed(&body).contains(&*collapsed(&lede)) => format!("{lede}\n\n{body}"),
        _ => body,
    };
    let text = match &title {
        Some(t) if body.is_empty() => t.clone(),
        Some(t) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}"),
        _ => body,
    };
    Ok(Article {
        title,
        text,
        list_page,
        lang: meta.lang,
        published: meta.published,
        modified: meta.modified,
        authors: meta.authors,
        site_name: meta.site_name,
        url: meta.url,
        description: meta.description,
    })
}

/// How far into a start tag its `data-*` attributes are looked for.
const DATA_TAG_MAX_BYTES: usize = 1024;

/// Bytes of scripts searched for a publication date at most: the keys
/// sit in a page's data near its top, and a page of megabytes of script
/// must not cost a batch a scan of them all.
const SCRIPT_DATE_MAX_BYTES: usize = 1 << 20;

/// The page without what no reader sees and no step reads: scripts (but
/// JSON-LD metadata), styles, inline SVG, comments, the links of
/// [`is_unread_link`], the navigation the page marks as such
/// (`<nav>`: links to other pages, whose dates are refused and whose text
/// is never the article's; a sixth to a fifth of a news page's markup),
/// and the `data-*` attributes of [`without_data_attributes`].
/// Both parsers then build smaller trees; on news pages this is often
/// half the bytes.
/// Also where the scripts' content lies in `html`, JSON-LD's too, up to
/// [`SCRIPT_DATE_MAX_BYTES`] of it in all.
fn strip_unread(html: &str) -> (String, Vec<Range<usize>>) {
    let stripped = strip(html, true);
    // A navigation without its end tag ends where the parser says, not
    // here: it stays, and is removed from the tree.
    let stripped = if stripped.navigation_left_open {
        strip(html, false)
    } else {
        stripped
    };
    (stripped.html, stripped.scripts)
}

/// A page as [`strip`] leaves it.
struct Stripped {
    html: String,
    scripts: Vec<Range<usize>>,
    /// A navigation was still open at the end of the page, and all after
    /// its start tag left out.
    navigation_left_open: bool,
}

/// [`strip_unread`], cutting out navigation when `cut_navigation`.
fn strip(html: &str, cut_navigation: bool) -> Stripped {
    const UNREAD: &[(&[u8], &[u8])] = &[
        (b"<script", b"</script"),
        (b"<style", b"</style"),
        (b"<svg", b"</svg"),
        (b"<!--", b"-->"),
    ];
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut scripts = Vec::new();
    let mut script_bytes = 0;
    // Navigation elements open at `from` (they nest): nothing is copied
    // while one is.
    let mut navigation = 0usize;
    // Copied up to `pos`; the next `<` is looked for from `from`.
    let (mut pos, mut from) = (0, 0);
    // The raw-text element open at `from`, whose tags are its text.
    let mut raw_text: Option<&[u8]> = None;
    let data = memchr::memmem::Finder::new(b"data-");
    let mut next_data = data.find(bytes);
    while let Some(start) = memchr::memchr(b'<', &bytes[from..]).map(|i| from + i) {
        if cut_navigation && is_tag(bytes, start, b"<nav") {
            if navigation == 0 {
                out.push_str(&html[pos..start]);
            }
            navigation += 1;
            from = start + 1;
            continue;
        }
        if navigation > 0 && is_tag(bytes, start, b"</nav") {
            navigation -= 1;
            from = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
            pos = from;
            continue;
        }
        if navigation == 0 && is_tag(bytes, start, b"<link") {
            let tag_end = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
            if is_unread_link(&html[start..tag_end]) {
                out.push_str(&html[pos..start]);
                (pos, from) = (tag_end, tag_end);
                continue;
            }
        }
        let Some(&(open, close)) = UNREAD.iter().find(|(open, _)| starts_any_case(&bytes[start..], open)) else {
            from = start + 1;
            if let Some(name) = raw_text {
                let ends = bytes.get(start + 1) == Some(&b'/') && is_tag(bytes, start + 2, name);
                raw_text = (!ends).then_some(name);
            } else if navigation == 0 && bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
                let initial = bytes[start + 1].to_ascii_lowercase();
                raw_text = RAW_TEXT
                    .iter()
                    .copied()
                    .find(|name| name[0] == initial && is_tag(bytes, start + 1, name));
                if next_data.is_some_and(|d| d < start) {
                    next_data = data.find(&bytes[start..]).map(|i| start + i);
                }
                // Only a tag that holds `data-` before its first `>` is
                // read closely; one that hides it behind a quoted `>`, or
                // a kilobyte in, keeps it, as every tag did before.
                let within = |d: usize| d < start + DATA_TAG_MAX_BYTES && !bytes[start + 1..d].contains(&b'>');
                if raw_text.is_none() && next_data.is_some_and(within) {
                    if let Some((kept, length)) = without_data_attributes(&html[start..]) {
                        out.push_str(&html[pos..start]);
                        out.push_str(&kept);
                        (pos, from) = (start + length, start + length);
                    }
                }
            }
            continue;
        };
        let after_open = start + open.len();
        // A comment has no tag to close; an element's content starts after `>`.
        let tag_end = if open == b"<!--" {
            after_open
        } else {
            memchr::memchr(b'>', &bytes[after_open..]).map_or(bytes.len(), |i| after_open + i + 1)
        };
        let is_script = open == b"<script";
        let keep = is_script && find_any_case(&bytes[start..tag_end], b"ld+json").is_some();
        let (content_end, end) = match find_any_case(&bytes[tag_end..], close) {
            Some(i) => {
                let close_start = tag_end + i;
                let end = memchr::memchr(b'>', &bytes[close_start..]).map_or(bytes.len(), |j| close_start + j + 1);
                (close_start, end)
            }
            None => (bytes.len(), bytes.len()),
        };
        if navigation == 0 {
            out.push_str(&html[pos..start]);
        }
        // JSON-LD is read wherever it is, a navigation's too (breadcrumbs).
        if keep {
            out.push_str(&html[start..end]);
        }
        // The tag's marks are read last: most scripts are empty (`src`).
        if is_script
            && script_bytes < SCRIPT_DATE_MAX_BYTES
            && tag_end < content_end
            && !published::tag_marks_elsewhere(&html[start..tag_end])
        {
            let content_end = content_end.min(tag_end + SCRIPT_DATE_MAX_BYTES - script_bytes);
            script_bytes += content_end - tag_end;
            scripts.push(tag_end..content_end);
        }
        (pos, from) = (end, end);
    }
    if navigation == 0 {
        out.push_str(&html[pos..]);
    }
    Stripped {
        html: out,
        scripts,
        navigation_left_open: navigation > 0,
    }
}

/// Whether a `<link>` tag links what no step reads: a style sheet, a
/// font, an icon, a feed, the page in other languages (dozens, on some
/// pages). The metadata reads the `canonical` address, Readability the
/// `author`. A tag whose quotes do not pair may hold a `>` in a value,
/// and is left to the parser.
fn is_unread_link(tag: &str) -> bool {
    const READ: &[&str] = &["canonical", "author"];
    let quotes_pair = tag.matches('"').count().is_multiple_of(2) && tag.matches('\'').count().is_multiple_of(2);
    quotes_pair
        && published::tag_attribute(tag, "rel").is_some_and(|rel| {
            !rel.split_whitespace()
                .any(|r| READ.iter().any(|k| r.eq_ignore_ascii_case(k)))
        })
}

/// Whether a tag `name` (`<nav`, `</nav`, lower case; or an element's
/// name alone, read after its `<` or `</`) starts at `start`: the name
/// ends there (`<navigation>` is another element).
fn is_tag(bytes: &[u8], start: usize, name: &[u8]) -> bool {
    starts_any_case(&bytes[start..], name)
        && bytes
            .get(start + name.len())
            .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
}

/// The scripts of a page, kept aside for a page that states its
/// publication date nowhere else: searched only then.
#[derive(Default)]
struct Scripts<'a> {
    page: &'a str,
    spans: Vec<Range<usize>>,
}

impl Scripts<'_> {
    /// The first publication date the scripts give under a key
    /// (`"datePublished":"…"`, `pubDate: '…'`), JSON-LD that is not JSON
    /// included.
    fn publication_date(&self) -> Option<String> {
        self.spans
            .iter()
            .filter_map(|span| self.page.as_bytes().get(span.clone()))
            .find_map(keyed_date)
    }
}

/// The value of the first key of a script that names a publication date
/// (`"datePublished":"2020-04-17T01:43"`, `publishDate: '…'`, in JSON
/// escaped in a string too, or assigned: `data.pubDate = "…"`).
fn keyed_date(script: &[u8]) -> Option<String> {
    static KEYED: OnceLock<regex::bytes::Regex> = OnceLock::new();
    let re = KEYED.get_or_init(|| {
        regex::bytes::Regex::new(
            r#"(?:datePublished|date_published|publishDate|publishedDate|pubDate|publish_date|published_date|publishedAt|published_at|publishedTime|published_time|publicationDate|publication_date|firstPublishedDate)\\?["']?\s*[:=]\s*\\?["']([^"'\\\n]{6,40})"#,
        )
        .expect("script date key pattern")
    });
    let value = re.captures(script)?.get(1)?;
    non_empty(std::str::from_utf8(value.as_bytes()).ok()?)
}

/// Whether `hay` starts with `prefix` (lower case) in any ASCII case.
pub(crate) fn starts_any_case(hay: &[u8], prefix: &[u8]) -> bool {
    hay.get(..prefix.len()).is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// Where `needle` (lower case, its first byte not a letter) first occurs
/// in `hay` in any ASCII case: pages write `<SCRIPT>`, and a lower-cased
/// copy of the whole page to search would cost its size again.
fn find_any_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memchr_iter(needle[0], hay).find(|&i| starts_any_case(&hay[i..], needle))
}

/// The deepest nesting of elements that need a closing tag, by a scan of
/// the tags (elements whose end tag may be left out are not counted).
fn nesting_depth(html: &str) -> usize {
    const SELF_CLOSING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p",
        "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption",
        "rt", "rp", "html", "head", "body", "!doctype", "param",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!')
            .count();
        if len == 0 {
            continue;
        }
        let name = &html[start..start + len];
        if SELF_CLOSING.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            continue;
        }
        let tag_end = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        if closing {
            depth = depth.saturating_sub(1);
        } else if bytes[..tag_end].last() != Some(&b'/') {
            depth += 1;
            deepest = deepest.max(depth);
        }
        i = tag_end.min(bytes.len());
        if !closing && ["script", "style"].iter().any(|s| s.eq_ignore_ascii_case(name)) {
            let close = format!("</{}", name.to_ascii_lowercase());
            i += find_any_case(&bytes[i..], close.as_bytes()).unwrap_or(bytes.len() - i);
        }
    }
    deepest
}

/// How many times the main text found the marked body must hold to be
/// taken instead: a body with a share bar or a caption more is the same
/// article.
const MARKED_BODY_RATIO: usize = 2;

/// Characters a paragraph has at least to tell which story it is from.
const SHARED_PARAGRAPH_MIN_CHARS: usize = 20;

/// The element a page marks as its article's body (schema.org
/// `itemprop="articleBody"`), when it marks one. The main text is one
/// block; when the body is split into many small blocks it may be one of
/// them, and the mark says where the rest is: when the marked body holds
/// more than twice the text found, it is the
/// article (cards and captions are already out of it, and the furniture
/// left in it goes block by block as in any page).
struct MarkedBody {
    html: String,
    chars: usize,
}

impl MarkedBody {
    fn read(page: &Document) -> Option<Self> {
        let marked = page.select("[itemprop=articleBody]");
        (marked.length() == 1).then(|| Self {
            chars: visible_chars(&marked.text()),
            html: marked.html().to_string(),
        })
    }

    /// The marked body's text, paragraphs apart, and whether it lists
    /// other pages.
    fn content(self) -> (String, bool) {
        let content = Document::fragment(self.html);
        let text = content.formatted_text().to_string();
        (text, is_list(&Selection::from(content.root())))
    }
}

/// The main text of a page, as one of the two ways of finding it reads it.
struct MainText {
    /// Readability's reading of the title (the `<title>` without the
    /// site's name, when the block is found by where the text lies); the
    /// metadata's is preferred.
    title: Option<String>,
    text: String,
    /// Whether the block it comes from lists other pages.
    lists_pages: bool,
}

/// The page's main text: its block by where its text lies when that is
/// clear (`main_block`), else Readability's. Whether the block lists
/// other pages is judged on the tree it was found in, where Readability
/// leaves its article under `#readability-page-1`, rather than on a
/// second parse of the HTML written from it.
fn main_text(readability: &mut Readability) -> Result<MainText, ReadabilityError> {
    if let Some(block) = main_block::find(&readability.doc) {
        // Read before the block is cleaned: the title may fall back on a
        // heading in the block's header.
        let title = non_empty(readability.get_article_title().trim());
        let (block, lists_pages) = block.clean(|block| is_list(&Selection::from(*block)));
        return Ok(MainText {
            title,
            text: block.formatted_text().to_string(),
            lists_pages,
        });
    }
    let article = readability.parse()?;
    Ok(MainText {
        title: non_empty(article.title.trim()),
        text: article.text_content.to_string(),
        lists_pages: is_list(&readability.doc.select_single("#readability-page-1")),
    })
}

/// Whether a paragraph of the main `text` (of some length, as a
/// share bar's label is everywhere) is in `story`: white space aside, as
/// the two texts join elements differently.
fn shares_a_paragraph(text: &str, story: &str) -> bool {
    let without_spaces = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let story = without_spaces(story);
    text.split("\n\n")
        .map(without_spaces)
        .filter(|p| p.chars().count() >= SHARED_PARAGRAPH_MIN_CHARS)
        .any(|p| story.contains(&p))
}

/// Characters of a text that are not white space.
fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// A description of at least this many words is a standfirst, not a
/// tagline.
const LEDE_MIN_WORDS: usize = 10;

/// Whether the page's description is also shown as the start of an
/// element's text in its body: the standfirst above the article, which
/// sits outside the article's block (a description only for
/// search engines, or only in JSON-LD, is not shown so).
fn shown_lede(html: &str, description: &str) -> bool {
    if description.split_whitespace().count() < LEDE_MIN_WORDS {
        return false;
    }
    let body = html
        .find("<body")
        .or_else(|| html.find("<BODY"))
        .map_or(html, |i| &html[i..]);
    body.match_indices(description)
        .any(|(i, _)| body[..i].trim_end().ends_with('>'))
}

fn non_empty(s: &str) -> Option<String> {
    let s = collapsed(s);
    (!s.is_empty()).then(|| s.into_owned())
}

/// Paragraphs separated by one blank line, spaces inside lines folded.
fn tidy(text: &str) -> String {
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(collapsed)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Share of words that are link text: up to 0.4 in the articles of the
/// public extraction set, near 1 in the teaser lists of index pages.
const MAX_ARTICLE_LINK_DENSITY: f64 = 0.5;
/// Words outside links that make a block more than a list: a paragraph
/// of its own (show notes, a link roundup with an introduction). The
/// lists of index pages are link titles with a word or two between.
const ARTICLE_MIN_OWN_WORDS: usize = 80;

/// Whether the chosen block lists other pages: mostly link text, and
/// little text of its own.
fn is_list(content: &Selection) -> bool {
    let words = |t: &str| t.split_whitespace().count();
    let total = words(&content.text());
    let linked: usize = content.select("a").iter().map(|a| words(&a.text())).sum();
    linked as f64 > MAX_ARTICLE_LINK_DENSITY * total as f64 && total - linked.min(total) < ARTICLE_MIN_OWN_WORDS
}

/// The `<meta>` keys (lower-cased `property`, `name` or `itemprop`) that
/// CMSs, Open Graph, Dublin Core, news sitemaps and analytics tags use for
/// the publication date, the most specific first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "og:question:published_time",
    "published_time",
    "publish_time",
    "publisheddate",
    "article:published",
    "article:published_date",
    "og:article:published",
    "og:publish_date",
    "og:pubdate",
    "datepublished",
    "date_published",
    "published_date",
    "published-date",
    "bt:pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.publication",
    "dc.date.created",
    "dc.created",
    "dc:created",
    "dc.date",
    "dc:date",
    "dcterms.date",
    "dcterms.created",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "publication-date",
    "pdate",
    "ptime",
    "rnews:datepublished",
    "originalpublicationdate",
    "article_date_original",
    "article.created",
    "article.published",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "citation_publication_date",
    "citation_date",
    "prism.publicationdate",
    "displaydate",
    "release_date",
    "datecreated",
    "date_created",
    "article:post_date",
    "article:publicationdate",
    "og:datepublished",
    "og:regdate",
    "vr:published_time",
    "shareaholic:article_published_time",
    "mediator_published_time",
    "twt-published-at",
    "rbpubdate",
    "dcsext.articlefirstpublished",
    "analyticsattributes.articledate",
    "content_create_date",
    "dateposted",
    "doc_date",
    "field-name-post-date",
    "created",
    "og:release_date",
    "video:release_date",
];

/// Calendar days between two days.
fn days_apart(a: PartialDate, b: PartialDate) -> i64 {
    (a.first_day().ordinal() - b.first_day().ordinal()).abs()
}

/// Whether a page may have been published on `date`: not after the day
/// of the run, nor on or before the first day of Unix time, which CMSs
/// write for a date they do not have (`1970-01-01T00:00:00Z`).
fn is_possible_publication(date: PartialDate, today: Day) -> bool {
    date.first_day() <= today && date.last_day().ordinal() > 0
}

/// The day of the run, by the system clock: no page was published after it.
fn today() -> Day {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Day::from_ordinal((seconds / 86_400) as i64)
}

#[derive(Debug, Default)]
struct Metadata {
    headline: Option<String>,
    page_title: Option<String>,
    lang: Option<String>,
    published: Option<PartialDate>,
    modified: Option<PartialDate>,
    authors: Vec<String>,
    site_name: Option<String>,
    url: Option<String>,
    description: Option<String>,
}

impl Metadata {
    /// `scripts` are the page's, which the tree no longer holds.
    fn read(page: &Document, scripts: &Scripts, dates: &dyn DateReader) -> Self {
        let elements = metadata_elements(page);
        let named = |name: &'static str| elements.iter().filter(move |e| e.has_name(name));
        let tags = meta_tags(named("meta"));
        let meta = |keys: &[&str]| meta_content(&tags, keys);
        let stated_url = meta_link(named("link"), "canonical").or_else(|| meta(&["og:url"]));
        let ld = JsonLd::read(named("script"), stated_url.as_deref());
        let headline = meta(&["og:title", "twitter:title"]).or(ld.headline.clone());
        let page_title = named("title").find_map(|e| non_empty(&e.text()));
        let html_lang = named("html").find_map(|e| non_empty(&e.attr("lang")?));
        let declared_lang = html_lang
            .clone()
            .or_else(|| meta(&["content-language", "og:locale", "dc.language"]));
        let url = stated_url.or(ld.url.clone());
        let locale = published::Locale::declared(
            &[
                html_lang.as_deref(),
                meta(&["og:locale"]).as_deref(),
                meta(&["content-language", "dc.language"]).as_deref(),
            ],
            url.as_deref(),
        );
        let titles: Vec<&String> = headline.iter().chain(&page_title).collect();
        // Where the title is on the page: found once, as several steps ask.
        let title_once = OnceCell::new();
        let title = || *title_once.get_or_init(|| published::title_heading(page, &titles));
        let today = today();
        let possible = |d: &PartialDate| is_possible_publication(*d, today);
        // Read at most once each, whichever step asks first: both walk
        // the page and read every date candidate in it.
        let shown_once = OnceCell::new();
        let shown =
            || *shown_once.get_or_init(|| published::visible_date(page, title(), &locale, dates).filter(possible));
        let modified_stated = [
            ld.modified.clone(),
            meta(&[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "dc.date.modified",
                "dcterms.modified",
                "last-modified",
            ]),
        ]
        .into_iter()
        .flatten()
        .find_map(|raw| Some((published::metadata_date(&raw, dates)?, raw)));
        let modified = modified_stated.as_ref().map(|(day, _)| *day);
        // A numeric date whose day and month may be swapped (`10/05/2022`)
        // is read as the page's language and region write dates, unless
        // the page's other dates settle it: the date shown next to the
        // title is the other reading, or the page's reading falls after
        // the page's last change. CMSs write such dates in either order.
        let settled = |raw: &str, date: PartialDate| -> PartialDate {
            let Some(readings) = published::swappable_readings(raw) else {
                return date;
            };
            let own = published::written_date(raw, &locale, dates)
                .filter(|d| readings.contains(d))
                .unwrap_or(date);
            let other = if readings[0] == own { readings[1] } else { readings[0] };
            let after_change = |d: PartialDate| modified.is_some_and(|m| d.first_day() > m.last_day());
            if shown() == Some(other) || (after_change(own) && !after_change(other)) {
                other
            } else {
                own
            }
        };
        // Most trusted first: what the page states for machines about the
        // article itself (a video's or a picture's own date only when
        // nothing else is stated), then what it shows next to its title,
        // then a publication key in its scripts (written for machines, but
        // about whatever the script holds: a player, a list of teasers),
        // then its address (often only the day a draft was filed), then
        // the date its text shows most. A source that only gives a year or
        // a month gives way to a later one that names a day within it.
        let stated = std::iter::once_with(|| ld.published.clone())
            .chain(PUBLISHED_META.iter().map(|key| meta(&[key])))
            .chain(std::iter::once_with(|| ld.created.clone()))
            .chain(std::iter::once_with(|| {
                marked_date(page, &published::ArticleArea::around(page, title()))
            }))
            .chain(std::iter::once_with(|| ld.other_published.clone()))
            .flatten()
            .find_map(|raw| {
                let date = published::metadata_date(&raw, dates)?;
                let date = Some(settled(&raw, date)).filter(possible)?;
                Some((date, raw))
            });
        let in_text_once = OnceCell::new();
        let in_text = || in_text_once.get_or_init(|| published::shown_dates(page, title(), &locale, dates, today));
        // A timestamp in UTC names the day in Greenwich: it is moved to the
        // day of the page's region (of `Locale::local_day`); where the page
        // shows its readers the day before or after that next to the
        // title, and never shows that day, the day they saw wins.
        let mut moved_to_region = false;
        let published = match stated {
            Some((utc, raw)) if utc.has_day() && published::is_utc_timestamp(&raw) => {
                let day = locale.local_day(utc, &raw);
                let local = shown()
                    .filter(|s| s.has_day() && days_apart(*s, day) == 1)
                    .filter(|_| !in_text().iter().any(|(d, _)| *d == day));
                moved_to_region = day != utc && local.is_none();
                Some(local.unwrap_or(day))
            }
            stated => refine(stated.map(|(day, _)| day), shown),
        };
        // The modified timestamp is moved alike only when the publication's
        // was and the page showed nothing against it: a region named by a
        // CMS's default tag (`en-US`) may not be the page's.
        let modified = match modified_stated {
            Some((day, raw)) if moved_to_region && published::is_utc_timestamp(&raw) => {
                Some(locale.local_day(day, &raw))
            }
            _ => modified,
        };
        let published = refine(published, || {
            scripts
                .publication_date()
                .and_then(|raw| Some(settled(&raw, published::metadata_date(&raw, dates)?)))
                .filter(possible)
        });
        let published = refine(published, || {
            url.clone()
                .or_else(|| published::title_link(page, title()))
                .and_then(|u| date_in_url(&u, dates))
                .filter(possible)
        });
        let published = refine(published, || published::text_date(in_text()));
        let mut authors = ld.authors.clone();
        if authors.is_empty() {
            authors.extend(meta(&["author", "article:author", "dc.creator", "byl"]).filter(|a| !a.starts_with("http")));
        }
        Self {
            headline: headline.clone(),
            page_title,
            lang: declared_lang,
            published,
            modified,
            authors,
            site_name: meta(&["og:site_name", "application-name"]).or(ld.publisher.clone()),
            url,
            description: meta(&["description", "og:description", "twitter:description"]).or(ld.description.clone()),
        }
    }
}

/// The elements the metadata is read from, found in one walk of the page
/// rather than one for each kind: `<meta>` tags with content, `<link>`s,
/// JSON-LD scripts, `<title>`s and the root's `lang`. Told by name and
/// attributes as the walk goes: a selector list matched against every
/// element of the page cost a quarter of the metadata's reading.
fn metadata_elements(page: &Document) -> Vec<NodeRef<'_>> {
    page.root()
        .descendants_it()
        .filter(|node| {
            let Some(element) = node.element_ref() else {
                return false;
            };
            match &*element.name.local {
                "meta" => element.has_attr("content"),
                "link" => element.has_attr("rel") && element.has_attr("href"),
                "script" => element
                    .attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")),
                "title" => true,
                "html" => element.has_attr("lang"),
                _ => false,
            }
        })
        .collect()
}

/// The `<meta>` tags of the page as (key, content): the key is the
/// lower-cased `property`, `name`, `itemprop` or `http-equiv`. Read once,
/// each source is then a lookup.
fn meta_tags<'a>(metas: impl Iterator<Item = &'a NodeRef<'a>>) -> Vec<(String, String)> {
    metas
        .filter_map(|m| {
            let key = m
                .attr("property")
                .or(m.attr("name"))
                .or(m.attr("itemprop"))
                .or(m.attr("http-equiv"))?;
            Some((key.to_ascii_lowercase(), m.attr("content")?.trim().to_string()))
        })
        .collect()
}

/// The first non-empty `content` of a `<meta>` whose key is one of `keys`
/// (in the order of `keys`).
fn meta_content(tags: &[(String, String)], keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| tags.iter().find(|(key, c)| key == k && !c.is_empty()))
        .map(|(_, c)| c.clone())
}

fn meta_link<'a>(mut links: impl Iterator<Item = &'a NodeRef<'a>>, rel: &str) -> Option<String> {
    links
        .find(|l| {
            l.attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|x| x.eq_ignore_ascii_case(rel)))
        })
        .and_then(|l| non_empty(&l.attr("href")?))
}

/// `known`, or the `next` source's date when `known` has no day and
/// `next` names one within it (or `known` is nothing).
fn refine(known: Option<PartialDate>, next: impl FnOnce() -> Option<PartialDate>) -> Option<PartialDate> {
    match known {
        Some(k) if k.has_day() => Some(k),
        Some(k) => Some(
            next()
                .filter(|n| n.first_day() >= k.first_day() && n.last_day() <= k.last_day())
                .unwrap_or(k),
        ),
        None => next(),
    }
}

/// Selectors of elements marked as the publication date, most explicit
/// first: microdata and RDFa (`itemprop`, `property`, as Drupal writes
/// `dc:date dc:created`), HTML5's `pubdate`, the hAtom microformat's
/// `published` (an `<abbr title>` or a `<time>`), a `<time>` in the article.
const MARKED_DATES: &[&str] = &[
    "[itemprop=datePublished]",
    "[property=datePublished], [property='schema:datePublished']",
    "[property~='dc:created'][content], [property~='dcterms:created'][content], [property~='dc:date'][content]",
    "time[pubdate]",
    "abbr.published[title], time.published[datetime]",
    "[itemprop=dateCreated]",
    "article time[datetime]",
];

/// An element marked as the publication date, not in comments, teasers
/// of other pages or the footer: its `datetime`, `content` or (for
/// `<abbr>`) `title`, else its text.
///
/// The page is walked once for all the marks, rather than once for each
/// mark tried, and the elements found are then taken mark by mark.
fn marked_date(page: &Document, article: &published::ArticleArea) -> Option<String> {
    static MATCHERS: OnceLock<(Matcher, Vec<Matcher>)> = OnceLock::new();
    let (any, each) = MATCHERS.get_or_init(|| {
        let matcher = |s: &str| Matcher::new(s).expect("MARKED_DATES are valid selectors");
        (
            matcher(&MARKED_DATES.join(", ")),
            MARKED_DATES.iter().map(|s| matcher(s)).collect(),
        )
    });
    let marked = page.select_matcher(any);
    each.iter().find_map(|mark| {
        marked
            .nodes()
            .iter()
            .filter(|e| e.is_match(mark) && !published::is_elsewhere(e, article))
            .find_map(|e| {
                e.attr("datetime")
                    .or_else(|| e.attr("content"))
                    .or_else(|| e.attr("title").filter(|_| e.node_name().as_deref() == Some("abbr")))
                    .and_then(|v| non_empty(&v))
                    .or_else(|| non_empty(&e.text()))
            })
    })
}

/// The date in an article's address: `/2022/10/20/` (or `/2021/05/`, a
/// month; the month may be named, `/2022/oct/20/`, read by `dates`), else
/// a day written in one piece of its path, `2022-10-20`, `2022_10_20` or
/// `20221020` (`/news/20221020-story`), not part of a longer number.
fn date_in_url(url: &str, dates: &dyn DateReader) -> Option<PartialDate> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let parts: Vec<&str> = path.split('/').collect();
    let named_month = |name: &str, year: i32| -> Option<u8> {
        let alphabetic = (3..=12).contains(&name.chars().count()) && name.chars().all(char::is_alphabetic);
        let read =
            alphabetic.then(|| published::written_date(&format!("1 {name} {year}"), &Default::default(), dates))??;
        read.month.filter(|_| read.year == year)
    };
    let in_parts = parts.windows(3).find_map(|w| {
        let year: i32 = w[0].parse().ok().filter(|y| (1990..=2100).contains(y))?;
        let month: u8 = w[1]
            .parse()
            .ok()
            .filter(|_| w[1].len() == 2)
            .or_else(|| named_month(w[1], year))?;
        match w[2]
            .get(..2)
            .and_then(|d| d.parse::<u8>().ok())
            .filter(|_| w[2].len() == 2)
        {
            Some(day) => PartialDate::day(year, month, day),
            None => PartialDate::month(year, month),
        }
    });
    in_parts.or_else(|| {
        static IN_PIECE: OnceLock<Regex> = OnceLock::new();
        let re = IN_PIECE.get_or_init(|| {
            Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})([-_]?)([01][0-9])([-_]?)([0-3][0-9])(?:[^0-9]|$)")
                .expect("date in an address pattern")
        });
        let host_end = path.find("://").map_or(0, |i| i + 3);
        let path = path[host_end..].split_once('/').map_or("", |(_, p)| p);
        re.captures_iter(path)
            .filter(|c| c[2] == c[4])
            .find_map(|c| PartialDate::day(c[1].parse().ok()?, c[3].parse().ok()?, c[5].parse().ok()?))
    })
}

/// What the page's JSON-LD says of the article.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    /// Of the article or the web page itself.
    published: Option<String>,
    created: Option<String>,
    /// Of something else the page describes (a video, a picture, an
    /// event): the page's date only when nothing else gives one.
    other_published: Option<String>,
    modified: Option<String>,
    authors: Vec<String>,
    publisher: Option<String>,
    url: Option<String>,
    description: Option<String>,
}

/// What a JSON-LD object is to the page, most the page's own first.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum LdRole {
    /// An article whose address is the page's.
    OwnArticle,
    Article,
    /// The web page, or an object that names no type.
    Page,
    /// Something the page shows or mentions.
    Other,
}

impl JsonLd {
    /// `scripts` are the page's JSON-LD `<script>`s; `page_url` is its
    /// canonical address (or `og:url`): of several articles a page
    /// describes (its own, related ones, the posts of a live blog), the one
    /// at that address is its own.
    fn read<'a>(scripts: impl Iterator<Item = &'a NodeRef<'a>>, page_url: Option<&str>) -> Self {
        let mut objects = Vec::new();
        for script in scripts {
            for json in lenient_json(script.text().trim()) {
                collect_objects(json, &mut objects);
            }
        }
        let page_url = page_url.map(comparable_url);
        let mut objects: Vec<(LdRole, serde_json::Map<String, Json>)> = objects
            .into_iter()
            .map(|o| (ld_role(&o, page_url.as_deref()), o))
            .collect();
        // Stable: of equals, the first on the page wins.
        objects.sort_by_key(|(role, _)| *role);
        let mut ld = JsonLd::default();
        for (role, o) in &objects {
            let text = |k: &str| o.get(k).and_then(Json::as_str).and_then(non_empty);
            ld.headline = ld.headline.take().or_else(|| text("headline"));
            let date = |k: &str| o.get(k).and_then(date_value);
            if *role == LdRole::Other {
                ld.other_published = ld
                    .other_published
                    .take()
                    .or_else(|| date("datePublished"))
                    .or_else(|| date("dateCreated"))
                    .or_else(|| date("uploadDate"));
            } else {
                ld.published = ld.published.take().or_else(|| date("datePublished"));
                ld.created = ld
                    .created
                    .take()
                    .or_else(|| date("dateCreated"))
                    .or_else(|| date("uploadDate"));
                ld.modified = ld.modified.take().or_else(|| date("dateModified"));
            }
            ld.description = ld.description.take().or_else(|| text("description"));
            if *role <= LdRole::Article {
                ld.url = ld.url.take().or_else(|| text("url"));
                if ld.authors.is_empty() {
                    ld.authors = names(o.get("author"));
                }
                ld.publisher = ld
                    .publisher
                    .take()
                    .or_else(|| names(o.get("publisher")).into_iter().next());
            }
        }
        ld
    }
}

/// Whether a schema.org type (`NewsArticle`, `BlogPosting`) is an article's.
pub(crate) fn is_article_type(schema_type: &str) -> bool {
    schema_type.ends_with("Article") || matches!(schema_type, "BlogPosting" | "Report" | "LiveBlogPosting")
}

fn ld_role(o: &serde_json::Map<String, Json>, page_url: Option<&str>) -> LdRole {
    let types: Vec<&str> = match o.get("@type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    let is_article = types.iter().any(|t| is_article_type(t));
    if is_article {
        let at_page = page_url.is_some_and(|page| ld_addresses(o).any(|a| comparable_url(a) == page));
        return if at_page { LdRole::OwnArticle } else { LdRole::Article };
    }
    if types.is_empty() || types.iter().any(|t| t.ends_with("Page")) {
        LdRole::Page
    } else {
        LdRole::Other
    }
}

/// The addresses a JSON-LD object gives for what it describes: `url`,
/// `@id`, and `mainEntityOfPage` (an address or a page with an `@id`).
fn ld_addresses(o: &serde_json::Map<String, Json>) -> impl Iterator<Item = &str> {
    let main = o.get("mainEntityOfPage");
    [
        o.get("url"),
        o.get("@id"),
        main,
        main.and_then(|m| m.get("@id")),
        main.and_then(|m| m.get("url")),
    ]
    .into_iter()
    .flatten()
    .filter_map(Json::as_str)
}

/// An address as two ways of writing the same page compare: without
/// scheme, `www.`, fragment, query or trailing slash, in lower case. The
/// `@id` of an article is often its address with `#article` appended.
fn comparable_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let url = url.strip_prefix("www.").unwrap_or(url);
    let url = url.split(['#', '?']).next().unwrap_or_default();
    url.trim_end_matches('/').to_lowercase()
}

/// The values of a JSON-LD block as pages write it: besides valid JSON,
/// raw line breaks inside strings and stray text after the value, which
/// browsers never see and authors never notice.
fn lenient_json(text: &str) -> Vec<Json> {
    let read = |text: &str| -> Vec<Json> {
        serde_json::Deserializer::from_str(text)
            .into_iter::<Json>()
            .map_while(Result::ok)
            .collect()
    };
    let values = read(text);
    if !values.is_empty() {
        return values;
    }
    read(&text.replace(|c: char| c.is_control(), " "))
}

/// Every object of a JSON-LD value that may describe the page: the
/// top-level ones, those of `@graph`, and an article nested as the
/// `mainEntity` of a web page.
fn collect_objects(json: Json, out: &mut Vec<serde_json::Map<String, Json>>) {
    match json {
        Json::Array(items) => items.into_iter().for_each(|i| collect_objects(i, out)),
        Json::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                collect_objects(graph, out);
            }
            if let Some(main) = map.get("mainEntity").filter(|m| m.is_object()) {
                collect_objects(main.clone(), out);
            }
            out.push(map);
        }
        _ => {}
    }
}

/// A JSON-LD date as pages write it: a string, a typed value
/// (`{"@type": "DateTime", "@value": "…"}`), or a list whose first is the
/// original.
fn date_value(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => non_empty(s),
        Json::Object(o) => o.get("@value").and_then(date_value),
        Json::Array(items) => items.iter().find_map(date_value),
        _ => None,
    }
}

/// Names of JSON-LD people or organisations: a string, an object with a
/// `name`, or a list of either.
fn names(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::String(s)) => non_empty(s).into_iter().collect(),
        Some(Json::Object(o)) => o
            .get("name")
            .and_then(Json::as_str)
            .and_then(non_empty)
            .into_iter()
            .collect(),
        Some(Json::Array(items)) => items.iter().flat_map(|i| names(Some(i))).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dates::TestDates;

    #[test]
    fn unread_parts_are_stripped() {
        let html = "<p>a</p><SCRIPT>var x = '<p>no</p>';</SCRIPT><script type=\"application/ld+json\">{}</script>\
                    <style>p{}</style><svg><text>icon</text></svg><!-- note --><p>b</p><script>unclosed";
        assert_eq!(
            strip_unread(html).0,
            "<p>a</p><script type=\"application/ld+json\">{}</script><p>b</p>"
        );
    }

    #[test]
    fn data_attributes_are_cut_out_but_from_images_and_text() {
        let html =
            r#"<div data-id=1 class=a><img data-src="x.jpg"><title>T <b data-x=1></title><p data-y="2">b</p></div>"#;
        assert_eq!(
            strip_unread(html).0,
            r#"<div class=a><img data-src="x.jpg"><title>T <b data-x=1></title><p>b</p></div>"#
        );
    }

    #[test]
    fn links_no_step_reads_are_cut_out() {
        let html = r#"<link rel="stylesheet" href="/a.css"><LINK REL=Stylesheet HREF=/b.css><LINK REL=canonical href="/page"><link rel="alternate" hreflang="de" href="/de"><link href="/x" rel='author'><link rel="preload" title='a > b'><link href="/no-rel">"#;
        assert_eq!(
            strip_unread(html).0,
            r#"<LINK REL=canonical href="/page"><link href="/x" rel='author'><link rel="preload" title='a > b'><link href="/no-rel">"#
        );
    }

    #[test]
    fn navigation_is_cut_out_with_its_content_when_it_ends() {
        for (html, expected) in [
            ("<div>a<nav><a>Home</a></nav>b</div>", "<div>ab</div>"),
            // Navigation nests, in any case, and an end tag may hold attributes.
            ("<NAV><nav>x</nav>y</Nav >z", "z"),
            // Another element whose name starts the same.
            ("<navigation>a</navigation>", "<navigation>a</navigation>"),
            // Breadcrumbs in JSON-LD are still read; a commented-out end tag
            // ends nothing.
            (
                r#"<nav><!-- </nav> --><script type="application/ld+json">{}</script><a>Home</a></nav>"#,
                r#"<script type="application/ld+json">{}</script>"#,
            ),
            // Without its end tag, the parser decides where it ends: it stays.
            (
                "<div><nav><a>Home</a></div><p>Text</p>",
                "<div><nav><a>Home</a></div><p>Text</p>",
            ),
        ] {
            assert_eq!(strip_unread(html).0, expected, "{html}");
        }
        // A script's data in a navigation is searched as any other.
        let html = "<nav><script>page = {pubDate: '2020-04-17'}</script></nav>";
        let spans = strip_unread(html).1;
        assert_eq!(
            spans.iter().map(|s| &html[s.clone()]).collect::<Vec<_>>(),
            ["page = {pubDate: '2020-04-17'}"]
        );
    }

    #[test]
    fn scripts_give_the_first_publication_date_they_name() {
        for (html, expected) in [
            (
                r#"<script>var page = {"section":"news","datePublished":"2020-04-17T01:43:09Z"};</script>"#,
                Some("2020-04-17T01:43:09Z"),
            ),
            (
                "<script>dataLayer.push({pubDate: '2020-04-17', author: 'x'});</script>",
                Some("2020-04-17"),
            ),
            (
                r#"<script>window.state = "{\"publishDate\":\"2020-04-17\"}";</script>"#,
                Some("2020-04-17"),
            ),
            (
                r#"<script>a = {"publishedAt": "Fri, 17 Apr 2020 01:43:09 GMT"}</script><script>b = {"datePublished":"2019-01-01"}</script>"#,
                Some("Fri, 17 Apr 2020 01:43:09 GMT"),
            ),
            // Assigned rather than listed.
            (
                r#"<script>page.content.pubDate = "2020-09-01 16:48:41";</script>"#,
                Some("2020-09-01 16:48:41"),
            ),
            (
                "<script>var meta = {'published_time' : '2020-12-27T09:04:00Z'};</script>",
                Some("2020-12-27T09:04:00Z"),
            ),
            // JSON-LD that is not JSON.
            (
                r#"<script type="application/ld+json">{"@author": A. Writer, "datePublished": "2020-04-17 09:49"}</script>"#,
                Some("2020-04-17 09:49"),
            ),
            // The data of the pages a script marks as related.
            (
                r#"<script type="application/json" class="js-related-articles">[{"publishDate":"2019-02-12 18:04"}]</script><script>x = {"publishDate":"2020-12-29 21:00"}</script>"#,
                Some("2020-12-29 21:00"),
            ),
            // Keys with no date of their own.
            (
                r#"<script>show({"datePublished": null, "date": "2020-04-17"})</script>"#,
                None,
            ),
        ] {
            let spans = strip_unread(html).1;
            let scripts = Scripts { page: html, spans };
            assert_eq!(scripts.publication_date().as_deref(), expected, "{html}");
        }
    }

    #[test]
    fn a_date_of_the_scripts_comes_after_the_date_shown_and_before_the_address() {
        let read = |body: &str| {
            let page = Document::from(format!(
                r#"<html><head><link rel="canonical" href="https://example.org/2016/09/10/story"></head><body>{body}</body></html>"#
            ));
            let html = r#"<script>var page = {"datePublished": "2016-09-12T10:00:00+02:00"};</script>"#;
            let scripts = Scripts {
                page: html,
                spans: strip_unread(html).1,
            };
            Metadata::read(&page, &scripts, &TestDates)
                .published
                .map(|d| d.to_string())
        };
        assert_eq!(read("<h1>Title</h1><p>Text.</p>").as_deref(), Some("2016-09-12"));
        assert_eq!(
            read(r#"<h1>Title</h1><p class="date">March 11, 2020</p>"#).as_deref(),
            Some("2020-03-11")
        );
    }

    #[test]
    fn depth_scan() {
        assert_eq!(nesting_depth("<div><div><p>a<p>b</div></div>"), 2);
        assert_eq!(nesting_depth("<script>if (a<b) {}</script><br/><img src=x>"), 1);
        assert_eq!(nesting_depth("<SCRIPT>if (a<b) {}</Script><BR/><Div></DIV>"), 1);
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
    }

    /// One row per metadata source, most trusted first: each page holds the
    /// source under test and, where it says so, a less trusted one that
    /// must lose.
    #[test]
    fn publication_date_sources() {
        for (head, body, expected) in [
            (
                r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2022-10-20T08:00:00+02:00","dateModified":"2022-10-21"}]}</script><meta property="article:published_time" content="2021-01-01">"#,
                "",
                "2022-10-20",
            ),
            (
                r#"<script type="application/ld+json">[{"@type":"BlogPosting","datePublished":"2020-02-03"}]</script>"#,
                "",
                "2020-02-03",
            ),
            (
                r#"<meta property="article:modified_time" content="2022-11-02"><meta property="article:published_time" content="2022-11-01T10:00:00Z">"#,
                "",
                "2022-11-01",
            ),
            (r#"<meta name="DC.date.issued" content="2019-05-06">"#, "", "2019-05-06"),
            (
                r#"<meta itemprop="datePublished" content="2018-07-08">"#,
                "",
                "2018-07-08",
            ),
            (
                r#"<meta name="date" content="Thu, 20 Oct 2022 08:00:00 GMT">"#,
                "",
                "2022-10-20",
            ),
            (
                "",
                r#"<article><h1>T</h1><time datetime="2017-03-04T09:00">4 mars</time></article>"#,
                "2017-03-04",
            ),
            (
                r#"<link rel="canonical" href="https://example.org/2016/09/10/story">"#,
                "",
                "2016-09-10",
            ),
            // The title's link to its permalink, when the page states no address.
            (
                "",
                r#"<h1 class="entry-title"><a href="https://example.org/2015/06/07/story/" rel="bookmark">Story</a></h1><p>Text.</p>"#,
                "2015-06-07",
            ),
            // JSON-LD as pages write it: a raw line break in a string, stray
            // text after the value; the article as a page's main entity.
            (
                "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"articleBody\":\"a\nb\",\"datePublished\":\"2020-04-08\"}}</script>",
                "",
                "2020-04-08",
            ),
            (
                r#"<script type="application/ld+json">{"@type":"WebPage","mainEntity":{"@type":"Article","datePublished":"2015-01-02"}}</script>"#,
                "",
                "2015-01-02",
            ),
            (
                r#"<script type="application/ld+json">{"@type":"NewsArticle","dateCreated":"2014-03-04","dateModified":"2014-05-06"}</script>"#,
                "",
                "2014-03-04",
            ),
            (r#"<meta property="bt:pubDate" content="20200924T10:04:34Z">"#, "", "2020-09-24"),
            (
                "",
                r#"<h1>T</h1><span itemprop="datePublished">April 2, 2013</span>"#,
                "2013-04-02",
            ),
            // More of the keys CMSs and analytics tags use.
            (r#"<meta name="parsely-pub-date" content="2019-02-03T04:05:06-05:00">"#, "", "2019-02-03"),
            (r#"<meta name="sailthru.date" content="2019-02-04 10:00:00">"#, "", "2019-02-04"),
            (r#"<meta property="og:pubdate" content="2019-02-05">"#, "", "2019-02-05"),
            (r#"<meta name="published_time" content="2019-02-06 10:00">"#, "", "2019-02-06"),
            (r#"<meta name="created" content="2019-02-07">"#, "", "2019-02-07"),
            (r#"<meta property="og:release_date" content="2019-02-08">"#, "", "2019-02-08"),
            // RDFa as Drupal writes it; the hAtom microformat.
            (
                "",
                r#"<h1>T</h1><span property="dc:date dc:created" content="2012-03-04T10:00:00+01:00">4 March</span>"#,
                "2012-03-04",
            ),
            (
                "",
                r#"<h1>T</h1><abbr class="published" title="2011-05-06T08:00:00+02:00">6 May</abbr>"#,
                "2011-05-06",
            ),
            // JSON-LD dates as typed values or lists; a video's upload date.
            (
                r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":{"@type":"DateTime","@value":"2010-07-08"}}</script>"#,
                "",
                "2010-07-08",
            ),
            (
                r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":["2010-07-09","2010-07-10"]}</script>"#,
                "",
                "2010-07-09",
            ),
            (
                r#"<script type="application/ld+json">{"@type":"VideoObject","uploadDate":"2010-07-11T10:00:00+02:00"}</script>"#,
                "",
                "2010-07-11",
            ),
            // Of several articles, the one at the page's address is its own,
            // else the first; the date of a video the page embeds gives
            // way to the article's.
            (
                r#"<link rel="canonical" href="https://example.org/news/own"><script type="application/ld+json">[{"@type":"NewsArticle","url":"https://example.org/news/related","datePublished":"2008-01-01"},{"@type":"NewsArticle","mainEntityOfPage":{"@id":"http://www.example.org/news/own/"},"datePublished":"2008-02-02"}]</script>"#,
                "",
                "2008-02-02",
            ),
            (
                r#"<meta property="og:url" content="https://example.org/news/own"><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","@id":"https://example.org/news/own#article","datePublished":"2008-02-03"}]}</script><script type="application/ld+json">{"@type":"Article","url":"https://example.org/news/other","datePublished":"2008-01-01"}</script>"#,
                "",
                "2008-02-03",
            ),
            (
                r#"<script type="application/ld+json">[{"@type":"NewsArticle","url":"https://example.org/a","datePublished":"2008-03-03"},{"@type":"NewsArticle","url":"https://example.org/b","datePublished":"2008-01-01"}]</script>"#,
                "",
                "2008-03-03",
            ),
            (
                r#"<script type="application/ld+json">{"@type":"VideoObject","datePublished":"2008-01-01"}</script><meta property="article:published_time" content="2008-04-04">"#,
                "",
                "2008-04-04",
            ),
            // A date marked as published in a comment is the comment's.
            (
                r#"<meta name="date" content="2009-01-02">"#,
                r#"<div class="comment"><span itemprop="datePublished" content="2009-05-05">5 May</span></div>"#,
                "2009-01-02",
            ),
            // Nothing marked: the date the text shows most.
            (
                "",
                "<h1>Title</h1><p>Text.</p><p>Posted on 12.03.2015</p><p>Updated 12.03.2015</p><p>Comment, 01.04.2015</p>",
                "2015-03-12",
            ),
            // A date no page can have gives way to the next source.
            (
                r#"<meta property="article:published_time" content="1970-01-01T00:00:00Z"><meta name="date" content="2016-02-03">"#,
                "",
                "2016-02-03",
            ),
            (
                r#"<meta property="article:published_time" content="2999-01-01"><meta name="date" content="2016-02-04">"#,
                "",
                "2016-02-04",
            ),
            // A year alone gives way to a day within it.
            (
                r#"<meta name="date" content="2020"><link rel="canonical" href="https://example.org/2020/10/04/story">"#,
                "",
                "2020-10-04",
            ),
        ] {
            let page = Document::from(format!("<html><head>{head}</head><body>{body}</body></html>"));
            let meta = Metadata::read(&page, &Scripts::default(), &TestDates);
            assert_eq!(
                meta.published.map(|d| d.to_string()).as_deref(),
                Some(expected),
                "{head}{body}"
            );
        }
    }

    #[test]
    fn a_page_of_a_day_first_region_shows_its_numeric_date_day_first() {
        for (html_tag, head) in [
            (r#"<html lang="en-GB">"#, ""),
            (r#"<html lang="en">"#, r#"<meta property="og:locale" content="en_AU">"#),
            (
                r#"<html lang="en">"#,
                r#"<link rel="canonical" href="https://example.co.uk/news/story">"#,
            ),
        ] {
            let page = Document::from(format!(
                r#"{html_tag}<head>{head}</head><body><h1>Title</h1><p class="date">05/03/2020</p><p>Text.</p></body></html>"#
            ));
            let meta = Metadata::read(&page, &Scripts::default(), &TestDates);
            assert_eq!(
                meta.published.map(|d| d.to_string()).as_deref(),
                Some("2020-03-05"),
                "{html_tag}{head}"
            );
        }
    }

    #[test]
    fn a_numeric_date_that_reads_both_ways_is_settled_by_the_pages_other_dates() {
        let published = |lang: &str, head: &str, body: &str| {
            let page = Document::from(format!(
                r#"<html lang="{lang}"><head>{head}</head><body><h1>Title</h1>{body}<p>Text.</p></body></html>"#
            ));
            Metadata::read(&page, &Scripts::default(), &TestDates)
                .published
                .map(|d| d.to_string())
        };
        // As the page's language writes it.
        let stamp = r#"<meta name="date" content="11/01/2023 12:43">"#;
        assert_eq!(published("de", stamp, "").as_deref(), Some("2023-01-11"));
        assert_eq!(published("en", stamp, "").as_deref(), Some("2023-11-01"));
        // The other reading is the date shown next to the title.
        assert_eq!(
            published("de", stamp, r#"<p class="date">01.11.2023</p>"#).as_deref(),
            Some("2023-11-01")
        );
        // The page's reading is after the page's last change.
        let changed = r#"<meta property="article:published_time" content="10/05/2022 05:22 pm">
            <meta property="article:modified_time" content="2022/05/10 17:36:11">"#;
        assert_eq!(published("en", changed, "").as_deref(), Some("2022-05-10"));
        // A date of the scripts is read alike.
        let page = Document::from(r#"<html lang="de"><body><h1>Title</h1><p>Text.</p></body></html>"#);
        let html = "<script>var page = {publish_date: '11/01/2023'};</script>";
        let scripts = Scripts {
            page: html,
            spans: strip_unread(html).1,
        };
        assert_eq!(
            Metadata::read(&page, &scripts, &TestDates)
                .published
                .map(|d| d.to_string())
                .as_deref(),
            Some("2023-01-11")
        );
    }

    /// A UTC timestamp gives way to the day the page shows its readers
    /// when they are one day apart; a local timestamp does not.
    #[test]
    fn utc_timestamps_give_way_to_the_local_day_shown() {
        let page = |stamp: &str, shown: &str| {
            Document::from(format!(
                r#"<html><head><meta property="article:published_time" content="{stamp}"></head>
                <body><h1>Title</h1><p class="byline"><span class="date">{shown}</span></p><p>Text.</p></body></html>"#
            ))
        };
        let published = |stamp: &str, shown: &str| {
            Metadata::read(&page(stamp, shown), &Scripts::default(), &TestDates)
                .published
                .map(|d| d.to_string())
        };
        assert_eq!(
            published("2020-05-02T02:54:29Z", "1 May 2018").as_deref(),
            Some("2020-05-02")
        );
        assert_eq!(
            published("2018-05-02T02:54:29.000Z", "1 May 2018").as_deref(),
            Some("2018-05-01")
        );
        assert_eq!(
            published("2018-05-02T02:54:29+02:00", "1 May 2018").as_deref(),
            Some("2018-05-02")
        );
        // The UTC day is shown elsewhere in the page: the day next to the
        // title is another's.
        let page = Document::from(
            r#"<html><head><meta property="article:published_time" content="2018-05-02T02:54:29Z"></head>
            <body><p>2018-05-02</p><h1>Title</h1><p class="byline"><span class="date">1 May 2018</span></p></body></html>"#,
        );
        assert_eq!(
            Metadata::read(&page, &Scripts::default(), &TestDates)
                .published
                .map(|d| d.to_string())
                .as_deref(),
            Some("2018-05-02")
        );
    }

    /// A UTC timestamp is dated on the day of the page's region; the
    /// modified one too, unless the page showed another day for its
    /// publication (a CMS's default `en-US` on a page of Manila).
    #[test]
    fn utc_timestamps_are_dated_on_the_regions_day() {
        let dates = |lang: &str, shown: &str| {
            let page = Document::from(format!(
                r#"<html lang="{lang}"><head><meta property="article:published_time" content="2018-05-02T00:25:09Z">
                <meta property="article:modified_time" content="2018-05-02T03:10:00Z"></head>
                <body><h1>Title</h1><p class="byline">{shown}</p><p>Text.</p></body></html>"#
            ));
            let meta = Metadata::read(&page, &Scripts::default(), &TestDates);
            (
                meta.published.map(|d| d.to_string()),
                meta.modified.map(|d| d.to_string()),
            )
        };
        let day = |d: &str| Some(d.to_string());
        assert_eq!(dates("en-US", "By A. Writer"), (day("2018-05-01"), day("2018-05-01")));
        assert_eq!(dates("en", "By A. Writer"), (day("2018-05-02"), day("2018-05-02")));
        // The page shows the UTC day as its publication's: the region was
        // not the page's, and the change keeps its UTC day.
        assert_eq!(
            dates("en-US", r#"<span class="date">2018-05-02</span>"#),
            (day("2018-05-02"), day("2018-05-02"))
        );
    }

    #[test]
    fn other_metadata() {
        let page = Document::from(
            r#"<html lang="fr-FR"><head><title>Titre | Site</title>
            <meta property="og:site_name" content="Le Site"><meta name="description" content="Résumé.">
            <meta property="article:modified_time" content="2022-10-21">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Titre","author":[{"name":"A. Un"},{"name":"B. Deux"}],"publisher":{"name":"Éditions"}}</script>
            <link rel="canonical" href="https://example.org/titre"></head><body></body></html>"#,
        );
        let meta = Metadata::read(&page, &Scripts::default(), &TestDates);
        assert_eq!(meta.headline.as_deref(), Some("Titre"));
        assert_eq!(meta.lang.as_deref(), Some("fr-FR"));
        assert_eq!(meta.modified.map(|d| d.to_string()).as_deref(), Some("2022-10-21"));
        assert_eq!(meta.authors, ["A. Un", "B. Deux"]);
        assert_eq!(meta.site_name.as_deref(), Some("Le Site"));
        assert_eq!(meta.description.as_deref(), Some("Résumé."));
        assert_eq!(meta.url.as_deref(), Some("https://example.org/titre"));
    }

    fn text_of(html: &str) -> String {
        extract(html, &TestDates).unwrap().text
    }

    #[test]
    fn a_picture_caption_is_not_article_text() {
        let prose = "The council voted the new budget on Monday after a long debate. ".repeat(8);
        let text = text_of(&format!(
            "<html><body><article><h1>Budget</h1><p>{prose}</p><figure><img src=\"a.jpg\">\
             <figcaption>The mayor at the council, on Monday</figcaption></figure><p>{prose}</p></article></body></html>"
        ));
        assert!(text.contains("The council voted"), "{text}");
        assert!(!text.contains("The mayor at the council"), "{text}");
    }

    #[test]
    fn what_the_page_marks_as_navigation_is_not_article_text() {
        let prose = "The council voted the new budget on Monday after a long debate. ".repeat(8);
        let text = text_of(&format!(
            "<html><body><div><nav><span>For students</span><a href=\"/staff\">For employers and partners of the school</a>\
             </nav><h1>Budget</h1><p>{prose}</p><p>{prose}</p></div></body></html>"
        ));
        assert!(text.contains("The council voted"), "{text}");
        assert!(!text.contains("students") && !text.contains("employers"), "{text}");
    }

    /// The standfirst is shown above the block Readability chooses and
    /// repeated as the page's description; a description shown nowhere, or
    /// only inside JSON-LD, is not article text.
    #[test]
    fn a_standfirst_shown_above_the_article_opens_its_text() {
        let lede = "The town will heat its school with pellets made of the leaves it sweeps up each autumn.";
        let prose = "The council voted the new budget on Monday after a long debate. ".repeat(8);
        let page = |shown: &str| {
            format!(
                "<html><head><title>Leaves</title><meta name=\"description\" content=\"{lede}\"></head><body><header><h1>Leaves</h1>\
                 {shown}</header><div class=\"body\"><p>{prose}</p><p>{prose}</p></div></body></html>"
            )
        };
        let with_lede = text_of(&page(&format!("<p class=\"intro\">{lede}</p>")));
        assert!(
            with_lede.starts_with(&format!("Leaves\n\n{lede}\n\nThe council voted")),
            "{with_lede}"
        );
        let unshown = text_of(&page(&format!(
            "<script type=\"application/ld+json\">{{\"description\":\"{lede}\"}}</script>"
        )));
        assert!(!unshown.contains("pellets"), "{unshown}");
    }

    #[test]
    fn a_block_of_links_with_a_paragraph_of_its_own_is_an_article() {
        let links: String = (1..=30)
            .map(|n| format!("<li><a href=\"/ep{n}\">Episode {n} of the other show</a></li>"))
            .collect();
        let intro = "This week we talk about the new series, after its fifth episode, and we will spoil it. ".repeat(6);
        let page = format!("<html><body><h1>Show notes</h1><p>{intro}</p><ul>{links}</ul></body></html>");
        let article = extract(&page, &TestDates).unwrap();
        assert!(
            !article.list_page && article.text.contains("This week we talk"),
            "{}",
            article.text
        );
    }

    #[test]
    fn a_block_mostly_of_links_with_a_short_introduction_lists_other_pages() {
        let links: String = (1..=12)
            .map(|n| {
                format!("<li><a href=\"/story{n}\">Read the full story number {n} about the city budget vote</a></li>")
            })
            .collect();
        let intro = "<p>Here are the stories of the week about the budget of the city and its council.</p>".repeat(4);
        let page = format!("<html><body><div>{intro}<ul>{links}</ul></div></body></html>");
        let article = extract(&page, &TestDates).unwrap();
        assert!(article.list_page, "{}", article.text);
    }

    /// A body split into parts of nested blocks, one part much longer than
    /// the others: Readability keeps the longest part, the page's
    /// `articleBody` mark says the article is all of them.
    #[test]
    fn a_body_the_page_marks_as_the_article_is_read_whole() {
        let part = |heading: &str, sentence: &str, times: usize| {
            format!(
                "<div><div class=\"part\"><h2><div>{heading}</div></h2><div class=\"text\"><div><p>{}</p></div></div></div></div>\
                 <div class=\"clear\"></div>",
                sentence.repeat(times)
            )
        };
        let html = format!(
            "<html><body><div class=\"main\"><div itemprop=\"articleBody\">{}{}{}</div></div></body></html>",
            part(
                "Opening",
                "The town will heat its school with pellets made of leaves. ",
                8
            ),
            part(
                "The pilot",
                "Leaves are dried, ground and pressed into pellets in a barn, by hand for now. ",
                12
            ),
            part(
                "Funding",
                "A grant has been asked for, to buy a press that works on its own. ",
                8
            ),
        );
        let text = text_of(&html);
        for wanted in ["The town will heat", "Leaves are dried", "A grant has been asked for"] {
            assert!(text.contains(wanted), "{wanted}: {text}");
        }
    }

    /// An endless scroll of stories, each an `<article>` with its heading:
    /// Readability prefers the longest, the page's title names the first.
    #[test]
    fn on_a_page_of_stories_the_one_under_the_title_is_the_article() {
        let story = |title: &str, sentence: &str, times: usize| {
            format!(
                "<article><header><h1>{title}</h1></header><div class=\"entry\"><p>{}</p><p>{}</p></div></article>",
                sentence.repeat(times),
                sentence.repeat(times)
            )
        };
        let page = format!(
            "<html><head><title>Daily | Vehicles blessed on Saturday</title><meta property=\"og:title\" content=\"Vehicles blessed on Saturday\"></head>\
             <body><main>{}{}</main></body></html>",
            story("Vehicles blessed on Saturday", "Drivers of every kind of vehicle are invited to the yearly blessing. ", 6),
            story("The prosecutors met", "The two prosecutors agreed to work together against organised crime across borders. ", 12),
        );
        let headed_by_h2 = page.replace("h1>", "h2>").replace(
            "</div></article>",
            "</div><h2>More</h2><p><a href=\"/a\">Another story</a></p></article>",
        );
        let typed = page
            .replace(
                "<article>",
                "<div itemscope itemtype=\"https://schema.org/NewsArticle\">",
            )
            .replace("</article>", "</div>");
        // Stories headed by `<h1>`; by `<h2>`, each closing on its own
        // links; typed by microdata rather than `<article>`.
        for html in [page, headed_by_h2, typed] {
            let text = text_of(&html);
            assert!(text.contains("Drivers of every kind"), "{text}");
            assert!(!text.contains("The two prosecutors"), "{text}");
        }
        // An `<article>` that only heads the page's body is no story.
        let html = format!(
            "<html><head><title>Vehicles blessed on Saturday</title></head><body><h1 class=\"logo\">Daily</h1>\
             <article><h1>Vehicles blessed on Saturday</h1><p>By A. Writer</p></article><div class=\"body\"><p>{}</p><p>{}</p></div>\
             <article><h1>Other</h1><p>Teaser.</p></article></body></html>",
            "Drivers of every kind of vehicle are invited to the yearly blessing. ".repeat(8),
            "It is held on the avenue from six in the morning to nine at night. ".repeat(8),
        );
        let text = text_of(&html);
        assert!(text.contains("Drivers of every kind"), "{text}");
    }

    #[test]
    fn dates_in_urls() {
        for (url, expected) in [
            ("https://example.org/2022/10/20/cnil-amende", Some("2022-10-20")),
            ("https://example.org/news/2021/05/story.html", Some("2021-05")),
            ("https://example.org/about/", None),
            ("https://example.org/news/2022-10-20-cnil-amende", Some("2022-10-20")),
            ("https://example.org/world/2018/May/01/story", Some("2018-05-01")),
            ("https://example.org/world/2020/janvier/13/story", None),
            ("https://example.org/news/20221020_story.html", Some("2022-10-20")),
            ("https://example.org/a/2022_10_20/story", Some("2022-10-20")),
            // Not a date: one of a longer number, separators that differ,
            // the host's name, no day in the month.
            ("https://example.org/article/120221020123/story", None),
            ("https://example.org/news/2022-1020-story", None),
            ("https://20221020.example.org/story", None),
            ("https://example.org/news/20221340-story", None),
        ] {
            assert_eq!(
                date_in_url(url, &TestDates).map(|d| d.to_string()).as_deref(),
                expected,
                "{url}"
            );
        }
    }
}
