//! One input through the pipeline: bytes, article, facts.

use std::io::Read;

use std::time::Duration;

use glaneur_articles::{Article, ArticleError};
use glaneur_facts::{Context, Fact};

use crate::inputs::{Input, Location};

pub struct Options {
    /// A language forced by the user.
    pub lang: Option<&'static str>,
    /// The time one document's extraction may take.
    pub doc_timeout: Duration,
}

pub struct Processed<'a> {
    pub input: &'a Input,
    pub outcome: Outcome,
}

pub enum Outcome {
    Extracted { article: Article, facts: Vec<Fact> },
    Failed(ArticleError),
}

pub fn process<'a>(input: &'a Input, options: &Options) -> Processed<'a> {
    let outcome = match run(input, options) {
        Ok((article, facts)) => Outcome::Extracted { article, facts },
        Err(e) => Outcome::Failed(e),
    };
    Processed { input, outcome }
}

fn run(input: &Input, options: &Options) -> Result<(Article, Vec<Fact>), ArticleError> {
    let bytes = match &input.location {
        Location::File(path) => glaneur_articles::read_file(path)?,
        Location::Stdin => glaneur_articles::read_stream(std::io::stdin().lock().take(u64::MAX))?,
    };
    let name = match &input.location {
        Location::File(path) => path.file_name().and_then(|n| n.to_str()).map(str::to_string),
        Location::Stdin => None,
    };
    let lang = options.lang.map(str::to_string);
    let article = glaneur_articles::extract_within(bytes, name, lang, options.doc_timeout)?;
    let context = Context {
        lang: article.lang.as_deref().unwrap_or("en"),
        published: article.published,
    };
    let facts = glaneur_facts::extract(&article.text, &context);
    Ok((article, facts))
}
