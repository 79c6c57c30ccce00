//! A row struct as named, typed cells: a serde serializer that accepts a
//! struct of scalar fields (the row types of [`crate::rows`]) and nothing
//! else, so that every table format reads its columns from the same struct.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Text(String),
}

/// The type of a column, as the JSON Schema of its row type says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    Real,
    Bool,
}

/// The cells of `row`, named, in the struct's field order.
pub fn cells<T: Serialize>(row: &T) -> std::io::Result<Vec<(&'static str, Cell)>> {
    let mut out = RowSerializer { cells: Vec::new() };
    row.serialize(&mut out).map_err(std::io::Error::other)?;
    Ok(out.cells)
}

#[derive(Debug)]
pub struct NotARow(String);

impl fmt::Display for NotARow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotARow {}

impl ser::Error for NotARow {
    fn custom<M: fmt::Display>(message: M) -> Self {
        NotARow(message.to_string())
    }
}

fn not_a_row<T>(what: &str) -> Result<T, NotARow> {
    Err(NotARow(format!("{what} is not a table cell")))
}

struct RowSerializer {
    cells: Vec<(&'static str, Cell)>,
}

impl ser::SerializeStruct for &mut RowSerializer {
    type Ok = ();
    type Error = NotARow;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), NotARow> {
        self.cells.push((key, value.serialize(CellSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<(), NotARow> {
        Ok(())
    }
}

/// Forwards the serializer methods that no row may use to one error.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, NotARow> {
            not_a_row(stringify!($method))
        })*
    };
}

impl ser::Serializer for &mut RowSerializer {
    type Ok = ();
    type Error = NotARow;
    type SerializeSeq = Impossible<(), NotARow>;
    type SerializeTuple = Impossible<(), NotARow>;
    type SerializeTupleStruct = Impossible<(), NotARow>;
    type SerializeTupleVariant = Impossible<(), NotARow>;
    type SerializeMap = Impossible<(), NotARow>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), NotARow>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NotARow> {
        Ok(self)
    }

    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), NotARow> {
        not_a_row("serialize_some")
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<(), NotARow> {
        not_a_row("serialize_newtype_struct")
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotARow> {
        not_a_row("serialize_newtype_variant")
    }
}

struct CellSerializer;

impl ser::Serializer for CellSerializer {
    type Ok = Cell;
    type Error = NotARow;
    type SerializeSeq = Impossible<Cell, NotARow>;
    type SerializeTuple = Impossible<Cell, NotARow>;
    type SerializeTupleStruct = Impossible<Cell, NotARow>;
    type SerializeTupleVariant = Impossible<Cell, NotARow>;
    type SerializeMap = Impossible<Cell, NotARow>;
    type SerializeStruct = Impossible<Cell, NotARow>;
    type SerializeStructVariant = Impossible<Cell, NotARow>;

    fn serialize_bool(self, v: bool) -> Result<Cell, NotARow> {
        Ok(Cell::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Cell, NotARow> {
        Ok(Cell::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Cell, NotARow> {
        Ok(Cell::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Cell, NotARow> {
        Ok(Cell::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Cell, NotARow> {
        Ok(Cell::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Cell, NotARow> {
        Ok(Cell::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Cell, NotARow> {
        Ok(Cell::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Cell, NotARow> {
        Ok(Cell::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Cell, NotARow> {
        i64::try_from(v)
            .map(Cell::Int)
            .or_else(|_| not_a_row("an integer over i64::MAX"))
    }
    fn serialize_f32(self, v: f32) -> Result<Cell, NotARow> {
        Ok(Cell::Real(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Cell, NotARow> {
        Ok(Cell::Real(v))
    }
    fn serialize_char(self, v: char) -> Result<Cell, NotARow> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Cell, NotARow> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_none(self) -> Result<Cell, NotARow> {
        Ok(Cell::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Cell, NotARow> {
        v.serialize(self)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Cell, NotARow> {
        Ok(Cell::Text(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<Cell, NotARow> {
        v.serialize(self)
    }

    refuse! {
        serialize_bytes(&[u8]) -> Cell;
        serialize_unit() -> Cell;
        serialize_unit_struct(&'static str) -> Cell;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Cell, NotARow> {
        not_a_row("serialize_newtype_variant")
    }
}
