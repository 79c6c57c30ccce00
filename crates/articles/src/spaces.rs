//! White space as the extracted text keeps it.

/// The text on one line with single spaces: runs of white space (line
/// breaks, tabs, NBSP) become one space, none at the ends.
pub(crate) fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
