//! `glaneur`: news articles in, checkable facts out.

mod inputs;
mod output;
mod pipeline;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::output::Format;

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
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Files or directories (walked recursively in sorted order); `-` or
    /// nothing reads one document from standard input.
    inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Write here instead of standard output; for `csv`, a directory gets
    /// `documents.csv` and `facts.csv`.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The articles' language, or `auto` to detect it per article.
    #[arg(long, value_enum, default_value_t = LangChoice::Auto)]
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

#[derive(Clone, Copy, ValueEnum)]
enum LangChoice {
    Auto,
    Fr,
    En,
}

impl LangChoice {
    fn code(self) -> Option<&'static str> {
        match self {
            LangChoice::Auto => None,
            LangChoice::Fr => Some("fr"),
            LangChoice::En => Some("en"),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => match extract(args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                let _ = writeln!(io::stderr(), "glaneur: {e}");
                ExitCode::from(2)
            }
        },
    }
}

/// Runs `extract`; `Ok(false)` when some inputs failed.
fn extract(args: ExtractArgs) -> Result<bool, String> {
    let inputs = inputs::expand(&args.inputs).map_err(|e| e.to_string())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let doc_timeout = Duration::try_from_secs_f64(args.doc_timeout).map_err(|e| format!("--doc-timeout: {e}"))?;
    let options = pipeline::Options {
        lang: args.lang.code(),
        doc_timeout,
    };
    let mut sink = output::Sink::create(args.format, args.output.as_deref(), !args.no_text)
        .map_err(|e| format!("cannot write output: {e}"))?;
    let mut all_ok = true;
    // Batches bound memory: a batch is read, processed in parallel and
    // written in input order before the next one is read.
    let batch = 64 * pool.current_num_threads();
    for chunk in inputs.chunks(batch) {
        let results = pool.install(|| {
            use rayon::prelude::*;
            chunk
                .par_iter()
                .map(|input| pipeline::process(input, &options))
                .collect::<Vec<_>>()
        });
        for result in &results {
            if let pipeline::Outcome::Failed(e) = &result.outcome {
                all_ok = false;
                let _ = writeln!(io::stderr(), "glaneur: {}: {e}", result.input.source);
            }
            sink.write(result).map_err(|e| format!("cannot write output: {e}"))?;
        }
    }
    sink.finish().map_err(|e| format!("cannot write output: {e}"))?;
    Ok(all_ok)
}
