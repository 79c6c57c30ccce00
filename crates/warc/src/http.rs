//! HTTP responses as WARC `response` records hold them: status, headers,
//! and the body with its transfer and content encodings undone.

use std::io::Read;

use flate2::read::{MultiGzDecoder, ZlibDecoder};

use crate::{find, Error, MAX_BLOCK_BYTES};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// A header's value; names compare case-insensitively, as in HTTP and WARC.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn bad(message: impl Into<String>) -> Error {
    Error::BadRecord(message.into())
}

pub fn parse_response(block: &[u8]) -> Result<HttpResponse, Error> {
    let end = find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)))
        .ok_or_else(|| bad("an HTTP response without the end of its headers"))?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .strip_prefix("HTTP/")
        .and_then(|rest| rest.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| {
            bad(format!(
                "not an HTTP status line: {:?}",
                status_line.chars().take(40).collect::<String>()
            ))
        })?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut response = HttpResponse {
        status,
        headers,
        body: Vec::new(),
    };
    let raw = &block[end.1..];
    let dechunked;
    let body = if response
        .header("Transfer-Encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        dechunked = dechunk(raw)?;
        &dechunked[..]
    } else {
        raw
    };
    response.body = decode_content(body, response.header("Content-Encoding"))?;
    Ok(response)
}

/// Undoes `Transfer-Encoding: chunked`.
fn dechunk(mut raw: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    loop {
        let line_end = find(raw, b"\n").ok_or_else(|| bad("a chunk without its size line"))?;
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size_text = size_text.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad(format!("bad chunk size {size_text:?}")))?;
        raw = &raw[line_end + 1..];
        if size == 0 {
            return Ok(out);
        }
        if raw.len() < size {
            return Err(bad("a chunk longer than the record"));
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size..];
        raw = raw
            .strip_prefix(b"\r\n")
            .or_else(|| raw.strip_prefix(b"\n"))
            .unwrap_or(raw);
    }
}

/// A body with its `Content-Encoding` (gzip, deflate, br) undone.
pub fn decode_content(body: &[u8], encoding: Option<&str>) -> Result<Vec<u8>, Error> {
    let encoding = encoding.unwrap_or("identity").trim().to_ascii_lowercase();
    let limit = MAX_BLOCK_BYTES as u64 + 1;
    let mut out = Vec::new();
    let result = match encoding.as_str() {
        "" | "identity" | "none" => return Ok(body.to_vec()),
        "gzip" | "x-gzip" => MultiGzDecoder::new(body).take(limit).read_to_end(&mut out),
        "deflate" => ZlibDecoder::new(body).take(limit).read_to_end(&mut out),
        "br" => brotli_decompressor::Decompressor::new(body, 4096)
            .take(limit)
            .read_to_end(&mut out),
        other => {
            return Err(Error::BadEncoding {
                encoding: other.to_string(),
                reason: "not an encoding glaneur reads".to_string(),
            })
        }
    };
    result.map_err(|e| Error::BadEncoding {
        encoding: encoding.clone(),
        reason: e.to_string(),
    })?;
    Ok(out)
}

/// The `charset` of a `Content-Type` value.
pub fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    #[test]
    fn responses() {
        let r =
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n<p>hi</p>").unwrap();
        assert_eq!((r.status, &r.body[..]), (200, &b"<p>hi</p>"[..]));
        assert_eq!(charset(r.header("content-type").unwrap()), Some("ISO-8859-1"));

        let chunked = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n<p>h\r\n6\r\ni</p>\n\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(chunked.body, b"<p>hi</p>\n");

        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(b"<p>zipped</p>").unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(gz.finish().unwrap());
        assert_eq!(parse_response(&block).unwrap().body, b"<p>zipped</p>");

        assert_eq!(parse_response(b"garbage").unwrap_err().code(), "bad_record");
    }

    #[test]
    fn bodies_that_cannot_be_decoded_are_bad_encoding() {
        for encoding in ["br", "gzip", "deflate", "compress"] {
            let block = format!("HTTP/1.1 200 OK\r\nContent-Encoding: {encoding}\r\n\r\nnot compressed");
            let error = parse_response(block.as_bytes()).unwrap_err();
            assert_eq!(error.code(), "bad_encoding", "{encoding}: {error}");
        }
    }
}
