//! Why an input gave no article, as its `error` record says it: one code
//! of the README's table, which scripts match, and a message for people.
//! Each crate has its own error type whose kind gives its stable code
//! (`code()`); an input's failure keeps that code, never read from text.

use std::fmt;

use glaneur_articles::ArticleError;
use glaneur_fetch::FetchError;

/// The codes the command gives itself; every crate's errors come with
/// their own (`code()`), all of them the README's stable codes.
pub mod code {
    pub const UNREADABLE: &str = "unreadable";
    pub const TRUNCATED_GZIP: &str = "truncated_gzip";
    pub const TOO_LARGE: &str = "too_large";
    pub const BAD_RECORD: &str = "bad_record";
    pub const TIMEOUT: &str = "timeout";
    pub const INTERNAL_ERROR: &str = "internal_error";
}

/// One input's failure: its record's `code` and `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: &'static str,
    pub message: String,
}

impl Failure {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl From<ArticleError> for Failure {
    fn from(e: ArticleError) -> Self {
        Failure::new(e.code.as_str(), e.message)
    }
}

impl From<FetchError> for Failure {
    fn from(e: FetchError) -> Self {
        Failure::new(e.kind.code(), e.message)
    }
}

/// A WARC record or the HTTP message in it that cannot be read.
impl From<glaneur_warc::Error> for Failure {
    fn from(e: glaneur_warc::Error) -> Self {
        Failure::new(e.code(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use glaneur_articles::ErrorCode as ArticleCode;
    use glaneur_fetch::ErrorKind as FetchKind;

    #[test]
    fn every_crate_keeps_the_code_its_own_error_names() {
        let article = ArticleError::new(ArticleCode::TooDeep, "deep");
        assert_eq!(Failure::from(article).code, "too_deep");
        for kind in [
            FetchKind::WriteFailed,
            FetchKind::Dns,
            FetchKind::Internal,
            FetchKind::Timeout,
        ] {
            let failure = Failure::from(FetchError::new(kind, "m"));
            assert_eq!(failure.code, kind.code());
        }
        let warc = glaneur_warc::Error::BadEncoding {
            encoding: "br".into(),
            reason: "x".into(),
        };
        assert_eq!(Failure::from(warc.clone()).code, warc.code());
    }
}
