//! White space as the extracted text keeps it.

/// The text on one line with single spaces: runs of white space (line
/// breaks, tabs, NBSP) become one space, none at the ends.
pub(crate) fn collapsed(text: &str) -> String {
    // One pass into one buffer: every line of every page comes here.
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::collapsed;

    #[test]
    fn runs_of_white_space_become_one_space() {
        assert_eq!(collapsed("  a\u{a0}\u{a0}b\n\tc  "), "a b c");
        assert_eq!(collapsed(" \n "), "");
    }
}
