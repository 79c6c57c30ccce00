//! Facts a second written into a new SQLite database, then rewritten by an
//! identical rerun (which only compares hashes): the seed articles and
//! their real facts, copied under many names. On a shared machine the
//! wall-clock rate is what the run got; the CPU rate (Linux) is what it
//! costs.
//!
//! `cargo bench -p glaneur-sinks --features sqlite --bench sqlite`

use std::time::Instant;

use glaneur_articles::{extract, Hints};
use glaneur_facts::{Context, Fact, PackDateReader};
use glaneur_sinks::{Content, Entry, Format, Options};

/// Copies of the seed articles written a run.
const COPIES: usize = 2_000;

fn main() {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/seeds");
    let mut articles = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&seeds)
        .expect("fixtures/seeds")
        .map(|e| e.expect("a seed").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).expect("a seed article");
        let mut article = extract(&bytes, &Hints::default(), &PackDateReader).expect("the seed is an article");
        let lang = article.lang.clone().unwrap_or_else(|| "fr".into());
        // The seeds are plain text: their dateline is their date.
        article.published = glaneur_facts::dateline(&article.text, &lang);
        let context = Context {
            lang: &lang,
            published: article.published,
        };
        let facts: Vec<Fact> = glaneur_facts::extract(&article.text, &context);
        articles.push((path.display().to_string(), article, facts));
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("bench.db");
    for label in ["first run (all rows new)", "identical rerun"] {
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        let mut sink = glaneur_sinks::open(Options {
            format: Format::Sqlite,
            output: Some(db.clone()),
            with_text: false,
            csv_safe: false,
            arguments: Vec::new(),
        })
        .expect("the database opens");
        let mut facts = 0;
        for copy in 0..COPIES {
            for (source, article, article_facts) in &articles {
                let doc = format!("{source}~{copy}");
                sink.write(&Entry {
                    doc: &doc,
                    source,
                    url: None,
                    fetched: None,
                    content: Content::Article {
                        article,
                        facts: article_facts,
                    },
                })
                .expect("the entry is written");
                facts += article_facts.len();
            }
        }
        sink.finish().expect("the run commits");
        let seconds = start.elapsed().as_secs_f64();
        let cpu = match (cpu_start, cpu_seconds()) {
            (Some(before), Some(after)) => format!(", {:.0} facts/s of CPU time", facts as f64 / (after - before)),
            _ => String::new(),
        };
        println!(
            "sqlite, {label}: {} documents, {facts} facts in {seconds:.2} s: {:.0} facts/s{cpu}",
            COPIES * articles.len(),
            facts as f64 / seconds
        );
    }
}

/// CPU time of this thread so far (the writing is single-threaded), from
/// Linux's scheduler statistics; `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}
