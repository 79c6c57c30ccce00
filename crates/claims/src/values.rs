//! How two values compare: the scorer's rules (`shared/spec/facts.md`,
//! Scoring), plus the compatibility of a date known to the month or year
//! with a day in it.

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

/// Lower case without accents or repeated spaces: names compare folded,
/// as the scorer compares authorities.
pub(crate) fn fold(text: &str) -> String {
    let lowered: String = text
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The same value as the scorer counts it.
pub(crate) fn same(kind: &str, a: &Value, b: &Value) -> bool {
    match kind {
        "amount" => same_amount(a, b),
        "gdpr_article" => article(a).is_some() && article(a) == article(b),
        "authority" => match (name(a), name(b)) {
            (Some(x), Some(y)) => fold(x) == fold(y),
            _ => false,
        },
        _ => a == b,
    }
}

/// Not a disagreement: the same value, or a date at a coarser precision
/// that contains the other (`2022-10` and `2022-10-17`).
pub(crate) fn compatible(kind: &str, a: &Value, b: &Value) -> bool {
    if kind == "date" {
        if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
            return contains_date(x, y) || contains_date(y, x);
        }
    }
    same(kind, a, b)
}

/// `outer` is `inner` or a coarser date containing it: its prefix ending
/// where a date field ends.
fn contains_date(outer: &str, inner: &str) -> bool {
    inner.starts_with(outer) && (inner.len() == outer.len() || inner[outer.len()..].starts_with('-'))
}

fn same_amount(a: &Value, b: &Value) -> bool {
    let (Some(x), Some(y)) = (a["amount"].as_f64(), b["amount"].as_f64()) else {
        return false;
    };
    a["currency"] == b["currency"] && a.get("per") == b.get("per") && (x - y).abs() <= 0.005 * x.abs().max(y.abs())
}

pub(crate) fn article(value: &Value) -> Option<u64> {
    value["article"].as_u64()
}

pub(crate) fn name(value: &Value) -> Option<&str> {
    value["name"].as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_are_the_same_when_their_iso_strings_are_equal() {
        assert!(same("date", &json!("2022-10-20"), &json!("2022-10-20")));
        assert!(!same("date", &json!("2022-10-20"), &json!("2022-10-17")));
    }

    #[test]
    fn a_month_is_compatible_with_its_days_but_not_with_other_months() {
        assert!(compatible("date", &json!("2022-10"), &json!("2022-10-17")));
        assert!(compatible("date", &json!("2022-10-20"), &json!("2022")));
        assert!(!compatible("date", &json!("2022-1"), &json!("2022-10-17")));
        assert!(!compatible("date", &json!("2022-11"), &json!("2022-10-17")));
        assert!(!compatible("date", &json!("2022-10-17"), &json!("2022-10-20")));
    }

    #[test]
    fn amounts_match_within_half_a_percent_in_one_currency_and_period() {
        let fine = json!({"amount": 20000000, "currency": "EUR"});
        assert!(same("amount", &fine, &json!({"amount": 20050000.0, "currency": "EUR"})));
        assert!(!same("amount", &fine, &json!({"amount": 20200000, "currency": "EUR"})));
        assert!(!same("amount", &fine, &json!({"amount": 20000000, "currency": "USD"})));
        assert!(!same(
            "amount",
            &fine,
            &json!({"amount": 20000000, "currency": "EUR", "per": "day"})
        ));
    }

    #[test]
    fn gdpr_articles_compare_by_number_and_authorities_by_folded_name() {
        assert!(same(
            "gdpr_article",
            &json!({"article": 5, "paragraph": 1}),
            &json!({"article": 5})
        ));
        assert!(same("authority", &json!({"name": "Cnil"}), &json!({"name": "CNIL"})));
        assert!(!same("authority", &json!({"name": "CNIL"}), &json!({"name": "ICO"})));
    }

    #[test]
    fn folding_drops_case_accents_and_extra_spaces() {
        assert_eq!(fold("  Clearview   AI "), "clearview ai");
        assert_eq!(fold("Société Générale"), "societe generale");
    }
}
