//! The public article-extraction set, read in place from `../shared/bench`.

#![allow(dead_code)]

pub mod generated;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

pub struct Page {
    pub id: String,
    pub html: Vec<u8>,
    pub truth: String,
}

pub fn bench_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/article-extraction");
    assert!(
        dir.is_dir(),
        "{} is missing: benchmarks read the shared data in place",
        dir.display()
    );
    dir
}

/// Every page with its hand-extracted body, in id order.
pub fn pages() -> Vec<Page> {
    let dir = bench_dir();
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ground-truth.json")).unwrap()).unwrap();
    let truth: BTreeMap<String, serde_json::Value> = serde_json::from_value(truth).unwrap();
    truth
        .into_iter()
        .map(|(id, t)| {
            let path = dir.join("html").join(format!("{id}.html.gz"));
            let mut html = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
                .read_to_end(&mut html)
                .unwrap();
            Page {
                id,
                html,
                truth: t["articleBody"].as_str().unwrap_or("").to_string(),
            }
        })
        .collect()
}
