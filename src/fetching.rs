//! URL jobs through the fetch stage (`glaneur_fetch::stage`): fetched on
//! `--concurrency` threads of their own, per host in turn, before the
//! extraction workers see them, so that no extraction thread waits on a
//! host's rate, a retry or a slow server.

use std::sync::Arc;

use glaneur_fetch::stage::{fetch_in_order, Fetchable};
use glaneur_fetch::{ErrorKind, FetchError, Fetched, Fetcher};

use crate::failure::Failure;
use crate::guard;
use crate::inputs::{Job, Payload, Provenance};

impl Fetchable for Job {
    fn url(&self) -> Option<&str> {
        match &self.payload {
            Payload::Url(url) => Some(url),
            _ => None,
        }
    }
}

/// Items between input and output at most, per fetching thread: enough to
/// keep every thread busy while one host is slow, few enough to bound the
/// pages held in memory.
const LOOKAHEAD_PER_THREAD: usize = 8;

/// `items` with their URLs fetched, in input order.
pub fn fetch_stage<T: Fetchable>(
    items: impl Iterator<Item = T> + Send + 'static,
    fetcher: Arc<Fetcher>,
    concurrency: usize,
) -> Result<impl Iterator<Item = (T, Option<Result<Fetched, FetchError>>)>, String> {
    let theirs = Arc::clone(&fetcher);
    fetch_in_order(
        items,
        fetcher,
        move |url| guarded_fetch(&theirs, url),
        |message| Err(FetchError::new(ErrorKind::Internal, message)),
        concurrency,
        LOOKAHEAD_PER_THREAD * concurrency.max(1),
    )
    .map_err(|e| format!("cannot start fetching threads: {e}"))
}

/// Jobs whose URLs are fetched: a URL job leaves the stage as the page's
/// bytes, or as its error.
pub fn fetched_jobs(
    jobs: impl Iterator<Item = Job> + Send + 'static,
    fetcher: Arc<Fetcher>,
    concurrency: usize,
) -> Result<impl Iterator<Item = Job> + Send, String> {
    Ok(
        fetch_stage(jobs, fetcher, concurrency)?.map(|(job, result)| match result {
            Some(Ok(page)) => Job {
                payload: Payload::Bytes(page.body),
                provenance: Provenance {
                    name_hint: Some(url_file_name(&page.url)),
                    url: Some(page.final_url),
                    fetched: Some(page.date),
                    charset: page.charset,
                    ..job.provenance
                },
                ..job
            },
            Some(Err(e)) => Job {
                payload: Payload::Failed(Failure::from(e)),
                ..job
            },
            None => job,
        }),
    )
}

fn guarded_fetch(fetcher: &Fetcher, url: &str) -> Result<Fetched, FetchError> {
    guard::catching_panic(|| {
        guard::test_panic("fetch", url);
        fetcher.fetch(url)
    })
    .unwrap_or_else(|message| Err(FetchError::new(ErrorKind::Internal, message)))
}

/// The last path segment of a URL, for its extension (`story.html`);
/// pages without one are sniffed.
fn url_file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    path.rsplit('/').next().unwrap_or("").to_string()
}
