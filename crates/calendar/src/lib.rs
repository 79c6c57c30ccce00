//! Calendar dates at the precision a text gives them (year, month or day),
//! and the reader of dates written in words that the crates finding dates
//! (`glaneur-articles`) take from the one knowing languages (`glaneur-facts`).

use std::fmt;

/// A date known to the year, the month or the day, as a text states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    /// A year and month; `None` unless the month exists.
    pub fn month(year: i32, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self {
            year,
            month: Some(month),
            day: None,
        })
    }

    /// A calendar day; `None` unless the day exists (no 31 February).
    pub fn day(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Self {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, ignoring anything after the
    /// date (a time, a zone), as found in ISO 8601 metadata.
    pub fn parse_iso_prefix(s: &str) -> Option<Self> {
        let s = s.trim();
        let bytes = s.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(range)?;
            part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
        };
        let year = digits(0..4)? as i32;
        if bytes.get(4) != Some(&b'-') {
            return (bytes.len() == 4 || !bytes[4].is_ascii_digit()).then(|| Self::year(year));
        }
        let month = digits(5..7)? as u8;
        if bytes.get(7) != Some(&b'-') {
            return if bytes.len() == 7 || !bytes[7].is_ascii_digit() {
                Self::month(year, month)
            } else {
                None
            };
        }
        let day = digits(8..10)? as u8;
        if bytes.len() > 10 && bytes[10].is_ascii_digit() {
            return None;
        }
        Self::day(year, month, day)
    }

    /// The last calendar day this date covers: a whole month ends on its
    /// last day, a whole year on 31 December.
    pub fn last_day(self) -> Day {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        Day::new(self.year, month, day)
    }

    /// The first calendar day this date covers.
    pub fn first_day(self) -> Day {
        Day::new(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    pub fn has_day(self) -> bool {
        self.day.is_some()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Serialized as its ISO 8601 string, at its precision.
impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "ISO 8601 date at the precision the text gives: YYYY, YYYY-MM or YYYY-MM-DD",
            "type": "string",
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
        })
    }
}

/// A full calendar day, for arithmetic (weekdays, yesterday, ordering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Day {
    fn new(year: i32, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    pub fn ordinal(self) -> i64 {
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_ordinal(z: i64) -> Self {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self::new(year, month, day)
    }

    pub fn plus_days(self, n: i64) -> Self {
        Self::from_ordinal(self.ordinal() + n)
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        (self.ordinal() + 3).rem_euclid(7) as u8
    }

    pub fn date(self) -> PartialDate {
        PartialDate {
            year: self.year,
            month: Some(self.month),
            day: Some(self.day),
        }
    }
}

/// Reads dates written in words (`Thu, 20 Oct 2022`, `20. Oktober 2022`).
/// A crate that knows where a page writes its dates but not how languages
/// write them takes one from its caller: it finds, the reader reads.
pub trait DateReader {
    /// The first date with its year that `text` writes, read in the words
    /// of `lang` (an ISO 639-1 code) and of the other languages the reader
    /// knows; `lang` is `None` when nothing says which language `text` is in.
    fn first_date(&self, text: &str, lang: Option<&str>) -> Option<PartialDate>;

    /// Whether `text` names a day of the week in `lang`'s words, or in any
    /// language's when `lang` is `None` or unknown to the reader.
    fn names_weekday(&self, text: &str, lang: Option<&str>) -> bool;
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_prefixes() {
        for (input, expected) in [
            ("2022-10-20", Some("2022-10-20")),
            ("2022-10-20T08:00:00+02:00", Some("2022-10-20")),
            ("2022-10", Some("2022-10")),
            ("2022", Some("2022")),
            ("2022-13", None),
            ("2022-02-30", None),
            ("20221020", None),
            ("hello", None),
        ] {
            let got = PartialDate::parse_iso_prefix(input).map(|d| d.to_string());
            assert_eq!(got.as_deref(), expected, "{input}");
        }
    }

    #[test]
    fn ordinals_round_trip_and_weekdays() {
        let d = PartialDate::day(2022, 1, 3).unwrap().last_day();
        assert_eq!(Day::from_ordinal(d.ordinal()), d);
        assert_eq!(d.weekday(), 0, "3 Jan 2022 was a Monday");
        assert_eq!(d.plus_days(-3).date().to_string(), "2021-12-31");
        assert_eq!(PartialDate::month(2024, 2).unwrap().last_day().day, 29);
    }
}
