//! WARC files: reading them ([`WarcReader`], [`pages`]), writing what was
//! fetched ([`WarcWriter`]), and the HTTP messages they hold ([`http`]).
//! Offsets are byte offsets in the file, of a record or of its gzip member.

pub mod http;
mod read;
mod write;

pub use read::{pages, ArchiveItem, ArchivedPage, BrokenRecord, WarcReader, WarcRecord};
pub use write::{now, record, Exchange, WarcWriter};

/// The largest record block read into memory (a document's size limit,
/// 32 MiB, plus room for HTTP headers).
pub const MAX_BLOCK_BYTES: usize = 32 * 1024 * 1024 + MAX_HEADER_BYTES;

/// The first bytes of every gzip stream (RFC 1952), by which `.gz` files,
/// gzipped WARC files and gzipped sitemaps are told from plain ones.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Headers above this size are not WARC or HTTP headers.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Why a record, or the HTTP message in it, could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Unreadable(String),
    #[error("the gzip member ends early")]
    TruncatedGzip,
    #[error("corrupt gzip member: {0}")]
    BadGzip(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("the file does not start with a WARC record")]
    NotWarc,
    #[error("{0}")]
    BadRecord(String),
    #[error("a {encoding} body that cannot be decoded: {reason}")]
    BadEncoding { encoding: String, reason: String },
}

impl Error {
    /// The stable code of the README's error table.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unreadable(_) => "unreadable",
            Error::TruncatedGzip => "truncated_gzip",
            Error::BadGzip(_) => "bad_gzip",
            Error::TooLarge(_) => "too_large",
            Error::NotWarc => "not_warc",
            Error::BadRecord(_) => "bad_record",
            Error::BadEncoding { .. } => "bad_encoding",
        }
    }
}

/// Where `needle` first stands in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
