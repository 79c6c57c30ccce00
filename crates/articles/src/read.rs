//! Reading one input's bytes, gunzipping `.gz` files and gzip streams.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::{ArticleError, ErrorCode};

/// The largest document read, after decompression. Larger inputs are
/// reported as `too_large` without being read in full.
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

/// The bytes of a file, gunzipped when it is gzip (by content, whatever its
/// name says).
pub fn read_file(path: &Path) -> Result<Vec<u8>, ArticleError> {
    let file = File::open(path).map_err(|e| ArticleError::new(ErrorCode::Unreadable, e.to_string()))?;
    // The file's length sizes the buffer once: read in growing chunks, a
    // page took a score of reads and as many copies.
    let length = file.metadata().map_or(0, |m| m.len());
    read_sized(file, usize::try_from(length).unwrap_or(MAX_INPUT_BYTES))
}

/// The bytes of a stream, gunzipped when it starts with the gzip magic.
pub fn read_stream(reader: impl Read) -> Result<Vec<u8>, ArticleError> {
    read_sized(reader, 0)
}

/// [`read_stream`], with the number of bytes the stream is expected to
/// hold (0 when unknown).
fn read_sized(mut reader: impl Read, expected: usize) -> Result<Vec<u8>, ArticleError> {
    let mut head = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        match reader.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ArticleError::new(ErrorCode::Unreadable, e.to_string())),
        }
    }
    let whole = head[..got].chain(reader);
    if got == 2 && head == glaneur_warc::GZIP_MAGIC {
        read_limited(MultiGzDecoder::new(whole), true, 0)
    } else {
        read_limited(whole, false, expected)
    }
}

fn read_limited(reader: impl Read, gzip: bool, expected: usize) -> Result<Vec<u8>, ArticleError> {
    let mut bytes = Vec::with_capacity(expected.min(MAX_INPUT_BYTES) + 1);
    let limit = MAX_INPUT_BYTES as u64 + 1;
    match reader.take(limit).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() > MAX_INPUT_BYTES => Err(ArticleError::new(
            ErrorCode::TooLarge,
            format!("more than the {MAX_INPUT_BYTES} bytes a document may have"),
        )),
        Ok(_) => Ok(bytes),
        Err(e) if gzip && e.kind() == io::ErrorKind::UnexpectedEof => Err(ArticleError::new(
            ErrorCode::TruncatedGzip,
            format!("the gzip stream ends early, after {} bytes of content", bytes.len()),
        )),
        Err(e) if gzip => Err(ArticleError::new(
            ErrorCode::BadGzip,
            format!("corrupt gzip stream: {e}"),
        )),
        Err(e) => Err(ArticleError::new(ErrorCode::Unreadable, e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn gzip_streams() {
        let packed = gzip(b"bonjour");
        assert_eq!(read_stream(&packed[..]).unwrap(), b"bonjour");
        assert_eq!(read_stream(&b"plain"[..]).unwrap(), b"plain");
        let cut = &packed[..packed.len() - 6];
        assert_eq!(read_stream(cut).unwrap_err().code, ErrorCode::TruncatedGzip);
        let mut two = gzip(b"a");
        two.extend(gzip(b"b"));
        assert_eq!(read_stream(&two[..]).unwrap(), b"ab", "multi-member gzip");
    }
}
