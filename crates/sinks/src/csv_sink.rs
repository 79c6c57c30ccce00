//! CSV tables: `facts.csv`, one row a fact, and (when the output is a
//! directory) `documents.csv`, one row an input, `document` or `error`.
//! Columns come from the row types of [`crate::rows`].

use std::fs;
use std::io;
use std::path::Path;

use crate::cells::{cells, Cell};
use crate::file::{is_dir, Destination};
use crate::rows::{columns, DocumentRow, ErrorRow, FactRow};
use crate::{Content, Entry, Sink};

pub struct CsvSink {
    facts: Box<csv::Writer<Destination>>,
    documents: Option<DocumentsTable>,
    safe: bool,
}

/// `documents.csv`: the columns of documents and of errors in one table,
/// told apart by `kind`.
struct DocumentsTable {
    writer: Box<csv::Writer<Destination>>,
    header: Vec<&'static str>,
}

impl CsvSink {
    pub fn create(path: Option<&Path>, safe: bool) -> io::Result<Self> {
        let (facts_path, documents_path) = match path {
            Some(dir) if is_dir(dir) => {
                fs::create_dir_all(dir)?;
                (Some(dir.join("facts.csv")), Some(dir.join("documents.csv")))
            }
            other => (other.map(Path::to_path_buf), None),
        };
        let mut facts = csv::Writer::from_writer(Destination::open(facts_path.as_deref())?);
        facts.write_record(columns::<FactRow>()?.iter().map(|c| c.name))?;
        let documents = match documents_path {
            Some(p) => {
                let header = documents_header()?;
                let mut writer = csv::Writer::from_writer(Destination::open(Some(&p))?);
                writer.write_record(&header)?;
                Some(DocumentsTable {
                    writer: Box::new(writer),
                    header,
                })
            }
            None => None,
        };
        Ok(Self {
            facts: Box::new(facts),
            documents,
            safe,
        })
    }
}

/// `doc`, `kind`, then the columns of documents, then those of errors
/// that documents lack.
fn documents_header() -> io::Result<Vec<&'static str>> {
    let mut header = vec!["doc", "kind"];
    for column in columns::<DocumentRow>()?.into_iter().chain(columns::<ErrorRow>()?) {
        if !header.contains(&column.name) {
            header.push(column.name);
        }
    }
    Ok(header)
}

impl Sink for CsvSink {
    fn write(&mut self, entry: &Entry) -> io::Result<()> {
        if let Content::Article { facts, .. } = entry.content {
            for f in facts {
                let row = cells(&FactRow::of(entry.doc, f))?;
                self.facts
                    .write_record(row.iter().map(|(_, cell)| text(cell, self.safe)))?;
            }
        }
        if let Some(table) = &mut self.documents {
            let (kind, row) = match entry.content {
                Content::Article { article, .. } => ("document", cells(&DocumentRow::of(entry, article))?),
                Content::Error(e) => ("error", cells(&ErrorRow::of(entry, e))?),
            };
            let record = table.header.iter().map(|&name| match name {
                "kind" => kind.to_string(),
                _ => row
                    .iter()
                    .find(|(column, _)| *column == name)
                    .map(|(_, cell)| text(cell, self.safe))
                    .unwrap_or_default(),
            });
            table.writer.write_record(record)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.facts.flush()?;
        match &mut self.documents {
            Some(table) => table.writer.flush(),
            None => Ok(()),
        }
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        (*self.facts).into_inner().map_err(|e| e.into_error())?.finish()?;
        if let Some(table) = self.documents {
            (*table.writer).into_inner().map_err(|e| e.into_error())?.finish()?;
        }
        Ok(())
    }
}

/// A cell as CSV text: empty for null. With `safe`, text that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
/// tab or carriage return, OWASP's list) gets a leading `'`; numbers are
/// ours, not the page's, and stay numbers.
fn text(cell: &Cell, safe: bool) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Bool(b) => b.to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Real(r) => r.to_string(),
        Cell::Text(t) if safe && t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
        Cell::Text(t) => t.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_safe_prefixes_text_that_a_spreadsheet_would_run() {
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            let cell = Cell::Text(formula.into());
            assert_eq!(text(&cell, true), format!("'{formula}"));
            assert_eq!(text(&cell, false), formula);
        }
        assert_eq!(text(&Cell::Text("La CNIL".into()), true), "La CNIL");
        assert_eq!(text(&Cell::Real(-5.5), true), "-5.5");
        assert_eq!(text(&Cell::Real(20_000_000.0), true), "20000000");
        assert_eq!(text(&Cell::Null, true), "");
    }
}
