//! Dates: calendar days, months and years, written out, numeric or
//! relative, resolved against the publication date where the text leaves
//! the year (or everything) implicit.

use std::collections::HashMap;
use std::ops::Range;

use glaneur_calendar::{Day, PartialDate};

use crate::amounts::Period;
use crate::lang::LangPack;
use crate::rule_regex::{Captures, Regex};
use crate::text::{
    alternation, char_before, ending_alternation, is_boundary, next_boundary, overlaps_any, previous_boundary,
    window_before, word_alternation, word_key, Edged, Pattern, EUROPEAN_LETTERS,
};

/// How many days after the publication day a yearless day told in the
/// past is still taken as coming, and how many days before it one told in
/// the future is still taken as gone.
const NEAR_DAYS_AFTER: i64 = 60;
const NEAR_DAYS_BEFORE: i64 = 7;

/// A date as written, before the publication date fills what it leaves out.
#[derive(Debug, Clone, Default)]
struct Written {
    span: Range<usize>,
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
    weekday: Option<u8>,
    relative: Option<(Period, i32)>,
    /// `Oktober vergangenen Jahres`: the year, relative to the publication's.
    year_offset: Option<i32>,
    shift: Shift,
}

/// Which occurrence of a yearless month or bare weekday is meant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Shift {
    #[default]
    Nearest,
    /// `octobre dernier`: strictly before the publication date.
    Previous,
    /// `seit 1. Januar`, `depuis le 3 mars`: on or before the publication
    /// date, whatever the tense.
    Since,
    /// `mars prochain`: strictly after it.
    Following,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    DayMonth,
    MonthDay,
    MonthYear,
    /// The first days of `8, 9 et 10 octobre`, `8-10 octobre`: the last
    /// one is a [`Form::DayMonth`].
    DayList,
    Numeric,
    /// The first day of `vom 27.07. bis zum 20.08.2020`: a numeric day
    /// and month without a year, read only where a connector leads to a
    /// full numeric date, which gives the year.
    NumericRangeStart,
    /// `am 15.12.`, `Dienstag (15.12.)`: a numeric day and month with their
    /// ordinal dots and no year, after one of the pack's cues or a weekday.
    NumericDayMonth,
    IsoDay,
    IsoMonth,
    Year,
    Relative,
    Weekday,
    BareMonth,
}

pub struct DateRules {
    forms: Vec<(Form, Pattern)>,
    months: HashMap<String, u8>,
    weekdays: HashMap<String, u8>,
    relative: HashMap<String, (Period, i32)>,
    last_words: Pattern,
    next_words: Pattern,
    last_words_before: Pattern,
    next_words_before: Pattern,
    connector_only: Pattern,
    /// Between a yearless date and a relative year: at most one short
    /// linking word (`del`, `de l'`, `dell'`).
    year_link: Pattern,
    future_cue_before: Pattern,
    past_cue_before: Pattern,
    future_words: Pattern,
    past_words: Pattern,
    saying_words: Pattern,
    not_year_before: Pattern,
    not_year_after: Pattern,
    dateline_label: Pattern,
    holidays: Pattern,
    /// Where a day's ordinal is a dot (`20. Oktober`): the end of a text
    /// that is a day with its dot, and the start of one that is a month.
    ordinal_dot_day: Option<(Pattern, Pattern)>,
    day_first: bool,
}

/// Any of the names (all forms, or only the first, full one of each list),
/// longest first, each ending a word; an abbreviation listed with its dot
/// (`janv.`) is also found without it.
fn names_pattern(lists: &[Vec<String>], all_forms: bool) -> String {
    let mut forms: Vec<&String> = lists
        .iter()
        .flat_map(|forms| if all_forms { &forms[..] } else { &forms[..1] })
        .collect();
    forms.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
    let parts = forms.iter().map(|f| match f.strip_suffix('.') {
        Some(stem) => Edged::word(stem, true),
        None => Edged::word(f, false),
    });
    format!("(?:{})", Edged::joined(parts))
}

/// Lower-cased, without a trailing dot: the key of a month or weekday form.
fn form_key(s: &str) -> String {
    s.trim_end_matches('.').to_lowercase()
}

impl DateRules {
    pub fn new(pack: &LangPack) -> Self {
        let d = &pack.dates;
        let case = if d.months_capitalised { "" } else { "(?i)" };
        let mon = format!(r"(?P<mon>{case}{})", names_pattern(&d.months, true));
        let mon_full = format!(r"(?P<mon>{case}{})", names_pattern(&d.months, false));
        let wd = format!(r"(?P<wd>{case}{})", names_pattern(&d.weekdays, true));
        let wd_full = format!(r"(?P<wd>{case}{})", names_pattern(&d.weekdays, false));
        // The day ends a word, or carries its ordinal mark (`1er`, `20th`,
        // `20.`, `1º`).
        let ord = ending_alternation(&d.day_ordinal_suffixes);
        let day = format!(r"(?P<d>[12][0-9]|3[01]|0?[1-9])(?:{ord}|\b)");
        let bare_day = format!(r"(?:[12][0-9]|3[01]|0?[1-9])(?:{ord}|\b)");
        // A day's ordinal mark may stand right against the month (`am
        // 9.Dezember`); a bare day needs a space.
        let day_before_month = format!(r"(?P<d>[12][0-9]|3[01]|0?[1-9])(?:{ord}\s*|\b\s+)");
        let year = r"(?P<y>1[89][0-9]{2}|20[0-9]{2})\b";
        let conn = alternation(&d.connectors);
        // A comma lists numbers of any kind (`Version 1.2, 20.08.2020`).
        let range_conn = alternation(&d.connectors.iter().filter(|c| *c != ",").collect::<Vec<_>>());
        let day_first = d.numeric_order == "dmy";
        let optional_words = |words: &[String]| {
            if words.is_empty() {
                String::new()
            } else {
                format!(r"(?i:{}\s+)?", word_alternation(words))
            }
        };
        let day_article = optional_words(&d.day_articles);
        let day_month_link = optional_words(&d.day_month_links);
        let month_year_link = optional_words(&d.month_year_links);

        let mut forms = vec![
            (
                Form::DayMonth,
                format!(
                    r"\b(?:{wd},?\s+)?{day_article}{day_before_month}{day_month_link}{mon}(?:,?\s+{month_year_link}{year})?"
                ),
            ),
            (Form::MonthYear, format!(r"\b{mon}\s+{month_year_link}{year}")),
            (
                Form::DayList,
                format!(
                    r"\b(?P<list>(?:{bare_day}\s*{conn}\s*)+){bare_day}\s+{day_month_link}{}",
                    mon.replace("?P<mon>", "")
                ),
            ),
            (
                Form::Numeric,
                // `20/10/2022`, `20.10.2022`, `20-10-2022`.
                r"\b(?P<a>[0-9]{1,2})([/.-])(?P<b>[0-9]{1,2})[/.-](?P<y>1[89][0-9]{2}|20[0-9]{2})\b".to_string(),
            ),
            (
                Form::NumericRangeStart,
                format!(
                    r"\b(?P<first>(?P<a>[0-9]{{1,2}})(?P<sep>[/.])(?P<b>[0-9]{{1,2}})\.?)\s*{range_conn}\s*[0-9]{{1,2}}[/.-][0-9]{{1,2}}[/.-](?:1[89][0-9]{{2}}|20[0-9]{{2}})\b"
                ),
            ),
            (
                Form::IsoDay,
                r"\b(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})\b".to_string(),
            ),
            (Form::IsoMonth, r"\b(?P<y>[0-9]{4})-(?P<m>[0-9]{2})\b".to_string()),
            (Form::Year, format!(r"\b{year}")),
            (
                Form::Relative,
                format!(
                    r"(?i)(?P<rel>{})",
                    word_alternation(&d.relative.iter().map(|r| r.text.as_str()).collect::<Vec<_>>())
                ),
            ),
            (Form::Weekday, format!(r"\b{wd_full}")),
            (
                Form::BareMonth,
                format!(
                    r"(?i:{})\s+{mon_full}",
                    word_alternation(&[&d.month_prepositions[..], &d.last_words_before, &d.next_words_before].concat())
                ),
            ),
        ];
        // Languages that write the month before the day (`October 20`) do it
        // without a year too; elsewhere `mai 20` is a month and a count.
        let month_day_year = if day_first {
            format!(r",?\s+{year}")
        } else {
            format!(r"(?:,?\s+{year})?")
        };
        if !d.numeric_day_month_cues.is_empty() {
            let weekday = format!(r"(?:{case}{})", names_pattern(&d.weekdays, false));
            forms.push((
                Form::NumericDayMonth,
                format!(
                    r"(?:\b(?i:{})\s+|\b(?P<wd>{weekday}),?\s*\(?)(?P<first>(?P<a>[0-9]{{1,2}})\.(?P<b>[0-9]{{1,2}})\.)\)?",
                    word_alternation(&d.numeric_day_month_cues)
                ),
            ));
        }
        forms.push((
            Form::MonthDay,
            format!(r"\b(?:{wd},?\s+)?{mon}\s+{day}{month_day_year}"),
        ));

        let key_map = |lists: &[Vec<String>]| -> HashMap<String, u8> {
            lists
                .iter()
                .enumerate()
                .flat_map(|(i, forms)| forms.iter().map(move |f| (form_key(f), i as u8)))
                .collect()
        };
        let ci = |words: &[String]| Pattern::new(format!(r"(?i)^\s*{}", word_alternation(words)));
        // What `\w` held, in the scripts of Europe's languages. A class of
        // word characters, which holds both cases already, is kept out of
        // `(?i)`: folding it costs milliseconds a pattern.
        let word = format!("{EUROPEAN_LETTERS}0-9_");
        let ci_before = |words: &[String]| {
            Pattern::new(format!(
                r"(?i)(?:^|(?-i:[^{word}]))(?P<words>{})\s+$",
                word_alternation(words)
            ))
        };
        let punctuation_ordinals: Vec<&String> = d
            .day_ordinal_suffixes
            .iter()
            .filter(|s| !s.chars().any(char::is_alphanumeric))
            .collect();
        Self {
            forms: forms.into_iter().map(|(f, p)| (f, Pattern::new(p))).collect(),
            months: key_map(&d.months),
            weekdays: key_map(&d.weekdays),
            relative: d
                .relative
                .iter()
                .map(|r| (word_key(&r.text), (r.unit, r.offset)))
                .collect(),
            last_words: ci(&d.last_words),
            next_words: ci(&d.next_words),
            last_words_before: ci_before(&d.last_words_before),
            next_words_before: ci_before(&d.next_words_before),
            // After a listed day and its ordinal mark (`8., 9. und 10. Oktober`).
            connector_only: Pattern::new(format!(r"^(?:{ord})?\s*{conn}\s*$")),
            year_link: Pattern::new(format!(r"^\s*(?:[{EUROPEAN_LETTERS}]{{1,4}}['’]?\s*)?$")),
            future_cue_before: Pattern::new(format!(
                r"(?i){}(?:\s+(?-i:[{word}]{{1,3}})['’]?)?\s*$",
                word_alternation(&d.future_cues)
            )),
            past_cue_before: Pattern::new(format!(
                r"(?i){}(?:\s+(?-i:[{word}]{{1,3}})['’]?)?\s*$",
                word_alternation(&d.past_cues)
            )),
            future_words: Pattern::new(format!(r"(?i){}", word_alternation(&d.future_words))),
            past_words: Pattern::new(format!(r"(?i){}", word_alternation(&d.past_words))),
            saying_words: Pattern::new(format!(r"(?i){}", word_alternation(&d.saying_words))),
            not_year_before: Pattern::new(format!(r"(?i)(?:^|\s|\(){}\s*$", alternation(&d.not_year_before))),
            not_year_after: Pattern::new(format!(r"(?i)^\s*{}(?-i:[^{word}]|$)", alternation(&d.not_year_after))),
            dateline_label: Pattern::new(format!(r"(?i)^\s*{}\s*:?\s*", alternation(&d.dateline_labels))),
            holidays: Pattern::new(format!(r"(?i){}", word_alternation(&d.holidays))),
            ordinal_dot_day: (!punctuation_ordinals.is_empty()).then(|| {
                (
                    Pattern::new(format!(
                        r"(?:^|[^0-9])(?:[12][0-9]|3[01]|0?[1-9]){}$",
                        alternation(&punctuation_ordinals)
                    )),
                    Pattern::new(format!(r"^{mon}")),
                )
            }),
            day_first,
        }
    }

    /// Every date written in `text`, in text order, not yet resolved.
    fn written(&self, text: &str) -> Vec<Written> {
        let mut found = Vec::new();
        for (form, re) in &self.forms {
            for caps in re.captures_iter(text) {
                if *form == Form::DayList {
                    found.extend(listed_days(&caps, text));
                } else if let Some(w) = self.read(*form, &caps, text) {
                    found.push(w);
                }
            }
        }
        let holidays: Vec<Range<usize>> = self.holidays.find_iter(text).map(|m| m.range()).collect();
        found.retain(|w| !overlaps_any(&holidays, &w.span));
        // Earliest first, then longest: `16 décembre 2021` beats `2021`.
        found.sort_by_key(|w| (w.span.start, std::cmp::Reverse(w.span.end)));
        let mut kept: Vec<Written> = Vec::new();
        for w in found {
            if kept.last().is_none_or(|k| k.span.end <= w.span.start) {
                kept.push(w);
            }
        }
        // `mars et avril 2022`, `8-10 octobre`: an incomplete date followed
        // by a connector and a fuller one takes the year and month it lacks.
        for i in (0..kept.len().saturating_sub(1)).rev() {
            let (left, right) = kept.split_at_mut(i + 1);
            let (a, b) = (&mut left[i], &right[0]);
            if a.relative.is_some() || b.relative.is_some() || a.weekday.is_some() && a.month.is_none() {
                continue;
            }
            if !self.connector_only.is_match(&text[a.span.end..b.span.start]) {
                continue;
            }
            if a.year.is_none()
                && a.month.is_some()
                && b.year.is_some()
                && (a.day.is_some() == b.day.is_some() || a.day.is_none())
            {
                a.year = b.year;
            }
            if a.month.is_none() && a.day.is_some() && b.month.is_some() {
                a.month = b.month;
                a.year = a.year.or(b.year);
            }
        }
        // `Oktober vergangenen Jahres`, `octubre del año pasado`, `October
        // last year`: a yearless date followed by a relative year takes it.
        let mut i = 0;
        while i + 1 < kept.len() {
            let (a, b) = (&kept[i], &kept[i + 1]);
            let year_offset = match b.relative {
                Some((Period::Year, offset)) => Some(offset),
                _ => None,
            };
            if let Some(offset) = year_offset.filter(|_| {
                a.year.is_none()
                    && a.month.is_some()
                    && a.relative.is_none()
                    && a.shift == Shift::Nearest
                    && self.year_link.is_match(&text[a.span.end..b.span.start])
            }) {
                let end = b.span.end;
                kept[i].year_offset = Some(offset);
                kept[i].span.end = end;
                kept.remove(i + 1);
            }
            i += 1;
        }
        kept
    }

    fn read(&self, form: Form, caps: &Captures, text: &str) -> Option<Written> {
        let whole = caps.get(0)?;
        if !is_boundary(text, whole.start()) || !is_boundary(text, whole.end()) {
            return None;
        }
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let month = caps
            .name("mon")
            .and_then(|m| self.months.get(&form_key(m.as_str())).map(|i| i + 1));
        let weekday = caps
            .name("wd")
            .and_then(|m| self.weekdays.get(&form_key(m.as_str())).copied());
        let mut w = Written {
            span: whole.range(),
            weekday,
            ..Default::default()
        };
        match form {
            Form::DayMonth | Form::MonthDay => {
                w.day = Some(num("d")? as u8);
                w.month = month;
                w.year = num("y").map(|y| y as i32);
            }
            Form::MonthYear => {
                w.month = month;
                w.year = num("y").map(|y| y as i32);
            }
            Form::DayList => return None,
            Form::Numeric => {
                if !self.standalone_number(text, whole.range()) {
                    return None;
                }
                let (day, mon) = self.day_and_month(num("a")? as u8, num("b")? as u8)?;
                w.year = Some(num("y")? as i32);
                w.month = Some(mon);
                w.day = Some(day);
            }
            Form::NumericRangeStart => {
                let first = caps.name("first")?;
                if !self.free_before(text, first.start()) {
                    return None;
                }
                w.span = first.range();
                let (a, b) = (num("a")? as u8, num("b")? as u8);
                // With dots the day comes first in every language, and a
                // decimal number (`1.2`, `1.25`) is none: `1.2.` or `01.02`.
                let (day, mon) = if &caps["sep"] == "." {
                    let dotted = first.as_str().ends_with('.') || caps["b"].len() == 2;
                    (dotted && (1..=12).contains(&b)).then_some((a, b))?
                } else {
                    self.day_and_month(a, b)?
                };
                w.month = Some(mon);
                w.day = Some(day);
            }
            Form::NumericDayMonth => {
                let first = caps.name("first")?;
                // `ICON-2.6.6` is a version.
                if text[first.end()..].starts_with(|c: char| c.is_ascii_digit()) {
                    return None;
                }
                // With its weekday, the mention is both: `Montag (6.11.)`.
                w.span = match caps.name("wd") {
                    Some(wd) => wd.start()..whole.end(),
                    None => first.range(),
                };
                let (day, mon) = (num("a")? as u8, num("b")? as u8);
                if !(1..=12).contains(&mon) {
                    return None;
                }
                w.month = Some(mon);
                w.day = Some(day);
            }
            Form::IsoDay | Form::IsoMonth => {
                if !self.standalone_number(text, whole.range()) {
                    return None;
                }
                w.year = Some(num("y")? as i32);
                w.month = Some(num("m")? as u8);
                w.day = num("d").map(|d| d as u8);
                if !(1..=12).contains(&w.month?) {
                    return None;
                }
            }
            Form::Year => {
                if !self.standalone_number(text, whole.range()) || self.year_is_something_else(text, whole.range()) {
                    return None;
                }
                w.year = Some(num("y")? as i32);
            }
            Form::Relative => {
                w.relative = Some(*self.relative.get(&word_key(&caps["rel"]))?);
            }
            Form::Weekday => {}
            Form::BareMonth => {
                w.span = caps.name("mon")?.range();
                w.month = month;
            }
        }
        if w.year.is_none() && w.relative.is_none() && (w.month.is_some() || w.weekday.is_some()) {
            self.shift_after(text, &mut w);
            if w.shift == Shift::Nearest {
                self.shift_before(text, &mut w);
            }
        }
        Some(w)
    }

    /// `el pasado 20 de octubre`, `im vergangenen Oktober`, `next Monday`:
    /// words before a date without its year say which occurrence is meant,
    /// and belong to its mention.
    fn shift_before(&self, text: &str, w: &mut Written) {
        let before = window_before(text, w.span.start, 40);
        for (re, shift) in [
            (&self.last_words_before, Shift::Previous),
            (&self.next_words_before, Shift::Following),
        ] {
            if let Some(words) = re.captures(before).and_then(|c| c.name("words")) {
                w.shift = shift;
                w.span.start -= before.len() - words.start();
                return;
            }
        }
    }

    /// `octobre dernier`, `le 20 octobre dernier`, `maandag a.s.`: words
    /// after a date without its year say which occurrence is meant, and
    /// belong to its mention.
    fn shift_after(&self, text: &str, w: &mut Written) {
        let rest = &text[w.span.end..];
        for (re, shift) in [
            (&self.last_words, Shift::Previous),
            (&self.next_words, Shift::Following),
        ] {
            if let Some(words) = re.find(rest) {
                w.shift = shift;
                w.span.end += words.end();
                return;
            }
        }
    }

    /// The day and month of a numeric date's first two numbers, in the
    /// pack's order unless one of them cannot be a month.
    fn day_and_month(&self, a: u8, b: u8) -> Option<(u8, u8)> {
        match (self.day_first, a > 12, b > 12) {
            (_, true, false) => Some((a, b)),
            (_, false, true) => Some((b, a)),
            (true, false, false) => Some((a, b)),
            (false, false, false) => Some((b, a)),
            (_, true, true) => None,
        }
    }

    /// Whether what stands before `start` leaves a number there on its
    /// own: no letter or digit glued to it, no joining sign after a digit
    /// (`C-131/12`) but the dash after a year (`2016-2018`).
    fn free_before(&self, text: &str, start: usize) -> bool {
        let before = char_before(text, start);
        if before.is_some_and(|c| c.is_alphanumeric()) {
            return false;
        }
        let digit_before = text[..start].chars().rev().nth(1).is_some_and(|c| c.is_ascii_digit());
        if !digit_before {
            return true;
        }
        match before {
            Some('-') => {
                let head: String = text[..previous_boundary(text, start)]
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_digit)
                    .collect();
                head.len() == 4
            }
            Some('/' | '–' | '.' | ',' | ':') => false,
            _ => true,
        }
    }

    /// A number that is part of a longer numeric token (`2016/679`,
    /// `C-131/12`, `2008-9`, `1.2022`) is not a date.
    fn standalone_number(&self, text: &str, span: Range<usize>) -> bool {
        let mut after = text[span.end..].chars();
        let (a1, a2) = (after.next(), after.next());
        if a1.is_some_and(|c| c.is_alphanumeric()) {
            return false;
        }
        if matches!(a1, Some('/' | '-' | '–' | '.' | ',' | ':')) && a2.is_some_and(|c| c.is_ascii_digit()) {
            // `2016-2018` is two years; `2008-9`, `2016/679`, `2022.5` are not years.
            let tail: String = text[next_boundary(text, span.end)..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if !(matches!(a1, Some('-' | '–')) && tail.len() == 4) {
                return false;
            }
        }
        self.free_before(text, span.start)
    }

    fn year_is_something_else(&self, text: &str, span: Range<usize>) -> bool {
        let before = window_before(text, span.start, 24);
        self.not_year_before.is_match(before) || self.not_year_after.is_match(&text[span.end..])
    }

    /// Resolved dates of `text` with their byte spans; `sentence_of` gives
    /// the span of the sentence around a byte offset.
    pub fn find(
        &self,
        text: &str,
        published: Option<PartialDate>,
        sentence_of: impl Fn(usize) -> Range<usize>,
    ) -> Vec<(Range<usize>, PartialDate)> {
        self.written(text)
            .into_iter()
            .filter_map(|mut w| {
                let sentence = sentence_of(w.span.start);
                let future = self.is_future(text, sentence.start..w.span.start);
                // `desde el lunes … será` is `from`: a past cue reads `since`
                // only where nothing says the future.
                if w.shift == Shift::Nearest
                    && !future
                    && self.past_cue_before.is_match(&text[sentence.start..w.span.start])
                {
                    w.shift = Shift::Since;
                }
                resolve(&w, published, future).map(|d| (w.span.clone(), d))
            })
            .collect()
    }

    /// A future cue just before the date, or a future word earlier in the
    /// sentence, unless a past word comes after the last future word. A
    /// verb of saying after the last future word makes the past too, but
    /// yields to a cue: `said it could not answer until September`.
    fn is_future(&self, text: &str, before: Range<usize>) -> bool {
        let before = &text[before];
        let last_end = |re: &Regex| re.find_iter(before).map(|m| m.end()).last();
        let future = last_end(&self.future_words);
        let after_future = |end: Option<usize>| end.is_some_and(|e| future.is_none_or(|f| e > f));
        if after_future(last_end(&self.past_words)) {
            return false;
        }
        if self.future_cue_before.is_match(before) {
            return true;
        }
        future.is_some() && !after_future(last_end(&self.saying_words))
    }

    /// Sentence spans with those split by a day's ordinal dot mended:
    /// `am 20. Oktober` is one sentence, though a capital follows the dot.
    pub fn mend_sentences(&self, text: &str, spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
        let Some((day_end, month_start)) = &self.ordinal_dot_day else {
            return spans;
        };
        let mut mended: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for span in spans {
            match mended.last_mut() {
                Some(last)
                    if day_end.is_match(&text[last.clone()])
                        && month_start
                            .find(&text[span.clone()])
                            .is_some_and(|m| is_boundary(text, span.start + m.end())) =>
                {
                    last.end = span.end;
                }
                _ => mended.push(span),
            }
        }
        mended
    }

    pub fn first_date(&self, text: &str) -> Option<PartialDate> {
        self.written(text)
            .iter()
            .find(|w| w.year.is_some())
            .and_then(|w| resolve(w, None, false))
    }

    /// The article's dateline: in its first lines, a date with a year after
    /// a label (`Publié le`, `date`), or a line that is only a full date.
    /// A line that is a weekday and a date is left out: site headers print
    /// the day of the visit that way, not the day of publication.
    pub fn dateline(&self, text: &str) -> Option<PartialDate> {
        for line in text.lines().filter(|l| !l.trim().is_empty()).take(12) {
            let label_end = self.dateline_label.find(line).map(|m| m.end());
            let body = &line[label_end.unwrap_or(0)..];
            let first = self.written(body).into_iter().next();
            let Some(w) = first.filter(|w| w.year.is_some() && w.month.is_some() && w.span.start == 0) else {
                continue;
            };
            let date = resolve(&w, None, false)?;
            let whole_line = body[w.span.end..].trim().is_empty();
            if label_end.is_some() || (whole_line && w.day.is_some() && w.weekday.is_none()) {
                return Some(date);
            }
        }
        None
    }
}

/// The days of a list before its last (`8, 9` in `8, 9 et 10 octobre`),
/// each known only by its day until the last lends its month and year.
/// A number that ends a time or a decimal (`14:30, 12 March`, `14.30, 12.
/// März`) is no day of the list.
fn listed_days(caps: &Captures, text: &str) -> Vec<Written> {
    let Some(list) = caps.name("list") else {
        return Vec::new();
    };
    let mut days = Vec::new();
    let mut run: Option<usize> = None;
    for (i, c) in list.as_str().char_indices().chain(std::iter::once((list.len(), ' '))) {
        match (c.is_ascii_digit(), run) {
            (true, None) => run = Some(i),
            (false, Some(start)) => {
                let digits = &list.as_str()[start..i];
                let span = list.start() + start..list.start() + i;
                if !ends_a_number(text, span.start) {
                    days.push(Written {
                        span,
                        day: digits.parse().ok(),
                        ..Default::default()
                    });
                }
                run = None;
            }
            _ => {}
        }
    }
    days
}

/// Whether the digits at `pos` follow a time's colon or a number's dot
/// (`14:30`, `14.30`, `2.5`).
fn ends_a_number(text: &str, pos: usize) -> bool {
    let mut before = text[..pos].chars().rev();
    match before.next() {
        Some(':') => true,
        Some('.') => before.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// The date a written mention names, given the publication date; `None`
/// when the text leaves it open and nothing fills it in.
fn resolve(w: &Written, published: Option<PartialDate>, future: bool) -> Option<PartialDate> {
    if let Some((unit, offset)) = w.relative {
        let anchor = published?;
        return match unit {
            Period::Day if anchor.has_day() => Some(anchor.last_day().plus_days(offset as i64).date()),
            Period::Day => None,
            Period::Month => {
                let (y, m) = add_months(anchor.year, anchor.month?, offset);
                PartialDate::month(y, m)
            }
            Period::Year => Some(PartialDate::year(anchor.year + offset)),
        };
    }
    match (w.year, w.month, w.day) {
        (Some(y), Some(m), Some(d)) => PartialDate::day(y, m, d),
        (Some(y), Some(m), None) => PartialDate::month(y, m),
        (Some(y), None, None) => Some(PartialDate::year(y)),
        (None, Some(m), day) => {
            let anchor = published?;
            let anchor_month = anchor.month.unwrap_or(12);
            let point = (m, day.unwrap_or(0));
            let (first, last) = match (anchor.month, anchor.day) {
                (Some(am), Some(ad)) => ((am, ad), (am, ad)),
                (Some(am), None) => ((am, 0), (am, 31)),
                _ => ((1, 0), (12, 31)),
            };
            // `le 20 octobre dernier` is the last 20 October before the
            // publication day; `octobre dernier`, the last whole October
            // before its month.
            let (strictly_before, strictly_after) = match (day, anchor.month, anchor.day) {
                (Some(d), Some(am), Some(ad)) => ((m, d) < (am, ad), (m, d) > (am, ad)),
                _ => (m < anchor_month, m > anchor_month),
            };
            let year = match (w.year_offset, w.shift) {
                (Some(offset), _) => anchor.year + offset,
                (None, Shift::Previous) if strictly_before => anchor.year,
                (None, Shift::Previous) => anchor.year - 1,
                (None, Shift::Following) if strictly_after => anchor.year,
                (None, Shift::Following) => anchor.year + 1,
                (None, Shift::Nearest) if future && point < first => anchor.year + 1,
                (None, Shift::Nearest) if !future && point > last => anchor.year - 1,
                (None, Shift::Nearest) => anchor.year,
                (None, Shift::Since) if point > last => anchor.year - 1,
                (None, Shift::Since) => anchor.year,
            };
            // The tense puts a yearless day on one side of the publication
            // day, but not across the few days around it that writers name
            // without a year: `am 10. Dezember` a month after the publication
            // is that one, not last year's; `ab 4.11.` two days before, with
            // a future cue, is this year's.
            let near_side = if future {
                -NEAR_DAYS_BEFORE..0
            } else {
                1..NEAR_DAYS_AFTER + 1
            };
            let year = match (day, anchor.has_day(), w.year_offset, w.shift) {
                (Some(d), true, None, Shift::Nearest) => {
                    let published = anchor.last_day().ordinal();
                    [anchor.year - 1, anchor.year, anchor.year + 1]
                        .into_iter()
                        .find(|&y| {
                            PartialDate::day(y, m, d)
                                .is_some_and(|p| near_side.contains(&(p.last_day().ordinal() - published)))
                        })
                        .unwrap_or(year)
                }
                _ => year,
            };
            // `Montag, 6. November` falls on a Monday in one year only of
            // the three around the publication's.
            let year = match (w.weekday, day, w.year_offset, w.shift) {
                (Some(weekday), Some(d), None, Shift::Nearest) => [year, anchor.year - 1, anchor.year, anchor.year + 1]
                    .into_iter()
                    .find(|&y| PartialDate::day(y, m, d).is_some_and(|p| p.last_day().weekday() == weekday))
                    .unwrap_or(year),
                _ => year,
            };
            match day {
                Some(d) => PartialDate::day(year, m, d),
                None => PartialDate::month(year, m),
            }
        }
        (None, None, None) => {
            let weekday = w.weekday?;
            let anchor = published.filter(|p| p.has_day())?.last_day();
            let back = (anchor.weekday() as i64 - weekday as i64).rem_euclid(7);
            let ahead = (weekday as i64 - anchor.weekday() as i64).rem_euclid(7);
            let day: Day = match w.shift {
                Shift::Following => anchor.plus_days(if ahead == 0 { 7 } else { ahead }),
                Shift::Previous => anchor.plus_days(-(if back == 0 { 7 } else { back })),
                Shift::Nearest if future => anchor.plus_days(ahead),
                Shift::Nearest | Shift::Since => anchor.plus_days(-back),
            };
            Some(day.date())
        }
        _ => None,
    }
}

fn add_months(year: i32, month: u8, offset: i32) -> (i32, u8) {
    let index = year * 12 + (month as i32 - 1) + offset;
    (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8)
}

#[cfg(test)]
mod tests {
    //! How a written date is completed from the publication date: what no
    //! corpus row can isolate, since a row always goes through the patterns.

    use super::*;

    fn day(s: &str) -> Option<PartialDate> {
        PartialDate::parse_iso_prefix(s)
    }

    fn month_and_day(month: u8, day: Option<u8>, shift: Shift) -> Written {
        Written {
            month: Some(month),
            day,
            shift,
            ..Default::default()
        }
    }

    fn relative(unit: Period, offset: i32) -> Written {
        Written {
            relative: Some((unit, offset)),
            ..Default::default()
        }
    }

    fn weekday(weekday: u8, shift: Shift) -> Written {
        Written {
            weekday: Some(weekday),
            shift,
            ..Default::default()
        }
    }

    #[test]
    fn a_full_date_needs_no_publication_date_and_must_exist() {
        let full = |y, m, d| Written {
            year: Some(y),
            month: Some(m),
            day: Some(d),
            ..Default::default()
        };
        assert_eq!(resolve(&full(2024, 2, 29), None, false), day("2024-02-29"));
        assert_eq!(resolve(&full(2023, 2, 29), None, false), None);
    }

    #[test]
    fn relative_dates_count_from_the_publication_date_at_its_own_precision() {
        let published = day("2022-01-01");
        assert_eq!(resolve(&relative(Period::Day, -1), published, false), day("2021-12-31"));
        assert_eq!(resolve(&relative(Period::Month, -1), published, false), day("2021-12"));
        assert_eq!(resolve(&relative(Period::Year, 1), published, false), day("2023"));
        // `yesterday` of a page dated only to the month is no day at all.
        assert_eq!(resolve(&relative(Period::Day, -1), day("2022-01"), false), None);
        assert_eq!(resolve(&relative(Period::Day, -1), None, false), None);
    }

    #[test]
    fn a_month_without_its_year_is_the_nearest_one_unless_the_text_says_otherwise() {
        let published = day("2022-03-10");
        let october = |shift| month_and_day(10, None, shift);
        assert_eq!(resolve(&october(Shift::Nearest), published, false), day("2021-10"));
        assert_eq!(resolve(&october(Shift::Nearest), published, true), day("2022-10"));
        assert_eq!(resolve(&october(Shift::Previous), published, false), day("2021-10"));
        assert_eq!(resolve(&october(Shift::Following), published, false), day("2022-10"));
        let march = |shift| month_and_day(3, None, shift);
        // `mars dernier` written in March is last year's March.
        assert_eq!(resolve(&march(Shift::Previous), published, false), day("2021-03"));
        assert_eq!(resolve(&march(Shift::Following), published, false), day("2023-03"));
        assert_eq!(resolve(&october(Shift::Nearest), None, false), None);
    }

    #[test]
    fn a_day_without_its_year_is_placed_by_the_publication_day() {
        let published = day("2022-03-10");
        assert_eq!(
            resolve(&month_and_day(3, Some(9), Shift::Previous), published, false),
            day("2022-03-09")
        );
        assert_eq!(
            resolve(&month_and_day(3, Some(11), Shift::Previous), published, false),
            day("2021-03-11")
        );
        assert_eq!(
            resolve(&month_and_day(6, Some(11), Shift::Nearest), published, false),
            day("2021-06-11")
        );
        assert_eq!(
            resolve(&month_and_day(3, Some(1), Shift::Nearest), published, true),
            day("2023-03-01")
        );
        // Within weeks after the publication day, a day is the coming one
        // whatever the tense; days before it, one told in the future is
        // this year's still.
        assert_eq!(
            resolve(&month_and_day(3, Some(11), Shift::Nearest), published, false),
            day("2022-03-11")
        );
        assert_eq!(
            resolve(&month_and_day(3, Some(9), Shift::Nearest), published, true),
            day("2022-03-09")
        );
        assert_eq!(
            resolve(&month_and_day(1, Some(3), Shift::Nearest), day("2022-12-28"), false),
            day("2023-01-03")
        );
        // `Oktober vergangenen Jahres` says the year outright.
        let last_year = Written {
            year_offset: Some(-1),
            ..month_and_day(10, Some(5), Shift::Nearest)
        };
        assert_eq!(resolve(&last_year, published, false), day("2021-10-05"));
    }

    #[test]
    fn a_weekday_is_the_one_of_the_publication_week_the_text_points_to() {
        // 2022-03-10 is a Thursday (weekday 3, Monday being 0).
        let published = day("2022-03-10");
        assert_eq!(
            resolve(&weekday(0, Shift::Nearest), published, false),
            day("2022-03-07")
        );
        assert_eq!(resolve(&weekday(0, Shift::Nearest), published, true), day("2022-03-14"));
        assert_eq!(
            resolve(&weekday(3, Shift::Nearest), published, false),
            day("2022-03-10")
        );
        assert_eq!(
            resolve(&weekday(3, Shift::Previous), published, false),
            day("2022-03-03")
        );
        assert_eq!(
            resolve(&weekday(3, Shift::Following), published, false),
            day("2022-03-17")
        );
        assert_eq!(resolve(&weekday(0, Shift::Nearest), day("2022-03"), false), None);
    }

    #[test]
    fn months_are_added_across_years_in_both_directions() {
        assert_eq!(add_months(2022, 1, -1), (2021, 12));
        assert_eq!(add_months(2022, 12, 1), (2023, 1));
        assert_eq!(add_months(2022, 3, -27), (2019, 12));
        assert_eq!(add_months(2022, 3, 0), (2022, 3));
    }
}
