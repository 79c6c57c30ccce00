//! What the engine does with the packs beyond one corpus row: sentences
//! around dotted ordinals, and metadata dates read in any language.

use glaneur_facts::{extract, first_date, Context, PartialDate};

/// `am 20. Oktober`: where the day's ordinal is a dot, the dot and the
/// capitalised month after it do not end the sentence the fact stands in.
#[test]
fn german_day_dots_end_no_sentence() {
    let text = "Die Behörde hat am 20. Oktober 2022 entschieden. Danach folgte die Berufung.";
    let facts = extract(
        text,
        &Context {
            lang: "de",
            published: None,
        },
    );
    assert_eq!(facts.len(), 1);
    assert_eq!(&*facts[0].sentence, "Die Behörde hat am 20. Oktober 2022 entschieden.");
}

/// A metadata value is read in the page's language, and in any other pack
/// when that gives a more precise date.
#[test]
fn metadata_dates_are_read_in_any_pack() {
    for (value, lang, expected) in [
        ("Thu, 20 Oct 2022 08:00:00 GMT", "en", PartialDate::day(2022, 10, 20)),
        ("20. Oktober 2022", "en", PartialDate::day(2022, 10, 20)),
        ("martes, 20 de octubre de 2020", "en", PartialDate::day(2020, 10, 20)),
        ("20 ottobre 2022, 08:00", "fr", PartialDate::day(2022, 10, 20)),
        ("2022", "en", Some(PartialDate::year(2022))),
        ("no date here", "de", None),
    ] {
        assert_eq!(first_date(value, lang), expected, "{value}");
    }
}

/// Every pack's words make rules that compile: a pack with a broken
/// pattern fails here, not on the first page in its language.
#[test]
fn every_pack_compiles_its_rules() {
    for lang in glaneur_facts::lang::supported() {
        let facts = extract("2022-10-20", &Context { lang, published: None });
        assert_eq!(facts.len(), 1, "{lang}");
    }
}

/// The dateline is the page's own date: a labelled date or a date alone
/// on one of the first lines, never a date inside the story's prose.
#[test]
fn the_dateline_is_a_first_line_of_its_own() {
    let day = PartialDate::day(2017, 9, 8);
    assert_eq!(
        glaneur_facts::dateline("Titre\nPublié le 08/09/2017 à 10h\nTexte.", "fr"),
        day
    );
    assert_eq!(glaneur_facts::dateline("Headline\n8 September 2017\nText.", "en"), day);
    assert_eq!(
        glaneur_facts::dateline("Headline\nThe fine came on 8 September 2017 after a year.", "en"),
        None
    );
    let deep = format!("{}8 September 2017\n", "A line of prose.\n".repeat(20));
    assert_eq!(glaneur_facts::dateline(&deep, "en"), None);
}

/// A shared currency form that nothing in the text settles is the currency
/// of the text's language where it has one, even in a language without a
/// pack: `kr.` is the Danish crown in Danish, the Swedish one elsewhere.
#[test]
fn a_shared_currency_form_is_read_in_the_language_of_the_text() {
    let currency = |text: &str, lang: &str| -> Vec<String> {
        extract(text, &Context { lang, published: None })
            .into_iter()
            .filter_map(|f| match f.value {
                glaneur_facts::Value::Amount(a) => Some(a.currency),
                _ => None,
            })
            .collect()
    };
    assert_eq!(currency("Første måned for kun 49 kr.", "da"), ["DKK"]);
    assert_eq!(currency("Första månaden för bara 49 kr.", "sv"), ["SEK"]);
    assert_eq!(currency("The first month costs 49 kr.", "en"), ["SEK"]);
}
