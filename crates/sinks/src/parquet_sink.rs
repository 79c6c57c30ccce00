//! Parquet: `documents.parquet`, `facts.parquet` and `errors.parquet` in
//! one directory, Snappy-compressed, their columns typed from the row
//! types. Rows are buffered a row group at a time, so memory stays the
//! same whatever the size of the input.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::cells::{cells, Cell, ColumnType};
use crate::file::temp_path;
use crate::rows::{columns, Column, DocumentRow, ErrorRow, FactRow, Table};
use crate::{in_file, Content, Entry, Sink};

/// Rows a row group holds: large enough for fast scans, small enough that
/// the buffered rows (a fact row carries its sentence) stay a few MB.
pub const ROW_GROUP_ROWS: usize = 16_384;

pub struct ParquetSink {
    documents: TableFile,
    facts: TableFile,
    errors: TableFile,
}

impl ParquetSink {
    pub fn create(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir).map_err(|e| in_file(dir, e))?;
        Ok(Self {
            documents: TableFile::create::<DocumentRow>(dir)?,
            facts: TableFile::create::<FactRow>(dir)?,
            errors: TableFile::create::<ErrorRow>(dir)?,
        })
    }
}

impl Sink for ParquetSink {
    fn write(&mut self, entry: &Entry) -> io::Result<()> {
        match entry.content {
            Content::Article { article, facts } => {
                self.documents.push(cells(&DocumentRow::of(entry, article))?)?;
                for f in facts {
                    self.facts.push(cells(&FactRow::of(entry.doc, f))?)?;
                }
                Ok(())
            }
            Content::Error(e) => self.errors.push(cells(&ErrorRow::of(entry, e))?),
        }
    }

    /// Row groups are written as they fill; the files appear complete at
    /// `finish`.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let Self {
            documents,
            facts,
            errors,
        } = *self;
        let written = [documents.close(), facts.close(), errors.close()];
        let renamed = written
            .into_iter()
            .collect::<io::Result<Vec<_>>>()?
            .into_iter()
            .map(|(temp, target)| fs::rename(&temp, &target).map_err(|e| in_file(&target, e)));
        renamed.collect()
    }
}

/// One table's file, written aside until the run ends.
struct TableFile {
    temp: PathBuf,
    target: PathBuf,
    writer: SerializedFileWriter<File>,
    columns: Vec<ColumnBuffer>,
    rows: usize,
}

/// The values of one column in the row group being filled; `levels` has
/// one entry a row (1 for a value, 0 for null) for nullable columns.
struct ColumnBuffer {
    nullable: bool,
    levels: Vec<i16>,
    values: Values,
}

enum Values {
    Text(Vec<ByteArray>),
    Integer(Vec<i64>),
    Real(Vec<f64>),
    Bool(Vec<bool>),
}

impl TableFile {
    fn create<T: Table>(dir: &Path) -> io::Result<Self> {
        let target = dir.join(format!("{}.parquet", T::NAME));
        let temp = temp_path(&target);
        let fail = |e: parquet::errors::ParquetError| in_file(&target, e);
        let columns = columns::<T>()?;
        let schema = Type::group_type_builder("schema")
            .with_fields(columns.iter().map(field).collect::<Result<_, _>>().map_err(fail)?)
            .build()
            .map_err(fail)?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        let file = File::create(&temp).map_err(|e| in_file(&temp, e))?;
        let writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(properties)).map_err(fail)?;
        Ok(Self {
            temp,
            target,
            writer,
            columns: columns.iter().map(ColumnBuffer::new).collect(),
            rows: 0,
        })
    }

    fn push(&mut self, row: Vec<(&'static str, Cell)>) -> io::Result<()> {
        for (buffer, (name, cell)) in self.columns.iter_mut().zip(row) {
            buffer
                .push(cell)
                .map_err(|e| in_file(&self.target, format!("column {name}: {e}")))?;
        }
        self.rows += 1;
        if self.rows == ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> io::Result<()> {
        let fail = |e: parquet::errors::ParquetError| in_file(&self.target, e);
        let mut group = self.writer.next_row_group().map_err(fail)?;
        for buffer in &mut self.columns {
            let Some(mut column) = group.next_column().map_err(fail)? else {
                return Err(in_file(&self.target, "fewer columns in the file than in the table"));
            };
            let levels = buffer.nullable.then_some(buffer.levels.as_slice());
            match &buffer.values {
                Values::Text(v) => column.typed::<ByteArrayType>().write_batch(v, levels, None),
                Values::Integer(v) => column.typed::<Int64Type>().write_batch(v, levels, None),
                Values::Real(v) => column.typed::<DoubleType>().write_batch(v, levels, None),
                Values::Bool(v) => column.typed::<BoolType>().write_batch(v, levels, None),
            }
            .map_err(fail)?;
            column.close().map_err(fail)?;
            buffer.clear();
        }
        group.close().map_err(fail)?;
        self.rows = 0;
        Ok(())
    }

    /// Writes what is left and the footer; the file is then complete under
    /// its temporary name, for the caller to rename.
    fn close(mut self) -> io::Result<(PathBuf, PathBuf)> {
        if self.rows > 0 {
            self.flush()?;
        }
        self.writer.close().map_err(|e| in_file(&self.target, e))?;
        Ok((self.temp, self.target))
    }
}

fn field(c: &Column) -> parquet::errors::Result<Arc<Type>> {
    let (physical, logical) = match c.kind {
        ColumnType::Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
        ColumnType::Integer => (PhysicalType::INT64, None),
        ColumnType::Real => (PhysicalType::DOUBLE, None),
        ColumnType::Bool => (PhysicalType::BOOLEAN, None),
    };
    let repetition = if c.nullable {
        Repetition::OPTIONAL
    } else {
        Repetition::REQUIRED
    };
    Type::primitive_type_builder(c.name, physical)
        .with_logical_type(logical)
        .with_repetition(repetition)
        .build()
        .map(Arc::new)
}

impl ColumnBuffer {
    fn new(c: &Column) -> Self {
        let values = match c.kind {
            ColumnType::Text => Values::Text(Vec::new()),
            ColumnType::Integer => Values::Integer(Vec::new()),
            ColumnType::Real => Values::Real(Vec::new()),
            ColumnType::Bool => Values::Bool(Vec::new()),
        };
        Self {
            nullable: c.nullable,
            levels: Vec::new(),
            values,
        }
    }

    fn push(&mut self, cell: Cell) -> Result<(), String> {
        match (&mut self.values, cell) {
            (_, Cell::Null) if self.nullable => {
                self.levels.push(0);
                return Ok(());
            }
            (Values::Text(v), Cell::Text(t)) => v.push(ByteArray::from(t.into_bytes())),
            (Values::Integer(v), Cell::Int(i)) => v.push(i),
            (Values::Real(v), Cell::Real(r)) => v.push(r),
            (Values::Bool(v), Cell::Bool(b)) => v.push(b),
            (_, cell) => return Err(format!("{cell:?} does not fit the column's type")),
        }
        self.levels.push(1);
        Ok(())
    }

    fn clear(&mut self) {
        self.levels.clear();
        match &mut self.values {
            Values::Text(v) => v.clear(),
            Values::Integer(v) => v.clear(),
            Values::Real(v) => v.clear(),
            Values::Bool(v) => v.clear(),
        }
    }
}
