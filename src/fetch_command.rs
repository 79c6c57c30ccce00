//! `glaneur fetch`: pages (and the pages of feeds and sitemaps) into a
//! WARC file, one JSONL status line a URL, in input order.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use glaneur_fetch::stage::Fetchable;
use glaneur_fetch::{FetchError, Fetched};
use glaneur_warc::WarcReader;
use serde::Serialize;

use crate::fetching;
use crate::inputs::{Counters, Job, Jobs, JsonlFields, Payload, Shard, Spec};
use crate::FetchCommandArgs;

#[derive(Serialize)]
struct Status<'a> {
    url: &'a str,
    final_url: Option<&'a str>,
    status: Option<u16>,
    /// `ok`, `resumed` (already in the WARC file), or an error code.
    code: &'a str,
    bytes: usize,
    warc_offset: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

pub fn run(args: FetchCommandArgs) -> Result<bool, String> {
    let warc = args
        .fetch
        .warc
        .clone()
        .ok_or("fetch needs --warc OUT.warc.gz to keep what it fetches")?;
    let done = if args.resume {
        fetched_before(&warc)?
    } else {
        HashSet::new()
    };
    let fetcher = args.fetch.fetcher()?;
    let mut specs: Vec<Spec> = args.urls.iter().map(|u| Spec::Url(u.clone())).collect();
    if let Some(list) = &args.files_from {
        specs.push(Spec::FilesFrom(list.clone()));
    }
    specs.extend(args.fetch.discovery_specs());
    let counters = Arc::new(Counters::default());
    let jobs = Jobs::new(
        specs,
        JsonlFields::default(),
        counters,
        Arc::clone(&fetcher),
        args.fetch.since()?,
        Shard::WHOLE,
    );
    let asked = jobs.map(move |job| {
        let resumed = matches!(&job.payload, Payload::Url(url) if done.contains(url));
        Asked { job, resumed }
    });
    let mut out = BufWriter::new(io::stdout());
    let (mut ok, mut failed, mut resumed) = (0, 0, 0);
    for (asked, result) in fetching::fetch_stage(asked, fetcher, args.fetch.concurrency)? {
        let (line, outcome) = status_line(&asked, result);
        match outcome {
            Outcome::Ok => ok += 1,
            Outcome::Failed => failed += 1,
            Outcome::Resumed => resumed += 1,
        }
        writeln!(out, "{line}").map_err(|e| format!("cannot write output: {e}"))?;
        out.flush().map_err(|e| format!("cannot write output: {e}"))?;
    }
    let _ = writeln!(
        io::stderr(),
        "glaneur: {} URLs: {ok} fetched, {failed} failed, {resumed} already in {}",
        ok + failed + resumed,
        warc.display()
    );
    Ok(failed == 0)
}

enum Outcome {
    Ok,
    Failed,
    Resumed,
}

impl<'a> Status<'a> {
    /// A URL that got no response: only its code (and why).
    fn without_response(url: &'a str, code: &'a str, message: Option<&'a str>) -> Self {
        Self {
            url,
            final_url: None,
            status: None,
            code,
            bytes: 0,
            warc_offset: None,
            message,
        }
    }

    fn line(&self) -> String {
        serde_json::to_string(self).expect("a status line serialises")
    }
}

/// A job of `glaneur fetch`: a URL to fetch, unless its response is in the
/// WARC file already (`--resume`).
struct Asked {
    job: Job,
    resumed: bool,
}

impl Fetchable for Asked {
    fn url(&self) -> Option<&str> {
        if self.resumed {
            None
        } else {
            self.job.url()
        }
    }
}

fn status_line(asked: &Asked, result: Option<Result<Fetched, FetchError>>) -> (String, Outcome) {
    let job = &asked.job;
    let url = match &job.payload {
        Payload::Url(url) => url,
        Payload::Failed(e) => {
            let s = Status::without_response(&job.source, e.code, Some(&e.message));
            return (s.line(), Outcome::Failed);
        }
        _ => {
            let s = Status::without_response(&job.source, "bad_url", Some("not an http or https address"));
            return (s.line(), Outcome::Failed);
        }
    };
    match result {
        None => (Status::without_response(url, "resumed", None).line(), Outcome::Resumed),
        Some(Ok(page)) => {
            let s = Status {
                url,
                final_url: Some(&page.final_url),
                status: Some(page.status),
                code: "ok",
                bytes: page.body.len(),
                warc_offset: page.warc_offset,
                message: None,
            };
            (s.line(), Outcome::Ok)
        }
        Some(Err(e)) => {
            let s = Status {
                final_url: e.final_url.as_deref(),
                status: e.status,
                warc_offset: e.warc_offset,
                ..Status::without_response(url, e.kind.code(), Some(&e.message))
            };
            (s.line(), Outcome::Failed)
        }
    }
}

/// URLs whose response is already in the WARC file (a final one: not a
/// 429 or 5xx that a rerun should try again).
fn fetched_before(warc: &Path) -> Result<HashSet<String>, String> {
    let mut done = HashSet::new();
    let file = match File::open(warc) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(format!("{}: {e}", warc.display())),
    };
    for record in WarcReader::new(file).flatten() {
        if record.header("WARC-Type") != Some("response") {
            continue;
        }
        let status = String::from_utf8_lossy(&record.block[..record.block.len().min(32)])
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok());
        if let (Some(uri), Some(status)) = (record.header("WARC-Target-URI"), status) {
            if status != 429 && status < 500 {
                done.insert(uri.to_string());
            }
        }
    }
    Ok(done)
}
