//! One job through the pipeline: bytes, article, facts.

use std::io::Read;
use std::time::Duration;

use glaneur_articles::{Article, ArticleError, ErrorCode, Hints};
use glaneur_facts::{Context, Fact, PackDateReader};

use crate::guard;
use crate::inputs::{Job, Payload};
use crate::published;

pub struct Options {
    /// A language forced by the user.
    pub lang: Option<&'static str>,
    /// The time one document's extraction may take.
    pub doc_timeout: Duration,
}

pub struct Processed {
    pub job: Job,
    pub outcome: Outcome,
}

pub enum Outcome {
    Extracted { article: Article, facts: Vec<Fact> },
    Failed(ArticleError),
}

/// Everything one input goes through, under one guard: whatever happens
/// to it, including a panic, ends as its own record.
pub fn process(mut job: Job, options: &Options) -> Processed {
    let outcome = match guard::catching(|| run(&mut job, options)) {
        Ok((article, facts)) => Outcome::Extracted { article, facts },
        Err(e) => Outcome::Failed(e),
    };
    Processed { job, outcome }
}

fn run(job: &mut Job, options: &Options) -> Result<(Article, Vec<Fact>), ArticleError> {
    let (bytes, name) = match std::mem::replace(&mut job.payload, Payload::Bytes(Vec::new())) {
        Payload::File(path) => {
            guard::test_panic("read", &job.source);
            let name = path.file_name().and_then(|n| n.to_str()).map(str::to_string);
            (glaneur_articles::read_file(&path)?, name)
        }
        Payload::Stdin => (
            glaneur_articles::read_stream(std::io::stdin().lock().take(u64::MAX))?,
            None,
        ),
        Payload::Bytes(bytes) => (bytes, job.name_hint.clone()),
        // The fetch stage turns every URL job into bytes or an error.
        Payload::Url(url) => {
            return Err(ArticleError::new(
                ErrorCode::InternalError,
                format!("{url} reached extraction without going through the fetch stage"),
            ))
        }
        Payload::Failed(e) => return Err(e),
    };
    let hints = Hints {
        name,
        lang: options.lang.map(str::to_string).or_else(|| job.lang.clone()),
        charset: job.charset.clone(),
    };
    let (given, hint) = (job.published, job.published_hint);
    let source = job.source.clone();
    // Facts are found inside the time limit too: a text that makes a
    // recogniser run away is as stuck as a page that makes the parser.
    guard::within(options.doc_timeout, move || {
        guard::test_panic("extract", &source);
        let mut article = glaneur_articles::extract(&bytes, &hints, &PackDateReader)?;
        // Not kept while facts are found: on a long document that is its
        // size again at the peak.
        drop(bytes);
        article.published = published::publication_date(&article, given, hint);
        let context = Context {
            lang: article.lang.as_deref().unwrap_or(glaneur_facts::lang::DEFAULT),
            published: article.published,
        };
        guard::test_panic("facts", &source);
        let facts = glaneur_facts::extract(&article.text, &context);
        Ok((article, facts))
    })
}
