//! Records out: JSONL (default), one JSON array, or CSV tables. Files are
//! written beside their final name and renamed when complete, so that an
//! interrupted run never leaves a half file that looks whole.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use glaneur_facts::{Fact, Value};
use serde::Serialize;

use crate::pipeline::{Outcome, Processed};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One record a line: each input's `document` (or `error`), then its facts.
    Jsonl,
    /// One array of documents, each with its `facts`.
    Json,
    /// One row a fact (to a directory: `documents.csv` and `facts.csv`).
    Csv,
}

/// A file being written aside, renamed into place by `commit`.
struct PendingFile {
    temp: PathBuf,
    target: PathBuf,
    writer: BufWriter<File>,
}

impl PendingFile {
    fn create(target: &Path) -> io::Result<Self> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.{}.partial", std::process::id()));
        Ok(Self {
            writer: BufWriter::new(File::create(&temp)?),
            temp,
            target: target.to_path_buf(),
        })
    }

    fn commit(mut self) -> io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_all()?;
        fs::rename(&self.temp, &self.target)
    }
}

enum Destination {
    Stdout(BufWriter<io::Stdout>),
    File(PendingFile),
}

impl Destination {
    fn open(path: Option<&Path>) -> io::Result<Self> {
        Ok(match path {
            Some(p) => Destination::File(PendingFile::create(p)?),
            None => Destination::Stdout(BufWriter::new(io::stdout())),
        })
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Destination::Stdout(w) => w,
            Destination::File(f) => &mut f.writer,
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Destination::Stdout(mut w) => w.flush(),
            Destination::File(f) => f.commit(),
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

/// Columns of `facts.csv`: one row a fact; `value` is the canonical value
/// as one string, the columns after it its parts.
pub const FACT_COLUMNS: [&str; 16] = [
    "doc",
    "kind",
    "text",
    "start",
    "end",
    "value",
    "date",
    "amount",
    "currency",
    "per",
    "article",
    "paragraph",
    "point",
    "authority",
    "country",
    "sentence",
];

/// Columns of `documents.csv`: one row an input, `document` or `error`.
pub const DOCUMENT_COLUMNS: [&str; 16] = [
    "doc",
    "kind",
    "source",
    "lang",
    "title",
    "published",
    "modified",
    "url",
    "fetched",
    "site_name",
    "authors",
    "description",
    "list_page",
    "chars",
    "code",
    "message",
];

enum Tables {
    Jsonl(Destination),
    Json {
        out: Destination,
        first: bool,
    },
    Csv {
        facts: Box<csv::Writer<Destination>>,
        documents: Option<Box<csv::Writer<Destination>>>,
    },
}

pub struct Sink {
    tables: Tables,
    with_text: bool,
}

#[derive(Serialize)]
struct DocumentRecord<'a> {
    doc: &'a str,
    kind: &'static str,
    source: &'a str,
    lang: Option<&'a str>,
    title: Option<&'a str>,
    published: Option<String>,
    modified: Option<String>,
    url: Option<&'a str>,
    fetched: Option<&'a str>,
    site_name: Option<&'a str>,
    authors: &'a [String],
    description: Option<&'a str>,
    list_page: bool,
    chars: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    doc: &'a str,
    kind: &'static str,
    source: &'a str,
    code: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct FactRecord<'a> {
    doc: &'a str,
    kind: &'static str,
    text: &'a str,
    start: usize,
    end: usize,
    value: &'a Value,
    sentence: &'a str,
}

#[derive(Serialize)]
struct DocumentWithFacts<'a> {
    #[serde(flatten)]
    document: DocumentRecord<'a>,
    facts: Vec<FactRecord<'a>>,
}

fn fact_record<'a>(doc: &'a str, f: &'a Fact) -> FactRecord<'a> {
    FactRecord {
        doc,
        kind: f.value.kind(),
        text: &f.text,
        start: f.start,
        end: f.end,
        value: &f.value,
        sentence: &f.sentence,
    }
}

impl Sink {
    pub fn create(format: Format, path: Option<&Path>, with_text: bool) -> io::Result<Self> {
        let tables = match format {
            Format::Jsonl => Tables::Jsonl(Destination::open(path)?),
            Format::Json => {
                let mut out = Destination::open(path)?;
                out.write_all(b"[")?;
                Tables::Json { out, first: true }
            }
            Format::Csv => {
                let to_dir = path.is_some_and(|p| p.is_dir() || p.to_string_lossy().ends_with('/'));
                let (facts_path, documents_path) = match path {
                    Some(dir) if to_dir => {
                        fs::create_dir_all(dir)?;
                        (Some(dir.join("facts.csv")), Some(dir.join("documents.csv")))
                    }
                    other => (other.map(Path::to_path_buf), None),
                };
                let mut facts = csv::Writer::from_writer(Destination::open(facts_path.as_deref())?);
                facts.write_record(FACT_COLUMNS)?;
                let documents = match documents_path {
                    Some(p) => {
                        let mut w = csv::Writer::from_writer(Destination::open(Some(&p))?);
                        w.write_record(DOCUMENT_COLUMNS)?;
                        Some(Box::new(w))
                    }
                    None => None,
                };
                Tables::Csv {
                    facts: Box::new(facts),
                    documents,
                }
            }
        };
        Ok(Self { tables, with_text })
    }

    pub fn write(&mut self, p: &Processed) -> io::Result<()> {
        let doc = p.job.doc.as_str();
        let source = p.job.source.as_str();
        let origin = Origin {
            url: p.job.url.as_deref(),
            fetched: p.job.fetched.as_deref(),
        };
        match (&mut self.tables, &p.outcome) {
            (Tables::Jsonl(out), Outcome::Extracted { article, facts }) => {
                let record = document_record(doc, source, origin, article, self.with_text);
                serde_json::to_writer(&mut *out, &record)?;
                out.write_all(b"\n")?;
                for f in facts {
                    serde_json::to_writer(&mut *out, &fact_record(doc, f))?;
                    out.write_all(b"\n")?;
                }
            }
            (Tables::Jsonl(out), Outcome::Failed(e)) => {
                serde_json::to_writer(&mut *out, &error_record(doc, source, e))?;
                out.write_all(b"\n")?;
            }
            (Tables::Json { out, first }, outcome) => {
                out.write_all(if *first { b"\n" } else { b",\n" })?;
                *first = false;
                match outcome {
                    Outcome::Extracted { article, facts } => {
                        let record = DocumentWithFacts {
                            document: document_record(doc, source, origin, article, self.with_text),
                            facts: facts.iter().map(|f| fact_record(doc, f)).collect(),
                        };
                        serde_json::to_writer(&mut *out, &record)?;
                    }
                    Outcome::Failed(e) => serde_json::to_writer(&mut *out, &error_record(doc, source, e))?,
                }
            }
            (
                Tables::Csv {
                    facts: fact_rows,
                    documents,
                },
                outcome,
            ) => {
                if let Outcome::Extracted { facts, .. } = outcome {
                    for f in facts {
                        fact_rows.write_record(fact_row(doc, f))?;
                    }
                }
                if let Some(rows) = documents {
                    rows.write_record(document_row(doc, source, origin, outcome))?;
                }
            }
        }
        Ok(())
    }

    /// Hands what is written so far to the destination.
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.tables {
            Tables::Jsonl(out) | Tables::Json { out, .. } => out.flush(),
            Tables::Csv { facts, documents } => {
                facts.flush()?;
                match documents {
                    Some(rows) => rows.flush(),
                    None => Ok(()),
                }
            }
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self.tables {
            Tables::Jsonl(out) => out.finish(),
            Tables::Json { mut out, .. } => {
                out.write_all(b"\n]\n")?;
                out.finish()
            }
            Tables::Csv { facts, documents } => {
                (*facts).into_inner().map_err(|e| e.into_error())?.finish()?;
                if let Some(d) = documents {
                    (*d).into_inner().map_err(|e| e.into_error())?.finish()?;
                }
                Ok(())
            }
        }
    }
}

/// Where a document was read from, when the input says it.
#[derive(Clone, Copy)]
struct Origin<'a> {
    url: Option<&'a str>,
    fetched: Option<&'a str>,
}

fn document_record<'a>(
    doc: &'a str,
    source: &'a str,
    origin: Origin<'a>,
    a: &'a glaneur_articles::Article,
    with_text: bool,
) -> DocumentRecord<'a> {
    DocumentRecord {
        doc,
        kind: "document",
        source,
        lang: a.lang.as_deref(),
        title: a.title.as_deref(),
        published: a.published.map(|d| d.to_string()),
        modified: a.modified.map(|d| d.to_string()),
        url: origin.url.or(a.url.as_deref()),
        fetched: origin.fetched,
        site_name: a.site_name.as_deref(),
        authors: &a.authors,
        description: a.description.as_deref(),
        list_page: a.list_page,
        chars: a.text.chars().count(),
        text: with_text.then_some(a.text.as_str()),
    }
}

fn error_record<'a>(doc: &'a str, source: &'a str, e: &'a glaneur_articles::ArticleError) -> ErrorRecord<'a> {
    ErrorRecord {
        doc,
        kind: "error",
        source,
        code: e.code.as_str(),
        message: &e.message,
    }
}

/// The canonical value as one string: `2022-10-20`, `100000 EUR/day`,
/// `5(1)(a)`, `CNIL`.
fn value_string(v: &Value) -> String {
    match v {
        Value::Date(d) => d.to_string(),
        Value::Amount(a) => {
            let per = a.per.map(|p| format!("/{}", p.as_str())).unwrap_or_default();
            format!("{} {}{per}", a.amount, a.currency)
        }
        Value::GdprArticle(g) => {
            let paragraph = g.paragraph.map(|p| format!("({p})")).unwrap_or_default();
            let point = g.point.as_ref().map(|p| format!("({p})")).unwrap_or_default();
            format!("{}{paragraph}{point}", g.article)
        }
        Value::Authority(a) => a.name.clone(),
    }
}

fn fact_row(doc: &str, f: &Fact) -> [String; 16] {
    let mut row: [String; 16] = Default::default();
    row[0] = doc.to_string();
    row[1] = f.value.kind().to_string();
    row[2] = f.text.clone();
    row[3] = f.start.to_string();
    row[4] = f.end.to_string();
    row[5] = value_string(&f.value);
    match &f.value {
        Value::Date(d) => row[6] = d.to_string(),
        Value::Amount(a) => {
            row[7] = a.amount.to_string();
            row[8] = a.currency.clone();
            row[9] = a.per.map(glaneur_facts::Period::as_str).unwrap_or_default().to_string();
        }
        Value::GdprArticle(g) => {
            row[10] = g.article.to_string();
            row[11] = g.paragraph.map(|p| p.to_string()).unwrap_or_default();
            row[12] = g.point.clone().unwrap_or_default();
        }
        Value::Authority(a) => {
            row[13] = a.name.clone();
            row[14] = a.country.clone().unwrap_or_default();
        }
    }
    row[15] = f.sentence.clone();
    row
}

fn document_row(doc: &str, source: &str, origin: Origin, outcome: &Outcome) -> [String; 16] {
    let mut row: [String; 16] = Default::default();
    row[0] = doc.to_string();
    row[2] = source.to_string();
    match outcome {
        Outcome::Extracted { article: a, .. } => {
            let text = |o: &Option<String>| o.clone().unwrap_or_default();
            row[1] = "document".into();
            row[3] = text(&a.lang);
            row[4] = text(&a.title);
            row[5] = a.published.map(|d| d.to_string()).unwrap_or_default();
            row[6] = a.modified.map(|d| d.to_string()).unwrap_or_default();
            row[7] = origin.url.map(str::to_string).unwrap_or_else(|| text(&a.url));
            row[8] = origin.fetched.unwrap_or_default().to_string();
            row[9] = text(&a.site_name);
            row[10] = a.authors.join("; ");
            row[11] = text(&a.description);
            row[12] = a.list_page.to_string();
            row[13] = a.text.chars().count().to_string();
        }
        Outcome::Failed(e) => {
            row[1] = "error".into();
            row[14] = e.code.as_str().into();
            row[15] = e.message.clone();
        }
    }
    row
}
