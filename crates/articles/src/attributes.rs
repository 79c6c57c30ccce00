//! `data-*` attributes, which no step reads, left out of a start tag
//! before the parse.
//!
//! Sites hang a tenth of a page's markup on them (tracking, widgets'
//! settings, lazy loading), and the parser builds every attribute one
//! character at a time. Readability reads them on images alone (`data-src`
//! of a lazy `<img>`, a `<figure>`'s own), so the elements of
//! [`KEEP_ALL`] keep theirs. A tag is read as the HTML tokenizer reads it,
//! or left whole when it ends before its `>`.

/// Elements whose every attribute Readability may read.
const KEEP_ALL: &[&[u8]] = &[
    b"img", b"picture", b"figure", b"source", b"video", b"audio", b"embed", b"object", b"track",
];

/// Elements whose content the parser reads as text: what looks like a tag
/// inside one is text, and stays as written.
pub(crate) const RAW_TEXT: &[&[u8]] = &[
    b"title",
    b"textarea",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
    b"plaintext",
];

/// The start tag at the start of `html` without its `data-*` attributes,
/// and where the tag ends (after its `>`): `None` when it has none to
/// drop, is one of [`KEEP_ALL`], or ends before its `>`.
pub(crate) fn without_data_attributes(html: &str) -> Option<(String, usize)> {
    let bytes = html.as_bytes();
    if bytes.first() != Some(&b'<') || !bytes.get(1).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_end = 1 + bytes[1..]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')?;
    let name = &bytes[1..name_end];
    if KEEP_ALL.iter().any(|n| name.eq_ignore_ascii_case(n)) {
        return None;
    }
    let mut kept: Option<String> = None;
    let mut copied = 0;
    for part in Attributes::new(bytes, name_end) {
        let attribute = match part {
            Part::Attribute(attribute) => attribute,
            Part::End(end) => {
                let mut kept = kept?;
                kept.push_str(&html[copied..end]);
                return Some((kept, end));
            }
        };
        if bytes[attribute.name.clone()]
            .get(..5)
            .is_some_and(|n| n.eq_ignore_ascii_case(b"data-"))
        {
            // The white space before it goes too; a tag's parts need none
            // between them to stay apart (`<a href="x"class=y>`).
            kept.get_or_insert_with(|| String::with_capacity(html.len().min(1024)))
                .push_str(&html[copied..attribute.space_before]);
            copied = attribute.end;
        }
    }
    None
}

/// What a start tag holds after its name.
enum Part {
    Attribute(Attribute),
    /// The tag ends here, just after its `>`.
    End(usize),
}

/// One attribute of a start tag.
struct Attribute {
    /// Where the white space before it starts (its name's start without).
    space_before: usize,
    name: std::ops::Range<usize>,
    /// Just after its value, or its name when it has none.
    end: usize,
}

/// The attributes of the start tag in `bytes` whose name ends at
/// `name_end`, read in the HTML tokenizer's states, then the tag's end;
/// nothing more when the text ends first.
struct Attributes<'b> {
    bytes: &'b [u8],
    at: usize,
    done: bool,
}

impl<'b> Attributes<'b> {
    fn new(bytes: &'b [u8], name_end: usize) -> Self {
        Attributes {
            bytes,
            at: name_end,
            done: false,
        }
    }

    fn skip(&mut self, what: impl Fn(u8) -> bool) {
        while self.bytes.get(self.at).is_some_and(|&b| what(b)) {
            self.at += 1;
        }
    }
}

impl Iterator for Attributes<'_> {
    type Item = Part;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let bytes = self.bytes;
        let space_before = self.at;
        // Before an attribute's name: white space and `/` are passed over.
        self.skip(|b| b.is_ascii_whitespace() || b == b'/');
        match bytes.get(self.at) {
            None => {
                self.done = true;
                return None;
            }
            Some(b'>') => {
                self.done = true;
                return Some(Part::End(self.at + 1));
            }
            _ => {}
        }
        // A name runs to white space, `/`, `>` or `=`, which may be its
        // first character.
        let name_start = self.at;
        self.at += 1;
        self.skip(|b| !(b.is_ascii_whitespace() || matches!(b, b'/' | b'>' | b'=')));
        let name = name_start..self.at;
        let mut end = self.at;
        self.skip(|b| b.is_ascii_whitespace());
        if bytes.get(self.at) == Some(&b'=') {
            self.at += 1;
            self.skip(|b| b.is_ascii_whitespace());
            match bytes.get(self.at) {
                Some(&quote @ (b'"' | b'\'')) => match memchr::memchr(quote, &bytes[self.at + 1..]) {
                    Some(i) => self.at += i + 2,
                    None => {
                        self.done = true;
                        return None;
                    }
                },
                // No value: the `>` ends the tag, as the next call says.
                Some(b'>') => {}
                _ => self.skip(|b| !b.is_ascii_whitespace() && b != b'>'),
            }
            end = self.at;
        } else {
            // White space after a name without a value belongs to what
            // follows.
            self.at = end;
        }
        Some(Part::Attribute(Attribute {
            space_before,
            name,
            end,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without(tag: &str) -> Option<String> {
        let page = format!("{tag}text<p>");
        without_data_attributes(&page).map(|(kept, end)| {
            assert_eq!(end, tag.len(), "{tag}");
            kept
        })
    }

    #[test]
    fn data_attributes_leave_a_tag_with_the_rest_as_written() {
        for (tag, expected) in [
            (r#"<div data-id="7" class="story">"#, r#"<div class="story">"#),
            (r#"<A HREF=/x DATA-TRACK='{"a": ">"}'>"#, "<A HREF=/x>"),
            (r#"<li data-a=1 data-b data-c = "3"/>"#, "<li/>"),
            (r#"<p class="a"data-x=1 id=b>"#, r#"<p class="a" id=b>"#),
            (r#"<div data-x="a > b" class=c>"#, "<div class=c>"),
        ] {
            assert_eq!(without(tag).as_deref(), Some(expected), "{tag}");
        }
    }

    #[test]
    fn images_figures_and_tags_without_data_attributes_are_left_alone() {
        for tag in [
            r#"<img data-src="a.jpg" src="b.gif">"#,
            r#"<figure data-image="a.jpg">"#,
            r#"<div class="data-box">"#,
            r#"<div title="data-x">"#,
            r#"<span class=x/data-y>"#,
            "</div data-x=1>",
        ] {
            assert_eq!(without(tag), None, "{tag}");
        }
    }

    #[test]
    fn a_tag_that_never_ends_is_left_alone() {
        for page in [r#"<div data-x="never closed>"#, "<div data-x=1", "< div data-x=1>"] {
            assert_eq!(without_data_attributes(page), None, "{page}");
        }
    }
}
