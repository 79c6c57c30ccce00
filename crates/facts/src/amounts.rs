//! Sums of money: a number, an optional scale word and a currency sign or
//! word, in the language's number style; `per` for periodic sums.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::currencies::{CurrencyRules, Reading};
use crate::lang::{LangPack, Named};
use crate::rule_regex::Captures;
use crate::text::{
    alternation, char_before, ending_alternation, is_boundary, word_alternation, word_key, word_pattern, Pattern,
    EUROPEAN_LETTERS,
};

/// A normalised sum of money.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Amount {
    #[serde(serialize_with = "plain_number")]
    pub amount: f64,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<Period>,
}

/// A calendar unit: what a periodic sum is per (`per`), and what a
/// relative date (`hier`, `last month`) counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Month,
    Year,
}

impl Period {
    /// The name the spec gives it: `day`, `month`, `year`.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

/// Whole sums as integers (`20000000`, not `2e7`), others to the cent.
fn plain_number<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64((v * 100.0).round() / 100.0)
    }
}

pub struct AmountRules {
    /// A sign before or after the number (`$5`, `5 €`).
    sign_patterns: [Pattern; 2],
    /// A number, then words that may name a currency (`5 millions
    /// d'euros`): which of them do is looked up, see [`Self::word_sums`].
    word_pattern: Pattern,
    period: Pattern,
    /// After a period word: a year or a word that makes it a time
    /// (`scorso`, `prochain`, `ago`).
    time_after_period: Pattern,
    decimal_separator: char,
    currencies: CurrencyRules,
    scales: HashMap<String, f64>,
    number_words: HashMap<String, f64>,
    periods: HashMap<String, Period>,
    /// The pack's `ambiguous_currency_forms`, as word keys.
    ambiguous_forms: Vec<String>,
    /// Matches a `measure_links` word at the start of what follows a sum.
    measure_link: Pattern,
}

fn texts<T>(items: &[Named<T>]) -> Vec<&str> {
    items.iter().map(|n| n.text.as_str()).collect()
}

impl AmountRules {
    pub fn new(pack: &LangPack) -> Self {
        let a = &pack.amounts;
        let currencies = CurrencyRules::new(&pack.code, &a.currency_words);
        let sign = currencies.sign_pattern();
        let number = r"[0-9]{1,3}(?:[\u{20}\u{a0}\u{202f}.,'’][0-9]{3})+(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)?";
        // `$40-50 billion`, `between $10 and $20 million`, `entre 10 et 20
        // millions d'euros`: a range gives both ends, with the scale and
        // currency written once. A connector belongs to a range only with
        // the second number: in `2004 to $102 billion` the year is no sum.
        let range_word = format!("(?i:{})", alternation(&a.range_connectors));
        let num = format!(
            r"(?P<num>{number})(?:(?:\s?[-–]\s?|\s+(?P<rw>{range_word})\s+(?P<sign2>{sign})?\s?)(?P<num2>{number}))?"
        );
        let scale_word = format!("(?i:{})", alternation(&texts(&a.scale_words)));
        // `Mio.` and `Mrd.` end with their dot, which no word boundary follows.
        let mut abbreviations = texts(&a.scale_abbreviations);
        abbreviations.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let scale_abbr = abbreviations
            .iter()
            .map(|t| match t.strip_suffix('.') {
                Some(stem) => format!(r"{}\b\.?", word_pattern(stem)),
                None => format!(r"{}\b", word_pattern(t)),
            })
            .collect::<Vec<_>>()
            .join("|");
        let scale = format!(r"(?P<scale>{scale_word}\b|{scale_abbr})");
        let number_word = format!(r"(?P<nw>(?i:{}))", alternation(&texts(&a.number_words)));
        // A link ends a word: the `in` of `5 million Indian rupees` is no link.
        let link = format!("(?i:{})", ending_alternation(&a.scale_links));
        // The first letter of what may be a currency word: which words
        // are one is looked up (`CurrencyRules::word_end`).
        let currency = format!("(?P<cur>[{EUROPEAN_LETTERS}])");
        Self {
            sign_patterns: [
                Pattern::large(format!(r"(?P<sign>{sign})\s?{num}(?:\s?{scale})?")),
                Pattern::large(format!(r"\b{num}(?:\s?{scale})?\s?(?P<sign>{sign})")),
            ],
            word_pattern: Pattern::large(format!(
                r"\b(?:{num}|{number_word})(?:\s+{scale}(?:\s+{link})?)?\s*{currency}"
            )),
            period: Pattern::new(format!(r"(?i)^\s*(?P<per>{})", word_alternation(&texts(&a.periods)))),
            time_after_period: Pattern::new(format!(
                r"(?i)^\s*(?:[0-9]{{4}}\b|{})",
                word_alternation(
                    &[
                        &pack.dates.last_words[..],
                        &pack.dates.next_words[..],
                        &a.period_time_words[..]
                    ]
                    .concat()
                )
            )),
            measure_link: Pattern::new(format!(r"(?i)^\s*{}", word_alternation(&a.measure_links))),
            ambiguous_forms: a.ambiguous_currency_forms.iter().map(|w| word_key(w)).collect(),
            decimal_separator: a.decimal_separator,
            currencies,
            scales: a
                .scale_words
                .iter()
                .map(|s| (word_key(&s.text), s.value))
                .chain(
                    a.scale_abbreviations
                        .iter()
                        .map(|s| (s.text.trim_end_matches('.').to_string(), s.value)),
                )
                .collect(),
            number_words: a.number_words.iter().map(|n| (word_key(&n.text), n.value)).collect(),
            periods: a.periods.iter().map(|p| (word_key(&p.text), p.value)).collect(),
        }
    }

    /// Every sum in `text`, a text in `lang` (which may have no pack);
    /// `sentence_of` gives the sentence around a byte position.
    pub fn find(
        &self,
        text: &str,
        lang: &str,
        sentence_of: impl Fn(usize) -> Range<usize>,
    ) -> Vec<(Range<usize>, Amount)> {
        let sign_sums = self
            .sign_patterns
            .iter()
            .flat_map(|re| re.captures_iter(text))
            .map(|caps| Parts::of(&caps));
        let mut found: Vec<(Range<usize>, Sum)> = Vec::new();
        for parts in sign_sums.chain(self.word_sums(text)) {
            let span = parts.span();
            found.extend(self.read(&parts, text).into_iter().map(|a| (span.clone(), a)));
        }
        found.sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
        let mut kept: Vec<(Range<usize>, Sum)> = Vec::new();
        for f in found {
            if kept.last().is_none_or(|(k, _)| k.end <= f.0.start || *k == f.0) {
                kept.push(f);
            }
        }
        self.settle(text, kept, lang, sentence_of)
    }

    /// Gives each sum written with a shared form (`$`, `kr`, `francs`) its
    /// currency: the one of the nearest place in its paragraph, else the one
    /// the text's other sums name without ambiguity, else the group's
    /// default for `lang`; without any of them, the sum is dropped. A sum
    /// written with an ambiguous currency form is kept only when another
    /// sum of the text is of its currency, or of its group, and written
    /// otherwise (`£5m`, `pounds sterling`).
    fn settle(
        &self,
        text: &str,
        sums: Vec<(Range<usize>, Sum)>,
        lang: &str,
        sentence_of: impl Fn(usize) -> Range<usize>,
    ) -> Vec<(Range<usize>, Amount)> {
        let unambiguous: Vec<Reading> = sums
            .iter()
            .filter(|(_, s)| !s.ambiguous)
            .map(|(_, s)| s.currency.clone())
            .collect();
        let shown_otherwise = |reading: &Reading| {
            unambiguous.iter().any(|other| match (reading, other) {
                (Reading::One(a), Reading::One(b)) => a == b,
                (Reading::Shared(a), Reading::Shared(b)) => a == b,
                (Reading::Shared(group), Reading::One(code)) | (Reading::One(code), Reading::Shared(group)) => {
                    self.currencies.first_member(*group, &[code.as_str()]).is_some()
                }
            })
        };
        let sums: Vec<(Range<usize>, Sum)> = sums
            .into_iter()
            .filter(|(_, s)| !s.ambiguous || shown_otherwise(&s.currency))
            .collect();
        let named: Vec<&str> = sums
            .iter()
            .filter_map(|(_, s)| match &s.currency {
                Reading::One(code) => Some(code.as_str()),
                Reading::Shared(_) => None,
            })
            .collect();
        // The text's unambiguous currency of each group, found when first asked.
        let mut named_in_group: HashMap<usize, Option<&str>> = HashMap::new();
        sums.iter()
            .filter_map(|(span, sum)| {
                let currency = match &sum.currency {
                    Reading::One(code) => code.as_str(),
                    Reading::Shared(group) => self
                        .currencies
                        .by_place(*group, text, span, sentence_of(span.start).end)
                        .or_else(|| {
                            *named_in_group
                                .entry(*group)
                                .or_insert_with(|| self.currencies.first_member(*group, &named))
                        })
                        .or_else(|| self.currencies.default(*group, lang))?,
                };
                Some((
                    span.clone(),
                    Amount {
                        amount: sum.amount,
                        currency: currency.to_string(),
                        per: sum.per,
                    },
                ))
            })
            .collect()
    }

    /// The matches of the word pattern, each ending with the longest
    /// currency word that its words start with; a number followed by no
    /// currency word is none. As with a pattern of the words, the search
    /// goes on after a match, or from the words that were none.
    fn word_sums<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Parts> + 't {
        let mut at = 0;
        std::iter::from_fn(move || {
            loop {
                // The match ends with the letter that starts the words: the
                // automaton alone finds it, the parts are read for sums only.
                let found = self.word_pattern.find_at(text, at)?;
                let letter_len = text[..found.end()].chars().next_back().map_or(0, char::len_utf8);
                let words_start = found.end() - letter_len;
                match self.currencies.word_end(text, words_start) {
                    Some(end) => {
                        let mut parts = Parts::of(&self.word_pattern.captures_at(text, found.start())?);
                        parts.cur = Some(words_start..end);
                        parts.whole.end = end;
                        at = end;
                        return Some(parts);
                    }
                    // The letter starts a word (a link ends one, a number
                    // is no letter): a sum starting before it would end
                    // with the same words, so the search goes on from it.
                    None => at = words_start,
                }
            }
        })
    }

    /// The sums of one match: one, or both ends of a range.
    fn read(&self, parts: &Parts, text: &str) -> Vec<Sum> {
        let Some(first) = self.read_one(parts, text, parts.num.clone()) else {
            return Vec::new();
        };
        let second = parts
            .num2
            .clone()
            .filter(|_| !parts.is_loose())
            .and_then(|n| self.read_one(parts, text, Some(n)));
        std::iter::once(first).chain(second).collect()
    }

    /// The sum of `number`, or of the number word when there is none.
    fn read_one(&self, parts: &Parts, text: &str, number: Option<Range<usize>>) -> Option<Sum> {
        let whole = parts.whole.clone();
        if !is_boundary(text, whole.start) || !is_boundary(text, whole.end) {
            return None;
        }
        let at = |r: &Range<usize>| &text[r.clone()];
        let before = char_before(text, whole.start);
        let sign_first = parts.sign.as_ref().is_some_and(|s| s.start == whole.start);
        // `2020-09-01 $2,800`: a number joined to a digit before it by a
        // dash or slash is the end of a date or a code, and a sign with a
        // digit right after it is the next sum's.
        let joined_to_a_number = matches!(before, Some('-' | '/'))
            && text[..whole.start - 1]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit());
        if !sign_first && (before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',') || joined_to_a_number) {
            return None;
        }
        if parts
            .sign
            .as_ref()
            .is_some_and(|s| s.end == whole.end && text[s.end..].starts_with(|c: char| c.is_ascii_digit()))
        {
            return None;
        }
        // A number word and a currency word are two words: `einerlei` is
        // no `einer` `lei`.
        if let (Some(_), Some(cur)) = (&parts.nw, &parts.cur) {
            if char_before(text, cur.start).is_some_and(char::is_alphanumeric) {
                return None;
            }
        }
        let mantissa = match (&number, &parts.nw) {
            (Some(n), _) => parse_number(at(n), self.decimal_separator)?,
            (None, Some(w)) => *self.number_words.get(&word_key(at(w)))?,
            _ => return None,
        };
        let scale = match &parts.scale {
            Some(s) => *self
                .scales
                .get(at(s).trim_end_matches('.'))
                .or_else(|| self.scales.get(&word_key(at(s))))?,
            None => 1.0,
        };
        let currency = match (&parts.sign, &parts.cur) {
            (Some(s), _) => self.currencies.sign(at(s))?.clone(),
            (None, Some(c)) => self.currencies.word(at(c))?.clone(),
            _ => return None,
        };
        let per = self.period.captures(&text[whole.end..]).and_then(|p| {
            let period = p.get(0)?;
            // `300 mila euro l'anno scorso`, `100 Euro im Jahr 2020`, `$20
            // a year ago`: a period word that a year or a word of time
            // follows names a time, not a rate.
            if self.time_after_period.is_match(&text[whole.end + period.end()..]) {
                return None;
            }
            self.periods.get(&word_key(&p["per"])).copied()
        });
        // `5 millones de libras` is money; `243 pounds`, `siete libras de
        // papa` and `2.5 million pounds of beef` may be weights.
        let form = parts.sign.as_ref().or(parts.cur.as_ref());
        let ambiguous = form.is_some_and(|f| self.ambiguous_forms.contains(&word_key(at(f))))
            && (parts.scale.is_none() || self.measure_link.is_match(&text[whole.end..]));
        Some(Sum {
            amount: (mantissa * scale * 100.0).round() / 100.0,
            currency,
            per,
            ambiguous,
        })
    }
}

/// The parts of one match of a rule, as byte ranges of the text.
struct Parts {
    whole: Range<usize>,
    num: Option<Range<usize>>,
    /// The second number of a range (`10 to 20`).
    num2: Option<Range<usize>>,
    /// The word between a range's numbers (`to`, `et`).
    rw: Option<Range<usize>>,
    sign: Option<Range<usize>>,
    /// The second number's own sign (`$10 to $20`).
    sign2: Option<Range<usize>>,
    scale: Option<Range<usize>>,
    /// A number written as a word (`zwei`).
    nw: Option<Range<usize>>,
    /// A currency word (`euros`).
    cur: Option<Range<usize>>,
}

impl Parts {
    fn of(caps: &Captures) -> Self {
        let part = |name: &str| caps.name(name).map(|m| m.range());
        Parts {
            whole: caps.get(0).expect("a match has a whole").range(),
            num: part("num"),
            num2: part("num2"),
            rw: part("rw"),
            sign: part("sign"),
            sign2: part("sign2"),
            scale: part("scale"),
            nw: part("nw"),
            cur: part("cur"),
        }
    }

    /// The mention of a match: all of it, or only the first sum when the
    /// second number is no sum.
    fn span(&self) -> Range<usize> {
        match &self.num {
            Some(first) if self.is_loose() => self.whole.start..first.end,
            _ => self.whole.clone(),
        }
    }

    /// `$10 and 20 people`: after a word, the second number is a sum only
    /// with its own sign, a scale, or the currency word after it.
    fn is_loose(&self) -> bool {
        let starts_with_sign = self.sign.as_ref().is_some_and(|s| s.start == self.whole.start);
        self.rw.is_some() && self.sign2.is_none() && self.scale.is_none() && self.cur.is_none() && starts_with_sign
    }
}

/// A sum as read, its currency not yet settled when the form is shared.
struct Sum {
    amount: f64,
    currency: Reading,
    per: Option<Period>,
    /// Written with an ambiguous currency form (`243 pounds`, `1 TL` of
    /// a recipe): money only when the text writes a sum of that currency
    /// otherwise.
    ambiguous: bool,
}

/// Reads `100 000`, `250’000`, `5,2`, `1,200.50` or `1.200,50`: with both separators
/// the last is the decimal one; a lone separator is decimal when it is the
/// language's, or when fewer or more than three digits follow it.
pub(crate) fn parse_number(s: &str, decimal_separator: char) -> Option<f64> {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’'))
        .collect();
    let last_dot = s.rfind('.');
    let last_comma = s.rfind(',');
    let decimal = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(p), None) | (None, Some(p)) => {
            let sep = s.as_bytes()[p] as char;
            let once = s.matches(sep).count() == 1;
            let digits_after = s.len() - p - 1;
            (once && (sep == decimal_separator || digits_after != 3)).then_some(p)
        }
        (None, None) => None,
    };
    let normal: String = s
        .char_indices()
        .filter_map(|(i, c)| match c {
            '.' | ',' if Some(i) == decimal => Some('.'),
            '.' | ',' => None,
            c => Some(c),
        })
        .collect();
    normal.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{parse_number, AmountRules};
    use crate::lang;

    fn rules(code: &str) -> AmountRules {
        AmountRules::new(lang::pack(code).expect("a pack"))
    }

    fn sums(code: &str, text: &str) -> Vec<(String, f64, String)> {
        rules(code)
            .find(text, code, |_| 0..text.len())
            .into_iter()
            .map(|(span, a)| (text[span].to_string(), a.amount, a.currency))
            .collect()
    }

    #[test]
    fn a_link_word_is_a_whole_word_not_the_start_of_a_currency_word() {
        assert_eq!(
            sums("en", "It costs 5 million Indian rupees."),
            [("5 million Indian rupees".to_string(), 5_000_000.0, "INR".to_string())]
        );
        assert_eq!(
            sums("fr", "Il a coûté 5 millions de deutschemarks."),
            [(
                "5 millions de deutschemarks".to_string(),
                5_000_000.0,
                "DEM".to_string()
            )]
        );
        assert_eq!(
            sums("fr", "Il a coûté 5 millions deutschemarks."),
            [("5 millions deutschemarks".to_string(), 5_000_000.0, "DEM".to_string())]
        );
    }

    /// A token of hundreds of letters and hyphens after a number word is
    /// read only as far as the longest currency word goes.
    #[test]
    fn a_long_run_of_word_characters_is_read_no_further_than_a_currency_word() {
        let text = format!("a {}", "ab-".repeat(20_000));
        assert!(sums("en", &text).is_empty());
    }

    #[test]
    fn number_styles() {
        for (input, sep, expected) in [
            ("100 000", ',', 100000.0),
            ("100\u{202f}000", ',', 100000.0),
            ("250’000", '.', 250000.0),
            ("5,2", ',', 5.2),
            ("1,200", ',', 1.2),
            ("1,200", '.', 1200.0),
            ("1.200", ',', 1200.0),
            ("1.5", ',', 1.5),
            ("1,200.50", '.', 1200.5),
            ("1.200,50", ',', 1200.5),
            ("1,000,000", '.', 1000000.0),
        ] {
            assert_eq!(parse_number(input, sep), Some(expected), "{input} with {sep}");
        }
    }
}
