//! What a long run tells while it goes (a progress bar on a terminal,
//! plain periodic lines otherwise) and the summary it ends with.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::inputs::Counters;
use crate::pipeline::{Outcome, Processed};

/// How often a plain progress line is written when stderr is no terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(10);

/// Every record of the run counted once, as a document or an error.
#[derive(Default)]
pub struct Summary {
    pub documents: u64,
    pub errors: BTreeMap<&'static str, u64>,
    pub facts: BTreeMap<&'static str, u64>,
}

impl Summary {
    pub fn add(&mut self, p: &Processed) {
        match &p.outcome {
            Outcome::Extracted { facts, .. } => {
                self.documents += 1;
                for f in facts {
                    *self.facts.entry(f.value.kind()).or_insert(0) += 1;
                }
            }
            Outcome::Failed(e) => *self.errors.entry(e.code).or_insert(0) += 1,
        }
    }

    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    pub fn records(&self) -> u64 {
        self.documents + self.error_count()
    }
}

pub enum Display {
    Bar(ProgressBar),
    Lines { last: Instant },
    Quiet,
}

pub struct Progress {
    display: Display,
    started: Instant,
    counters: Arc<Counters>,
}

impl Progress {
    /// `total_bytes`: the size of the inputs, when known up front (for the ETA).
    pub fn new(quiet: bool, total_bytes: Option<u64>, counters: Arc<Counters>) -> Self {
        let display = if quiet {
            Display::Quiet
        } else if std::io::stderr().is_terminal() {
            let bar = match total_bytes {
                Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(
                    ProgressStyle::with_template("{bar:30} {binary_bytes}/{binary_total_bytes} {msg} ETA {eta}")
                        .expect("static template"),
                ),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                    ProgressStyle::with_template("{spinner} {binary_bytes} {msg}").expect("static template"),
                ),
            };
            Display::Bar(bar)
        } else {
            Display::Lines { last: Instant::now() }
        };
        Self {
            display,
            started: Instant::now(),
            counters,
        }
    }

    pub fn update(&mut self, summary: &Summary) {
        let bytes = self.counters.bytes.load(Ordering::Relaxed);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let status = format!(
            "{} records, {:.0} records/s, {} errors",
            summary.records(),
            summary.records() as f64 / secs,
            summary.error_count()
        );
        match &mut self.display {
            Display::Bar(bar) => {
                bar.set_position(bytes);
                bar.set_message(status);
            }
            Display::Lines { last } if last.elapsed() >= PLAIN_EVERY => {
                *last = Instant::now();
                let _ = writeln!(
                    std::io::stderr(),
                    "glaneur: {:.1} MB read, {status}",
                    bytes as f64 / 1e6
                );
            }
            _ => {}
        }
    }

    /// Runs `f` (which writes to stderr) without tearing the bar.
    pub fn suspend(&self, f: impl FnOnce()) {
        match &self.display {
            Display::Bar(bar) => bar.suspend(f),
            _ => f(),
        }
    }

    /// The closing summary: the counts add up to every input record.
    pub fn finish(&self, summary: &Summary) {
        if let Display::Bar(bar) = &self.display {
            bar.finish_and_clear();
        }
        if matches!(self.display, Display::Quiet) {
            return;
        }
        let errors: Vec<String> = summary.errors.iter().map(|(code, n)| format!("{code} {n}")).collect();
        let facts: Vec<String> = summary.facts.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
        let memory = peak_memory_mb()
            .map(|mb| format!(", peak memory {mb:.0} MB"))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "glaneur: {} inputs, {} records: {} documents, {} errors{}; {} archive records without an article; facts: {}; {:.1} s{memory}",
            self.counters.inputs.load(Ordering::Relaxed),
            summary.records(),
            summary.documents,
            summary.error_count(),
            if errors.is_empty() { String::new() } else { format!(" ({})", errors.join(", ")) },
            self.counters.skipped.load(Ordering::Relaxed),
            if facts.is_empty() { "none".to_string() } else { facts.join(", ") },
            self.started.elapsed().as_secs_f64(),
        );
    }
}

/// The process's peak resident memory (Linux), in MB.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
