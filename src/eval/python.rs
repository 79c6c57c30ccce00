//! JSON read the way Python's `json` module reads it, and the few Python
//! value semantics the reference scorer leans on (`str()`, `repr()`, `==`,
//! hashing, `float()`, `int()`, `str.strip()` and `str.split()`). The
//! scorer's figures and messages follow from them, so `glaneur eval` uses
//! these rather than serde's: `NaN` and `Infinity` are values, `1 == 1.0 ==
//! true`, a dict's repr is `{'a': 1}`, an error names its column.
//!
//! Known differences: a lone surrogate escape (`"\ud800"`) becomes U+FFFD;
//! `repr()` escapes the control, format, separator, space and private-use
//! characters but not unassigned code points; `float()` and `int()` read
//! ASCII digits only.

use std::fmt::Write;

/// A JSON value with Python's types: integers of any size (as canonical
/// decimal text) apart from floats; objects keep their first key order.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(String),
    /// A NaN here is the `NaN` literal, one shared object in Python.
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Object(Vec<(String, Value)>),
}

/// Why a line could not be read.
#[derive(Debug)]
pub enum LoadError {
    /// Python's `JSONDecodeError` text, position included.
    NotJson(String),
    /// Python would stop on another exception (too deep, too many digits).
    Other(String),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Python truthiness.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => i != "0",
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Object(members) => !members.is_empty(),
        }
    }

    /// The number a bool, int or float stands for in comparisons.
    fn number(&self) -> Option<Number> {
        match self {
            Value::Bool(b) => Some(Number::Int(if *b { "1" } else { "0" }.to_string())),
            Value::Int(i) => Some(Number::Int(i.clone())),
            Value::Float(f) => Some(Number::Float(*f)),
            _ => None,
        }
    }
}

enum Number {
    Int(String),
    Float(f64),
}

/// Python's `a == b` on two JSON values.
pub fn py_eq(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (a.number(), b.number()) {
        return match (x, y) {
            (Number::Int(x), Number::Int(y)) => x == y,
            (Number::Float(x), Number::Float(y)) => x == y,
            (Number::Int(i), Number::Float(f)) | (Number::Float(f), Number::Int(i)) => {
                f.is_finite() && f.fract() == 0.0 && exact_integer(f) == i
            }
        };
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_or_eq(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            // Keys are unique: same count and each found means same keys.
            x.len() == y.len() && x.iter().all(|(k, v)| b.get(k).is_some_and(|w| same_or_eq(v, w)))
        }
        _ => false,
    }
}

/// Containers compare their items by identity first: the shared `NaN`
/// literal equals itself there.
fn same_or_eq(a: &Value, b: &Value) -> bool {
    matches!((a, b), (Value::Float(x), Value::Float(y)) if x.is_nan() && y.is_nan()) || py_eq(a, b)
}

/// A token equal for two values exactly when Python's set would hold them
/// as one; `None` for the unhashable (lists, dicts).
pub fn hash_token(value: &Value) -> Option<String> {
    Some(match value {
        Value::Null => "N".to_string(),
        Value::Str(s) => format!("s{s}"),
        Value::Float(f) if f.is_nan() => "nan".to_string(),
        Value::List(_) | Value::Object(_) => return None,
        number => match number.number()? {
            Number::Int(i) => format!("n{i}"),
            Number::Float(f) => float_token(f),
        },
    })
}

/// The set token of a non-NaN float.
pub fn float_token(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 {
        format!("n{}", exact_integer(f))
    } else {
        format!("f{:x}", f.to_bits())
    }
}

/// The exact decimal value of an integral, finite float (`int(f)`).
pub fn exact_integer(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    let bits = f.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = (bits & ((1 << 52) - 1)) | if exponent == 0 { 0 } else { 1 << 52 };
    let shift = exponent.max(1) - 1075;
    if shift <= 0 {
        let magnitude = mantissa >> (-shift).min(63);
        return format!("{}{magnitude}", if f < 0.0 { "-" } else { "" });
    }
    // Little-endian base-10^9 limbs, doubled `shift` times.
    let mut limbs = vec![mantissa % 1_000_000_000, mantissa / 1_000_000_000 % 1_000_000_000];
    limbs.push(mantissa / 1_000_000_000_000_000_000);
    for _ in 0..shift {
        let mut carry = 0;
        for limb in &mut limbs {
            let doubled = *limb * 2 + carry;
            *limb = doubled % 1_000_000_000;
            carry = doubled / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut text = if f < 0.0 { "-".to_string() } else { String::new() };
    let mut limbs = limbs.iter().rev();
    if let Some(top) = limbs.next() {
        let _ = write!(text, "{top}");
    }
    for limb in limbs {
        let _ = write!(text, "{limb:09}");
    }
    text
}

/// Python's `str(value)`.
pub fn py_str(value: &Value) -> String {
    match value {
        Value::Str(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr(value)`.
pub fn py_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Int(i) => i.clone(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}: {}", str_repr(k), py_repr(v)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
    }
}

/// Python's `repr(float)`: the shortest digits that read back, positional
/// from 1e-4 to below 1e16, scientific outside.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    let scientific = format!("{:e}", f.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        format!("{sign}{text}")
    } else {
        let fraction = if digits.len() > 1 {
            format!(".{}", &digits[1..])
        } else {
            String::new()
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{}{fraction}e{exponent_sign}{:02}", &digits[..1], exponent.abs())
    }
}

/// Python's `repr(str)`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable()` for one character, but for unassigned
/// code points (which Python escapes and this keeps).
fn is_printable(c: char) -> bool {
    let c = c as u32;
    let not_printable: &[(u32, u32)] = &[
        (0x00, 0x1f),
        (0x7f, 0xa0),
        (0xad, 0xad),
        (0x600, 0x605),
        (0x61c, 0x61c),
        (0x6dd, 0x6dd),
        (0x70f, 0x70f),
        (0x890, 0x891),
        (0x8e2, 0x8e2),
        (0x1680, 0x1680),
        (0x180e, 0x180e),
        (0x2000, 0x200f),
        (0x2028, 0x202f),
        (0x205f, 0x2064),
        (0x2066, 0x206f),
        (0x3000, 0x3000),
        (0xd800, 0xf8ff),
        (0xfdd0, 0xfdef),
        (0xfeff, 0xfeff),
        (0xfff9, 0xfffb),
        (0xfffe, 0xffff),
        (0x110bd, 0x110bd),
        (0x110cd, 0x110cd),
        (0x13430, 0x1343f),
        (0x1bca0, 0x1bca3),
        (0x1d173, 0x1d17a),
        (0xe0001, 0xe0001),
        (0xe0020, 0xe007f),
        (0xf0000, 0x10ffff),
    ];
    !not_printable.iter().any(|&(low, high)| (low..=high).contains(&c))
}

/// Python's `str.isspace()` for one character.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()`.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Python's `float(value)`: `Ok(None)` where Python raises `TypeError` or
/// `ValueError`, `Err` where it raises `OverflowError` (an integer too
/// large for a float).
pub fn py_float(value: &Value) -> Result<Option<f64>, String> {
    Ok(match value {
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Float(f) => Some(*f),
        Value::Int(i) => {
            let f: f64 = i.parse().unwrap_or(f64::NAN);
            if f.is_infinite() {
                return Err(format!("int too large to convert to float: {i}"));
            }
            Some(f)
        }
        Value::Str(s) => float_from_text(s),
        _ => None,
    })
}

fn float_from_text(s: &str) -> Option<f64> {
    let text = without_underscores(py_strip(s))?;
    let body = text.trim_start_matches(['+', '-']);
    if text.len() - body.len() > 1 {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        let magnitude = if lower == "nan" { f64::NAN } else { f64::INFINITY };
        return Some(if text.starts_with('-') { -magnitude } else { magnitude });
    }
    // Python's grammar: digits with an optional point and exponent, and at
    // least one digit before the exponent.
    let (number, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let mantissa_ok = number.chars().all(|c| c.is_ascii_digit() || c == '.')
        && number.matches('.').count() <= 1
        && number.chars().any(|c| c.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    text.parse().ok()
}

/// Python's `int(value)`: `Ok(None)` where Python raises `TypeError` or
/// `ValueError`, `Err` on `OverflowError` (an infinite float). The result
/// is canonical decimal text.
pub fn py_int(value: &Value) -> Result<Option<String>, String> {
    Ok(match value {
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        Value::Int(i) => Some(i.clone()),
        Value::Float(f) if f.is_nan() => None,
        Value::Float(f) if f.is_infinite() => return Err("cannot convert float infinity to integer".to_string()),
        Value::Float(f) => Some(exact_integer(f.trunc())),
        Value::Str(s) => int_from_text(s),
        _ => None,
    })
}

/// Python refuses to read integers longer than this (`sys.int_info`).
const INT_MAX_DIGITS: usize = 4300;

fn int_from_text(s: &str) -> Option<String> {
    let text = without_underscores(py_strip(s))?;
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > INT_MAX_DIGITS {
        return None;
    }
    Some(canonical_int(negative, digits))
}

fn canonical_int(negative: bool, digits: &str) -> String {
    let digits = digits.trim_start_matches('0');
    match (digits.is_empty(), negative) {
        (true, _) => "0".to_string(),
        (false, true) => format!("-{digits}"),
        (false, false) => digits.to_string(),
    }
}

/// The text with Python's digit-group underscores removed; `None` when an
/// underscore is not between two digits.
fn without_underscores(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let before = i > 0 && chars[i - 1].is_ascii_digit();
            let after = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if !(before && after) {
                return None;
            }
        }
    }
    Some(chars.into_iter().filter(|&c| c != '_').collect())
}

/// Python's `json.loads` on one (stripped) line.
pub fn loads(line: &str) -> Result<Value, LoadError> {
    let mut parser = Parser {
        text: line.chars().collect(),
        depth: 0,
    };
    if line.starts_with('\u{feff}') {
        return Err(parser.error("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0));
    }
    let start = parser.skip_whitespace(0);
    let (value, end) = parser.value(start)?;
    let end = parser.skip_whitespace(end);
    if end != parser.text.len() {
        return Err(parser.error("Extra data", end));
    }
    Ok(value)
}

/// Python stops nesting at its recursion limit; this stays well under it.
const MAX_DEPTH: usize = 900;

/// A port of the scanner of CPython's `_json` module: the same grammar,
/// the same messages at the same positions (in characters).
struct Parser {
    text: Vec<char>,
    depth: usize,
}

impl Parser {
    fn error(&self, message: &str, at: usize) -> LoadError {
        LoadError::NotJson(format!("{message}: line 1 column {} (char {at})", at + 1))
    }

    fn at(&self, i: usize) -> Option<char> {
        self.text.get(i).copied()
    }

    fn skip_whitespace(&self, mut i: usize) -> usize {
        while matches!(self.at(i), Some(' ' | '\t' | '\n' | '\r')) {
            i += 1;
        }
        i
    }

    fn follows(&self, i: usize, word: &str) -> bool {
        word.chars().enumerate().all(|(k, c)| self.at(i + k) == Some(c))
    }

    fn value(&mut self, i: usize) -> Result<(Value, usize), LoadError> {
        match self.at(i) {
            None => Err(self.error("Expecting value", i)),
            Some('"') => self.string(i + 1).map(|(s, end)| (Value::Str(s), end)),
            Some(open @ ('{' | '[')) => {
                if self.depth >= MAX_DEPTH {
                    return Err(LoadError::Other(
                        "maximum recursion depth exceeded while decoding JSON".into(),
                    ));
                }
                self.depth += 1;
                let parsed = if open == '{' {
                    self.object(i + 1)
                } else {
                    self.list(i + 1)
                };
                self.depth -= 1;
                parsed
            }
            Some('n') if self.follows(i, "null") => Ok((Value::Null, i + 4)),
            Some('t') if self.follows(i, "true") => Ok((Value::Bool(true), i + 4)),
            Some('f') if self.follows(i, "false") => Ok((Value::Bool(false), i + 5)),
            Some('N') if self.follows(i, "NaN") => Ok((Value::Float(f64::NAN), i + 3)),
            Some('I') if self.follows(i, "Infinity") => Ok((Value::Float(f64::INFINITY), i + 8)),
            Some('-') if self.follows(i, "-Infinity") => Ok((Value::Float(f64::NEG_INFINITY), i + 9)),
            Some(_) => self.number(i),
        }
    }

    fn number(&self, start: usize) -> Result<(Value, usize), LoadError> {
        let digit = |i: usize| self.at(i).is_some_and(|c| c.is_ascii_digit());
        let mut i = start;
        if self.at(i) == Some('-') {
            i += 1;
        }
        match self.at(i) {
            Some('1'..='9') => {
                i += 1;
                while digit(i) {
                    i += 1;
                }
            }
            Some('0') => i += 1,
            _ => return Err(self.error("Expecting value", start)),
        }
        let mut is_float = false;
        if self.at(i) == Some('.') && digit(i + 1) {
            is_float = true;
            i += 2;
            while digit(i) {
                i += 1;
            }
        }
        // An exponent only counts when it has digits; else it is left over.
        if matches!(self.at(i), Some('e' | 'E')) && i + 1 < self.text.len() {
            let mut j = i + 1;
            if matches!(self.at(j), Some('+' | '-')) && j + 1 < self.text.len() {
                j += 1;
            }
            while digit(j) {
                j += 1;
            }
            if digit(j - 1) {
                is_float = true;
                i = j;
            }
        }
        let literal: String = self.text[start..i].iter().collect();
        if is_float {
            let f = literal.parse().unwrap_or(f64::NAN);
            return Ok((Value::Float(f), i));
        }
        let (negative, digits) = match literal.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, literal.as_str()),
        };
        if digits.len() > INT_MAX_DIGITS {
            return Err(LoadError::Other(format!(
                "an integer of {} digits is over Python's limit of {INT_MAX_DIGITS}",
                digits.len()
            )));
        }
        Ok((Value::Int(canonical_int(negative, digits)), i))
    }

    /// The string whose opening quote is just before `start`.
    fn string(&self, start: usize) -> Result<(String, usize), LoadError> {
        let begin = start - 1;
        let len = self.text.len();
        let mut out = String::new();
        let mut i = start;
        loop {
            let c = loop {
                match self.at(i) {
                    None => return Err(self.error("Unterminated string starting at", begin)),
                    Some(c @ ('"' | '\\')) => break c,
                    Some(c) if (c as u32) <= 0x1f => return Err(self.error("Invalid control character at", i)),
                    Some(c) => out.push(c),
                }
                i += 1;
            };
            i += 1;
            if c == '"' {
                return Ok((out, i));
            }
            let Some(escape) = self.at(i) else {
                return Err(self.error("Unterminated string starting at", begin));
            };
            if escape != 'u' {
                out.push(match escape {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => return Err(self.error("Invalid \\escape", i - 1)),
                });
                i += 1;
                continue;
            }
            if i + 5 >= len {
                return Err(self.error("Invalid \\uXXXX escape", i));
            }
            let high = self
                .hex4(i + 1)
                .ok_or_else(|| self.error("Invalid \\uXXXX escape", i))?;
            i += 5;
            let mut code = high;
            if (0xd800..0xdc00).contains(&high) && i + 6 < len && self.follows(i, "\\u") {
                let low = self
                    .hex4(i + 2)
                    .ok_or_else(|| self.error("Invalid \\uXXXX escape", i + 1))?;
                if (0xdc00..0xe000).contains(&low) {
                    code = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                    i += 6;
                }
            }
            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
        }
    }

    fn hex4(&self, i: usize) -> Option<u32> {
        (i..i + 4).try_fold(0, |code, k| Some(code * 16 + self.at(k)?.to_digit(16)?))
    }

    fn object(&mut self, start: usize) -> Result<(Value, usize), LoadError> {
        let mut members: Vec<(String, Value)> = Vec::new();
        let mut i = self.skip_whitespace(start);
        if self.at(i) == Some('}') {
            return Ok((Value::Object(members), i + 1));
        }
        loop {
            if self.at(i) != Some('"') {
                return Err(self.error("Expecting property name enclosed in double quotes", i));
            }
            let (key, after_key) = self.string(i + 1)?;
            i = self.skip_whitespace(after_key);
            if self.at(i) != Some(':') {
                return Err(self.error("Expecting ':' delimiter", i));
            }
            i = self.skip_whitespace(i + 1);
            let (value, after_value) = self.value(i)?;
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(member) => member.1 = value,
                None => members.push((key, value)),
            }
            i = self.skip_whitespace(after_value);
            match self.at(i) {
                Some('}') => return Ok((Value::Object(members), i + 1)),
                Some(',') => i = self.skip_whitespace(i + 1),
                _ => return Err(self.error("Expecting ',' delimiter", i)),
            }
        }
    }

    fn list(&mut self, start: usize) -> Result<(Value, usize), LoadError> {
        let mut items = Vec::new();
        let mut i = self.skip_whitespace(start);
        if self.at(i) == Some(']') {
            return Ok((Value::List(items), i + 1));
        }
        loop {
            let (item, after) = self.value(i)?;
            items.push(item);
            i = self.skip_whitespace(after);
            match self.at(i) {
                Some(']') => return Ok((Value::List(items), i + 1)),
                Some(',') => i = self.skip_whitespace(i + 1),
                _ => return Err(self.error("Expecting ',' delimiter", i)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(line: &str) -> String {
        match loads(line) {
            Err(LoadError::NotJson(message)) => message,
            other => panic!("{line:?} read as {other:?}"),
        }
    }

    #[test]
    fn a_bad_line_gets_pythons_message_and_position() {
        let cases = [
            (
                "{\"a\": 1,}",
                "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)",
            ),
            ("[1, 2", "Expecting ',' delimiter: line 1 column 6 (char 5)"),
            ("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"),
            ("\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"),
            ("\"a\\x\"", "Invalid \\escape: line 1 column 3 (char 2)"),
            ("\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
            ("nul", "Expecting value: line 1 column 1 (char 0)"),
            ("1 2", "Extra data: line 1 column 3 (char 2)"),
            (
                "\u{feff}{}",
                "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)",
            ),
            ("\"a\u{1}\"", "Invalid control character at: line 1 column 3 (char 2)"),
            ("-", "Expecting value: line 1 column 1 (char 0)"),
            ("[]]", "Extra data: line 1 column 3 (char 2)"),
            // Positions count characters, not bytes.
            ("[\"é\" 1]", "Expecting ',' delimiter: line 1 column 6 (char 5)"),
        ];
        for (line, expected) in cases {
            assert_eq!(message(line), expected, "{line:?}");
        }
    }

    #[test]
    fn python_reads_nan_infinity_big_integers_and_duplicate_keys() {
        let value = loads("{\"a\": NaN, \"b\": -Infinity, \"c\": 123456789012345678901234567890, \"a\": 1}").unwrap();
        assert_eq!(
            py_repr(&value),
            "{'a': 1, 'b': -inf, 'c': 123456789012345678901234567890}"
        );
        let nan = loads("[NaN]").unwrap();
        assert!(py_eq(&nan, &nan.clone()), "one NaN object: equal inside a list");
        assert!(
            !py_eq(&Value::Float(f64::NAN), &Value::Float(f64::NAN)),
            "but not NaN == NaN"
        );
    }

    #[test]
    fn numbers_compare_across_bool_int_and_float() {
        let one = [Value::Bool(true), Value::Int("1".into()), Value::Float(1.0)];
        for a in &one {
            for b in &one {
                assert!(py_eq(a, b));
                assert_eq!(hash_token(a), hash_token(b));
            }
        }
        assert!(py_eq(&Value::Int("100000000000000000000".into()), &Value::Float(1e20)));
        assert!(!py_eq(
            &Value::Int("9007199254740993".into()),
            &Value::Float(9007199254740992.0)
        ));
        assert_eq!(hash_token(&Value::List(vec![])), None, "a list cannot be in a set");
    }

    #[test]
    fn floats_and_strings_print_as_python_prints_them() {
        let floats = [
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789.125, "123456789.125"),
            (-0.0, "-0.0"),
            (1e22, "1e+22"),
            (2.5e-300, "2.5e-300"),
            (20000000.0, "20000000.0"),
        ];
        for (f, text) in floats {
            assert_eq!(float_repr(f), text);
        }
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a\"b'c"), "'a\"b\\'c'");
        assert_eq!(str_repr("\u{85}\u{a0}é\u{200b}\t"), "'\\x85\\xa0é\\u200b\\t'");
    }

    #[test]
    fn float_and_int_read_text_and_numbers_as_python_does() {
        let text = |s: &str| Value::Str(s.to_string());
        assert_eq!(py_float(&text(" 1_000.5 ")).unwrap(), Some(1000.5));
        assert_eq!(py_float(&text("1__0")).unwrap(), None);
        assert!(py_float(&text("-NaN")).unwrap().is_some_and(f64::is_nan));
        assert_eq!(py_float(&Value::Null).unwrap(), None);
        assert!(
            py_float(&Value::Int(format!("1{}", "0".repeat(400)))).is_err(),
            "OverflowError"
        );
        assert_eq!(
            py_int(&Value::Float(1e20)).unwrap().as_deref(),
            Some("100000000000000000000")
        );
        assert_eq!(py_int(&Value::Float(-2.9)).unwrap().as_deref(), Some("-2"));
        assert_eq!(py_int(&text(" +017 ")).unwrap().as_deref(), Some("17"));
        assert_eq!(py_int(&text("17.0")).unwrap(), None);
        assert!(py_int(&Value::Float(f64::INFINITY)).is_err(), "OverflowError");
    }
}
