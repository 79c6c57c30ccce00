//! The SQLite schema (`glaneur schema --sql`), generated from the row
//! types: tables `documents`, `facts`, `errors` and `runs`, their keys and
//! the indexes of the usual dashboard queries.

use std::fmt::Write as _;
use std::io;

use schemars::JsonSchema;
use serde::Serialize;

use crate::cells::ColumnType;
use crate::rows::{columns, Column, DocumentRow, ErrorRow, FactRow, Table};

/// Bumped when the tables change in a way an older database cannot hold.
pub const SCHEMA_VERSION: i64 = 1;

/// One run of `glaneur extract` into the database.
#[derive(Serialize, JsonSchema, Default)]
pub struct RunRow {
    /// When the run started, UTC, ISO 8601.
    pub started: String,
    /// When it ended; a run that did not end left no row.
    pub ended: Option<String>,
    /// The glaneur version.
    pub version: String,
    /// The command line, as a JSON array.
    pub arguments: String,
    /// Inputs read.
    pub inputs: u64,
    /// Articles extracted.
    pub documents: u64,
    /// Inputs that gave an error record.
    pub errors: u64,
    /// Facts extracted.
    pub facts: u64,
    /// Documents written or replaced because they were new or had changed.
    pub changed: u64,
}

impl Table for RunRow {
    const NAME: &'static str = "runs";
}

/// Columns and constraints a table has in SQLite only, after the columns
/// of its row type: one a line, with its comment after ` -- `.
const RUN_KEYS: &[&str] = &["id INTEGER PRIMARY KEY -- The run's number."];
const DOCUMENT_KEYS: &[&str] = &[
    "content_hash TEXT NOT NULL -- SHA-256 of the document's row, text and facts: it changes when the extraction does.",
    "run INTEGER NOT NULL REFERENCES runs(id) -- The run that wrote this row.",
    "PRIMARY KEY (doc)",
];
const FACT_KEYS: &[&str] = &[
    "seq INTEGER NOT NULL -- The fact's rank in its document, from 0.",
    "PRIMARY KEY (doc, seq)",
    "FOREIGN KEY (doc) REFERENCES documents(doc) ON DELETE CASCADE",
];
const ERROR_KEYS: &[&str] = &[
    "run INTEGER NOT NULL REFERENCES runs(id) -- The run that wrote this row.",
    "PRIMARY KEY (doc)",
];

const INDEXES: &str = "CREATE INDEX IF NOT EXISTS facts_by_kind_value ON facts (kind, value);
CREATE INDEX IF NOT EXISTS facts_by_authority ON facts (authority) WHERE authority IS NOT NULL;
CREATE INDEX IF NOT EXISTS facts_by_date ON facts (date) WHERE date IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_by_published ON documents (published);
CREATE INDEX IF NOT EXISTS documents_by_site ON documents (site_name);
";

/// The whole schema: `CREATE TABLE` and `CREATE INDEX` statements, each
/// `IF NOT EXISTS`, so that it runs on a new and on an existing database.
pub fn ddl() -> io::Result<String> {
    let mut out = String::new();
    create_table::<RunRow>(&mut out, RUN_KEYS, &[])?;
    create_table::<DocumentRow>(&mut out, &[], DOCUMENT_KEYS)?;
    create_table::<FactRow>(&mut out, &[], FACT_KEYS)?;
    create_table::<ErrorRow>(&mut out, &[], ERROR_KEYS)?;
    out.push_str(INDEXES);
    Ok(out)
}

fn create_table<T: Table>(out: &mut String, before: &[&str], after: &[&str]) -> io::Result<()> {
    let mut lines: Vec<String> = before.iter().map(|l| l.to_string()).collect();
    lines.extend(columns::<T>()?.iter().map(column_definition));
    lines.extend(after.iter().map(|l| l.to_string()));
    let _ = writeln!(out, "CREATE TABLE IF NOT EXISTS {} (", T::NAME);
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        // The comma goes before a line's comment, not after it.
        let comma = if i < last { "," } else { "" };
        let _ = match line.split_once(" -- ") {
            Some((definition, comment)) => writeln!(out, "    {definition}{comma} -- {comment}"),
            None => writeln!(out, "    {line}{comma}"),
        };
    }
    out.push_str(");\n");
    Ok(())
}

fn column_definition(c: &Column) -> String {
    let sql_type = match c.kind {
        ColumnType::Text => "TEXT",
        ColumnType::Integer | ColumnType::Bool => "INTEGER",
        ColumnType::Real => "REAL",
    };
    let mut line = format!("{} {sql_type}", c.name);
    if !c.nullable {
        line.push_str(" NOT NULL");
    }
    if c.kind == ColumnType::Bool {
        let _ = write!(line, " CHECK ({} IN (0, 1))", c.name);
    }
    if let Some(description) = &c.description {
        let _ = write!(line, " -- {}", description.replace('\n', " "));
    }
    line
}

/// `INSERT INTO table (columns of T, then extra) VALUES (?, …)`.
pub fn insert<T: Table>(extra: &[&str]) -> io::Result<String> {
    let names: Vec<&str> = columns::<T>()?
        .iter()
        .map(|c| c.name)
        .chain(extra.iter().copied())
        .collect();
    let placeholders = vec!["?"; names.len()].join(", ");
    Ok(format!(
        "INSERT INTO {} ({}) VALUES ({placeholders})",
        T::NAME,
        names.join(", ")
    ))
}
