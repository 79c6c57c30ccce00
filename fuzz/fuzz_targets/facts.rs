//! Fact extraction on any text, in every language pack, with and without a
//! publication date: offsets must point at the mention.
#![no_main]

use glaneur_facts::{extract, lang, Context, PartialDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let codes: Vec<&str> = lang::supported().collect();
    let lang = codes[usize::from(selector >> 1) % codes.len()];
    let published = (selector & 1 == 0).then(|| PartialDate::day(2022, 1 + selector % 12, 1 + selector % 28)).flatten();
    for fact in extract(&text, &Context { lang, published }) {
        let mention: String = text.chars().skip(fact.start).take(fact.end - fact.start).collect();
        assert_eq!(mention, fact.text);
    }
});
