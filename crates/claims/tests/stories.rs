//! Stories and slots on hand-built documents: what a fact-checker must see.

use glaneur_claims::{stories, DocFact, Document, Slot, Status, Story};
use serde_json::{json, Value};

fn doc(id: &str, title: &str, published: Option<&str>, lead: &str) -> Document {
    Document {
        id: id.into(),
        title: Some(title.into()),
        site: Some(format!("{id}.example")),
        url: None,
        published: published.map(Into::into),
        lang: Some("fr".into()),
        lead: lead.into(),
        facts: Vec::new(),
    }
}

/// A fact with its role, issuer and subject; the mention is its text.
fn fact(
    kind: &str,
    role: Option<&str>,
    issuer: Option<&str>,
    subject: Option<&str>,
    value: Value,
    text: &str,
) -> DocFact {
    DocFact {
        kind: kind.into(),
        role: role.map(Into::into),
        issuer: issuer.map(Into::into),
        subject: subject.map(Into::into),
        value,
        text: text.into(),
        start: 0,
        end: text.chars().count(),
        sentence: format!("… {text} …"),
    }
}

fn eur(amount: u64) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

fn cnil() -> DocFact {
    fact(
        "authority",
        Some("issuer"),
        None,
        None,
        json!({"name": "CNIL", "country": "FR"}),
        "Cnil",
    )
}

fn find<'a>(story: &'a Story, kind: &str, role: &str, issuer: Option<&str>) -> &'a Slot {
    story
        .slots
        .iter()
        .find(|s| s.kind == kind && s.role == role && s.issuer.as_deref() == issuer)
        .unwrap_or_else(|| panic!("no slot {kind} · {role} · {issuer:?} in {:#?}", story.slots))
}

/// Each value of a slot with the documents that state it.
fn values(slot: &Slot) -> Vec<(Value, Vec<String>)> {
    slot.values
        .iter()
        .map(|v| {
            let mut docs: Vec<String> = v.docs.iter().map(|e| e.doc.clone()).collect();
            docs.dedup();
            (v.value.clone(), docs)
        })
        .collect()
}

fn ids(docs: &[&str]) -> Vec<String> {
    docs.iter().map(|d| d.to_string()).collect()
}

/// The five seed articles as the roles read them (`claims.md`, the seeds).
fn seeds() -> Vec<Document> {
    let (cnil_, clearview) = (Some("CNIL"), Some("Clearview AI"));
    let breached = |n: u64| {
        fact(
            "gdpr_article",
            Some("breached"),
            None,
            None,
            json!({"article": n}),
            &format!("article {n}"),
        )
    };
    let mut d000 = doc(
        "000",
        "abusesaffiliationarrow-down Clearview AI",
        Some("2022-01-03"),
        "Clearview AI : la CNIL met en demeure la société.",
    );
    d000.facts = vec![
        cnil(),
        fact(
            "date",
            Some("formal_notice"),
            cnil_,
            clearview,
            json!("2021-12-16"),
            "Jeudi 16 décembre",
        ),
        breached(12),
        breached(15),
        breached(17),
    ];
    let mut d001 = doc(
        "001",
        "La Cnil a infligé l’amende maximale à Clearview AI",
        Some("2022-10"),
        "20 millions d’euros : l’amende ne pouvait pas être plus lourde pour Clearview AI.",
    );
    d001.facts = vec![
        cnil(),
        fact(
            "amount",
            Some("fine"),
            cnil_,
            clearview,
            eur(20_000_000),
            "20 millions d’euros",
        ),
        fact("date", Some("decision"), cnil_, None, json!("2022-10-17"), "17 octobre"),
        fact(
            "amount",
            Some("periodic_penalty"),
            cnil_,
            None,
            json!({"amount": 100000, "currency": "EUR", "per": "day"}),
            "100 000 € par jour",
        ),
    ];
    let mut d002 = doc(
        "002",
        "La CNIL inflige une nouvelle amende à Clearview AI pour non-conformité au RGPD",
        None,
        "La société américaine Clearview AI fait face à une nouvelle amende.",
    );
    d002.facts = vec![
        cnil(),
        fact(
            "date",
            Some("publication"),
            None,
            None,
            json!("2025-11-07"),
            "vendredi, novembre 7, 2025",
        ),
        fact(
            "amount",
            Some("fine"),
            cnil_,
            clearview,
            eur(20_000_000),
            "20 millions d’euros",
        ),
        fact(
            "date",
            Some("decision"),
            cnil_,
            clearview,
            json!("2022-10"),
            "octobre 2022",
        ),
        fact(
            "amount",
            Some("periodic_penalty"),
            cnil_,
            clearview,
            json!({"amount": 100000, "currency": "EUR", "per": "day"}),
            "100 000 euros par jour",
        ),
        fact(
            "amount",
            Some("penalty_payment"),
            cnil_,
            clearview,
            eur(5_200_000),
            "5,2 millions d’euros",
        ),
    ];
    let mut d003 = doc("003", "Reconnaissance faciale : Clearview IA condamnée à 20 millions d’euros par la Cnil", Some("2022-10-20"), "La Cnil a prononcé le 20 octobre 2022 une sanction de 20 M€ à l’encontre de la société américaine Clearview AI.");
    d003.facts = vec![
        cnil(),
        fact(
            "date",
            Some("decision"),
            cnil_,
            clearview,
            json!("2022-10-20"),
            "20 octobre 2022",
        ),
        fact("amount", Some("fine"), cnil_, clearview, eur(20_000_000), "20 M€"),
        fact(
            "amount",
            Some("periodic_penalty"),
            cnil_,
            None,
            json!({"amount": 100000, "currency": "EUR", "per": "day"}),
            "100 000 euros par jour",
        ),
        fact(
            "date",
            Some("formal_notice"),
            cnil_,
            None,
            json!("2021-11-26"),
            "26 novembre 2021",
        ),
        breached(6),
        breached(12),
        breached(15),
        breached(17),
        fact("amount", Some("fine"), Some("ICO"), None, eur(8_500_000), "8,5 M€"),
        fact("amount", Some("fine"), Some("Garante"), None, eur(20_000_000), "20 M€"),
        fact("amount", Some("fine"), Some("HDPA"), None, eur(20_000_000), "20 M€"),
    ];
    let mut d004 = doc(
        "004",
        "Clearview AI condamnée à une nouvelle amende en France",
        None,
        "Clearview AI, une startup américaine, a été condamnée à une nouvelle amende en France.",
    );
    d004.facts = vec![
        cnil(),
        fact(
            "amount",
            Some("fine"),
            cnil_,
            clearview,
            eur(5_200_000),
            "5,2 millions d'euros",
        ),
        fact(
            "amount",
            Some("fine"),
            cnil_,
            clearview,
            eur(20_000_000),
            "20 millions d'euros",
        ),
    ];
    vec![d000, d001, d002, d003, d004]
}

#[test]
fn the_seeds_are_one_story_with_nothing_else() {
    let stories = stories(&seeds());
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].docs, ids(&["000", "001", "002", "003", "004"]));
    assert_eq!(stories[0].sources.len(), 5);
    assert_eq!(stories[0].sources[3].published.as_deref(), Some("2022-10-20"));
}

#[test]
fn the_seeds_disagree_on_the_decision_day_and_a_month_is_compatible_with_both() {
    let story = &stories(&seeds())[0];
    let decision = find(story, "date", "decision", Some("CNIL"));
    assert_eq!(decision.subject.as_deref(), Some("Clearview AI"));
    assert_eq!(decision.status, Status::Disputed);
    let mut found = values(decision);
    found.sort_by_key(|(v, _)| v.to_string());
    assert_eq!(
        found,
        vec![
            (json!("2022-10"), ids(&["002"])),
            (json!("2022-10-17"), ids(&["001"])),
            (json!("2022-10-20"), ids(&["003"])),
        ]
    );
}

#[test]
fn the_seeds_agree_on_the_fine_though_one_source_also_states_another() {
    let story = &stories(&seeds())[0];
    let fine = find(story, "amount", "fine", Some("CNIL"));
    assert_eq!(fine.subject.as_deref(), Some("Clearview AI"));
    assert_eq!(fine.status, Status::Agreed);
    assert_eq!(values(fine)[0], (eur(20_000_000), ids(&["001", "002", "003", "004"])));
    assert_eq!(values(fine)[1], (eur(5_200_000), ids(&["004"])));
}

#[test]
fn the_seeds_agree_on_the_periodic_penalty_and_show_the_liquidated_sum_apart() {
    let story = &stories(&seeds())[0];
    let penalty = find(story, "amount", "periodic_penalty", Some("CNIL"));
    assert_eq!(penalty.status, Status::Agreed);
    let per_day = json!({"amount": 100000, "currency": "EUR", "per": "day"});
    assert_eq!(values(penalty), vec![(per_day, ids(&["001", "002", "003"]))]);
    let liquidated = find(story, "amount", "penalty_payment", Some("CNIL"));
    assert_eq!(
        (liquidated.status, values(liquidated)),
        (Status::Single, vec![(eur(5_200_000), ids(&["002"]))])
    );
}

#[test]
fn the_seeds_disagree_on_the_formal_notice_and_on_the_breached_articles() {
    let story = &stories(&seeds())[0];
    let notice = find(story, "date", "formal_notice", Some("CNIL"));
    assert_eq!(notice.status, Status::Disputed);
    assert_eq!(notice.values.len(), 2);
    let breached = find(story, "gdpr_article", "breached", None);
    assert_eq!(breached.status, Status::Disputed);
    let articles = |ns: &[u64]| json!(ns.iter().map(|n| json!({"article": n})).collect::<Vec<_>>());
    let mut found = values(breached);
    found.sort_by_key(|(_, docs)| docs.clone());
    assert_eq!(
        found,
        vec![
            (articles(&[12, 15, 17]), ids(&["000"])),
            (articles(&[6, 12, 15, 17]), ids(&["003"]))
        ]
    );
    assert_eq!(breached.values.iter().map(|v| v.docs.len()).sum::<usize>(), 7);
}

#[test]
fn fines_by_other_issuers_are_single_slots_of_their_own() {
    let story = &stories(&seeds())[0];
    for (issuer, amount) in [("ICO", 8_500_000), ("Garante", 20_000_000), ("HDPA", 20_000_000)] {
        let fine = find(story, "amount", "fine", Some(issuer));
        assert_eq!(
            (fine.status, values(fine)),
            (Status::Single, vec![(eur(amount), ids(&["003"]))])
        );
    }
}

#[test]
fn disputed_slots_come_first() {
    let story = &stories(&seeds())[0];
    let statuses: Vec<Status> = story.slots.iter().map(|s| s.status).collect();
    let mut sorted = statuses.clone();
    sorted.sort();
    assert_eq!(statuses, sorted);
    assert_eq!(statuses[0], Status::Disputed);
}

#[test]
fn facts_without_a_role_and_datelines_make_no_slot() {
    let story = &stories(&seeds())[0];
    assert!(story.slots.iter().all(|s| s.role != "publication"));
    let mut unroled = doc("x", "Un article", None, "");
    unroled.facts = vec![fact("date", None, None, None, json!("2022-10-20"), "20 octobre 2022")];
    assert!(stories(&[unroled])[0].slots.is_empty());
}

#[test]
fn a_fact_that_could_belong_to_two_slots_stays_apart() {
    let mut d = doc("x", "Trois amendes", None, "");
    d.facts = vec![
        fact("amount", Some("fine"), Some("CNIL"), Some("A"), eur(1_000_000), "1 M€"),
        fact("amount", Some("fine"), Some("CNIL"), Some("B"), eur(2_000_000), "2 M€"),
        fact("amount", Some("fine"), Some("CNIL"), None, eur(3_000_000), "3 M€"),
    ];
    let story = &stories(&[d])[0];
    assert_eq!(story.slots.len(), 3);
    assert!(story
        .slots
        .iter()
        .any(|s| s.subject.is_none() && values(s) == vec![(eur(3_000_000), ids(&["x"]))]));
}

#[test]
fn a_fact_without_issuer_joins_the_slot_its_own_document_fills() {
    // One title of a few words: copies, so one story.
    let title = "La CNIL et l’ICO infligent deux amendes";
    let mut d = doc("x", title, None, "");
    d.facts = vec![
        fact("amount", Some("fine"), Some("CNIL"), Some("A"), eur(1_000_000), "1 M€"),
        fact("amount", Some("fine"), None, None, eur(1_000_000), "un million"),
    ];
    let mut other = doc("y", title, None, "");
    other.facts = vec![fact(
        "amount",
        Some("fine"),
        Some("ICO"),
        Some("B"),
        eur(2_000_000),
        "2 M€",
    )];
    let story = &stories(&[d, other])[0];
    assert_eq!(story.slots.len(), 2, "{:#?}", story.slots);
    let cnil = find(story, "amount", "fine", Some("CNIL"));
    assert_eq!(cnil.values[0].docs.len(), 2);
}

#[test]
fn a_fact_without_issuer_joins_the_slot_most_sources_fill_when_its_document_fills_several() {
    let mut story_docs = Vec::new();
    for id in ["a", "b", "c"] {
        let mut d = doc(id, "Amende", None, "");
        d.facts = vec![fact(
            "amount",
            Some("fine"),
            Some("CNIL"),
            Some("Acme"),
            eur(20_000_000),
            "20 M€",
        )];
        story_docs.push(d);
    }
    story_docs[2].facts.extend([
        fact(
            "amount",
            Some("fine"),
            Some("ICO"),
            Some("Acme"),
            eur(8_500_000),
            "8,5 M€",
        ),
        fact("amount", Some("fine"), None, None, eur(20_000_000), "soit 20 M€"),
    ]);
    let story = &stories(&story_docs)[0];
    let cnil = find(story, "amount", "fine", Some("CNIL"));
    assert_eq!(cnil.values[0].docs.len(), 4);
    assert_eq!(story.slots.len(), 2);
}

#[test]
fn subjects_written_two_ways_are_one_when_their_first_word_is() {
    let mut a = doc("a", "Amende", None, "");
    a.facts = vec![fact(
        "amount",
        Some("fine"),
        Some("CNIL"),
        Some("Clearview AI"),
        eur(20_000_000),
        "20 M€",
    )];
    let mut b = doc("b", "Amende", None, "");
    b.facts = vec![fact(
        "amount",
        Some("fine"),
        Some("CNIL"),
        Some("Clearview IA"),
        eur(20_000_000),
        "20 M€",
    )];
    let mut c = doc("c", "Amende", None, "");
    c.facts = vec![fact(
        "amount",
        Some("fine"),
        Some("CNIL"),
        Some("Clearview AI"),
        eur(20_000_000),
        "20 M€",
    )];
    let story = &stories(&[a, b, c])[0];
    assert_eq!(story.slots.len(), 1);
    assert_eq!(story.slots[0].subject.as_deref(), Some("Clearview AI"));
    assert_eq!(story.slots[0].status, Status::Agreed);
}

#[test]
fn passing_mentions_make_no_slot() {
    let mut a = doc("a", "Un article", None, "");
    a.facts = vec![
        fact(
            "gdpr_article",
            Some("cited"),
            None,
            None,
            json!({"article": 5}),
            "article 5",
        ),
        fact(
            "authority",
            Some("other"),
            None,
            None,
            json!({"name": "EDPB", "country": "EU"}),
            "EDPB",
        ),
    ];
    assert!(stories(&[a])[0].slots.is_empty());
}

#[test]
fn syndicated_copies_are_one_story() {
    let wire = "Le parquet de Paris ouvre une enquête sur la fuite de données de l’opérateur";
    let copies: Vec<Document> = (0..30)
        .map(|n| doc(&format!("copy{n}"), wire, Some("2024-03-01"), ""))
        .collect();
    let stories = stories(&copies);
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].docs.len(), 30);
}

#[test]
fn a_copy_under_another_title_is_found_by_its_opening() {
    let opening = "Le fournisseur d’accès Freebox a annoncé jeudi qu’un pirate avait dérobé les données de dix-neuf millions d’abonnés, dont leurs coordonnées bancaires, lors d’une intrusion détectée la semaine dernière par ses équipes techniques à Paris. L’opérateur dit avoir prévenu la CNIL et porté plainte, et promet d’écrire à chacun des clients concernés.";
    let a = doc(
        "a",
        "Fuite de données massive chez Freebox",
        Some("2024-10-24"),
        opening,
    );
    let b = doc(
        "b",
        "Freebox : les données de 19 millions d’abonnés volées",
        Some("2024-10-25"),
        opening,
    );
    assert_eq!(stories(&[a, b]).len(), 1);
}

#[test]
fn two_fines_by_one_authority_on_different_companies_stay_apart() {
    let mut a = doc(
        "a",
        "La CNIL inflige une amende de 1 million d’euros à Alphadata",
        Some("2024-05-02"),
        "La Cnil sanctionne Alphadata pour des manquements au RGPD.",
    );
    a.facts = vec![
        cnil(),
        fact(
            "amount",
            Some("fine"),
            Some("CNIL"),
            Some("Alphadata"),
            eur(1_000_000),
            "1 million d’euros",
        ),
        fact(
            "date",
            Some("decision"),
            Some("CNIL"),
            None,
            json!("2024-04-30"),
            "30 avril",
        ),
        fact(
            "gdpr_article",
            Some("breached"),
            None,
            None,
            json!({"article": 5}),
            "article 5",
        ),
    ];
    let mut b = doc(
        "b",
        "La CNIL inflige une amende de 1 million d’euros à Betamail",
        Some("2024-05-03"),
        "La Cnil sanctionne Betamail pour des manquements au RGPD.",
    );
    b.facts = vec![
        cnil(),
        fact(
            "amount",
            Some("fine"),
            Some("CNIL"),
            Some("Betamail"),
            eur(1_000_000),
            "1 million d’euros",
        ),
        fact(
            "date",
            Some("decision"),
            Some("CNIL"),
            None,
            json!("2024-04-30"),
            "30 avril",
        ),
        fact(
            "gdpr_article",
            Some("breached"),
            None,
            None,
            json!({"article": 5}),
            "article 5",
        ),
    ];
    assert_eq!(stories(&[a, b]).len(), 2);
}

#[test]
fn two_articles_on_one_topic_the_same_day_stay_apart() {
    let a = doc("a", "Gaza : une frappe israélienne touche une école", Some("2024-07-10"), "Une frappe de l’armée israélienne a touché mercredi une école de Gaza où s’abritaient des déplacés, selon la Défense civile.");
    let b = doc("b", "Gaza : reprise des négociations au Caire", Some("2024-07-10"), "Les négociations entre Israël et le Hamas reprennent au Caire sous l’égide de l’Égypte et du Qatar, à propos de Gaza.");
    assert_eq!(stories(&[a, b]).len(), 2);
}

#[test]
fn two_reports_under_the_same_headline_in_other_words_are_one_story() {
    let a = doc(
        "a",
        "Chinese hunter catches bubonic plague after eating wild rabbit",
        Some("2019-11-18"),
        "",
    );
    let b = doc(
        "b",
        "Hunter in Beijing diagnosed with bubonic plague after eating a rabbit | Example News",
        Some("2019-11-18"),
        "",
    );
    assert_eq!(stories(&[a, b]).len(), 1);
}

#[test]
fn shopping_guides_sharing_prices_stay_apart() {
    let price = |n: u64| {
        fact(
            "amount",
            Some("price"),
            None,
            None,
            json!({"amount": n, "currency": "USD"}),
            "$",
        )
    };
    let mut a = doc(
        "a",
        "The best early deals on Acme laptops",
        Some("2019-11-18"),
        "Acme Book and Acme Pods are cheaper on Shopland.",
    );
    a.facts = vec![price(199), price(999)];
    let mut b = doc(
        "b",
        "Gift guide: what to buy a gadget lover",
        Some("2019-11-18"),
        "Acme Pods and Zeta Phones top the list on Shopland.",
    );
    b.facts = vec![price(199), price(999)];
    assert_eq!(stories(&[a, b]).len(), 2);
}

#[test]
fn one_event_reported_in_two_languages_is_one_story() {
    let mut fr = doc(
        "fr",
        "Meta condamnée à 1,2 milliard d’euros",
        Some("2023-05-22"),
        "La Data Protection Commission irlandaise a infligé lundi à Meta une amende record.",
    );
    fr.facts = vec![fact(
        "amount",
        Some("fine"),
        Some("DPC"),
        None,
        eur(1_200_000_000),
        "1,2 milliard d’euros",
    )];
    let mut en = doc(
        "en",
        "Meta fined record €1.2bn over data transfers",
        Some("2023-05-22"),
        "Ireland's Data Protection Commission fined Meta on Monday.",
    );
    en.facts = vec![fact(
        "amount",
        Some("fine"),
        Some("DPC"),
        None,
        eur(1_200_000_000),
        "€1.2bn",
    )];
    let stories = stories(&[fr, en]);
    assert_eq!(stories.len(), 1);
    assert_eq!(find(&stories[0], "amount", "fine", Some("DPC")).status, Status::Agreed);
}

#[test]
fn a_key_shared_by_hundreds_of_documents_joins_none_of_them() {
    let docs: Vec<Document> = (0..300)
        .map(|n| {
            let mut d = doc(
                &format!("d{n}"),
                &format!("Sanction numéro {n}"),
                Some("2024-01-01"),
                "",
            );
            d.facts = vec![
                cnil(),
                fact(
                    "amount",
                    Some("fine"),
                    Some("CNIL"),
                    Some("Acme"),
                    eur(10_000),
                    "10 000 €",
                ),
            ];
            d
        })
        .collect();
    assert_eq!(stories(&docs).len(), 300);
}

#[test]
fn every_document_is_in_exactly_one_story() {
    let mut docs = seeds();
    docs.push(doc("lone", "Un tout autre sujet", Some("2022-10-20"), "Rien à voir."));
    let stories = stories(&docs);
    let mut all: Vec<String> = stories.iter().flat_map(|s| s.docs.clone()).collect();
    all.sort();
    assert_eq!(all, ids(&["000", "001", "002", "003", "004", "lone"]));
    assert_eq!(stories.iter().map(|s| s.story).collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn the_json_form_is_the_specs() {
    let story = &stories(&seeds())[0];
    let json = serde_json::to_value(story).unwrap();
    assert_eq!(json["story"], 1);
    assert_eq!(json["slots"][0]["status"], "disputed");
    let evidence = &json["slots"][0]["values"][0]["docs"][0];
    for field in ["doc", "text", "start", "end", "sentence"] {
        assert!(evidence.get(field).is_some(), "{field} in {evidence}");
    }
}
