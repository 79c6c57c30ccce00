//! White space as the extracted text keeps it.

use std::borrow::Cow;

/// The text on one line with single spaces: runs of white space (line
/// breaks, tabs, NBSP) become one space, none at the ends. Every line of
/// every page comes here, and most are so already: those are not copied.
pub(crate) fn collapsed(text: &str) -> Cow<'_, str> {
    let mut after_space = true;
    let is_collapsed = text.chars().all(|c| {
        let space = c.is_whitespace();
        let single = !space || (c == ' ' && !after_space);
        after_space = space;
        single
    }) && !after_space;
    if is_collapsed {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// How long a text is once its white space is collapsed, counted as its
/// words' characters and one space after each word. Every text of every
/// page is counted so, twice: most are ASCII, counted byte by byte.
pub(crate) fn collapsed_len(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().map(|w| w.chars().count() + 1).sum();
    }
    let mut len = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        // The ASCII characters `char::is_whitespace` says are white space.
        let space = matches!(b, b'\t'..=b'\r' | b' ');
        if !space {
            len += if in_word { 1 } else { 2 };
        }
        in_word = !space;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::{collapsed, collapsed_len};

    #[test]
    fn a_collapsed_length_counts_each_word_and_one_space_after_it() {
        for text in ["", " ", "a", " a  b\t\x0bc\r\n", "été  à\u{a0}Paris ", "x\u{2003}y"] {
            let expected: usize = text.split_whitespace().map(|w| w.chars().count() + 1).sum();
            assert_eq!(collapsed_len(text), expected, "{text:?}");
        }
        assert_eq!(collapsed_len(" a  bc "), 5);
    }

    #[test]
    fn runs_of_white_space_become_one_space() {
        assert_eq!(collapsed("  a\u{a0}\u{a0}b\n\tc  "), "a b c");
        assert_eq!(collapsed(" \n "), "");
        assert_eq!(collapsed(""), "");
        assert_eq!(collapsed("a b"), "a b");
        assert_eq!(collapsed("a  b "), "a b");
    }
}
