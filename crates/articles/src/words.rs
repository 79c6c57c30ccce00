//! The words that tell page furniture from article text in one language,
//! read from `data/articles/*.toml` compiled into the binary.

use std::sync::OnceLock;

use serde::Deserialize;

/// One language's furniture words; `data/articles/README.md` documents the keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageWords {
    pub code: String,
    pub function_words: Vec<String>,
    pub furniture_headings: Vec<String>,
    pub modified_labels: Vec<String>,
    pub published_labels: Vec<String>,
    pub date_marks: Vec<String>,
}

const SOURCES: &[(&str, &str)] = &[
    ("de.toml", include_str!("../../../data/articles/de.toml")),
    ("en.toml", include_str!("../../../data/articles/en.toml")),
    ("es.toml", include_str!("../../../data/articles/es.toml")),
    ("fr.toml", include_str!("../../../data/articles/fr.toml")),
    ("it.toml", include_str!("../../../data/articles/it.toml")),
    ("nl.toml", include_str!("../../../data/articles/nl.toml")),
    ("pt.toml", include_str!("../../../data/articles/pt.toml")),
];

/// Every language's words, in the order of their files.
pub fn all() -> &'static [PageWords] {
    static ALL: OnceLock<Vec<PageWords>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(file, source)| {
                let words: PageWords =
                    toml::from_str(source).unwrap_or_else(|e| panic!("data/articles/{file} is invalid: {e}"));
                assert_eq!(
                    format!("{}.toml", words.code),
                    *file,
                    "data/articles/{file} has the wrong code"
                );
                words
            })
            .collect()
    })
}

/// The words of the language with ISO 639-1 code `code`, if it has them.
pub fn of(code: &str) -> Option<&'static PageWords> {
    all().iter().find(|w| w.code == code)
}

/// Codes of the languages whose furniture words are known.
pub fn languages() -> impl Iterator<Item = &'static str> {
    all().iter().map(|w| w.code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_loads_with_words_in_lower_case() {
        for words in all() {
            assert!(!words.function_words.is_empty(), "{}", words.code);
            assert!(!words.furniture_headings.is_empty(), "{}", words.code);
            assert!(!words.modified_labels.is_empty(), "{}", words.code);
            assert!(!words.published_labels.is_empty(), "{}", words.code);
            for w in words
                .function_words
                .iter()
                .chain(&words.furniture_headings)
                .chain(&words.modified_labels)
                .chain(&words.published_labels)
                .chain(&words.date_marks)
            {
                assert_eq!(*w, w.to_lowercase(), "{}: {w}", words.code);
            }
        }
    }
}
