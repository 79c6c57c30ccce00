//! Bytes to text: the charset from a byte-order mark, from the page's own
//! `<meta charset>`, else detected (old French sites are windows-1252).

use std::borrow::Cow;

use chardetng::EncodingDetector;
use encoding_rs::Encoding;

use crate::{ArticleError, ErrorCode};

/// How much of a page is searched for its `<meta charset>`.
const META_PRESCAN_BYTES: usize = 4096;

/// Refuses content that is not text: documents of binary formats, or
/// bytes with NULs or many control characters.
pub fn reject_binary(bytes: &[u8]) -> Result<(), ArticleError> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (&glaneur_warc::GZIP_MAGIC, "a gzip stream inside a gzip stream"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(ArticleError::new(ErrorCode::NotText, format!("the input is {what}")));
    }
    if Encoding::for_bom(bytes).is_some() {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if head.contains(&0) || controls * 100 > head.len() {
        return Err(ArticleError::new(
            ErrorCode::NotText,
            "binary content (NUL or control bytes)",
        ));
    }
    Ok(())
}

/// Decodes the bytes: by their byte-order mark, else the charset the
/// transport declared, else the page's own, else detection. Malformed
/// sequences become U+FFFD rather than an error.
///
/// A declared legacy charset gives way to UTF-8 when the bytes hold
/// non-ASCII text that is valid UTF-8: CMSs write UTF-8 under a template's
/// old `charset=iso-8859-1`, and text in a legacy charset is almost never
/// valid UTF-8 (`på` would read `pÃ¥`).
pub fn decode<'a>(bytes: &'a [u8], declared: Option<&str>) -> Cow<'a, str> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom_len..]).0;
    }
    let is_utf8 = || std::str::from_utf8(bytes).is_ok();
    let encoding = declared
        .and_then(|d| Encoding::for_label(d.trim().as_bytes()))
        .or_else(|| meta_charset(bytes))
        .map(|e| {
            if e != encoding_rs::UTF_8 && !bytes.is_ascii() && is_utf8() {
                encoding_rs::UTF_8
            } else {
                e
            }
        })
        .or_else(|| is_utf8().then_some(encoding_rs::UTF_8))
        .unwrap_or_else(|| {
            let mut detector = EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(None, true)
        });
    encoding.decode_without_bom_handling(bytes).0
}

/// The charset a page declares in its first bytes (`<meta charset=…>` or
/// `http-equiv` `content="…; charset=…"`).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let at = from + pos + b"charset".len();
        from = at;
        // Only a `<meta>` declares the page's charset: a `<script
        // charset>` names the script's.
        let tag_start = lower[..at].iter().rposition(|&b| b == b'<');
        if !tag_start.is_some_and(|t| lower[t..].starts_with(b"<meta") && !lower[t..at].contains(&b'>')) {
            continue;
        }
        let rest = &lower[at..];
        let rest = trim_start(rest);
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = trim_start(rest);
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(rest.len());
        if let Some(enc) = Encoding::for_label(&rest[..end]) {
            // A page that says UTF-16 in ASCII bytes is not UTF-16.
            return Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                enc
            });
        }
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets() {
        for (bytes, expected) in [
            (&b"\xef\xbb\xbfcaf\xc3\xa9"[..], "café"),
            (
                &b"<meta charset=\"windows-1252\"><p>caf\xe9 \x80"[..],
                "<meta charset=\"windows-1252\"><p>café €",
            ),
            (
                &b"<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-15'>\xa4"[..],
                "<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-15'>€",
            ),
            (&b"caf\xc3\xa9"[..], "café"),
            (
                &b"<script src=\"x.js\" charset=\"UTF-8\"></script><meta charset=\"ISO-8859-2\"><p>\xb6wi\xea\xb3o"[..],
                "<script src=\"x.js\" charset=\"UTF-8\"></script><meta charset=\"ISO-8859-2\"><p>święło",
            ),
            (
                "Le d\u{e9}cret pr\u{e9}voit une amende de 20\u{a0}000 \u{20ac} pour la soci\u{e9}t\u{e9}.".as_bytes(),
                "Le décret prévoit une amende de 20\u{a0}000 € pour la société.",
            ),
        ] {
            assert_eq!(decode(bytes, None), expected);
        }
        let latin1 = b"Le d\xe9cret pr\xe9voit une amende tr\xe8s \xe9lev\xe9e pour la soci\xe9t\xe9 fran\xe7aise.";
        assert_eq!(
            decode(latin1, None),
            "Le décret prévoit une amende très élevée pour la société française."
        );
        assert_eq!(
            decode(b"<meta charset=utf-8>caf\xe9", Some("windows-1252")),
            "<meta charset=utf-8>café"
        );
    }

    #[test]
    fn a_declared_legacy_charset_gives_way_to_valid_utf8_text() {
        let page =
            "<meta http-equiv=content-type content='text/html; charset=iso-8859-1'><p>Du kan få adgang på 24 timer.";
        assert_eq!(decode(page.as_bytes(), None), page);
        assert_eq!(decode(page.as_bytes(), Some("windows-1252")), page);
        // Pure ASCII says nothing against the charset (ISO-2022-JP is 7-bit).
        let ascii = b"<meta charset=iso-2022-jp><p>\x1b$B$3$s\x1b(B";
        assert_eq!(decode(ascii, None), "<meta charset=iso-2022-jp><p>こん");
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(reject_binary(b"%PDF-1.7\n").unwrap_err().code, ErrorCode::NotText);
        assert_eq!(reject_binary(b"abc\0def").unwrap_err().code, ErrorCode::NotText);
        assert!(reject_binary(b"<p>ok</p>").is_ok());
    }
}
