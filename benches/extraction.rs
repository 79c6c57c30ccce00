//! HTML article extraction on the public benchmark in
//! `../shared/bench/article-extraction`: quality with the benchmark's own
//! metric (4-token shingles, mean page precision and recall), and speed on
//! one thread against a bare `scraper::Html::parse_document` of the same
//! pages. Then one section per development set, each scored as its own
//! `score` script does: `../shared/bench/published-dates` (publication
//! date, exact day) and `../shared/bench/segments` (segments that must and
//! must not be in the text).
//!
//! Then the time per MB of one long generated document, plain text and an
//! HTML page of many short paragraphs, at 2, 8 and 32 MB: it must not grow
//! with the size.
//!
//! `cargo bench --bench extraction`

mod common;
// The command's own choice of a publication date, so that the figure is the command's.
#[path = "../src/published.rs"]
#[allow(dead_code)]
mod published;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use glaneur_articles::{extract, Hints};
use glaneur_facts::PackDateReader;
use regex::Regex;

/// The multiset of 4-token shingles of a text (a text of 1 to 3 tokens is
/// one shingle).
fn shingles(text: &str, words: &Regex) -> HashMap<Vec<String>, usize> {
    let tokens: Vec<String> = words.find_iter(text).map(|m| m.as_str().to_string()).collect();
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    if tokens.len() < 4 {
        *out.entry(tokens).or_insert(0) += 1;
        return out;
    }
    for w in tokens.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// (precision, recall) of one page; `None` for an empty side.
fn page_score(predicted: &str, truth: &str, words: &Regex) -> (Option<f64>, Option<f64>) {
    let (p, t) = (shingles(predicted, words), shingles(truth, words));
    let tp: usize = p.iter().map(|(k, n)| (*n).min(*t.get(k).unwrap_or(&0))).sum();
    let (np, nt): (usize, usize) = (p.values().sum(), t.values().sum());
    (
        (np > 0).then(|| tp as f64 / np as f64),
        (nt > 0).then(|| tp as f64 / nt as f64),
    )
}

/// The article body as the benchmark counts it (the text without its
/// title), and whether the page was taken for a list page.
fn body(html: &[u8]) -> (String, bool) {
    let hints = Hints {
        name: Some("page.html".into()),
        ..Hints::default()
    };
    match extract(html, &hints, &PackDateReader) {
        Ok(a) => {
            let text = match &a.title {
                Some(t) => a
                    .text
                    .strip_prefix(t.as_str())
                    .map(|b| b.trim_start().to_string())
                    .unwrap_or(a.text),
                None => a.text,
            };
            (text, a.list_page)
        }
        Err(_) => (String::new(), false),
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn main() {
    let pages = common::pages();
    let words = Regex::new(r"\w+").unwrap();
    let mb = pages.iter().map(|p| p.html.len()).sum::<usize>() as f64 / 1e6;

    let start = Instant::now();
    let (bodies, lists): (Vec<String>, Vec<bool>) = pages.iter().map(|p| body(&p.html)).unzip();
    let glaneur_secs = start.elapsed().as_secs_f64();

    let start = Instant::now();
    for p in &pages {
        std::hint::black_box(scraper::Html::parse_document(&String::from_utf8_lossy(&p.html)));
    }
    let parse_secs = start.elapsed().as_secs_f64();

    let mut precisions = Vec::new();
    let mut recalls = Vec::new();
    let mut per_page = Vec::new();
    for (p, b) in pages.iter().zip(&bodies) {
        let (pr, rc) = page_score(b, &p.truth, &words);
        precisions.extend(pr);
        recalls.extend(rc);
        let (pr, rc) = (pr.unwrap_or(0.0), rc.unwrap_or(0.0));
        let f = if pr + rc > 0.0 { 2.0 * pr * rc / (pr + rc) } else { 0.0 };
        per_page.push((f, pr, rc, &p.id));
    }
    let (precision, recall) = (mean(&precisions), mean(&recalls));
    let f1 = 2.0 * precision * recall / (precision + recall);
    println!("pages {}  ({mb:.1} MB of HTML)", pages.len());
    println!("quality   precision {precision:.3}  recall {recall:.3}  F1 {f1:.3}");
    println!(
        "pages taken for list pages: {} (all are articles)",
        lists.iter().filter(|l| **l).count()
    );
    println!("worst pages (F1, precision, recall, id):");
    per_page.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (f, pr, rc, id) in per_page.iter().take(10) {
        println!("  {f:.3}  {pr:.3}  {rc:.3}  {id}");
    }
    let n = pages.len() as f64;
    println!(
        "speed     glaneur extraction  {:>6.1} pages/s  {:>5.2} MB/s  (1 thread)",
        n / glaneur_secs,
        mb / glaneur_secs
    );
    println!(
        "          bare scraper parse  {:>6.1} pages/s  {:>5.2} MB/s  (1 thread)",
        n / parse_secs,
        mb / parse_secs
    );
    println!("          glaneur / bare parse time: {:.2}x", glaneur_secs / parse_secs);
    published_dates();
    segments();
    scaling();
}

/// A development set of `../shared/bench`: its `gold.json` by page id, and
/// the page's HTML (`html/ID.html.gz`).
fn development_set(name: &str) -> Vec<(serde_json::Value, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench").join(name);
    // Pages without a known date have `NaN`, which JSON spells `null`.
    let gold = std::fs::read_to_string(dir.join("gold.json"))
        .unwrap()
        .replace("NaN", "null");
    let gold: BTreeMap<String, serde_json::Value> = serde_json::from_str(&gold).unwrap();
    gold.into_iter()
        .map(|(id, g)| {
            let mut html = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(dir.join("html").join(format!("{id}.html.gz"))).unwrap())
                .read_to_end(&mut html)
                .unwrap();
            (g, html)
        })
        .collect()
}

/// Every page extracted on one thread, with the time it took.
fn extract_all(pages: &[(serde_json::Value, Vec<u8>)]) -> (Vec<Option<glaneur_articles::Article>>, f64) {
    let hints = Hints {
        name: Some("page.html".into()),
        ..Hints::default()
    };
    let start = Instant::now();
    let articles = pages
        .iter()
        .map(|(_, html)| extract(html, &hints, &PackDateReader).ok())
        .collect();
    (articles, start.elapsed().as_secs_f64())
}

/// Publication dates: the exact day, as `published-dates/score` counts it
/// (a page without a date is wrong).
fn published_dates() {
    let pages = development_set("published-dates");
    let (articles, secs) = extract_all(&pages);
    let right = pages
        .iter()
        .zip(&articles)
        .filter(|((gold, _), article)| {
            let found = article
                .as_ref()
                .and_then(|a| published::publication_date(a, None, None))
                .map(|d| d.to_string());
            found.is_some() && found.as_deref() == gold["published"].as_str()
        })
        .count();
    println!("published-dates  {} pages", pages.len());
    println!(
        "quality   exact day {right}/{} = {:.3}",
        pages.len(),
        right as f64 / pages.len() as f64
    );
    println!(
        "speed     glaneur extraction  {:>6.1} pages/s  (1 thread)",
        pages.len() as f64 / secs
    );
}

/// Segments: a `with` segment found in the text is a true positive, a
/// missed one a false negative, a `without` segment found a false positive,
/// white space collapsed, as `segments/score` counts them.
fn segments() {
    let pages = development_set("segments");
    let (articles, secs) = extract_all(&pages);
    let normal = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for ((gold, _), article) in pages.iter().zip(&articles) {
        let text = normal(article.as_ref().map_or("", |a| a.text.as_str()));
        let segments = |key: &str| -> Vec<String> {
            gold[key]
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str()).map(normal).collect())
                .unwrap_or_default()
        };
        for s in segments("with") {
            if text.contains(&s) {
                tp += 1;
            } else {
                fn_ += 1;
            }
        }
        fp += segments("without").iter().filter(|s| text.contains(s.as_str())).count();
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
    println!("segments  {} pages", pages.len());
    println!("quality   precision {precision:.3}  recall {recall:.3}  F1 {f1:.3}");
    println!(
        "speed     glaneur extraction  {:>6.1} pages/s  (1 thread)",
        pages.len() as f64 / secs
    );
}

/// Article extraction (decoding, main text, furniture) of one generated
/// document at growing sizes, in time per MB against that at the smallest:
/// a ratio near 1 means a cost linear in the size.
fn scaling() {
    const MB: usize = 1_000_000;
    for (label, name, generate) in [
        (
            "generated French text",
            "long.txt",
            common::generated::french_text as fn(usize) -> String,
        ),
        ("generated French HTML", "long.html", common::generated::french_html),
    ] {
        let mut first: Option<f64> = None;
        for mb in [2, 8, 32] {
            let document = generate(mb * MB);
            let hints = Hints {
                name: Some(name.into()),
                lang: Some("fr".into()),
                ..Hints::default()
            };
            let start = Instant::now();
            let chars = extract(document.as_bytes(), &hints, &PackDateReader).map_or(0, |a| a.text.len());
            let per_mb = start.elapsed().as_secs_f64() / (document.len() as f64 / MB as f64);
            let base = *first.get_or_insert(per_mb);
            println!(
                "{label} {mb:>3} MB  {:>6.1} MB of article text  {per_mb:>6.3} s/MB  {:>5.2}x the time per MB at 2 MB  (1 thread)",
                chars as f64 / MB as f64,
                per_mb / base
            );
        }
    }
}
