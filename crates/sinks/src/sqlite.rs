//! SQLite: one database that reruns update in place. A run is one
//! transaction (a killed run leaves the database as it was); a document is
//! rewritten, with its facts, only when its content hash changed, so an
//! identical rerun only adds its `runs` row.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::types::{ToSqlOutput, Value as SqlValue};
use rusqlite::{params_from_iter, Connection, OptionalExtension, ToSql};
use sha2::{Digest, Sha256};

use crate::cells::{cells, Cell};
use crate::rows::{columns, DocumentRow, ErrorRow, FactRow};
use crate::sql::{self, RunRow, SCHEMA_VERSION};
use crate::{in_file, Content, Entry, Sink};

pub struct SqliteSink {
    conn: Connection,
    path: PathBuf,
    run_id: i64,
    run: RunRow,
    insert_document: String,
    insert_fact: String,
    upsert_error: String,
}

impl ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Cell::Null => ToSqlOutput::Owned(SqlValue::Null),
            Cell::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
            Cell::Int(i) => ToSqlOutput::Owned(SqlValue::Integer(*i)),
            Cell::Real(r) => ToSqlOutput::Owned(SqlValue::Real(*r)),
            Cell::Text(t) => ToSqlOutput::from(t.as_str()),
        })
    }
}

impl SqliteSink {
    pub fn open(path: &Path, arguments: &[String]) -> io::Result<Self> {
        let fail = |e: rusqlite::Error| in_file(path, e);
        let conn = Connection::open(path).map_err(fail)?;
        // Readers (dashboards) keep reading while a run writes.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(fail)?;
        // A run is one transaction: a page cache of 64 MiB (SQLite's default
        // is 2 MiB) spills to the log less often, and bounds memory still.
        conn.pragma_update(None, "cache_size", -65_536).map_err(fail)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(fail)?;
        if version > SCHEMA_VERSION {
            return Err(in_file(
                path,
                format!("written by a newer glaneur (schema {version}, this one knows {SCHEMA_VERSION})"),
            ));
        }
        // The whole run is one transaction, schema included.
        conn.execute_batch("BEGIN IMMEDIATE").map_err(fail)?;
        conn.execute_batch(&sql::ddl()?).map_err(fail)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(fail)?;
        let run = RunRow {
            started: utc_now(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            arguments: serde_json::to_string(arguments)?,
            ..RunRow::default()
        };
        let run_cells = cells(&run)?;
        conn.execute(
            &sql::insert::<RunRow>(&[])?,
            params_from_iter(run_cells.iter().map(|(_, c)| c)),
        )
        .map_err(fail)?;
        Ok(Self {
            run_id: conn.last_insert_rowid(),
            conn,
            path: path.to_path_buf(),
            run,
            insert_document: sql::insert::<DocumentRow>(&["content_hash", "run"])?,
            insert_fact: sql::insert::<FactRow>(&["seq"])?,
            upsert_error: upsert_error()?,
        })
    }

    fn write_article(
        &mut self,
        entry: &Entry,
        article: &glaneur_articles::Article,
        facts: &[glaneur_facts::Fact],
    ) -> rusqlite::Result<()> {
        self.run.documents += 1;
        self.run.facts += facts.len() as u64;
        let document = cells(&DocumentRow::of(entry, article)).map_err(to_sql_error)?;
        let fact_rows = facts
            .iter()
            .map(|f| cells(&FactRow::of(entry.doc, f)))
            .collect::<io::Result<Vec<_>>>()
            .map_err(to_sql_error)?;
        let hash = content_hash(&document, &article.text, &fact_rows);
        let conn = &self.conn;
        // A success supersedes an earlier failure of the same input.
        conn.prepare_cached("DELETE FROM errors WHERE doc = ?")?
            .execute([entry.doc])?;
        let stored: Option<String> = conn
            .prepare_cached("SELECT content_hash FROM documents WHERE doc = ?")?
            .query_row([entry.doc], |r| r.get(0))
            .optional()?;
        if stored.as_deref() == Some(hash.as_str()) {
            return Ok(());
        }
        if stored.is_some() {
            conn.prepare_cached("DELETE FROM facts WHERE doc = ?")?
                .execute([entry.doc])?;
            conn.prepare_cached("DELETE FROM documents WHERE doc = ?")?
                .execute([entry.doc])?;
        }
        let extra = [Cell::Text(hash), Cell::Int(self.run_id)];
        conn.prepare_cached(&self.insert_document)?
            .execute(params_from_iter(document.iter().map(|(_, c)| c).chain(&extra)))?;
        let mut insert_fact = conn.prepare_cached(&self.insert_fact)?;
        for (seq, row) in fact_rows.iter().enumerate() {
            let seq = Cell::Int(seq as i64);
            insert_fact.execute(params_from_iter(row.iter().map(|(_, c)| c).chain([&seq])))?;
        }
        self.run.changed += 1;
        Ok(())
    }

    fn write_error(&mut self, entry: &Entry, e: crate::Failure<'_>) -> rusqlite::Result<()> {
        self.run.errors += 1;
        let row = cells(&ErrorRow::of(entry, e)).map_err(to_sql_error)?;
        let run = Cell::Int(self.run_id);
        self.conn
            .prepare_cached(&self.upsert_error)?
            .execute(params_from_iter(row.iter().map(|(_, c)| c).chain([&run])))?;
        Ok(())
    }
}

impl Sink for SqliteSink {
    fn write(&mut self, entry: &Entry) -> io::Result<()> {
        self.run.inputs += 1;
        let written = match entry.content {
            Content::Article { article, facts } => self.write_article(entry, article, facts),
            Content::Error(e) => self.write_error(entry, e),
        };
        written.map_err(|e| in_file(&self.path, format!("{}: {e}", entry.doc)))
    }

    /// The run shows as a whole when it commits, never in part.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.run.ended = Some(utc_now());
        let fail = |e: rusqlite::Error| in_file(&self.path, e);
        let run = cells(&self.run)?;
        let assignments: Vec<String> = run.iter().map(|(name, _)| format!("{name} = ?")).collect();
        let id = Cell::Int(self.run_id);
        self.conn
            .execute(
                &format!("UPDATE runs SET {} WHERE id = ?", assignments.join(", ")),
                params_from_iter(run.iter().map(|(_, c)| c).chain([&id])),
            )
            .map_err(fail)?;
        self.conn.execute_batch("COMMIT").map_err(fail)
    }
}

/// Inserts an error, or replaces the stored one of the same `doc` when it
/// differs (then `run` says which run saw it last).
fn upsert_error() -> io::Result<String> {
    let changed: Vec<&str> = columns::<ErrorRow>()?
        .iter()
        .map(|c| c.name)
        .filter(|n| *n != "doc")
        .collect();
    let set: Vec<String> = changed
        .iter()
        .chain(&["run"])
        .map(|n| format!("{n} = excluded.{n}"))
        .collect();
    let differs: Vec<String> = changed.iter().map(|n| format!("{n} IS NOT excluded.{n}")).collect();
    Ok(format!(
        "{} ON CONFLICT (doc) DO UPDATE SET {} WHERE {}",
        sql::insert::<ErrorRow>(&["run"])?,
        set.join(", "),
        differs.join(" OR ")
    ))
}

/// SHA-256 of a document's row, text and fact rows, each cell tagged with
/// its type and length so that no two different contents hash alike.
fn content_hash(document: &[(&str, Cell)], text: &str, facts: &[Vec<(&str, Cell)>]) -> String {
    let mut hasher = Sha256::new();
    let mut feed = |cell: &Cell| match cell {
        Cell::Null => hasher.update(b"N"),
        Cell::Bool(b) => hasher.update([b'B', u8::from(*b)]),
        Cell::Int(i) => {
            hasher.update(b"I");
            hasher.update(i.to_le_bytes());
        }
        Cell::Real(r) => {
            hasher.update(b"R");
            hasher.update(r.to_bits().to_le_bytes());
        }
        Cell::Text(t) => {
            hasher.update(b"T");
            hasher.update((t.len() as u64).to_le_bytes());
            hasher.update(t.as_bytes());
        }
    };
    document.iter().for_each(|(_, c)| feed(c));
    feed(&Cell::Text(text.to_string()));
    facts.iter().flatten().for_each(|(_, c)| feed(c));
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn to_sql_error(e: io::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// The current time, UTC, ISO 8601 to the second.
fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let day = glaneur_calendar::Day::from_ordinal(seconds.div_euclid(86_400));
    let time = seconds.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        day.year,
        day.month,
        day.day,
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}
