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

#[cfg(test)]
mod tests {
    use super::collapsed;

    #[test]
    fn runs_of_white_space_become_one_space() {
        assert_eq!(collapsed("  a\u{a0}\u{a0}b\n\tc  "), "a b c");
        assert_eq!(collapsed(" \n "), "");
        assert_eq!(collapsed(""), "");
        assert_eq!(collapsed("a b"), "a b");
        assert_eq!(collapsed("a  b "), "a b");
    }
}
