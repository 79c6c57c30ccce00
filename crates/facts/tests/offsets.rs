//! Property: on any text, in every language pack, fact extraction does not
//! panic, and every fact's `start`/`end` (in characters) cut out exactly its
//! `text`, inside its `sentence`.
//!
//! The texts are built from the packs' own words (so the rules fire),
//! numbers shaped like years, days and sums, and multi-byte punctuation
//! glued to them: the byte arithmetic that broke real pages (`1957–1959`)
//! only shows where a multi-byte character touches a match.

use std::path::Path;
use std::sync::OnceLock;

use glaneur_facts::{extract, Context, PartialDate};
use proptest::prelude::*;
use proptest::sample::select;

/// Characters of more than one byte that real pages put next to numbers and
/// words: dashes, quotes, spaces, currency signs, emoji, combining and
/// direction marks, separators, a BOM, ordinal letters.
const MULTI_BYTE: &[&str] = &[
    "–", "—", "’", "«", "»", "\u{a0}", "\u{202f}", "€", "£", "¥", "😀", "👍🏽", "\u{301}", "\u{200f}", "\u{200e}",
    "\u{2028}", "\u{feff}", "ᵉʳ", "º", "ª", "…", "“", "”", "‑", "\u{2009}", "ß", "İ", "ﬁ",
];

const ASCII_GLUE: &[&str] = &[
    " ", " ", " ", "-", "/", ".", ",", ":", "(", ")", "'", "\"", "\n", "$", "%", "§",
];

/// Every pack in `data/lang/`: its code, and every string it holds.
fn packs() -> &'static [(String, Vec<String>)] {
    static PACKS: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    PACKS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/lang");
        let mut packs: Vec<(String, Vec<String>)> = std::fs::read_dir(&dir)
            .expect("data/lang")
            .map(|entry| entry.expect("pack file").path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .map(|path| {
                let code = path.file_stem().unwrap().to_string_lossy().into_owned();
                let source = std::fs::read_to_string(&path).expect("pack");
                let value: toml::Value = toml::from_str(&source).expect("pack is TOML");
                let mut words = Vec::new();
                strings(&value, &mut words);
                (code, words)
            })
            .collect();
        packs.sort();
        assert!(packs.len() >= 2, "packs found in {}", dir.display());
        packs
    })
}

/// The vocabulary shared by every language: authority names and currency signs.
fn shared_words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let mut words = Vec::new();
        for file in ["authorities.toml", "currencies.toml"] {
            let source = std::fs::read_to_string(data.join(file)).expect("data file");
            strings(&toml::from_str(&source).expect("TOML"), &mut words);
        }
        words
    })
}

fn strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) if !s.is_empty() && s.len() < 60 => out.push(s.clone()),
        toml::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        toml::Value::Table(table) => table.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// One piece of text: a word of the pack, a number, or punctuation.
fn piece(words: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(words),
        2 => select(shared_words().to_vec()),
        3 => (1800u32..2100).prop_map(|y| y.to_string()),
        2 => (0u32..40).prop_map(|d| d.to_string()),
        1 => (1u32..999, 0u32..1000).prop_map(|(a, b)| format!("{a} {b:03}")),
        1 => (1u32..99, 0u32..100).prop_map(|(a, b)| format!("{a},{b}")),
        4 => select(MULTI_BYTE).prop_map(str::to_string),
        3 => select(ASCII_GLUE).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ]
}

/// A text for one pack, with the pack's index.
fn text() -> impl Strategy<Value = (usize, String)> {
    (0..packs().len()).prop_flat_map(|i| {
        let words = packs()[i].1.clone();
        (
            Just(i),
            prop::collection::vec(piece(words), 0..48).prop_map(|pieces| pieces.concat()),
        )
    })
}

fn check(code: &str, text: &str, published: Option<PartialDate>) -> Result<(), TestCaseError> {
    for fact in extract(text, &Context { lang: code, published }) {
        let mention: String = text.chars().skip(fact.start).take(fact.end - fact.start).collect();
        prop_assert_eq!(&mention, &fact.text, "offsets of a fact in {:?} ({})", text, code);
        prop_assert!(
            fact.sentence.contains(&fact.text),
            "sentence of {:?} in {:?}",
            fact.text,
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn facts_cut_out_their_text_in_every_pack((pack, text) in text(), day in 1u8..29) {
        let code = &packs()[pack].0;
        check(code, &text, None)?;
        check(code, &text, PartialDate::day(2023, 5, day))?;
    }
}

/// The rows that broke real pages, kept as plain cases.
#[test]
fn year_ranges_with_multi_byte_dashes() {
    for (code, _) in packs() {
        for text in [
            "1957–1959 Erster Bauabschnitt",
            "1957—1959",
            "1957–",
            "–1957",
            "2016–18",
            "1957‑1959",
        ] {
            check(code, text, None).unwrap();
            check(code, text, PartialDate::day(2023, 5, 10)).unwrap();
        }
    }
}
