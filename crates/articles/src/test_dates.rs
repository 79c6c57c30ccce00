//! A date reader for the tests of where pages write their dates: it reads
//! the dates these tests write in words, as a language pack would, so that
//! they test the finding, not how languages write dates.

use glaneur_calendar::{DateReader, PartialDate};

pub struct TestDates;

impl DateReader for TestDates {
    fn first_date(&self, text: &str, lang: Option<&str>) -> Option<PartialDate> {
        if let Some(numeric) = numeric_date(text, lang) {
            return Some(numeric);
        }
        [
            ("Thu, 20 Oct 2022", (2022, 10, 20)),
            ("April 2, 2013", (2013, 4, 2)),
            ("March 11, 2020", (2020, 3, 11)),
            ("13 Jan 2020", (2020, 1, 13)),
            ("14 January 2020", (2020, 1, 14)),
            ("August 6, 2019", (2019, 8, 6)),
            ("1 May 2018", (2018, 5, 1)),
        ]
        .into_iter()
        .find(|(written, _)| text.contains(written))
        .and_then(|(_, (year, month, day))| PartialDate::day(year, month, day))
    }

    fn names_weekday(&self, text: &str, _lang: Option<&str>) -> bool {
        text.contains("Tuesday")
    }
}

/// A numeric date (`10/05/2022`) as the packs read it: month first in
/// English, the default language, day first in the others.
fn numeric_date(text: &str, lang: Option<&str>) -> Option<PartialDate> {
    let mut numbers = text.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty());
    let (a, b, year): (u8, u8, i32) = (
        numbers.next()?.parse().ok()?,
        numbers.next()?.parse().ok()?,
        numbers.next()?.parse().ok()?,
    );
    let opens = text.trim_start().starts_with(|c: char| c.is_ascii_digit()) && text.contains(['/', '-']);
    if !opens || year < 1000 {
        return None;
    }
    match lang.unwrap_or("en") {
        "en" => PartialDate::day(year, a, b),
        _ => PartialDate::day(year, b, a),
    }
}
