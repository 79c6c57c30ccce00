//! `glaneur claims`: documents in (articles run through the pipeline, or
//! the JSONL records of `glaneur extract`), stories with their agreed,
//! disputed and single slots out, as a table or JSON.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::ValueEnum;
use serde_json::Value;

use glaneur_claims::{DocFact, Document, Slot, SlotValue, Status, Story};
use glaneur_fetch::{FetchOptions, Fetcher};

use crate::claims_report::grouped;
use crate::inputs::{self, Counters, Job, JsonlFields, Shard, Spec};
use crate::pipeline::{self, Outcome};
use crate::LangChoice;

/// How much of a text's opening grouping reads for names: a report
/// names who and what in its first sentences.
const LEAD_CHARS: usize = 1000;
/// Pages fetched at once, over all hosts, for URL inputs.
const FETCH_CONCURRENCY: usize = 8;
/// The width of `--format table`.
const TABLE_WIDTH: usize = 100;
/// Sentences listed a value, and sources a story, in the table; the rest
/// are counted.
const TABLE_SENTENCES: usize = 4;
const TABLE_SOURCES: usize = 12;
/// Documents named on a line before the rest are counted.
const TABLE_DOCS: usize = 6;

#[derive(clap::Args)]
pub struct ClaimsArgs {
    /// Articles, as `extract` reads them (files, directories, URLs), or
    /// `.jsonl` files of the records `glaneur extract` writes (told apart
    /// by their first record: `kind` `document`, `fact` or `error`);
    /// `-` or nothing reads such records from standard input.
    inputs: Vec<PathBuf>,
    /// Output format (default: `table` on a terminal, else `json`).
    #[arg(long, value_enum)]
    format: Option<ClaimsFormat>,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The articles' language (as for `extract`), or `auto`.
    #[arg(long, default_value = "auto", value_parser = LangChoice::parse)]
    lang: LangChoice,
    /// Worker threads for extraction (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Seconds one document's extraction may take.
    #[arg(long, default_value_t = 60.0)]
    doc_timeout: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClaimsFormat {
    /// One block a story, disputed slots first, each value with its
    /// sources and their sentences (100 columns).
    Table,
    /// A JSON array, one story object a line (`shared/spec/claims.md`).
    Json,
    /// One self-contained HTML page (use with `--output report.html`): per
    /// story the dates by source on a time axis, the disputed slots with
    /// each source's sentence, then the agreed and single ones, and the
    /// sources.
    Html,
}

/// Runs `claims`; `Ok(false)` when some inputs failed.
pub fn run(args: ClaimsArgs) -> Result<bool, String> {
    let mut documents = Vec::new();
    let mut all_read = true;
    let mut article_specs = Vec::new();
    let named: Vec<PathBuf> = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    for input in &named {
        match input.to_str() {
            Some("-") => all_read &= read_records(BufReader::new(io::stdin().lock()), "standard input", &mut documents),
            Some(url) if inputs::is_url(url) => article_specs.push(Spec::Url(url.to_string())),
            _ if holds_records(input) => {
                let name = input.display().to_string();
                match open(input) {
                    Ok(reader) => all_read &= read_records(reader, &name, &mut documents),
                    Err(e) => {
                        report(&name, &e);
                        all_read = false;
                    }
                }
            }
            _ => article_specs.push(Spec::Path(input.clone())),
        }
    }
    if !article_specs.is_empty() {
        all_read &= extract_articles(article_specs, &args, &mut documents)?;
    }

    let stories = glaneur_claims::stories(&documents);
    let format = args
        .format
        .unwrap_or(if args.output.is_none() && io::stdout().is_terminal() {
            ClaimsFormat::Table
        } else {
            ClaimsFormat::Json
        });
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    match format {
        ClaimsFormat::Table => write_table(&stories, &mut out),
        ClaimsFormat::Json => write_json(&stories, &mut out),
        ClaimsFormat::Html => crate::claims_report::render(&stories, &mut out),
    }
    .and_then(|()| out.flush())
    .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(all_read)
}

fn report(input: &str, message: &str) {
    let _ = writeln!(io::stderr(), "glaneur: {input}: {message}");
}

/// A `.jsonl` (or `.jsonl.gz`, `.ndjson`) file whose first record is one
/// `glaneur extract` writes; other JSONL files are dumps of articles.
fn holds_records(path: &Path) -> bool {
    let name = path.to_string_lossy();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if !(name.ends_with(".jsonl") || name.ends_with(".ndjson")) || !path.is_file() {
        return false;
    }
    let Ok(reader) = open(path) else {
        return false;
    };
    let first = reader.lines().map_while(Result::ok).find(|l| !l.trim().is_empty());
    first.is_some_and(|line| serde_json::from_str::<Value>(&line).is_ok_and(|r| record_kind(&r).is_some()))
}

/// `document`, `fact` or `error` when `record` is one of `extract`'s.
fn record_kind(record: &Value) -> Option<&str> {
    record["doc"].as_str()?;
    let kind = record["kind"].as_str()?;
    let is_fact = ["date", "amount", "gdpr_article", "authority"].contains(&kind);
    (kind == "document" || kind == "error" || is_fact).then_some(kind)
}

fn open(path: &Path) -> Result<Box<dyn BufRead>, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    Ok(if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    })
}

/// Reads `extract`'s records into documents: a `document` record opens
/// one, its facts join it by `doc`; an `error` record is reported as the
/// input it stands for. `false` when any line or input failed.
fn read_records(reader: impl BufRead, name: &str, documents: &mut Vec<Document>) -> bool {
    let mut all_read = true;
    let mut index: HashMap<String, usize> = HashMap::new();
    for (number, line) in reader.lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                report(name, &format!("cannot read line {}: {e}", number + 1));
                return false;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let record = match serde_json::from_str::<Value>(&line) {
            Ok(record) => record,
            Err(e) => {
                report(name, &format!("line {}: not JSON: {e}", number + 1));
                all_read = false;
                continue;
            }
        };
        let doc = record["doc"].as_str().unwrap_or_default().to_string();
        match record_kind(&record) {
            Some("document") => {
                index.insert(doc, documents.len());
                documents.push(document_of_record(&record));
            }
            Some("error") => {
                let source = record["source"].as_str().unwrap_or(&doc);
                report(source, record["message"].as_str().unwrap_or("failed in extract"));
                all_read = false;
            }
            Some(kind) => match index.get(&doc) {
                Some(&i) => documents[i].facts.push(fact_of_record(kind, &record)),
                None => {
                    report(
                        name,
                        &format!("line {}: a fact of `{doc}` before its document", number + 1),
                    );
                    all_read = false;
                }
            },
            None => {
                report(name, &format!("line {}: not a record of `glaneur extract`", number + 1));
                all_read = false;
            }
        }
    }
    all_read
}

fn document_of_record(record: &Value) -> Document {
    let text = |field: &str| record[field].as_str().map(str::to_string);
    let url = text("url");
    Document {
        id: text("doc").unwrap_or_default(),
        title: text("title"),
        site: text("site_name").or_else(|| url.as_deref().and_then(host)),
        url,
        published: text("published"),
        lang: text("lang"),
        lead: record["text"].as_str().map(lead).unwrap_or_default(),
        facts: Vec::new(),
    }
}

fn fact_of_record(kind: &str, record: &Value) -> DocFact {
    let text = |field: &str| record[field].as_str().map(str::to_string);
    let offset = |field: &str| record[field].as_u64().unwrap_or_default() as usize;
    let role = text("role");
    DocFact {
        kind: kind.to_string(),
        // Only a roled fact's sentence is shown (in its slot): the others
        // are not kept, for memory on large runs.
        sentence: if role.is_some() {
            text("sentence").unwrap_or_default()
        } else {
            String::new()
        },
        role,
        issuer: text("issuer"),
        subject: text("subject"),
        value: record["value"].clone(),
        text: text("text").unwrap_or_default(),
        start: offset("start"),
        end: offset("end"),
    }
}

/// Runs the articles through `extract`'s pipeline (the same ordered
/// stream of workers), keeping of each what the claims need; a failed
/// input is reported and the rest goes on.
fn extract_articles(specs: Vec<Spec>, args: &ClaimsArgs, documents: &mut Vec<Document>) -> Result<bool, String> {
    let options = pipeline::Options { lang: args.lang.0 };
    let doc_timeout = Duration::try_from_secs_f64(args.doc_timeout).map_err(|e| format!("--doc-timeout: {e}"))?;
    let workers = crate::stream::Workers::new(args.threads, doc_timeout);
    let fetcher = Arc::new(Fetcher::new(FetchOptions::default(), None));
    let fetches = specs.iter().any(Spec::may_fetch);
    let jobs = inputs::Jobs::new(
        specs,
        JsonlFields::default(),
        Arc::new(Counters::default()),
        Arc::clone(&fetcher),
        None,
        Shard::WHOLE,
    );
    let jobs: Box<dyn Iterator<Item = Job> + Send> = if fetches {
        Box::new(crate::fetching::fetched_jobs(jobs, fetcher, FETCH_CONCURRENCY)?)
    } else {
        Box::new(jobs)
    };
    let mut all_read = true;
    crate::stream::stream(
        jobs,
        workers,
        move |job, timer| pipeline::process(job, &options, timer),
        |result| {
            match result.outcome {
                Outcome::Extracted { article, facts } => {
                    let url = result.provenance.url.or(article.url);
                    documents.push(Document {
                        id: result.id,
                        site: article.site_name.or_else(|| url.as_deref().and_then(host)),
                        url,
                        title: article.title,
                        published: article.published.map(|d| d.to_string()),
                        lang: article.lang,
                        lead: lead(&article.text),
                        facts: facts.into_iter().map(doc_fact).collect(),
                    });
                }
                Outcome::Failed(e) => {
                    report(&result.source, &e.to_string());
                    all_read = false;
                }
            }
            Ok(())
        },
        || Ok(()),
    )?;
    Ok(all_read)
}

fn doc_fact(fact: glaneur_facts::Fact) -> DocFact {
    let role = fact
        .role
        .and_then(|role| serde_json::to_value(role).ok())
        .and_then(|role| role.as_str().map(str::to_string));
    DocFact {
        kind: fact.value.kind().to_string(),
        value: serde_json::to_value(&fact.value).unwrap_or(Value::Null),
        sentence: if role.is_some() {
            fact.sentence.to_string()
        } else {
            String::new()
        },
        role,
        issuer: fact.issuer,
        subject: fact.subject,
        text: fact.text,
        start: fact.start,
        end: fact.end,
    }
}

fn lead(text: &str) -> String {
    text.chars().take(LEAD_CHARS).collect()
}

/// The host of a URL, without `www.`: the site that published it.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.strip_prefix("www.").unwrap_or(host).to_lowercase())
}

/// A JSON array, one story a line: valid JSON, and easy to stream through
/// line tools.
fn write_json(stories: &[Story], out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "[")?;
    for (n, story) in stories.iter().enumerate() {
        serde_json::to_writer(&mut *out, story)?;
        writeln!(out, "{}", if n + 1 < stories.len() { "," } else { "" })?;
    }
    writeln!(out, "]")
}

fn write_table(stories: &[Story], out: &mut impl Write) -> io::Result<()> {
    for story in stories {
        let sources = if story.docs.len() == 1 { "source" } else { "sources" };
        let heading = format!(
            "Story {} · {} {sources} · {}",
            story.story,
            story.docs.len(),
            story.title
        );
        writeln!(out, "{}", fit(&heading, TABLE_WIDTH))?;
        for source in story.sources.iter().take(TABLE_SOURCES) {
            let line = format!(
                "  {}  {}  {}  {}",
                source.doc,
                source.published.as_deref().unwrap_or("—"),
                source.site.as_deref().unwrap_or("—"),
                source.title.as_deref().unwrap_or("")
            );
            writeln!(out, "{}", fit(&line, TABLE_WIDTH))?;
        }
        if story.sources.len() > TABLE_SOURCES {
            writeln!(out, "  … and {} more sources", story.sources.len() - TABLE_SOURCES)?;
        }
        for slot in &story.slots {
            write_slot(slot, out)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_slot(slot: &Slot, out: &mut impl Write) -> io::Result<()> {
    let status = match slot.status {
        Status::Disputed => "DISPUTED",
        Status::Agreed => "agreed",
        Status::Single => "single",
    };
    let mut name = vec![slot.kind.as_str(), slot.role.as_str()];
    name.extend(slot.issuer.as_deref());
    name.extend(slot.subject.as_deref());
    writeln!(
        out,
        "{}",
        fit(&format!("  {status:<8}  {}", name.join(" · ")), TABLE_WIDTH)
    )?;
    for value in &slot.values {
        write_value(&slot.kind, value, out)?;
    }
    Ok(())
}

/// A value and its documents, then its sentences, each once with the
/// documents that wrote it (copies of a wire story share theirs), cut
/// around the mention.
fn write_value(kind: &str, value: &SlotValue, out: &mut impl Write) -> io::Result<()> {
    let mut docs: Vec<&str> = value.docs.iter().map(|e| e.doc.as_str()).collect();
    docs.dedup();
    let line = format!("    = {}  ({})", shown_value(kind, &value.value), listed(&docs));
    writeln!(out, "{}", fit(&line, TABLE_WIDTH))?;
    let mut sentences: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for evidence in &value.docs {
        match sentences.iter_mut().find(|(s, _, _)| *s == evidence.sentence) {
            Some((_, _, docs)) if docs.last() != Some(&evidence.doc.as_str()) => docs.push(&evidence.doc),
            Some(_) => {}
            None => sentences.push((&evidence.sentence, &evidence.text, vec![&evidence.doc])),
        }
    }
    for (sentence, mention, docs) in sentences.iter().take(TABLE_SENTENCES) {
        let prefix = format!("      {}: ", listed(docs));
        let room = TABLE_WIDTH.saturating_sub(prefix.chars().count()).max(20);
        writeln!(
            out,
            "{}",
            fit(&format!("{prefix}{}", around(sentence, mention, room)), TABLE_WIDTH)
        )?;
    }
    if sentences.len() > TABLE_SENTENCES {
        writeln!(out, "      … {} more sentences", sentences.len() - TABLE_SENTENCES)?;
    }
    Ok(())
}

/// `a, b, c` or, for many, the first few and how many more.
fn listed(docs: &[&str]) -> String {
    if docs.len() <= TABLE_DOCS {
        return docs.join(", ");
    }
    format!("{} +{}", docs[..TABLE_DOCS].join(", "), docs.len() - TABLE_DOCS)
}

/// A value as a reader writes it: `2022-10-20`, `20,000,000 EUR per day`,
/// `articles 6, 12, 15, 17`, `CNIL`.
fn shown_value(kind: &str, value: &Value) -> String {
    match kind {
        "amount" => {
            let amount = value["amount"].as_f64().map(grouped).unwrap_or_default();
            let currency = value["currency"].as_str().unwrap_or("");
            match value["per"].as_str() {
                Some(per) => format!("{amount} {currency} per {per}"),
                None => format!("{amount} {currency}"),
            }
        }
        "gdpr_article" => {
            let numbers: Vec<String> = match value {
                Value::Array(articles) => articles.iter().map(|a| a["article"].to_string()).collect(),
                other => vec![other["article"].to_string()],
            };
            format!("articles {}", numbers.join(", "))
        }
        "authority" => value["name"].as_str().unwrap_or("").to_string(),
        _ => value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string()),
    }
}

/// At most `width` characters of `sentence`, centred on `mention`.
fn around(sentence: &str, mention: &str, width: usize) -> String {
    let sentence: Vec<char> = sentence
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    if sentence.len() <= width {
        return sentence.into_iter().collect();
    }
    let joined: String = sentence.iter().collect();
    let at = joined
        .find(mention)
        .map(|byte| joined[..byte].chars().count())
        .unwrap_or(0);
    let inner = width - 2;
    let start = at.saturating_sub(inner / 3).min(sentence.len() - inner);
    let end = start + inner;
    let mut out = String::new();
    out.push(if start > 0 { '…' } else { ' ' });
    out.extend(&sentence[start..end]);
    out.push(if end < sentence.len() { '…' } else { ' ' });
    out.trim().to_string()
}

/// `line` cut to `width` characters.
fn fit(line: &str, width: usize) -> String {
    if line.chars().count() <= width {
        return line.to_string();
    }
    let mut out: String = line.chars().take(width - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_grouped_by_thousands() {
        assert_eq!(grouped(20_000_000.0), "20,000,000");
        assert_eq!(grouped(5200.0), "5,200");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1.5), "1.5");
    }

    #[test]
    fn a_long_sentence_is_cut_around_its_mention() {
        let sentence = format!(
            "{} la CNIL a prononcé le 20 octobre 2022 une sanction {}",
            "a ".repeat(80),
            "b ".repeat(80)
        );
        let shown = around(&sentence, "20 octobre 2022", 60);
        assert!(shown.chars().count() <= 60, "{shown}");
        assert!(shown.contains("20 octobre 2022"), "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
    }

    #[test]
    fn the_site_is_the_host_without_www() {
        assert_eq!(
            host("https://www.lemonde.fr/pixels/article.html").as_deref(),
            Some("lemonde.fr")
        );
        assert_eq!(host("http://user@example.org:8080/x").as_deref(), Some("example.org"));
        assert_eq!(host("not a url"), None);
    }
}
