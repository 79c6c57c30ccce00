/// Why bytes gave no article. The codes are those of the README's error
/// table, which the command maps every crate's errors to.
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
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
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
