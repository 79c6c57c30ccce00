//! Why an input gave no article, as its `error` record says it: one code
//! of the README's table, which scripts match, and a message for people.
//! Each crate has its own error type; this is the one place where they
//! become the stable codes, by their kind, never by their text.

use std::fmt;

use glaneur_articles::{ArticleError, ErrorCode as ArticleCode};
use glaneur_fetch::{ErrorKind as FetchKind, FetchError};

/// The stable codes of the README's error table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Unreadable,
    Empty,
    NotText,
    TruncatedGzip,
    BadGzip,
    TooLarge,
    TooDeep,
    NotArticle,
    Timeout,
    InternalError,
    NotWarc,
    BadRecord,
    BadEncoding,
    HttpStatus,
    RobotsDenied,
    RedirectLoop,
    BadRedirect,
    Dns,
    Connection,
    BadUrl,
    PrivateAddress,
    WriteFailed,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unreadable => "unreadable",
            Code::Empty => "empty",
            Code::NotText => "not_text",
            Code::TruncatedGzip => "truncated_gzip",
            Code::BadGzip => "bad_gzip",
            Code::TooLarge => "too_large",
            Code::TooDeep => "too_deep",
            Code::NotArticle => "not_article",
            Code::Timeout => "timeout",
            Code::InternalError => "internal_error",
            Code::NotWarc => "not_warc",
            Code::BadRecord => "bad_record",
            Code::BadEncoding => "bad_encoding",
            Code::HttpStatus => "http_status",
            Code::RobotsDenied => "robots_denied",
            Code::RedirectLoop => "redirect_loop",
            Code::BadRedirect => "bad_redirect",
            Code::Dns => "dns",
            Code::Connection => "connection",
            Code::BadUrl => "bad_url",
            Code::PrivateAddress => "private_address",
            Code::WriteFailed => "write_failed",
        }
    }
}

/// One input's failure: its record's `code` and `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: Code,
    pub message: String,
}

impl Failure {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl From<ArticleError> for Failure {
    fn from(e: ArticleError) -> Self {
        let code = match e.code {
            ArticleCode::Unreadable => Code::Unreadable,
            ArticleCode::Empty => Code::Empty,
            ArticleCode::NotText => Code::NotText,
            ArticleCode::TruncatedGzip => Code::TruncatedGzip,
            ArticleCode::BadGzip => Code::BadGzip,
            ArticleCode::TooLarge => Code::TooLarge,
            ArticleCode::TooDeep => Code::TooDeep,
            ArticleCode::NotArticle => Code::NotArticle,
        };
        Failure::new(code, e.message)
    }
}

impl From<FetchError> for Failure {
    fn from(e: FetchError) -> Self {
        let code = match e.kind {
            FetchKind::HttpStatus => Code::HttpStatus,
            FetchKind::RobotsDenied => Code::RobotsDenied,
            FetchKind::RedirectLoop => Code::RedirectLoop,
            FetchKind::BadRedirect => Code::BadRedirect,
            FetchKind::Dns => Code::Dns,
            FetchKind::Connection => Code::Connection,
            FetchKind::BadUrl => Code::BadUrl,
            FetchKind::PrivateAddress => Code::PrivateAddress,
            FetchKind::Timeout => Code::Timeout,
            FetchKind::TooLarge => Code::TooLarge,
            FetchKind::BadRecord => Code::BadRecord,
            FetchKind::BadGzip => Code::BadGzip,
            FetchKind::BadEncoding => Code::BadEncoding,
            FetchKind::WriteFailed => Code::WriteFailed,
            FetchKind::Internal => Code::InternalError,
        };
        Failure::new(code, e.message)
    }
}

/// A WARC record or the HTTP message in it that cannot be read.
impl From<glaneur_warc::Error> for Failure {
    fn from(e: glaneur_warc::Error) -> Self {
        use glaneur_warc::Error as Warc;
        let code = match &e {
            Warc::Unreadable(_) => Code::Unreadable,
            Warc::TruncatedGzip => Code::TruncatedGzip,
            Warc::BadGzip(_) => Code::BadGzip,
            Warc::TooLarge(_) => Code::TooLarge,
            Warc::NotWarc => Code::NotWarc,
            Warc::BadRecord(_) => Code::BadRecord,
            Warc::BadEncoding { .. } => Code::BadEncoding,
        };
        Failure::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crate_keeps_the_code_its_own_error_names() {
        let article = ArticleError::new(ArticleCode::TooDeep, "deep");
        assert_eq!(Failure::from(article).code.as_str(), "too_deep");
        for kind in [
            FetchKind::WriteFailed,
            FetchKind::Dns,
            FetchKind::Internal,
            FetchKind::Timeout,
        ] {
            let failure = Failure::from(FetchError::new(kind, "m"));
            assert_eq!(failure.code.as_str(), kind.code());
        }
        let warc = glaneur_warc::Error::BadEncoding {
            encoding: "br".into(),
            reason: "x".into(),
        };
        assert_eq!(Failure::from(warc.clone()).code.as_str(), warc.code());
    }
}
