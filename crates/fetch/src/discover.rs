//! Finding article addresses: RSS 2.0 and Atom feeds, XML sitemaps
//! (indexes, Google News sitemaps, gzipped ones). Publication dates they
//! give (`pubDate`, `published`, `news:publication_date`) come along as
//! written, for the caller to read.

use std::io::Read;

use flate2::read::MultiGzDecoder;

use super::{ErrorKind, FetchError, Fetcher};

/// Sitemap indexes nest; real ones are one or two levels deep.
const MAX_SITEMAP_DEPTH: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub url: String,
    /// The publication date as the feed or sitemap writes it
    /// (`Thu, 20 Oct 2022 08:00:00 GMT`, `2022-10-20T08:00:00+02:00`).
    pub published: Option<String>,
}

fn bad(message: impl Into<String>) -> FetchError {
    FetchError::new(ErrorKind::BadRecord, message)
}

/// The entries of an RSS 2.0 or Atom feed.
pub fn parse_feed(xml: &str) -> Result<Vec<Entry>, FetchError> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| bad(format!("not XML: {e}")))?;
    let child_text = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::trim)
            .map(str::to_string)
    };
    let mut entries = Vec::new();
    for node in doc.descendants() {
        match node.tag_name().name() {
            "item" => {
                if let Some(url) = child_text(node, "link").filter(|l| !l.is_empty()) {
                    let published = child_text(node, "pubDate");
                    entries.push(Entry { url, published });
                }
            }
            "entry" => {
                let link = node
                    .children()
                    .filter(|c| c.tag_name().name() == "link")
                    .find(|c| c.attribute("rel").is_none_or(|r| r == "alternate"))
                    .and_then(|c| c.attribute("href"));
                if let Some(url) = link {
                    let published = child_text(node, "published").or_else(|| child_text(node, "updated"));
                    entries.push(Entry {
                        url: url.to_string(),
                        published,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(entries)
}

/// A sitemap: its pages, or (for an index) the sitemaps it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    Pages(Vec<Entry>),
    Index(Vec<String>),
}

pub fn parse_sitemap(xml: &str) -> Result<Sitemap, FetchError> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| bad(format!("not XML: {e}")))?;
    let root = doc.root_element();
    let loc = |node: roxmltree::Node| {
        node.children()
            .find(|c| c.tag_name().name() == "loc")
            .and_then(|c| c.text())
            .map(|t| t.trim().to_string())
    };
    match root.tag_name().name() {
        "sitemapindex" => Ok(Sitemap::Index(
            root.children()
                .filter(|c| c.tag_name().name() == "sitemap")
                .filter_map(loc)
                .collect(),
        )),
        "urlset" => Ok(Sitemap::Pages(
            root.children()
                .filter(|c| c.tag_name().name() == "url")
                .filter_map(|u| {
                    let published = u
                        .descendants()
                        .find(|c| c.tag_name().name() == "publication_date")
                        .and_then(|c| c.text())
                        .map(|t| t.trim().to_string());
                    Some(Entry {
                        url: loc(u)?,
                        published,
                    })
                })
                .collect(),
        )),
        other => Err(bad(format!("not a sitemap: <{other}>"))),
    }
}

/// Text of a fetched XML document, gunzipped (up to `max_bytes`) if it
/// is gzip.
fn xml_text(body: &[u8], max_bytes: u64) -> Result<String, FetchError> {
    if body.starts_with(&glaneur_warc::GZIP_MAGIC) {
        let mut out = String::new();
        MultiGzDecoder::new(body)
            .take(max_bytes)
            .read_to_string(&mut out)
            .map_err(|e| FetchError::new(ErrorKind::BadGzip, format!("gzipped sitemap: {e}")))?;
        return Ok(out);
    }
    Ok(String::from_utf8_lossy(body).into_owned())
}

/// Entries of the feed at `url`.
pub fn feed(fetcher: &Fetcher, url: &str) -> Result<Vec<Entry>, FetchError> {
    let page = fetcher.fetch(url)?;
    let entries = parse_feed(&xml_text(&page.body, fetcher.options.max_bytes)?)?;
    Ok(absolute(entries, &page.final_url))
}

/// Pages of the sitemap at `url`, following indexes.
pub fn sitemap(fetcher: &Fetcher, url: &str) -> Result<Vec<Entry>, FetchError> {
    let mut pages = Vec::new();
    let mut queue = vec![(url.to_string(), 0)];
    while let Some((next, depth)) = queue.pop() {
        let page = fetcher.fetch(&next)?;
        match parse_sitemap(&xml_text(&page.body, fetcher.options.max_bytes)?)? {
            Sitemap::Pages(entries) => pages.extend(absolute(entries, &page.final_url)),
            Sitemap::Index(children) if depth < MAX_SITEMAP_DEPTH => {
                let base = reqwest::Url::parse(&page.final_url).ok();
                let children = children.into_iter().rev().map(|c| match &base {
                    Some(b) => super::resolve_location(b, &c),
                    None => c,
                });
                queue.extend(children.map(|c| (c, depth + 1)));
            }
            Sitemap::Index(_) => return Err(bad(format!("sitemap indexes nested deeper than {MAX_SITEMAP_DEPTH}"))),
        }
    }
    Ok(pages)
}

/// Entries whose links are relative, made absolute against the document's address.
fn absolute(entries: Vec<Entry>, base: &str) -> Vec<Entry> {
    let Ok(base) = reqwest::Url::parse(base) else {
        return entries;
    };
    entries
        .into_iter()
        .map(|e| Entry {
            url: super::resolve_location(&base, &e.url),
            ..e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds() {
        let rss = r#"<rss version="2.0"><channel><title>T</title>
            <item><title>A</title><link>https://n.example/a</link><pubDate>Thu, 20 Oct 2022 08:00:00 GMT</pubDate></item>
            <item><title>B</title><link> https://n.example/b </link></item></channel></rss>"#;
        let entries = parse_feed(rss).unwrap();
        assert_eq!(entries[0].url, "https://n.example/a");
        assert_eq!(entries[0].published.as_deref(), Some("Thu, 20 Oct 2022 08:00:00 GMT"));
        assert_eq!(
            entries[1],
            Entry {
                url: "https://n.example/b".into(),
                published: None
            }
        );

        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>C</title>
            <link rel="self" href="https://n.example/feed/c"/><link href="https://n.example/c"/>
            <published>2023-01-02T03:04:05Z</published></entry></feed>"#;
        let entries = parse_feed(atom).unwrap();
        assert_eq!(
            entries,
            [Entry {
                url: "https://n.example/c".into(),
                published: Some("2023-01-02T03:04:05Z".into())
            }]
        );
    }

    #[test]
    fn sitemaps() {
        let index = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://n.example/s1.xml</loc></sitemap><sitemap><loc>https://n.example/s2.xml.gz</loc></sitemap></sitemapindex>"#;
        assert_eq!(
            parse_sitemap(index).unwrap(),
            Sitemap::Index(vec![
                "https://n.example/s1.xml".into(),
                "https://n.example/s2.xml.gz".into()
            ])
        );
        let news = r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
            <url><loc>https://n.example/a</loc><news:news><news:publication_date>2022-10-20T08:00:00+02:00</news:publication_date></news:news></url>
            <url><loc>https://n.example/b</loc><lastmod>2022-01-01</lastmod></url></urlset>"#;
        let Sitemap::Pages(pages) = parse_sitemap(news).unwrap() else {
            panic!("pages")
        };
        assert_eq!(pages[0].published.as_deref(), Some("2022-10-20T08:00:00+02:00"));
        assert_eq!(pages[1].published, None, "lastmod is not a publication date");
    }
}
