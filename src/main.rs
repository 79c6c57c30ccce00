//! `glaneur`: news articles in, checkable facts out.

mod claims_command;
mod claims_report;
mod eval;
mod failure;
mod fetch_command;
mod fetching;
mod guard;
mod inputs;
mod output;
mod pipeline;
mod progress;
mod published;
mod stream;

use std::cell::RefCell;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use glaneur_facts::PartialDate;
use glaneur_fetch::{FetchOptions, Fetcher, WarcWriter};

use crate::inputs::{Counters, Job, Jobs, JsonlFields, Shard, Spec};
use crate::output::Format;
use crate::progress::{Progress, Summary};

/// A page is parsed into thousands of small nodes and strings, built and
/// dropped within milliseconds: mimalloc serves them faster than the
/// system allocator, whose calls were a seventh of the whole run. It is
/// built without transparent huge pages (`no_thp`): on a kernel that gives
/// them to every mapping, committing its arenas in huge pages cost up to
/// 0.4 s of system time a run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "glaneur",
    version,
    about = "Turns news articles into structured, checkable facts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract the facts of articles: dates, sums of money, GDPR articles,
    /// public authorities.
    ///
    /// Exit status: 0 when every input was processed, 1 when any input
    /// failed (after processing all the others), 2 on a usage or output error.
    Extract(ExtractArgs),
    /// Fetch pages (and the pages of feeds and sitemaps) into a WARC file,
    /// printing one JSONL status line a URL.
    ///
    /// Exit status: 0 when every URL was fetched (or skipped by --resume),
    /// 1 when any failed, 2 on a usage or output error.
    Fetch(FetchCommandArgs),
    /// Group articles into stories and show, for each thing they state
    /// (a fine, a decision date, the articles breached), whether their
    /// sources agree, dispute it or are alone to state it.
    ///
    /// Exit status: 0 when every input was read, 1 when any failed (after
    /// reading all the others), 2 on a usage or output error.
    Claims(claims_command::ClaimsArgs),
    /// Print the JSON Schema of the JSONL records (document, error, fact),
    /// or with `--sql` the SQLite tables of `--format sqlite`.
    Schema {
        /// The SQLite schema (`CREATE TABLE` statements) instead.
        #[arg(long)]
        sql: bool,
    },
    /// Score predicted facts against gold annotations (JSONL records as
    /// `extract` writes them): precision, recall and F1 per kind and
    /// overall, language and publication-date accuracy; the same figures
    /// as the reference scorer `shared/eval/score`.
    ///
    /// Exit status: 0 when scored, 1 when a file cannot be read or scored.
    Eval(EvalArgs),
}

#[derive(clap::Args)]
struct EvalArgs {
    /// The gold annotations.
    gold: PathBuf,
    /// The predictions.
    pred: PathBuf,
    /// List every miss and every false alarm before the figures.
    #[arg(long)]
    errors: bool,
    /// Print the figures as one JSON object instead.
    #[arg(long)]
    json: bool,
}

/// How pages are found and fetched (for `extract` with URL inputs, and `fetch`).
#[derive(clap::Args)]
struct FetchArgs {
    /// Keep every HTTP exchange (request and response records) in this
    /// WARC file, appended to; `glaneur extract FILE` redoes the run offline.
    #[arg(long)]
    warc: Option<PathBuf>,
    /// An RSS or Atom feed whose entries are fetched; may be repeated.
    #[arg(long = "feed", value_name = "URL")]
    feeds: Vec<String>,
    /// A sitemap or sitemap index whose pages are fetched; may be repeated.
    #[arg(long = "sitemap", value_name = "URL")]
    sitemaps: Vec<String>,
    /// Keep only feed and sitemap entries published on or after this date.
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// The User-Agent sent, and matched against robots.txt.
    #[arg(long)]
    user_agent: Option<String>,
    /// Requests a second to one host, at most (robots.txt `Crawl-delay` may slow it further).
    #[arg(long, default_value_t = 1.0)]
    per_host_rate: f64,
    /// Seconds a whole request may take (connecting has its own 10 s limit).
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Largest body kept, in bytes; larger ones are reported as `too_large`.
    #[arg(long, default_value_t = glaneur_articles::MAX_INPUT_BYTES as u64)]
    max_bytes: u64,
    /// Retries on connection errors, 429 and 5xx, with exponential backoff.
    #[arg(long, default_value_t = 2)]
    retries: u32,
    /// Refuse loopback, link-local and private addresses (for service use).
    #[arg(long)]
    deny_private: bool,
    /// Requests under way at once, over all hosts.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
}

impl FetchArgs {
    fn fetcher(&self) -> Result<Arc<Fetcher>, String> {
        let mut options = FetchOptions::default();
        if let Some(agent) = &self.user_agent {
            options.user_agent = agent.clone();
        }
        options.per_host_rate = self.per_host_rate;
        options.timeout = Duration::try_from_secs_f64(self.timeout).map_err(|e| format!("--timeout: {e}"))?;
        options.connect_timeout = options.connect_timeout.min(options.timeout);
        options.max_bytes = self.max_bytes;
        options.retries = self.retries;
        options.deny_private = self.deny_private;
        let warc = match &self.warc {
            Some(path) => Some(WarcWriter::append(path).map_err(|e| format!("{}: {e}", path.display()))?),
            None => None,
        };
        Ok(Arc::new(Fetcher::new(options, warc)))
    }

    fn since(&self) -> Result<Option<PartialDate>, String> {
        self.since
            .as_deref()
            .map(|s| {
                PartialDate::parse_iso_prefix(s).ok_or_else(|| format!("--since: {s:?} is not a date (YYYY-MM-DD)"))
            })
            .transpose()
    }

    fn discovery_specs(&self) -> impl Iterator<Item = Spec> + '_ {
        let feeds = self.feeds.iter().map(|f| Spec::Feed(f.clone()));
        feeds.chain(self.sitemaps.iter().map(|s| Spec::Sitemap(s.clone())))
    }
}

#[derive(clap::Args)]
struct FetchCommandArgs {
    /// Pages to fetch.
    urls: Vec<String>,
    /// Read more URLs from this file, one a line (`-`: standard input).
    #[arg(long)]
    files_from: Option<PathBuf>,
    /// Skip URLs whose response is already in the WARC file.
    #[arg(long)]
    resume: bool,
    #[command(flatten)]
    fetch: FetchArgs,
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Files or directories (walked recursively in sorted order); `-` or
    /// nothing reads standard input: JSONL documents, one a line, written
    /// out as each is done (filter mode), or else one document. `.warc`,
    /// `.warc.gz`, `.jsonl`, `.jsonl.gz` and `.ndjson` files give one
    /// document a record.
    inputs: Vec<PathBuf>,
    /// Read more input paths from this file, one a line (`-`: standard input).
    #[arg(long)]
    files_from: Option<PathBuf>,
    /// Only the inputs (files, each WARC or JSONL file as a whole, URLs)
    /// whose path hashes into part K of N: runs with K = 1..N together
    /// give the records of the whole run, with the same `doc`s.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Field names of JSONL records, as KEY=NAME (keys: html, text, url,
    /// id, published, lang); may be repeated.
    #[arg(long = "jsonl-field", value_name = "KEY=NAME")]
    jsonl_fields: Vec<String>,
    /// No progress and no summary on stderr.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    fetch: FetchArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Write here instead of standard output; for `csv`, a directory gets
    /// `documents.csv` and `facts.csv`; `sqlite` needs a file, `parquet` a
    /// directory.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// In CSV, prefix with `'` the text cells that start with `=`, `+`,
    /// `-`, `@`, tab or carriage return, so that spreadsheets do not run
    /// them as formulas.
    #[arg(long)]
    csv_safe: bool,
    /// The articles' language, as the ISO 639-1 code of a language pack
    /// (`de`, `en`, `es`, `fr`, `it`, `nl`, `pt`), or `auto` to detect it
    /// per article.
    #[arg(long, default_value = "auto", value_parser = LangChoice::parse)]
    lang: LangChoice,
    /// Leave the article text out of document records.
    #[arg(long)]
    no_text: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Seconds one document's extraction may take before it is reported
    /// as `timeout`.
    #[arg(long, default_value_t = 60.0)]
    doc_timeout: f64,
}

/// `--lang`: detect per article (`None`), or the code of a compiled-in
/// language pack; the set grows with `data/lang/`, not with this code.
#[derive(Clone, Copy)]
struct LangChoice(Option<&'static str>);

impl LangChoice {
    fn parse(value: &str) -> Result<Self, String> {
        if value == "auto" {
            return Ok(Self(None));
        }
        glaneur_facts::lang::supported()
            .find(|code| *code == value)
            .map(|code| Self(Some(code)))
            .ok_or_else(|| {
                let codes: Vec<&str> = glaneur_facts::lang::supported().collect();
                format!("no language pack for `{value}`; one of auto, {}", codes.join(", "))
            })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    guard::install_panic_hook();
    match cli.command {
        Command::Extract(args) => exit_status(extract(args)),
        Command::Fetch(args) => exit_status(fetch_command::run(args)),
        Command::Claims(args) => exit_status(claims_command::run(args)),
        Command::Schema { sql } => exit_status(schema(sql)),
        Command::Eval(args) => eval::run(
            &args.gold,
            &args.pred,
            eval::Options {
                errors: args.errors,
                json: args.json,
            },
        ),
    }
}

/// Prints the published schema.
fn schema(sql: bool) -> Result<bool, String> {
    let text = if sql {
        glaneur_sinks::sql::ddl().map_err(|e| format!("cannot build the schema: {e}"))?
    } else {
        let schema = glaneur_sinks::records::json_schema();
        serde_json::to_string_pretty(&schema).map_err(|e| format!("cannot build the schema: {e}"))? + "\n"
    };
    io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(true)
}

fn exit_status(result: Result<bool, String>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            let _ = writeln!(io::stderr(), "glaneur: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs `extract`; `Ok(false)` when some inputs failed.
fn extract(args: ExtractArgs) -> Result<bool, String> {
    let mut fields = JsonlFields::default();
    for setting in &args.jsonl_fields {
        fields.set(setting).map_err(|e| format!("--jsonl-field: {e}"))?;
    }
    let mut specs: Vec<Spec> = args
        .inputs
        .iter()
        .map(|p| match p.to_str() {
            Some("-") => Spec::Stdin,
            Some(url) if inputs::is_url(url) => Spec::Url(url.to_string()),
            _ => Spec::Path(p.clone()),
        })
        .collect();
    if let Some(list) = &args.files_from {
        specs.push(Spec::FilesFrom(list.clone()));
    }
    specs.extend(args.fetch.discovery_specs());
    // Cheap until used: it connects only when a URL comes.
    let fetcher = args.fetch.fetcher()?;
    let since = args.fetch.since()?;
    if specs.is_empty() {
        specs.push(Spec::Stdin);
    }
    let stdin_only = matches!(specs.as_slice(), [Spec::Stdin]);
    let shard = args.shard.unwrap_or(Shard::WHOLE);
    if shard != Shard::WHOLE && specs.iter().any(|s| matches!(s, Spec::Stdin)) {
        return Err("--shard splits files and URLs; standard input cannot be split".into());
    }
    // The ETA needs the whole size up front: known when every input is a
    // file named on the command line.
    let total_bytes = specs
        .iter()
        .map(|s| match s {
            Spec::Path(p) if p.is_file() && !shard.holds(p.as_os_str().as_encoded_bytes()) => Some(0),
            Spec::Path(p) if p.is_file() => p.metadata().ok().map(|m| m.len()),
            _ => None,
        })
        .sum::<Option<u64>>();

    let doc_timeout = Duration::try_from_secs_f64(args.doc_timeout).map_err(|e| format!("--doc-timeout: {e}"))?;
    let options = pipeline::Options { lang: args.lang.0 };
    let workers = stream::Workers::new(args.threads, doc_timeout);
    let sink = glaneur_sinks::open(glaneur_sinks::Options {
        format: args.format.into(),
        output: args.output.clone(),
        with_text: !args.no_text,
        csv_safe: args.csv_safe,
        arguments: std::env::args().skip(1).collect(),
    })
    .map_err(|e| format!("cannot write output: {e}"))?;

    let counters = Arc::new(Counters::default());
    let progress = Progress::new(args.quiet, total_bytes, Arc::clone(&counters));
    let summary = Summary::default();

    let fetches = specs.iter().any(Spec::may_fetch);
    let jobs = Jobs::new(specs, fields, Arc::clone(&counters), Arc::clone(&fetcher), since, shard);
    let jobs: Box<dyn Iterator<Item = Job> + Send> = if fetches {
        Box::new(fetching::fetched_jobs(jobs, fetcher, args.fetch.concurrency)?)
    } else {
        Box::new(jobs)
    };
    // Both callbacks use them; the stream calls one at a time.
    let (sink, progress, summary) = (RefCell::new(sink), RefCell::new(progress), RefCell::new(summary));
    stream::stream(
        jobs,
        workers,
        move |job, timer| pipeline::process(job, &options, timer),
        |result| {
            if let pipeline::Outcome::Failed(e) = &result.outcome {
                progress.borrow_mut().suspend(|| {
                    let _ = writeln!(io::stderr(), "glaneur: {}: {e}", result.source);
                });
            }
            summary.borrow_mut().add(&result);
            progress.borrow_mut().update(&summary.borrow());
            sink.borrow_mut()
                .write(&output::entry(&result))
                .map_err(|e| format!("cannot write output: {e}"))
        },
        // A reader downstream (a pipe, `rdd.pipe`) gets each document as
        // soon as the ones before it are written.
        || {
            sink.borrow_mut()
                .flush()
                .map_err(|e| format!("cannot write output: {e}"))
        },
    )?;
    let (sink, progress, summary) = (sink.into_inner(), progress.into_inner(), summary.into_inner());
    sink.finish().map_err(|e| format!("cannot write output: {e}"))?;
    progress.finish(&summary);
    // A filter's failed documents are records of its stream: a non-zero
    // status would make `rdd.pipe` or `xargs` redo or drop the whole part.
    let filter = stdin_only && counters.document_stream.load(Ordering::Relaxed);
    Ok(summary.error_count() == 0 || filter)
}
