//! Stories at feed scale: 100,000 synthetic documents shaped like
//! `extract` output (wire stories copied by many sites, events rewritten
//! by a few, thousands of articles naming the same authorities), grouped
//! and aligned into slots. Prints the wall time and how the stories match
//! the events the documents were made from.
//!
//! `cargo bench -p glaneur-claims --bench grouping [-- --documents N]
//! [--write-jsonl FILE]`: with `--write-jsonl` it also writes the
//! documents as `glaneur extract` JSONL records, for timing `glaneur
//! claims FILE` end to end.

use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Write};
use std::time::Instant;

use glaneur_claims::{stories, DocFact, Document};
use serde_json::{json, Value};

/// A small deterministic generator (xorshift64*): the same corpus every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indices, as word and authority frequencies are.
    fn skewed(&mut self, n: usize) -> usize {
        let r = self.below(n) as f64 / n as f64;
        ((r * r * r) * n as f64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ven", "tar", "os", "ri", "dax", "ul", "ne", "por", "sil", "bra", "tek", "zu", "fal", "mon",
    "ge", "qui", "rha",
];

fn pseudo_word(random: &mut Random, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SYLLABLES[random.below(SYLLABLES.len())])
        .collect()
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What an event is: who, by whom, how much, when.
struct Event {
    subject: String,
    place: String,
    authority: (&'static str, &'static str),
    amount: u64,
    day: u32,
    articles: Vec<u64>,
}

const AUTHORITIES: &[(&str, &str)] = &[
    ("CNIL", "FR"),
    ("ICO", "GB"),
    ("Garante", "IT"),
    ("AEPD", "ES"),
    ("DPC", "IE"),
    ("BfDI", "DE"),
    ("AP", "NL"),
    ("CNPD", "PT"),
];

fn fact(kind: &str, role: Option<&str>, value: Value, text: &str, sentence: &str) -> DocFact {
    DocFact {
        kind: kind.into(),
        role: role.map(Into::into),
        issuer: None,
        subject: None,
        value,
        text: text.into(),
        start: 0,
        end: text.chars().count(),
        sentence: sentence.into(),
    }
}

fn iso(day: u32) -> String {
    format!("2024-{:02}-{:02}", 1 + (day / 28) % 12, 1 + day % 28)
}

/// One report of `event` by one site; `copy_of` a wire text to reuse.
fn report(
    id: usize,
    event: &Event,
    vocabulary: &[String],
    random: &mut Random,
    copy_of: Option<&Document>,
) -> Document {
    let published = iso(event.day + random.below(3) as u32);
    if let Some(wire) = copy_of {
        let mut copy = wire.clone();
        copy.id = format!("d{id}");
        copy.site = Some(format!("site{}.example", random.below(5000)));
        copy.published = Some(published);
        return copy;
    }
    let mut word = || vocabulary[random.skewed(vocabulary.len())].clone();
    let (authority, country) = event.authority;
    let title = format!("{} {} {} {} {}", word(), event.subject, word(), word(), word());
    let sentence = format!(
        "{} {} {authority} {} {} {} {} {} {} {}.",
        capitalised(&word()),
        word(),
        word(),
        event.subject,
        word(),
        event.amount,
        word(),
        event.place,
        word()
    );
    let lead = format!("{title}\n{sentence} {} {} {}.", capitalised(&word()), word(), word());
    let mut facts = vec![
        fact(
            "authority",
            Some("issuer"),
            json!({"name": authority, "country": country}),
            authority,
            &sentence,
        ),
        fact(
            "amount",
            Some("fine"),
            json!({"amount": event.amount, "currency": "EUR"}),
            "amount",
            &sentence,
        ),
        fact("date", Some("decision"), json!(iso(event.day)), "day", &sentence),
        fact("date", Some("publication"), json!(published), "dateline", ""),
        fact("date", None, json!(format!("{}", 2000 + random.below(24))), "year", ""),
    ];
    for &article in &event.articles {
        facts.push(fact(
            "gdpr_article",
            Some("breached"),
            json!({"article": article}),
            "article",
            &sentence,
        ));
    }
    Document {
        id: format!("d{id}"),
        title: Some(title),
        site: Some(format!("site{}.example", random.below(5000))),
        url: None,
        published: Some(published),
        lang: Some("fr".into()),
        lead,
        facts,
    }
}

/// Documents with the event each reports: a third of events are wire
/// stories copied by up to 40 sites, the others are rewritten by 1 to 4.
fn corpus(count: usize) -> (Vec<Document>, Vec<usize>) {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let vocabulary: Vec<String> = (0..3000).map(|_| pseudo_word(&mut random, 2)).collect();
    let (mut documents, mut events) = (Vec::with_capacity(count), Vec::with_capacity(count));
    let mut event_number = 0;
    while documents.len() < count {
        let event = Event {
            subject: format!(
                "{} {}",
                capitalised(&pseudo_word(&mut random, 3)),
                capitalised(&pseudo_word(&mut random, 3))
            ),
            place: capitalised(&pseudo_word(&mut random, 3)),
            authority: AUTHORITIES[random.skewed(AUTHORITIES.len())],
            amount: [1_000, 10_000, 100_000][random.below(3)] * (1 + random.below(999) as u64),
            day: random.below(330) as u32,
            articles: vec![5, 6, 12, 13, 15, 17, 21, 32][..1 + random.below(4)].to_vec(),
        };
        let wire = random.below(3) == 0;
        let reports = if wire {
            2 + random.below(39)
        } else {
            1 + random.below(4)
        };
        let first = report(documents.len(), &event, &vocabulary, &mut random, None);
        let mut reported = vec![first];
        for _ in 1..reports {
            let copy_of = wire.then(|| &reported[0]);
            let next = report(
                documents.len() + reported.len(),
                &event,
                &vocabulary,
                &mut random,
                copy_of,
            );
            reported.push(next);
        }
        for document in reported.into_iter().take(count - documents.len()) {
            documents.push(document);
            events.push(event_number);
        }
        event_number += 1;
    }
    (documents, events)
}

/// Writes `documents` as the JSONL records of `glaneur extract`.
fn write_jsonl(documents: &[Document], path: &str) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    for d in documents {
        let record = json!({"doc": d.id, "kind": "document", "source": d.id, "lang": d.lang, "title": d.title,
            "published": d.published, "url": d.url, "site_name": d.site, "chars": d.lead.chars().count(), "text": d.lead});
        writeln!(out, "{record}")?;
        for f in &d.facts {
            let record = json!({"doc": d.id, "kind": f.kind, "text": f.text, "start": f.start, "end": f.end,
                "value": f.value, "sentence": f.sentence, "role": f.role, "issuer": f.issuer, "subject": f.subject});
            writeln!(out, "{record}")?;
        }
    }
    out.flush()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let count = option("--documents").and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let (documents, events) = corpus(count);
    if let Some(path) = option("--write-jsonl") {
        write_jsonl(&documents, path).expect("the JSONL file is written");
        println!("wrote {} documents to {path}", documents.len());
    }

    let started = Instant::now();
    let stories = stories(&documents);
    let elapsed = started.elapsed();

    let event_of: HashMap<&str, usize> = documents
        .iter()
        .zip(&events)
        .map(|(d, &e)| (d.id.as_str(), e))
        .collect();
    let merged = stories
        .iter()
        .filter(|s| {
            s.docs
                .iter()
                .map(|d| event_of[d.as_str()])
                .collect::<HashSet<_>>()
                .len()
                > 1
        })
        .count();
    let mut stories_of_event: HashMap<usize, HashSet<usize>> = HashMap::new();
    for story in &stories {
        for doc in &story.docs {
            stories_of_event
                .entry(event_of[doc.as_str()])
                .or_default()
                .insert(story.story);
        }
    }
    let split = stories_of_event.values().filter(|s| s.len() > 1).count();
    let slots: usize = stories.iter().map(|s| s.slots.len()).sum();
    println!(
        "grouping: {} documents of {} events -> {} stories, {slots} slots in {:.2} s; \
         stories mixing events: {merged}; events split over stories: {split}",
        documents.len(),
        stories_of_event.len(),
        stories.len(),
        elapsed.as_secs_f64()
    );
}
