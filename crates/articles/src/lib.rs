//! Articles from bytes: reading files (plain or gzipped), decoding their
//! charset, extracting the main text and metadata of HTML pages, cleaning
//! page furniture out of plain text, and telling the language. Dates a page
//! writes in words are read by the caller's [`DateReader`]; which date the
//! article ends with (the page's, its text's dateline, a feed's, a dump's)
//! is the caller's decision.

mod attributes;
mod blocks;
mod cards;
mod decode;
mod error;
mod html;
mod language;
mod main_block;
mod months;
mod plain;
mod published;
mod read;
mod spaces;
#[cfg(test)]
mod test_dates;
mod words;

pub use error::{ArticleError, ErrorCode};
pub use published::metadata_date;
pub use read::{read_file, read_stream, MAX_INPUT_BYTES};

use glaneur_calendar::{DateReader, PartialDate};

/// One article: its text (title and body, furniture removed) and what is
/// known about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub title: Option<String>,
    pub text: String,
    /// An index or list page (teasers of other pages, no single article):
    /// its text is only its title.
    pub list_page: bool,
    /// ISO 639-1 code of the main text's language.
    pub lang: Option<String>,
    /// Publication date the page gives: its metadata's, else the date shown
    /// next to its title, else the one in its address.
    pub published: Option<PartialDate>,
    pub modified: Option<PartialDate>,
    pub authors: Vec<String>,
    pub site_name: Option<String>,
    /// The page's canonical URL.
    pub url: Option<String>,
    pub description: Option<String>,
}

/// What the caller knows of the input besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// The file name or URL path, for its extension.
    pub name: Option<String>,
    /// A language the user asked for (`--lang`): it wins over detection.
    pub lang: Option<String>,
    /// The charset the transport declared (HTTP `Content-Type`): it wins
    /// over the page's own `<meta charset>`, as in browsers.
    pub charset: Option<String>,
}

/// Turns the bytes of one document into an article; `dates` reads the
/// dates an HTML page writes in words.
pub fn extract(bytes: &[u8], hints: &Hints, dates: &dyn DateReader) -> Result<Article, ArticleError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ArticleError::new(ErrorCode::Empty, "the input has no content"));
    }
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ArticleError::new(
            ErrorCode::TooLarge,
            format!(
                "{} bytes, more than the {MAX_INPUT_BYTES} a document may have",
                bytes.len()
            ),
        ));
    }
    decode::reject_binary(bytes)?;
    let text = decode::decode(bytes, hints.charset.as_deref());
    let trimmed = text.trim_start();
    if trimmed.starts_with(['{', '[']) && serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok() {
        return Err(ArticleError::new(
            ErrorCode::NotArticle,
            "the input is JSON data, not an article",
        ));
    }
    let is_html = html::looks_like_html(&text, hints.name.as_deref());
    let mut article = if is_html {
        html::extract(&text, dates)?
    } else {
        Article {
            text: text.into_owned(),
            ..Article::default()
        }
    };
    let lang = hints
        .lang
        .clone()
        .or_else(|| language::detect(&article.text, article.lang.as_deref()));
    // HTML furniture is mostly left out by the page's structure, and what
    // survives is judged by blocks; plain text only has its lines to go by.
    article.text = if is_html {
        blocks::remove_furniture(&article.text)
    } else {
        plain::remove_furniture(&article.text, lang.as_deref())
    };
    if article.title.is_none() {
        article.title = plain::title(&article.text);
    }
    article.lang = lang;
    Ok(article)
}

/// Codes of the languages whose page-furniture words are known
/// (`data/articles/`).
pub fn furniture_languages() -> impl Iterator<Item = &'static str> {
    words::languages()
}

/// The function words of every language (`data/articles/`): what a
/// headline's content words are not.
pub fn function_words() -> impl Iterator<Item = &'static str> {
    words::all()
        .iter()
        .flat_map(|w| w.function_words.iter().map(String::as_str))
}
