//! Which publication date a document gets. Every source only reports
//! what it says (a dump's field, the page, its text, a feed); the order
//! in which they win is decided here and nowhere else.

use glaneur_articles::Article;
use glaneur_facts::{lang, PackDateReader, PartialDate};

/// The document's publication date, the first of:
/// 1. `given` with the input (a JSONL dump's `published`): whoever made the
///    dump chose it;
/// 2. the page's own ([`Article::published`]: its metadata, else the date
///    shown next to its title, else its address);
/// 3. the dateline of its text (`Publié le 08/09/2017` among the first lines);
/// 4. the date a feed or sitemap gave for the page: only a hint, for pages
///    that say nothing.
pub fn publication_date(
    article: &Article,
    given: Option<PartialDate>,
    feed: Option<PartialDate>,
) -> Option<PartialDate> {
    given
        .or(article.published)
        .or_else(|| glaneur_facts::dateline(&article.text, article.lang.as_deref().unwrap_or(lang::DEFAULT)))
        .or(feed)
}

/// A feed's or sitemap's date as it is written: ISO 8601 (Atom, sitemaps),
/// else in words of any language (RSS `Thu, 20 Oct 2022 08:00:00 GMT`),
/// read as pages' metadata is.
pub fn feed_date(written: &str) -> Option<PartialDate> {
    glaneur_articles::metadata_date(written, &PackDateReader)
}

/// Whether a feed entry published on `published` passes `--since`: an
/// undated one does, as nothing says it is older.
pub fn is_since(published: Option<PartialDate>, since: Option<PartialDate>) -> bool {
    match (since, published) {
        (Some(since), Some(published)) => published.last_day() >= since.first_day(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<PartialDate> {
        PartialDate::parse_iso_prefix(s)
    }

    fn article(published: Option<&str>, text: &str) -> Article {
        Article {
            published: published.and_then(day),
            text: text.into(),
            lang: Some("fr".into()),
            ..Article::default()
        }
    }

    #[test]
    fn a_given_date_wins_then_the_page_then_its_dateline_then_the_feed() {
        let dated_text = "Titre\nPublié le 08/09/2017\nTexte.";
        let cases = [
            (
                day("2020-01-01"),
                Some("2021-01-01"),
                dated_text,
                day("2022-01-01"),
                "2020-01-01",
            ),
            (None, Some("2021-01-01"), dated_text, day("2022-01-01"), "2021-01-01"),
            (None, None, dated_text, day("2022-01-01"), "2017-09-08"),
            (None, None, "Titre\nTexte.", day("2022-01-01"), "2022-01-01"),
        ];
        for (given, page, text, feed, expected) in cases {
            let got = publication_date(&article(page, text), given, feed);
            assert_eq!(got, day(expected), "{given:?} {page:?} {text:?} {feed:?}");
        }
        assert_eq!(publication_date(&article(None, "Titre\nTexte."), None, None), None);
    }

    #[test]
    fn feed_dates_are_iso_or_written_in_any_language() {
        assert_eq!(feed_date("2023-01-02T03:04:05Z"), day("2023-01-02"));
        assert_eq!(feed_date("Thu, 20 Oct 2022 08:00:00 GMT"), day("2022-10-20"));
        assert_eq!(feed_date("20. Oktober 2022"), day("2022-10-20"));
        assert_eq!(feed_date("20221020T08:00:00Z"), day("2022-10-20"));
        assert_eq!(feed_date("2022/10/20 08:00"), day("2022-10-20"));
        assert_eq!(feed_date("soon"), None);
    }

    #[test]
    fn since_keeps_undated_entries_and_drops_older_ones() {
        let since = day("2022-10-21");
        assert!(is_since(None, since));
        assert!(is_since(day("2022-10-21"), since));
        assert!(
            is_since(day("2022-10"), since),
            "a month that ends after since may hold it"
        );
        assert!(!is_since(day("2022-10-20"), since));
        assert!(is_since(day("1999-01-01"), None));
    }
}
