//! One job through the pipeline: bytes, article, facts.

use std::io::Read;

use glaneur_articles::{Article, Hints};
use glaneur_facts::{Context, Fact, PackDateReader};

use crate::failure::{code, Failure};
use crate::guard;
use crate::inputs::{Job, Payload, Provenance};
use crate::published;
use crate::stream::Timer;

pub struct Options {
    /// A language forced by the user.
    pub lang: Option<&'static str>,
}

/// What became of one job: its identity, what came with it, and the
/// article and facts or the error.
pub struct Processed {
    pub id: String,
    pub source: String,
    pub provenance: Provenance,
    pub outcome: Outcome,
}

pub enum Outcome {
    Extracted { article: Article, facts: Vec<Fact> },
    Failed(Failure),
}

/// Everything one input goes through, under one guard: whatever happens
/// to it, including a panic, ends as its own record. Its extraction and
/// fact finding run under `timer`'s limit: a page that makes the parser
/// run away costs one `timeout` record, not the batch.
pub fn process(job: Job, options: &Options, timer: &Timer<Processed>) -> Processed {
    let Job {
        id,
        source,
        payload,
        provenance,
    } = job;
    let timed_out = || Processed {
        id: id.clone(),
        source: source.clone(),
        provenance: provenance.clone(),
        outcome: Outcome::Failed(Failure::new(
            code::TIMEOUT,
            format!("extraction took more than {:.1} s", timer.limit().as_secs_f64()),
        )),
    };
    let start_clock = || timer.start(timed_out());
    let outcome = match guard::catching(|| run(payload, &source, &provenance, options, start_clock)) {
        Ok((article, facts)) => Outcome::Extracted { article, facts },
        Err(e) => Outcome::Failed(e),
    };
    Processed {
        id,
        source,
        provenance,
        outcome,
    }
}

fn run(
    payload: Payload,
    source: &str,
    provenance: &Provenance,
    options: &Options,
    start_clock: impl FnOnce(),
) -> Result<(Article, Vec<Fact>), Failure> {
    let (bytes, name) = match payload {
        Payload::File(path) => {
            guard::test_panic("read", source);
            let name = path.file_name().and_then(|n| n.to_str()).map(str::to_string);
            (glaneur_articles::read_file(&path)?, name)
        }
        Payload::Stdin => (
            glaneur_articles::read_stream(std::io::stdin().lock().take(u64::MAX))?,
            None,
        ),
        Payload::Bytes(bytes) => (bytes, provenance.name_hint.clone()),
        // The fetch stage turns every URL job into bytes or an error.
        Payload::Url(url) => {
            return Err(Failure::new(
                code::INTERNAL_ERROR,
                format!("{url} reached extraction without going through the fetch stage"),
            ))
        }
        Payload::Failed(e) => return Err(e),
    };
    let hints = Hints {
        name,
        lang: options.lang.map(str::to_string).or_else(|| provenance.lang.clone()),
        charset: provenance.charset.clone(),
    };
    let (given, hint) = (provenance.published, provenance.published_hint);
    // Facts are found inside the time limit too: a text that makes a
    // recogniser run away is as stuck as a page that makes the parser.
    start_clock();
    guard::test_panic("extract", source);
    let mut article = glaneur_articles::extract(&bytes, &hints, &PackDateReader)?;
    // Not kept while facts are found: on a long document that is its size
    // again at the peak.
    drop(bytes);
    article.published = published::publication_date(&article, given, hint);
    let context = Context {
        lang: article.lang.as_deref().unwrap_or(glaneur_facts::lang::DEFAULT),
        published: article.published,
    };
    guard::test_panic("facts", source);
    let facts = glaneur_facts::extract(&article.text, &context);
    Ok((article, facts))
}
