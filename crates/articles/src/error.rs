use std::fmt;

/// Why an input gave no article. The codes are stable: scripts match them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The file could not be opened or read.
    Unreadable,
    /// Nothing but white space.
    Empty,
    /// Binary content (a PDF, an image, an archive).
    NotText,
    /// A gzip stream that ends early.
    TruncatedGzip,
    /// A gzip stream that is corrupt.
    BadGzip,
    /// Over the size a document may have.
    TooLarge,
    /// Markup nested deeper than any real page.
    TooDeep,
    /// Data that is text but no article (a JSON document).
    NotArticle,
    /// Extraction ran over the time a document may take.
    Timeout,
    /// A file given as WARC that is not one.
    NotWarc,
    /// A WARC, HTTP or JSONL record that cannot be read as one.
    BadRecord,
    /// A fetched page answered with an HTTP status other than 2xx.
    HttpStatus,
    /// robots.txt disallows the page.
    RobotsDenied,
    /// Redirects that loop, or more than ten of them.
    RedirectLoop,
    /// A redirect to an address that is not `http` or `https`.
    BadRedirect,
    /// The host name does not resolve.
    Dns,
    /// The connection failed or was closed early.
    Connection,
    /// Not an `http` or `https` address.
    BadUrl,
    /// A private, loopback or link-local address, refused by `--deny-private`.
    PrivateAddress,
    /// A body whose `Content-Encoding` (gzip, deflate, br) cannot be undone.
    BadEncoding,
    /// A bug: the program panicked on this input. The rest of the batch
    /// went on; the message says where.
    InternalError,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unreadable => "unreadable",
            ErrorCode::Empty => "empty",
            ErrorCode::NotText => "not_text",
            ErrorCode::TruncatedGzip => "truncated_gzip",
            ErrorCode::BadGzip => "bad_gzip",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::TooDeep => "too_deep",
            ErrorCode::NotArticle => "not_article",
            ErrorCode::Timeout => "timeout",
            ErrorCode::NotWarc => "not_warc",
            ErrorCode::BadRecord => "bad_record",
            ErrorCode::HttpStatus => "http_status",
            ErrorCode::RobotsDenied => "robots_denied",
            ErrorCode::RedirectLoop => "redirect_loop",
            ErrorCode::BadRedirect => "bad_redirect",
            ErrorCode::Dns => "dns",
            ErrorCode::Connection => "connection",
            ErrorCode::BadUrl => "bad_url",
            ErrorCode::PrivateAddress => "private_address",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::BadEncoding => "bad_encoding",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleError {
    pub code: ErrorCode,
    pub message: String,
}

impl ArticleError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for ArticleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for ArticleError {}

/// A WARC record or HTTP message that could not be read is no article.
impl From<glaneur_warc::Error> for ArticleError {
    fn from(e: glaneur_warc::Error) -> Self {
        use glaneur_warc::Error as Warc;
        let code = match &e {
            Warc::Unreadable(_) => ErrorCode::Unreadable,
            Warc::TruncatedGzip => ErrorCode::TruncatedGzip,
            Warc::BadGzip(_) => ErrorCode::BadGzip,
            Warc::TooLarge(_) => ErrorCode::TooLarge,
            Warc::NotWarc => ErrorCode::NotWarc,
            Warc::BadRecord(_) => ErrorCode::BadRecord,
            Warc::BadEncoding { .. } => ErrorCode::BadEncoding,
        };
        ArticleError::new(code, e.to_string())
    }
}
