//! JSONL (one record a line: each input's `document` or `error`, then its
//! facts) and JSON (one array of documents, each with its `facts`).

use std::io::{self, Write};
use std::path::Path;

use crate::file::Destination;
use crate::records::{self, DocumentWithFacts};
use crate::{Content, Entry, Sink};

pub struct JsonlSink {
    out: Destination,
    with_text: bool,
}

impl JsonlSink {
    pub fn create(path: Option<&Path>, with_text: bool) -> io::Result<Self> {
        Ok(Self {
            out: Destination::open(path)?,
            with_text,
        })
    }

    fn line(&mut self, record: &impl serde::Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, record)?;
        self.out.write_all(b"\n")
    }
}

impl Sink for JsonlSink {
    fn write(&mut self, entry: &Entry) -> io::Result<()> {
        match entry.content {
            Content::Article { article, facts } => {
                self.line(&records::document(entry, article, self.with_text))?;
                for f in facts {
                    self.line(&records::fact(entry.doc, f))?;
                }
                Ok(())
            }
            Content::Error(e) => self.line(&records::error(entry, e)),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.out.finish()
    }
}

pub struct JsonSink {
    out: Destination,
    with_text: bool,
    first: bool,
}

impl JsonSink {
    pub fn create(path: Option<&Path>, with_text: bool) -> io::Result<Self> {
        let mut out = Destination::open(path)?;
        out.write_all(b"[")?;
        Ok(Self {
            out,
            with_text,
            first: true,
        })
    }
}

impl Sink for JsonSink {
    fn write(&mut self, entry: &Entry) -> io::Result<()> {
        self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        match entry.content {
            Content::Article { article, facts } => {
                let record = DocumentWithFacts {
                    document: records::document(entry, article, self.with_text),
                    facts: facts.iter().map(|f| records::fact(entry.doc, f)).collect(),
                };
                serde_json::to_writer(&mut self.out, &record)?;
            }
            Content::Error(e) => serde_json::to_writer(&mut self.out, &records::error(entry, e))?,
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.out.write_all(b"\n]\n")?;
        self.out.finish()
    }
}
