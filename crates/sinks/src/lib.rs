//! Records out. Every format is a [`Sink`]: JSONL, JSON, CSV, SQLite and
//! Parquet are peers, fed the same [`Entry`] for each input. The JSON records
//! ([`records`]) and the table rows ([`rows`]) are Rust types from which the
//! published schema (`glaneur schema`) and the tables' columns are derived,
//! so the formats and their documentation cannot drift apart.

mod cells;
mod csv_sink;
mod file;
mod json;
#[cfg(feature = "parquet")]
mod parquet_sink;
pub mod records;
pub mod rows;
pub mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::io;
use std::path::PathBuf;

use glaneur_articles::Article;
use glaneur_facts::Fact;

pub use cells::{Cell, ColumnType};
pub use rows::Table;

/// One input, as the pipeline gives it: an article and its facts, or why
/// there is none.
pub struct Entry<'a> {
    pub doc: &'a str,
    /// Where the input came from: a path, a URL, a WARC file and offset.
    pub source: &'a str,
    /// The address the page was read from, when the input says it.
    pub url: Option<&'a str>,
    /// When the page was fetched, when the input says it.
    pub fetched: Option<&'a str>,
    pub content: Content<'a>,
}

#[derive(Clone, Copy)]
pub enum Content<'a> {
    Article { article: &'a Article, facts: &'a [Fact] },
    Error(Failure<'a>),
}

/// Why an input gave no article: a code of the README's error table and a
/// message.
#[derive(Clone, Copy, Debug)]
pub struct Failure<'a> {
    pub code: &'a str,
    pub message: &'a str,
}

/// A destination for records. `finish` makes the output complete and
/// visible; an output whose sink is dropped unfinished is left as it was
/// before the run (files are written aside, the database rolls back).
pub trait Sink {
    fn write(&mut self, entry: &Entry) -> io::Result<()>;
    /// Hands what is written so far to the destination, so that a reader
    /// downstream (a pipe) gets each batch as it is done. Databases and
    /// Parquet files show nothing before `finish`, by design.
    fn flush(&mut self) -> io::Result<()>;
    fn finish(self: Box<Self>) -> io::Result<()>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Json,
    Csv,
    #[cfg(feature = "sqlite")]
    Sqlite,
    #[cfg(feature = "parquet")]
    Parquet,
}

pub struct Options {
    pub format: Format,
    /// A file (a directory for CSV tables and Parquet); standard output when
    /// `None`.
    pub output: Option<PathBuf>,
    /// Whether JSON and JSONL document records carry the article text.
    pub with_text: bool,
    /// Prefix CSV text cells that a spreadsheet would read as a formula.
    pub csv_safe: bool,
    /// The command line, kept in the SQLite `runs` table.
    pub arguments: Vec<String>,
}

/// The sink for `options.format`, ready for its first entry.
pub fn open(options: Options) -> io::Result<Box<dyn Sink>> {
    let path = options.output.as_deref();
    Ok(match options.format {
        Format::Jsonl => Box::new(json::JsonlSink::create(path, options.with_text)?),
        Format::Json => Box::new(json::JsonSink::create(path, options.with_text)?),
        Format::Csv => Box::new(csv_sink::CsvSink::create(path, options.csv_safe)?),
        #[cfg(feature = "sqlite")]
        Format::Sqlite => {
            let path = path.ok_or_else(|| usage("--format sqlite needs --output FILE.db"))?;
            Box::new(sqlite::SqliteSink::open(path, &options.arguments)?)
        }
        #[cfg(feature = "parquet")]
        Format::Parquet => {
            let path = path.ok_or_else(|| usage("--format parquet needs --output DIR"))?;
            Box::new(parquet_sink::ParquetSink::create(path)?)
        }
    })
}

#[cfg(any(feature = "sqlite", feature = "parquet"))]
fn usage(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// An error of a library below, with the file it concerns.
#[cfg(any(feature = "sqlite", feature = "parquet"))]
fn in_file(path: &std::path::Path, e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("{}: {e}", path.display()))
}
