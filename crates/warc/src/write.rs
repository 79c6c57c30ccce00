//! Writing what was fetched as WARC 1.1: a `request` and a `response`
//! record per exchange, each its own gzip member, appended to the file.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use flate2::{write::GzEncoder, Compression};

pub struct WarcWriter {
    file: File,
    offset: u64,
}

/// One HTTP exchange as it went over the wire (bodies as received).
pub struct Exchange<'a> {
    pub uri: &'a str,
    pub date: &'a str,
    pub request: &'a [u8],
    pub response_head: &'a [u8],
    pub response_body: &'a [u8],
}

impl WarcWriter {
    /// Opens `path` to append (a resumed run adds to what is there).
    pub fn append(path: &Path) -> io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let offset = file.metadata()?.len();
        Ok(Self { file, offset })
    }

    /// Writes the exchange; returns the offset of its response record.
    pub fn write(&mut self, x: &Exchange) -> io::Result<u64> {
        let response_id = record_id(x.uri);
        let request_id = record_id(x.uri);
        let digest = format!(
            "sha1:{}",
            base32(&sha1_smol::Sha1::from(x.response_body).digest().bytes())
        );
        let mut response_block = x.response_head.to_vec();
        response_block.extend_from_slice(x.response_body);
        let request = record(
            &[
                ("WARC-Type", "request"),
                ("WARC-Target-URI", x.uri),
                ("WARC-Date", x.date),
                ("WARC-Record-ID", &request_id),
                ("WARC-Concurrent-To", &response_id),
                ("Content-Type", "application/http; msgtype=request"),
            ],
            x.request,
        );
        let response = record(
            &[
                ("WARC-Type", "response"),
                ("WARC-Target-URI", x.uri),
                ("WARC-Date", x.date),
                ("WARC-Record-ID", &response_id),
                ("WARC-Payload-Digest", &digest),
                ("Content-Type", "application/http; msgtype=response"),
            ],
            &response_block,
        );
        self.write_member(&request)?;
        let at = self.offset;
        self.write_member(&response)?;
        self.file.flush()?;
        Ok(at)
    }

    fn write_member(&mut self, record: &[u8]) -> io::Result<()> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(record)?;
        let member = gz.finish()?;
        self.file.write_all(&member)?;
        self.offset += member.len() as u64;
        Ok(())
    }
}

/// One WARC 1.1 record: `headers` in order, then `Content-Length` and the
/// block. The writer's records, and those tests and benchmarks plant.
pub fn record(headers: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut out = b"WARC/1.1\r\n".to_vec();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A unique record id: a UUID-shaped SHA-1 of the time, a counter and the URI.
fn record_id(uri: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let h = sha1_smol::Sha1::from(format!("{nanos}/{n}/{}/{uri}", std::process::id()))
        .digest()
        .bytes();
    let hex: String = h[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// RFC 4648 base32, as WARC digests are written.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for &b in bytes {
        buffer = (buffer << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Now, as a WARC date (`2023-06-15T10:00:00Z`).
pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_and_dates() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            base32(&sha1_smol::Sha1::from("").digest().bytes()),
            "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
        );
        let date = now();
        assert_eq!(date.len(), 20);
        assert!(date.ends_with('Z') && date.starts_with("20"));
    }

    #[test]
    fn written_exchanges_read_back() {
        let dir = std::env::temp_dir().join(format!("glaneur-warc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.warc.gz");
        let _ = std::fs::remove_file(&path);
        let mut w = WarcWriter::append(&path).unwrap();
        let x = Exchange {
            uri: "http://a.example/",
            date: "2023-01-01T00:00:00Z",
            request: b"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n",
            response_head: b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
            response_body: b"<p>hello</p>",
        };
        let at = w.write(&x).unwrap();
        let items: Vec<_> = crate::pages(crate::WarcReader::new(File::open(&path).unwrap())).collect();
        match &items[1] {
            crate::ArchiveItem::Page(p) => {
                assert_eq!(p.offset, at);
                assert_eq!(p.body, b"<p>hello</p>");
            }
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
