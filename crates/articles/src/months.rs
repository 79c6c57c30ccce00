//! Dates written with the month names of languages that have no language
//! pack (`20 września 2020`, `2020. szeptember 20.`), from the table in
//! `data/articles/months.toml`: enough to read a page's dateline, not the
//! dates of its prose.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use glaneur_calendar::PartialDate;
use serde::Deserialize;
use unicode_normalization::char::is_combining_mark;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthTable {
    links: Vec<String>,
    languages: Vec<LanguageMonths>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageMonths {
    codes: Vec<String>,
    #[serde(default)]
    weekdays: Vec<String>,
    months: Vec<Vec<String>>,
}

/// The table, indexed: each written form with the month it names in each
/// language that writes it, in the order of the file.
struct MonthNames {
    forms: HashMap<String, Vec<(usize, u8)>>,
    codes: Vec<Vec<String>>,
    links: Vec<String>,
    weekdays: HashSet<String>,
}

fn names() -> &'static MonthNames {
    static NAMES: OnceLock<MonthNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let table: MonthTable =
            toml::from_str(include_str!("../../../data/articles/months.toml")).expect("data/articles/months.toml");
        let mut forms: HashMap<String, Vec<(usize, u8)>> = HashMap::new();
        for (language, entry) in table.languages.iter().enumerate() {
            assert_eq!(entry.months.len(), 12, "data/articles/months.toml: {:?}", entry.codes);
            for (month, written) in (1..=12u8).zip(&entry.months) {
                for form in written {
                    forms.entry(form.clone()).or_default().push((language, month));
                }
            }
        }
        MonthNames {
            forms,
            weekdays: table
                .languages
                .iter()
                .flat_map(|l| l.weekdays.iter().cloned())
                .collect(),
            codes: table.languages.into_iter().map(|l| l.codes).collect(),
            links: table.links,
        }
    })
}

/// A part of a text: a run of digits or a run of letters, and whether
/// only spaces or light punctuation (`.`, `,`, `/`, `-`, an apostrophe)
/// separate it from the part before.
struct Part<'a> {
    text: &'a str,
    digits: bool,
    joined: bool,
}

/// Characters that may stand between the parts of one date.
fn is_light(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | ',' | '/' | '-' | '\'' | '’')
}

/// Whether `c` continues a word: a letter or a digit, or a mark such as
/// the virama and the nukta that Indic scripts write inside their words
/// (`सितम्बर`), which are not letters.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn parts(text: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut joined = true;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_alphanumeric() {
            let digits = c.is_ascii_digit();
            let end = rest
                .char_indices()
                .find(|(_, x)| !in_word(*x) || x.is_ascii_digit() != digits)
                .map_or(rest.len(), |(i, _)| i);
            parts.push(Part {
                text: &rest[..end],
                digits,
                joined,
            });
            rest = &rest[end..];
            joined = true;
        } else {
            joined &= is_light(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    parts
}

/// The first full date in `text` written with a month name of the table,
/// day first (`20 września 2020`, `20. syyskuuta 2020`, `24 نيسان / أبريل
/// 2020`), year first (`2020. szeptember 20.`, `2020 m. rugsėjo 20 d.`,
/// `2020. gada 20. septembris`) or month first (`September 20, 2020`).
/// A name several languages write is read in `lang`'s, else in the first
/// language of the table that writes it.
pub fn first_date(text: &str, lang: Option<&str>) -> Option<PartialDate> {
    let names = names();
    let parts = parts(text);
    let month = |i: usize| -> Option<u8> {
        let part = parts.get(i).filter(|p| !p.digits)?;
        let readings = names.forms.get(&part.text.to_lowercase())?;
        let in_lang = lang.and_then(|l| {
            readings
                .iter()
                .find(|(language, _)| names.codes[*language].iter().any(|c| c == l))
        });
        in_lang.or(readings.first()).map(|(_, m)| *m)
    };
    let number = |i: usize, len: std::ops::RangeInclusive<usize>| -> Option<u16> {
        let part = parts.get(i).filter(|p| p.digits && len.contains(&p.text.len()))?;
        part.text.parse().ok()
    };
    let day = |i: usize| number(i, 1..=2);
    let year = |i: usize| number(i, 4..=4).filter(|y| (1900..2100).contains(y));
    // The index of the part after `i`, past the links and the joins.
    let next = |i: usize| -> Option<usize> {
        let mut j = i + 1;
        while parts
            .get(j)
            .is_some_and(|p| p.joined && names.links.iter().any(|l| *l == p.text.to_lowercase()))
        {
            j += 1;
        }
        parts.get(j).filter(|p| p.joined).map(|_| j)
    };
    // A month named twice, in two calendars' words, is one month.
    let after_month = |i: usize, m: u8| -> Option<usize> {
        let j = next(i)?;
        if month(j) == Some(m) {
            next(j)
        } else {
            Some(j)
        }
    };
    let date = |y: u16, m: u8, d: u16| PartialDate::day(i32::from(y), m, u8::try_from(d).ok()?);
    (0..parts.len()).find_map(|i| {
        if let Some(d) = day(i) {
            let j = next(i)?;
            let m = month(j)?;
            let k = after_month(j, m)?;
            return date(year(k)?, m, d);
        }
        if let Some(y) = year(i) {
            let j = next(i)?;
            if let Some(m) = month(j) {
                let k = after_month(j, m)?;
                return date(y, m, day(k)?);
            }
            let d = day(j)?;
            let k = next(j)?;
            return date(y, month(k)?, d);
        }
        let m = month(i)?;
        let j = after_month(i, m)?;
        let d = day(j)?;
        date(year(next(j)?)?, m, d)
    })
}

/// Whether `text` names a day of the week in a language of the table.
pub fn names_weekday(text: &str) -> bool {
    let weekdays = &names().weekdays;
    // An apostrophe is within a word (`п’ятниця`).
    text.split(|c: char| !in_word(c) && !matches!(c, '\'' | '’'))
        .map(|w| w.trim_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
        .any(|w| weekdays.contains(&w.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, lang: Option<&str>) -> Option<String> {
        first_date(text, lang).map(|d| d.to_string())
    }

    #[test]
    fn every_language_names_twelve_months_and_its_weekdays_in_lower_case() {
        let table: MonthTable = toml::from_str(include_str!("../../../data/articles/months.toml")).unwrap();
        for language in &table.languages {
            assert_eq!(language.months.len(), 12, "{:?}", language.codes);
            assert!(
                language.weekdays.is_empty() || language.weekdays.len() >= 7,
                "{:?}",
                language.codes
            );
            for form in language.months.iter().flatten().chain(&language.weekdays) {
                assert_eq!(*form, form.to_lowercase(), "{:?}", language.codes);
            }
        }
    }

    #[test]
    fn datelines_are_read_day_first_year_first_or_month_first() {
        for (text, expected) in [
            ("20 września 2020, 16:20", "2020-09-20"),
            ("duminică, 20 septembrie 2020", "2020-09-20"),
            ("20. syyskuuta 2020 klo 16.20", "2020-09-20"),
            ("Publikováno 5. října 2020", "2020-10-05"),
            ("2020. szeptember 20. 16:20", "2020-09-20"),
            ("2020 m. rugsėjo 20 d.", "2020-09-20"),
            ("2020. gada 20. septembris", "2020-09-20"),
            ("20 de setembre de 2020", "2020-09-20"),
            ("7 d'octubre de 2020", "2020-10-07"),
            ("28 июня 2020, 21:16", "2020-06-28"),
            ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07"),
            ("الجمعة 24 نيسان / أبريل 2020", "2020-04-24"),
            ("13 gusht 2020, 09:08", "2020-08-13"),
            ("13 октомври 2020", "2020-10-13"),
            ("13 жніўня 2020", "2020-08-13"),
            ("13. ágúst 2020", "2020-08-13"),
            ("13 ta' Awwissu 2020", "2020-08-13"),
            ("13. Abrëll 2020", "2020-04-13"),
            ("13 Awst 2020", "2020-08-13"),
            ("13 avqust 2020", "2020-08-13"),
            ("13 тамыз 2020", "2020-08-13"),
            ("13 აგვისტო 2020", "2020-08-13"),
            ("13 օգոստոսի 2020", "2020-08-13"),
            ("17 באוגוסט 2020", "2020-08-17"),
            ("Σάββατο, 20 Σεπτεμβρίου 2020", "2020-09-20"),
            ("Agustus 17, 2020", "2020-08-17"),
            // A virama or a nukta inside a month's name is part of it.
            ("शुक्रवार, 12 सितम्बर 2021", "2021-09-12"),
            ("12 फ़रवरी 2021", "2021-02-12"),
            ("12 সেপ্টেম্বর 2021", "2021-09-12"),
        ] {
            assert_eq!(read(text, None).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn weekdays_are_named_in_any_language_of_the_table() {
        assert!(names_weekday("czwartek, 12 marca 2020"));
        assert!(names_weekday("ΠΑΡΑΣΚΕΥΗ, 12 ΜΑΡΤΙΟΥ 2020"));
        assert!(names_weekday("п’ятниця, 13 березня 2020"));
        assert!(!names_weekday("12 marca 2020"));
    }

    #[test]
    fn a_name_shared_by_languages_is_read_in_the_pages() {
        // `listopad` is November in Polish and Czech, October in Croatian.
        assert_eq!(read("3. listopada 2020", Some("hr")).as_deref(), Some("2020-10-03"));
        assert_eq!(read("3 listopada 2020", Some("pl")).as_deref(), Some("2020-11-03"));
        assert_eq!(read("3 listopada 2020", None).as_deref(), Some("2020-11-03"));
    }

    #[test]
    fn a_month_name_is_a_date_only_between_a_day_and_a_year() {
        for text in [
            "we wrześniu 2020",
            "20 września",
            "32 września 2020",
            "20 września (2020)",
            "nr 20 w 2020",
            "20 września 20",
        ] {
            assert_eq!(read(text, None), None, "{text}");
        }
    }
}
