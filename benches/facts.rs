//! Speed of the facts stage alone (article text → facts), one thread, in MB
//! of text a second: on the French seed articles, on the article texts of
//! the public extraction set (mostly English), and on generated fact-dense
//! French text of 2, 8 and 32 MB, whose time per MB must not grow with the
//! size.
//!
//! `cargo bench --bench facts`
//!
//! With `GLANEUR_SCALING_DOCS=DIR`, the generated documents the issue
//! checks (text of 2 and 16 MB, HTML of 1 and 10 MB) are also written to
//! DIR, to time the whole command on them.

mod common;
// The command's own choice of a publication date: it anchors relative dates.
#[path = "../src/published.rs"]
#[allow(dead_code)]
mod published;

use std::time::{Duration, Instant};

use glaneur_articles::{extract, Hints};
use glaneur_facts::{Context, PackDateReader};

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
    if let Some(dir) = std::env::var_os("GLANEUR_SCALING_DOCS") {
        write_scaling_docs(std::path::Path::new(&dir));
    }
    let seeds: Vec<Doc> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let a = extract(&std::fs::read(&p).unwrap(), &Hints::default(), &PackDateReader).unwrap();
            Doc {
                published: published::publication_date(&a, None, None),
                text: a.text,
                lang: a.lang.unwrap_or_default(),
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
                &PackDateReader,
            )
            .ok()
        })
        .map(|a| Doc {
            published: published::publication_date(&a, None, None),
            text: a.text,
            lang: a.lang.unwrap_or_default(),
        })
        .collect();
    measure("extraction-set articles (mostly en)", &pages);
    scaling();
}

const MB: usize = 1_000_000;

/// Time per MB of fact-dense text at growing sizes, against that at the
/// smallest: a ratio near 1 means a cost linear in the size.
fn scaling() {
    let mut first: Option<f64> = None;
    for mb in [2, 8, 32] {
        let text = common::generated::french_text(mb * MB);
        let context = Context {
            lang: "fr",
            published: glaneur_facts::PartialDate::day(2024, 6, 1),
        };
        let start = Instant::now();
        let facts = glaneur_facts::extract(&text, &context).len();
        let per_mb = start.elapsed().as_secs_f64() / (text.len() as f64 / MB as f64);
        let base = *first.get_or_insert(per_mb);
        println!(
            "generated French text {mb:>3} MB  {facts:>8} facts  {:>6.3} s/MB  {:>5.2}x the time per MB at 2 MB  (1 thread)",
            per_mb,
            per_mb / base
        );
    }
}

fn write_scaling_docs(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    for mb in [2, 16] {
        std::fs::write(
            dir.join(format!("text-{mb}MB.txt")),
            common::generated::french_text(mb * MB),
        )
        .unwrap();
    }
    for mb in [1, 10] {
        std::fs::write(
            dir.join(format!("page-{mb}MB.html")),
            common::generated::french_html(mb * MB),
        )
        .unwrap();
    }
    println!("generated documents written to {}", dir.display());
}
