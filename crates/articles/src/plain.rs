//! Page furniture in plain text, decided line by line on general signals:
//! icon-name runs and menus (no function words, glued tokens), teasers cut
//! with an ellipsis, and the teaser lists under headings such as `Les plus
//! lus` or `Read more`.

use crate::blocks;
use crate::words::{self, PageWords};

/// Teaser titles and blurbs are shorter than this many characters.
pub(crate) const TEASER_MAX_CHARS: usize = 200;
/// Running prose averages five or six characters a word; menus glued
/// together (`arrow-downarrow-left…`) far more.
const GLUED_TOKEN_CHARS: usize = 15;
/// Lines of at least this many words are prose only with function words.
const PROSE_MIN_WORDS: usize = 12;

pub fn remove_furniture(text: &str, lang: Option<&str>) -> String {
    let language = lang.and_then(words::of);
    let mut kept: Vec<&str> = Vec::new();
    let mut under_furniture_heading = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            kept.push("");
            continue;
        }
        if is_furniture_heading(trimmed) {
            under_furniture_heading = true;
            continue;
        }
        if under_furniture_heading {
            if is_teaser_title(trimmed) {
                continue;
            }
            under_furniture_heading = false;
        }
        if is_teaser(trimmed) || is_menu(trimmed, language) {
            continue;
        }
        kept.push(line.trim_end());
    }
    let mut out = String::with_capacity(text.len());
    let mut blank_run = true;
    for line in kept {
        if line.is_empty() {
            if !blank_run {
                out.push('\n');
            }
            blank_run = true;
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(line);
            blank_run = false;
        }
    }
    out.trim().to_string()
}

fn ends_with_ellipsis(line: &str) -> bool {
    line.ends_with('…') || line.ends_with("...")
}

/// A short line cut with an ellipsis is a teaser for another page.
fn is_teaser(line: &str) -> bool {
    ends_with_ellipsis(line) && line.chars().count() < TEASER_MAX_CHARS
}

/// Under a furniture heading, teasers are titles (no closing punctuation)
/// or blurbs cut with an ellipsis; the first finished sentence is the
/// article again.
pub(crate) fn is_teaser_title(line: &str) -> bool {
    let finished = line.ends_with(['.', '!', '?', '"', '”', '»', ')']) && !ends_with_ellipsis(line);
    line.chars().count() < TEASER_MAX_CHARS && (!finished || is_teaser(line))
}

pub(crate) fn is_furniture_heading(line: &str) -> bool {
    let trimmed = line.trim_end_matches(|c: char| matches!(c, ':' | '…' | '.' | '!' | '»') || c.is_whitespace());
    // Lower case has at least as many characters: a longer line is
    // told without a lower-cased copy (most lines are paragraphs).
    if trimmed.chars().count() > FURNITURE_HEADING_MAX_CHARS {
        return false;
    }
    let normal = trimmed.to_lowercase();
    normal.chars().count() <= FURNITURE_HEADING_MAX_CHARS
        && (words::all().iter().any(|w| w.furniture_headings.contains(&normal))
            || blocks::furniture().headings.contains(&normal))
}

/// Furniture headings are short labels (`Read more`, `Lesen Sie auch`).
const FURNITURE_HEADING_MAX_CHARS: usize = 40;

/// Icon names, menus and tag clouds: glued Latin-script tokens, or many
/// words and none of the language's function words (when they are
/// known; scripts written without spaces have long tokens by nature).
fn is_menu(line: &str, language: Option<&PageWords>) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let chars: usize = words.iter().map(|w| w.chars().count()).sum();
    let ascii = line.chars().filter(char::is_ascii).count();
    if !words.is_empty() && chars / words.len() > GLUED_TOKEN_CHARS && ascii * 10 >= line.chars().count() * 9 {
        return true;
    }
    let Some(language) = language else { return false };
    words.len() >= PROSE_MIN_WORDS
        && !words.iter().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            language.function_words.contains(&w)
        })
}

/// The first line that reads like a headline: a few words, not a whole
/// paragraph, not a date or a label.
pub fn title(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| {
            let words = l.split_whitespace().count();
            (6..=40).contains(&words) && l.chars().count() <= 250
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines() {
        let text = "arrow-downarrow-leftarrow-rightarrow-upattack-typeburgerchevron-down\n\
                    AccueilActualitésLa CNIL inflige une amende à…\n\
                    La CNIL a infligé une amende de 20 millions d'euros à la société.\n\n\
                    Les plus lus…\n\
                    Un autre sujet sans rapport\n\
                    La Cnil a publié, le 7 février 2025, deux nouvelles fiches pratiques…";
        assert_eq!(
            remove_furniture(text, Some("fr")),
            "La CNIL a infligé une amende de 20 millions d'euros à la société."
        );
    }

    #[test]
    fn long_paragraphs_after_teasers_are_kept() {
        let long = "Le texte reprend ici avec un long paragraphe de l'article, qui n'est pas un teaser et qui \
                    continue bien au-delà de deux cents caractères pour montrer qu'il s'agit du corps de \
                    l'article et non d'une liste de liens.";
        let text = format!("Lire aussi\nUn titre court\n{long}");
        assert_eq!(remove_furniture(&text, Some("fr")), long);
    }
}
