//! The packs as the reader of dates written in words for the crates that
//! find where a page writes a date but know no language (`glaneur-articles`).

use glaneur_calendar::{DateReader, PartialDate};

use crate::lang::{self, LangPack};

/// Reads written dates with every pack: in the text's language first, a
/// more precise reading of another pack winning ([`crate::first_date`]);
/// a text of unknown language is read with the default pack first.
#[derive(Debug, Clone, Copy, Default)]
pub struct PackDateReader;

impl DateReader for PackDateReader {
    fn first_date(&self, text: &str, lang: Option<&str>) -> Option<PartialDate> {
        crate::first_date(text, lang.unwrap_or(lang::DEFAULT))
    }

    fn names_weekday(&self, text: &str, lang: Option<&str>) -> bool {
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let names_one = |pack: &LangPack| {
            pack.dates.weekdays.iter().flatten().any(|weekday| {
                let weekday = weekday.trim_end_matches('.').to_lowercase();
                words.contains(&weekday.as_str())
            })
        };
        match lang.and_then(lang::pack) {
            Some(pack) => names_one(pack),
            None => lang::supported().filter_map(lang::pack).any(names_one),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_are_named_in_the_language_given_or_in_any() {
        let reader = PackDateReader;
        assert!(reader.names_weekday("Tuesday, 14 January 2020", Some("en")));
        assert!(!reader.names_weekday("Tuesday, 14 January 2020", Some("fr")));
        assert!(reader.names_weekday("mardi 14 janvier 2020", None));
        assert!(reader.names_weekday("mardi 14 janvier 2020", Some("pl")));
        assert!(!reader.names_weekday("14 January 2020", None));
    }

    #[test]
    fn dates_of_unknown_language_are_read_in_any_pack() {
        let reader = PackDateReader;
        assert_eq!(
            reader.first_date("20. Oktober 2022", None),
            PartialDate::day(2022, 10, 20)
        );
        assert_eq!(
            reader.first_date("04:25:06 PM IST Apr 08, 2020", None),
            PartialDate::day(2020, 4, 8)
        );
    }
}
