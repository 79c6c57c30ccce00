//! The language of a text, by `whatlang` among the languages of European
//! news, with the page's declared language as a hint.

use whatlang::{Detector, Lang};

/// Languages told apart, with their ISO 639-1 codes.
const LANGUAGES: &[(Lang, &str)] = &[
    (Lang::Fra, "fr"),
    (Lang::Eng, "en"),
    (Lang::Deu, "de"),
    (Lang::Spa, "es"),
    (Lang::Ita, "it"),
    (Lang::Por, "pt"),
    (Lang::Nld, "nl"),
    (Lang::Pol, "pl"),
    (Lang::Swe, "sv"),
    (Lang::Dan, "da"),
    (Lang::Fin, "fi"),
    (Lang::Ces, "cs"),
    (Lang::Ron, "ro"),
    (Lang::Hun, "hu"),
    (Lang::Ell, "el"),
    (Lang::Bul, "bg"),
    (Lang::Hrv, "hr"),
    (Lang::Slk, "sk"),
    (Lang::Slv, "sl"),
    (Lang::Est, "et"),
    (Lang::Lit, "lt"),
    (Lang::Lav, "lv"),
    (Lang::Rus, "ru"),
    (Lang::Ukr, "uk"),
    (Lang::Tur, "tr"),
];

/// Characters read to tell the language.
const DETECTION_SAMPLE_CHARS: usize = 2000;
/// Characters read first: when they tell, without doubt, the language the
/// page declares, the rest of the sample is not read (four pages in five
/// of the article-extraction set).
const CONFIRMATION_SAMPLE_CHARS: usize = 1000;

/// The ISO 639-1 code of the text's language. A declared language (`<html
/// lang="fr-FR">`) is trusted when detection is unsure, and taken as soon
/// as the opening of the text confirms it.
pub fn detect(text: &str, declared: Option<&str>) -> Option<String> {
    let declared = declared
        .and_then(|d| d.split(['-', '_']).next())
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| d.len() == 2);
    let detector = Detector::with_allowlist(LANGUAGES.iter().map(|(l, _)| *l).collect());
    // The start of the text decides: a few paragraphs are as reliable as
    // a whole page.
    let sample = |chars: usize| text.char_indices().nth(chars).map_or(text, |(end, _)| &text[..end]);
    let detected = |sample: &str| {
        detector.detect(sample).and_then(|i| {
            LANGUAGES
                .iter()
                .find(|(l, _)| *l == i.lang())
                .map(|(_, c)| (c.to_string(), i.is_reliable()))
        })
    };
    let found = match &declared {
        Some(declared) => {
            let opening = sample(CONFIRMATION_SAMPLE_CHARS);
            let first = detected(opening);
            if first
                .as_ref()
                .is_some_and(|(code, reliable)| *reliable && code == declared)
            {
                return Some(declared.clone());
            }
            let whole = sample(DETECTION_SAMPLE_CHARS);
            if whole.len() > opening.len() {
                detected(whole)
            } else {
                first
            }
        }
        None => detected(sample(DETECTION_SAMPLE_CHARS)),
    };
    match (found, declared) {
        (Some((code, true)), _) => Some(code),
        (_, Some(declared)) => Some(declared),
        (Some((code, false)), None) => Some(code),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn languages() {
        for (text, declared, expected) in [
            (
                "La Commission nationale de l'informatique et des libertés a infligé une amende à la société.",
                None,
                Some("fr"),
            ),
            (
                "The regulator fined the company for breaching the data protection rules in several countries.",
                None,
                Some("en"),
            ),
            ("ok", Some("fr-FR"), Some("fr")),
            ("", None, None),
        ] {
            assert_eq!(detect(text, declared).as_deref(), expected, "{text}");
        }
    }

    /// The page's declared language stands when its opening confirms it,
    /// and gives way when the text, read further, is surely another.
    #[test]
    fn a_declared_language_is_confirmed_or_overruled_by_the_text() {
        let french = "La Commission nationale de l'informatique et des libertés a infligé une amende à la société. ";
        let english = "The regulator fined the company for breaching the data protection rules in several countries. ";
        assert_eq!(detect(&french.repeat(30), Some("fr")).as_deref(), Some("fr"));
        assert_eq!(detect(&english.repeat(30), Some("fr")).as_deref(), Some("en"));
    }

    /// Every language with furniture words is detected under their code.
    #[test]
    fn languages_with_furniture_words() {
        for (text, expected) in [
            (
                "Die Datenschutzbehörde verhängte gegen das Unternehmen ein Bußgeld wegen mehrerer Verstöße gegen die Verordnung.",
                "de",
            ),
            (
                "La autoridad de protección de datos impuso una multa a la empresa por varias infracciones del reglamento.",
                "es",
            ),
            (
                "L'autorità per la protezione dei dati ha inflitto una sanzione alla società per diverse violazioni del regolamento.",
                "it",
            ),
            (
                "A autoridade de proteção de dados aplicou uma coima à empresa por várias infrações ao regulamento europeu.",
                "pt",
            ),
            (
                "De toezichthouder heeft het bedrijf een boete opgelegd wegens meerdere overtredingen van de privacywet.",
                "nl",
            ),
        ] {
            assert_eq!(detect(text, None).as_deref(), Some(expected), "{text}");
            assert!(crate::words::of(expected).is_some(), "no furniture words for {expected}");
        }
    }
}
