//! Speed of the facts stage alone (article text → facts), one thread, in MB
//! of text a second: on the French seed articles, and on the article texts
//! of the public extraction set (mostly English).
//!
//! `cargo bench --bench facts`

mod common;

use std::time::{Duration, Instant};

use glaneur_articles::{extract, Hints};
use glaneur_facts::Context;

struct Doc {
    text: String,
    lang: String,
    published: Option<glaneur_facts::PartialDate>,
}

fn measure(label: &str, docs: &[Doc]) {
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let run = || {
        docs.iter()
            .map(|d| {
                glaneur_facts::extract(
                    &d.text,
                    &Context {
                        lang: &d.lang,
                        published: d.published,
                    },
                )
                .len()
            })
            .sum::<usize>()
    };
    let facts = run();
    let start = Instant::now();
    let mut rounds = 0;
    while start.elapsed() < Duration::from_secs(3) {
        std::hint::black_box(run());
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "{label:<34} {:>4} docs {:>8.2} MB of text  {facts:>6} facts  {:>7.2} MB/s  {:>8.0} docs/s  (1 thread)",
        docs.len(),
        bytes as f64 / 1e6,
        mb / secs,
        (docs.len() * rounds) as f64 / secs
    );
}

fn main() {
    let seeds: Vec<Doc> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let a = extract(&std::fs::read(&p).unwrap(), &Hints::default()).unwrap();
            Doc {
                text: a.text,
                lang: a.lang.unwrap_or_default(),
                published: a.published,
            }
        })
        .collect();
    measure("seed articles (fr)", &seeds);
    let pages: Vec<Doc> = common::pages()
        .iter()
        .filter_map(|p| {
            extract(
                &p.html,
                &Hints {
                    name: Some("page.html".into()),
                    ..Hints::default()
                },
            )
            .ok()
        })
        .map(|a| Doc {
            text: a.text,
            lang: a.lang.unwrap_or_default(),
            published: a.published,
        })
        .collect();
    measure("extraction-set articles (mostly en)", &pages);
}
