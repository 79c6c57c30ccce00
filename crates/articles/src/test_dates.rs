//! A date reader for the tests of where pages write their dates: it reads
//! the dates these tests write in words, as a language pack would, so that
//! they test the finding, not how languages write dates.

use glaneur_calendar::{DateReader, PartialDate};

pub struct TestDates;

impl DateReader for TestDates {
    fn first_date(&self, text: &str, _lang: Option<&str>) -> Option<PartialDate> {
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
