//! A WARC 1.0/1.1 reader: plain or gzipped record by record (multi-member
//! gzip, as Common Crawl writes them). Broken records are reported with
//! their byte offset and reading goes on at the next record it can find.

use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::GzDecoder;

use crate::{find, Error, MAX_BLOCK_BYTES, MAX_HEADER_BYTES};

/// One WARC record: its named headers and its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// Byte offset of the record (of its gzip member) in the file.
    pub offset: u64,
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// A header's value; names compare case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::http::header(&self.headers, name)
    }
}

/// A record that could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenRecord {
    pub offset: u64,
    /// The record's `WARC-Target-URI`, when its headers could be read.
    pub uri: Option<String>,
    pub error: Error,
}

/// Counts the bytes read through it, for record offsets.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// The file, with bytes put back in front of it: after a broken record,
/// the bytes it swallowed are searched again for the next record.
struct Source<R> {
    unread: Vec<u8>,
    unread_pos: usize,
    input: BufReader<Counting<R>>,
}

impl<R: Read> Source<R> {
    /// Offset in the file of the next byte this gives.
    fn offset(&self) -> u64 {
        self.input.get_ref().count - self.input.buffer().len() as u64 - (self.unread.len() - self.unread_pos) as u64
    }

    /// Puts `bytes` back in front of what is left to read.
    fn unread(&mut self, mut bytes: Vec<u8>) {
        bytes.extend_from_slice(&self.unread[self.unread_pos..]);
        self.unread = bytes;
        self.unread_pos = 0;
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        read_buffered(self, buf)
    }
}

/// `Read` for a reader whose `BufRead` side does the work.
fn read_buffered(from: &mut impl BufRead, buf: &mut [u8]) -> io::Result<usize> {
    let available = from.fill_buf()?;
    let n = available.len().min(buf.len());
    buf[..n].copy_from_slice(&available[..n]);
    from.consume(n);
    Ok(n)
}

impl<R: Read> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.unread_pos < self.unread.len() {
            return Ok(&self.unread[self.unread_pos..]);
        }
        self.unread.clear();
        self.unread_pos = 0;
        self.input.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.unread_pos < self.unread.len() {
            self.unread_pos += n;
        } else {
            self.input.consume(n);
        }
    }
}

/// Keeps a copy of the compressed bytes a gzip decoder consumes, so that
/// after a broken member the search for the next one starts just past the
/// broken member's start, not where inflate gave up (a member cut short
/// swallows the members after it as if they were its data).
struct Recording<'a, R> {
    source: &'a mut Source<R>,
    seen: Vec<u8>,
    /// More was consumed than is kept: the copy is incomplete.
    overflowed: bool,
}

/// Compressed bytes of one member kept for a resync; past this, reading
/// goes on from where inflate stopped.
const MAX_RECORDED_BYTES: usize = 64 * 1024 * 1024;

impl<R: Read> Read for Recording<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        read_buffered(self, buf)
    }
}

impl<R: Read> BufRead for Recording<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.source.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if let Ok(buf) = self.source.fill_buf() {
            if self.seen.len() + n <= MAX_RECORDED_BYTES {
                self.seen.extend_from_slice(&buf[..n.min(buf.len())]);
            } else {
                self.overflowed = true;
            }
        }
        self.source.consume(n);
    }
}

pub struct WarcReader<R: Read> {
    input: Source<R>,
    gzip: Option<bool>,
    /// Records of the current gzip member not yet returned.
    pending: std::vec::IntoIter<Result<WarcRecord, BrokenRecord>>,
    done: bool,
}

/// The start of a gzip member as WARC files have them: the magic, then
/// deflate as the method.
const MEMBER_START: [u8; 3] = [crate::GZIP_MAGIC[0], crate::GZIP_MAGIC[1], 0x08];
const WARC_MAGIC: &[u8] = b"WARC/";

impl<R: Read> WarcReader<R> {
    pub fn new(input: R) -> Self {
        Self {
            input: Source {
                unread: Vec::new(),
                unread_pos: 0,
                input: BufReader::with_capacity(64 * 1024, Counting { inner: input, count: 0 }),
            },
            gzip: None,
            pending: Vec::new().into_iter(),
            done: false,
        }
    }

    fn fail(&mut self, offset: u64, error: Error) -> Option<Result<WarcRecord, BrokenRecord>> {
        self.fail_with_uri(offset, None, error)
    }

    fn fail_with_uri(
        &mut self,
        offset: u64,
        uri: Option<String>,
        error: Error,
    ) -> Option<Result<WarcRecord, BrokenRecord>> {
        Some(Err(BrokenRecord { offset, uri, error }))
    }

    /// Skips to the next place `magic` starts; false at the end of input.
    fn resync(&mut self, magic: &[u8]) -> bool {
        // The last bytes of a buffer, in case the magic starts there and
        // ends in the next one.
        let mut carried: Vec<u8> = Vec::new();
        loop {
            let buf = match self.input.fill_buf() {
                Ok([]) | Err(_) => return false,
                Ok(buf) => buf,
            };
            if !carried.is_empty() {
                let mut joined = carried.clone();
                joined.extend_from_slice(&buf[..buf.len().min(magic.len() - 1)]);
                if let Some(i) = find(&joined, magic) {
                    self.input.unread(carried.split_off(i));
                    return true;
                }
            }
            match find(buf, magic) {
                Some(i) => {
                    self.input.consume(i);
                    return true;
                }
                None => {
                    let keep = buf.len().min(magic.len() - 1);
                    carried = buf[buf.len() - keep..].to_vec();
                    let n = buf.len();
                    self.input.consume(n);
                }
            }
        }
    }

    fn next_gzip_member(&mut self) -> Option<Result<WarcRecord, BrokenRecord>> {
        let offset = self.input.offset();
        match self.input.fill_buf() {
            Ok([]) => return None,
            Ok(buf) if !buf.starts_with(&MEMBER_START[..buf.len().min(3)]) => {
                let found = self.resync(&MEMBER_START);
                let message = "bytes between gzip members that are not a gzip member";
                self.done = !found;
                return self.fail(offset, Error::BadRecord(message.into()));
            }
            Ok(_) => {}
            Err(e) => {
                self.done = true;
                return self.fail(offset, Error::Unreadable(e.to_string()));
            }
        }
        let mut member = Vec::new();
        let limit = MAX_BLOCK_BYTES as u64;
        let mut recording = Recording {
            source: &mut self.input,
            seen: Vec::new(),
            overflowed: false,
        };
        let read = GzDecoder::new(&mut recording).take(limit + 1).read_to_end(&mut member);
        let (compressed, complete_copy) = (recording.seen, !recording.overflowed);
        if read.is_err() {
            // Search again from just past this member's start.
            if complete_copy && compressed.len() > 1 {
                self.input.unread(compressed[1..].to_vec());
            } else if self.input.offset() == offset {
                let step = self.input.fill_buf().map_or(0, |b| b.len().min(1));
                self.input.consume(step);
            }
        }
        let uri = target_uri(&member);
        match read {
            Ok(_) if member.len() as u64 > limit => {
                // Skip the rest of this member: the next starts after it.
                self.resync_after_oversized(offset);
                self.fail(
                    offset,
                    Error::TooLarge("a WARC record over the size a document may have".into()),
                )
            }
            Ok(_) => {
                let records = parse_records(&member, offset);
                self.pending = records.into_iter();
                self.pending.next()
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                self.done = !self.resync(&MEMBER_START);
                self.fail_with_uri(offset, uri, Error::TruncatedGzip)
            }
            Err(e) => {
                self.done = !self.resync(&MEMBER_START);
                self.fail_with_uri(offset, uri, Error::BadGzip(e.to_string()))
            }
        }
    }

    fn resync_after_oversized(&mut self, offset: u64) {
        let mut sink = io::sink();
        let _ = io::copy(&mut GzDecoder::new(&mut self.input), &mut sink);
        if self.input.offset() == offset {
            self.done = true;
        }
    }

    fn next_plain_record(&mut self) -> Option<Result<WarcRecord, BrokenRecord>> {
        let start = self.input.offset();
        let (skipped, outcome) = read_plain(&mut self.input);
        let offset = start + skipped as u64;
        match outcome {
            Plain::End => None,
            Plain::Record(headers, block) => Some(Ok(WarcRecord { offset, headers, block })),
            Plain::Fatal(message) => {
                self.done = true;
                self.fail(offset, Error::Unreadable(message))
            }
            Plain::Bad(error, swallowed) => {
                // Look for the next record in what this one swallowed, then
                // in the rest of the file.
                let uri = target_uri(&swallowed);
                self.input.unread(swallowed);
                self.done = !self.resync(WARC_MAGIC);
                self.fail_with_uri(offset, uri, error)
            }
        }
    }
}

/// What reading one plain record gave.
enum Plain {
    End,
    Record(Vec<(String, String)>, Vec<u8>),
    /// A broken record, with the bytes read after its first one, where the
    /// next record may start.
    Bad(Error, Vec<u8>),
    Fatal(String),
}

/// Reads one uncompressed record; also says how many blank bytes came
/// before it.
fn read_plain(src: &mut impl BufRead) -> (usize, Plain) {
    let mut skipped = 0;
    // Blank lines between records are allowed.
    loop {
        match src.fill_buf() {
            Ok([]) => return (skipped, Plain::End),
            Ok([b'\r' | b'\n', ..]) => {
                src.consume(1);
                skipped += 1;
            }
            Ok(_) => break,
            Err(e) => return (skipped, Plain::Fatal(e.to_string())),
        }
    }
    let head = match read_header_block(src) {
        Ok(head) => head,
        Err((message, head)) => return (skipped, Plain::Bad(Error::BadRecord(message), head[1..].to_vec())),
    };
    let (headers, length) = match parse_headers(&head) {
        Ok(parsed) => parsed,
        Err(message) => return (skipped, Plain::Bad(Error::BadRecord(message), head[1..].to_vec())),
    };
    if length > MAX_BLOCK_BYTES {
        let skipped_block = io::copy(&mut src.take(length as u64), &mut io::sink()).unwrap_or(0);
        let message = format!("a WARC record of {length} bytes");
        return match skipped_block < length as u64 {
            true => (skipped, Plain::Fatal(message)),
            false => (skipped, Plain::Bad(Error::TooLarge(message), Vec::new())),
        };
    }
    let mut block = Vec::with_capacity(length);
    let got = src.take(length as u64).read_to_end(&mut block).unwrap_or(0);
    let mut tail = Vec::new();
    let _ = src.take(4).read_to_end(&mut tail);
    if got == length && tail == b"\r\n\r\n" {
        return (skipped, Plain::Record(headers, block));
    }
    let message = if got < length {
        format!("Content-Length says {length} bytes, the file ends after {got}")
    } else {
        "the record does not end where its Content-Length says".to_string()
    };
    let mut swallowed = head[1..].to_vec();
    swallowed.extend(block);
    swallowed.extend(tail);
    (skipped, Plain::Bad(Error::BadRecord(message), swallowed))
}

impl<R: Read> Iterator for WarcReader<R> {
    type Item = Result<WarcRecord, BrokenRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(r) = self.pending.next() {
            return Some(r);
        }
        if self.done {
            return None;
        }
        let gzip = match self.gzip {
            Some(g) => g,
            None => {
                let head = match self.input.fill_buf() {
                    Ok(head) => head,
                    Err(e) => {
                        self.done = true;
                        return self.fail(0, Error::Unreadable(e.to_string()));
                    }
                };
                if head.is_empty() {
                    return None;
                }
                let gzip = head.starts_with(&crate::GZIP_MAGIC);
                if !gzip && !head.starts_with(WARC_MAGIC) {
                    self.done = true;
                    return self.fail(0, Error::NotWarc);
                }
                self.gzip = Some(gzip);
                gzip
            }
        };
        if gzip {
            self.next_gzip_member()
        } else {
            self.next_plain_record()
        }
    }
}

/// Reads up to and including the blank line that ends a header block; on
/// failure, says why and gives what it read.
fn read_header_block(input: &mut impl BufRead) -> Result<Vec<u8>, (String, Vec<u8>)> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = match input.read_until(b'\n', &mut head) {
            Ok(n) => n,
            Err(e) => return Err((e.to_string(), head)),
        };
        if n == 0 {
            return Err(("the file ends inside a record's headers".into(), head));
        }
        if head[before..].iter().all(|b| matches!(b, b'\r' | b'\n')) {
            return Ok(head);
        }
        if head.len() > MAX_HEADER_BYTES {
            return Err(("record headers over 64 KiB".into(), head));
        }
    }
}

/// The version line, named headers and `Content-Length` of a header block.
fn parse_headers(head: &[u8]) -> Result<(Vec<(String, String)>, usize), String> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or("");
    if !version.starts_with("WARC/") {
        return Err(format!(
            "not a WARC record: {:?}",
            version.chars().take(40).collect::<String>()
        ));
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or("a record without a valid Content-Length")?;
    Ok((headers, length))
}

/// The `WARC-Target-URI` in the header block at the start of `record`
/// bytes, when there is one to read.
fn target_uri(record: &[u8]) -> Option<String> {
    let head = &record[..find(record, b"\r\n\r\n")
        .or_else(|| find(record, b"\n\n"))
        .unwrap_or(record.len())
        .min(MAX_HEADER_BYTES)];
    String::from_utf8_lossy(head)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("WARC-Target-URI"))
        .map(|(_, value)| value.trim().trim_matches(['<', '>']).to_string())
        .filter(|uri| !uri.is_empty())
}

/// The records of one decompressed gzip member (normally one), all at the
/// member's offset.
fn parse_records(bytes: &[u8], offset: u64) -> Vec<Result<WarcRecord, BrokenRecord>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.iter().all(|b| matches!(b, b'\r' | b'\n')) {
        let start = rest.iter().position(|b| !matches!(b, b'\r' | b'\n')).unwrap_or(0);
        rest = &rest[start..];
        let uri = target_uri(rest);
        let fail = |message: String| {
            Err(BrokenRecord {
                offset,
                uri: uri.clone(),
                error: Error::BadRecord(message),
            })
        };
        let Some(end) = find(rest, b"\r\n\r\n").or_else(|| find(rest, b"\n\n")) else {
            out.push(fail("a record without the end of its headers".into()));
            break;
        };
        let head_len = if rest[end..].starts_with(b"\r\n\r\n") {
            end + 4
        } else {
            end + 2
        };
        let (headers, length) = match parse_headers(&rest[..head_len]) {
            Ok(parsed) => parsed,
            Err(message) => {
                out.push(fail(message));
                break;
            }
        };
        let body = &rest[head_len..];
        if body.len() < length {
            out.push(fail(format!(
                "Content-Length says {length} bytes, the record has {}",
                body.len()
            )));
            break;
        }
        out.push(Ok(WarcRecord {
            offset,
            headers,
            block: body[..length].to_vec(),
        }));
        rest = &body[length..];
    }
    out
}

/// An HTML page found in a WARC file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedPage {
    pub offset: u64,
    /// `WARC-Target-URI`.
    pub uri: Option<String>,
    /// `WARC-Date`: when it was fetched, not when it was published.
    pub date: Option<String>,
    /// The charset of the HTTP `Content-Type`, if it says one.
    pub charset: Option<String>,
    pub body: Vec<u8>,
}

/// What one WARC record gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveItem {
    Page(ArchivedPage),
    /// A record that holds no article (requests, metadata, images, errors
    /// pages); counted, not reported.
    Skipped,
    Failed(BrokenRecord),
}

/// The HTML pages of a WARC file: `response` records with a 2xx HTML
/// payload, and `resource` records of HTML.
pub fn pages<R: Read>(reader: WarcReader<R>) -> impl Iterator<Item = ArchiveItem> {
    reader.map(|record| match record {
        Err(e) => ArchiveItem::Failed(e),
        Ok(record) => page(record),
    })
}

fn page(record: WarcRecord) -> ArchiveItem {
    let kind = record.header("WARC-Type").unwrap_or("").to_ascii_lowercase();
    let uri = record
        .header("WARC-Target-URI")
        .map(|u| u.trim_matches(['<', '>']).to_string());
    let date = record.header("WARC-Date").map(str::to_string);
    let is_html = |content_type: Option<&str>| content_type.is_some_and(|t| t.to_ascii_lowercase().contains("html"));
    let (content_type, body) = match kind.as_str() {
        "response" => {
            let declared = record.header("Content-Type").unwrap_or("").to_ascii_lowercase();
            if !declared.contains("application/http") {
                return ArchiveItem::Skipped;
            }
            match crate::http::parse_response(&record.block) {
                Ok(r) if (200..300).contains(&r.status) => (r.header("Content-Type").map(str::to_string), r.body),
                Ok(_) => return ArchiveItem::Skipped,
                Err(error) => {
                    return ArchiveItem::Failed(BrokenRecord {
                        offset: record.offset,
                        uri,
                        error,
                    })
                }
            }
        }
        "resource" => (record.header("Content-Type").map(str::to_string), record.block),
        _ => return ArchiveItem::Skipped,
    };
    if !is_html(content_type.as_deref()) {
        return ArchiveItem::Skipped;
    }
    ArchiveItem::Page(ArchivedPage {
        offset: record.offset,
        uri,
        date,
        charset: content_type
            .as_deref()
            .and_then(crate::http::charset)
            .map(str::to_string),
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        crate::record(
            &[
                ("WARC-Type", kind),
                ("WARC-Target-URI", uri),
                ("WARC-Date", "2023-01-02T03:04:05Z"),
                ("Content-Type", "application/http; msgtype=response"),
            ],
            block,
        )
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    const PAGE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<p>caf\xe9</p>";

    fn summary(items: Vec<ArchiveItem>) -> Vec<String> {
        items
            .into_iter()
            .map(|i| match i {
                ArchiveItem::Page(p) => format!("page {} {}", p.offset, p.uri.unwrap()),
                ArchiveItem::Skipped => "skipped".into(),
                ArchiveItem::Failed(e) => format!("error {} {}", e.offset, e.error.code()),
            })
            .collect()
    }

    #[test]
    fn plain_and_gzipped_archives() {
        let a = record("response", "http://a.example/", PAGE);
        let b = record("request", "http://a.example/", b"GET / HTTP/1.1\r\n\r\n");
        let c = record(
            "response",
            "http://c.example/",
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\nno",
        );
        let plain: Vec<u8> = [a.clone(), b.clone(), c.clone()].concat();
        let got = summary(pages(WarcReader::new(&plain[..])).collect());
        assert_eq!(got, ["page 0 http://a.example/", "skipped", "skipped"]);

        let (ga, gb) = (gzip(&a), gzip(&b));
        let gz: Vec<u8> = [ga.clone(), gb.clone(), gzip(&a)].concat();
        let got = summary(pages(WarcReader::new(&gz[..])).collect());
        let third = ga.len() + gb.len();
        assert_eq!(
            got,
            [
                "page 0 http://a.example/".to_string(),
                "skipped".into(),
                format!("page {third} http://a.example/")
            ]
        );
        let first = pages(WarcReader::new(&gz[..])).next().unwrap();
        match first {
            ArchiveItem::Page(p) => {
                assert_eq!(p.charset.as_deref(), Some("windows-1252"));
                assert_eq!(p.body, b"<p>caf\xe9</p>");
                assert_eq!(p.date.as_deref(), Some("2023-01-02T03:04:05Z"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_records_are_reported_and_reading_goes_on() {
        let a = record("response", "http://a.example/", PAGE);
        // A record whose Content-Length lies (says more than its block).
        let lying = String::from_utf8_lossy(&a)
            .replace("Content-Length: ", "Content-Length: 1")
            .into_bytes();
        let plain: Vec<u8> = [a.clone(), lying.clone(), a.clone()].concat();
        let got = summary(pages(WarcReader::new(&plain[..])).collect());
        assert_eq!(got[0], "page 0 http://a.example/");
        assert!(got[1].starts_with(&format!("error {} bad_record", a.len())), "{got:?}");
        assert_eq!(
            got.last().unwrap(),
            &format!("page {} http://a.example/", a.len() + lying.len()),
            "{got:?}"
        );

        let ga = gzip(&a);
        let truncated: Vec<u8> = [ga.clone(), gzip(&lying), ga[..ga.len() / 2].to_vec()].concat();
        let got = summary(pages(WarcReader::new(&truncated[..])).collect());
        let second = ga.len();
        let third = second + gzip(&lying).len();
        assert_eq!(
            got,
            [
                "page 0 http://a.example/".to_string(),
                format!("error {second} bad_record"),
                format!("error {third} truncated_gzip")
            ]
        );

        let got = summary(pages(WarcReader::new(&b"<html>not a warc</html>"[..])).collect());
        assert_eq!(got, ["error 0 not_warc"]);
    }

    /// A member cut short is decoded on into the members after it; they
    /// must still be read, from just past the broken member's start.
    #[test]
    fn a_member_cut_short_loses_no_record_after_it() {
        let page = |n: usize| gzip(&record("response", &format!("http://n{n}.example/"), PAGE));
        let request = |n: usize| {
            gzip(&record(
                "request",
                &format!("http://n{n}.example/"),
                b"GET / HTTP/1.1\r\n\r\n",
            ))
        };
        let mut file = Vec::new();
        let mut offsets = Vec::new();
        for n in 1..=13 {
            offsets.push(file.len());
            match n {
                7 => {
                    let whole = page(7);
                    file.extend_from_slice(&whole[..whole.len() * 2 / 3]);
                }
                8 => {
                    file.extend(request(8));
                    offsets[7] = file.len();
                    file.extend(page(8));
                }
                n => file.extend(page(n)),
            }
        }
        let items: Vec<ArchiveItem> = pages(WarcReader::new(&file[..])).collect();
        let got = summary(items.clone());
        let mut expected: Vec<String> = (1..=6)
            .map(|n| format!("page {} http://n{n}.example/", offsets[n - 1]))
            .collect();
        expected.push(format!("error {} bad_gzip", offsets[6]));
        expected.push("skipped".into());
        expected.extend((8..=13).map(|n| format!("page {} http://n{n}.example/", offsets[n - 1])));
        assert_eq!(got, expected);
        let broken = items.iter().find_map(|i| match i {
            ArchiveItem::Failed(e) => Some(e),
            _ => None,
        });
        assert_eq!(
            broken.and_then(|e| e.uri.as_deref()),
            Some("http://n7.example/"),
            "the broken record's URI, read from what could be decoded"
        );
    }

    #[test]
    fn a_magic_split_across_reads_is_found() {
        let a = gzip(&record("response", "http://a.example/", PAGE));
        // Garbage after the first member, so long that the next member's
        // magic starts one byte before the end of a 1000-byte read.
        let garbage = vec![b'x'; 1000 + (1999 - a.len() % 1000) % 1000];
        let file: Vec<u8> = [a.clone(), garbage, a.clone()].concat();
        let second = file.len() - a.len();
        assert_eq!(second % 1000, 999);
        let got = summary(pages(WarcReader::new(Slow(&file[..]))).collect());
        assert_eq!(
            got,
            [
                "page 0 http://a.example/".to_string(),
                format!("error {} bad_record", a.len()),
                format!("page {second} http://a.example/")
            ]
        );
    }

    /// Gives at most 1000 bytes a read, like a pipe.
    struct Slow<'a>(&'a [u8]);

    impl Read for Slow<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(1000);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
}
