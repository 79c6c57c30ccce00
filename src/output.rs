//! Records out: the `--format` choice and the pipeline's results as the
//! entries every sink of `glaneur_sinks` takes.

use clap::ValueEnum;
use glaneur_sinks::{Content, Entry};

use crate::pipeline::{Outcome, Processed};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One record a line: each input's `document` (or `error`), then its facts.
    Jsonl,
    /// One array of documents, each with its `facts`.
    Json,
    /// One row a fact (to a directory: `documents.csv` and `facts.csv`).
    Csv,
    /// One database (`--output FILE.db`) that reruns update in place.
    #[cfg(feature = "sqlite")]
    Sqlite,
    /// `documents.parquet`, `facts.parquet` and `errors.parquet` (`--output DIR`).
    #[cfg(feature = "parquet")]
    Parquet,
}

impl From<Format> for glaneur_sinks::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Jsonl => glaneur_sinks::Format::Jsonl,
            Format::Json => glaneur_sinks::Format::Json,
            Format::Csv => glaneur_sinks::Format::Csv,
            #[cfg(feature = "sqlite")]
            Format::Sqlite => glaneur_sinks::Format::Sqlite,
            #[cfg(feature = "parquet")]
            Format::Parquet => glaneur_sinks::Format::Parquet,
        }
    }
}

pub fn entry(p: &Processed) -> Entry<'_> {
    Entry {
        doc: &p.id,
        source: &p.source,
        url: p.provenance.url.as_deref(),
        fetched: p.provenance.fetched.as_deref(),
        content: match &p.outcome {
            Outcome::Extracted { article, facts } => Content::Article { article, facts },
            Outcome::Failed(e) => Content::Error(glaneur_sinks::Failure {
                code: e.code,
                message: &e.message,
            }),
        },
    }
}
