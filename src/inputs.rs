//! The inputs of a run, streamed: named files, directories walked in sorted
//! order one directory at a time, `--files-from` lists, standard input (one
//! document, or JSONL documents as a filter), and the records of WARC and
//! JSONL files; each becomes one [`Job`] with its document identifier.
//! `--shard K/N` keeps the inputs whose path hashes into part K of N.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use glaneur_articles::MAX_INPUT_BYTES;
use glaneur_facts::PartialDate;
use glaneur_fetch::{discover, FetchError, Fetcher};
use glaneur_warc::{ArchiveItem, WarcReader};
use serde_json::Value;

use crate::failure::{code, Failure};
use crate::guard;
use crate::published;

/// Extensions of articles, stripped from file names to make `doc`.
const ARTICLE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "txt", "text"];
const WARC_EXTENSIONS: &[&str] = &["warc"];
const JSONL_EXTENSIONS: &[&str] = &["jsonl", "ndjson"];

/// Where a job's bytes are.
pub enum Payload {
    /// A file, read (and gunzipped) by the worker.
    File(PathBuf),
    /// A page, fetched by the worker.
    Url(String),
    Stdin,
    /// A record's content, already read from its archive or dump.
    Bytes(Vec<u8>),
    /// A record that could not be read.
    Failed(Failure),
}

/// One document to process, as the reading made it: workers consume it,
/// they do not change it.
pub struct Job {
    /// The document identifier (`doc` of its records).
    pub id: String,
    /// Where it came from: a path, a URL, a WARC file and offset.
    pub source: String,
    pub payload: Payload,
    pub provenance: Provenance,
}

/// What came with a document besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The address it was read from (a WARC target URI, a JSONL `url`).
    pub url: Option<String>,
    /// When it was fetched (`WARC-Date`).
    pub fetched: Option<String>,
    /// Publication date given with it (a JSONL `published`): it wins.
    pub published: Option<PartialDate>,
    /// Publication date a feed or sitemap gave: used when the page has none.
    pub published_hint: Option<PartialDate>,
    /// Language given with it (a JSONL `lang`).
    pub lang: Option<String>,
    /// Charset declared by the transport (HTTP `Content-Type`).
    pub charset: Option<String>,
    /// A file name whose extension tells what the bytes are (`page.txt`
    /// for a JSONL `text`).
    pub name_hint: Option<String>,
}

impl Job {
    fn new(id: String, source: String, payload: Payload) -> Self {
        Self {
            id,
            source,
            payload,
            provenance: Provenance::default(),
        }
    }

    fn with(self, provenance: Provenance) -> Self {
        Self { provenance, ..self }
    }
}

/// Field names of JSONL records (`--jsonl-field html=body`).
#[derive(Debug, Clone)]
pub struct JsonlFields {
    pub html: String,
    pub text: String,
    pub url: String,
    pub id: String,
    pub published: String,
    pub lang: String,
}

impl Default for JsonlFields {
    fn default() -> Self {
        Self {
            html: "html".into(),
            text: "text".into(),
            url: "url".into(),
            id: "id".into(),
            published: "published".into(),
            lang: "lang".into(),
        }
    }
}

impl JsonlFields {
    /// Applies one `KEY=NAME` setting.
    pub fn set(&mut self, setting: &str) -> Result<(), String> {
        let (key, name) = setting
            .split_once('=')
            .ok_or_else(|| format!("{setting:?} is not KEY=NAME"))?;
        let field = match key {
            "html" => &mut self.html,
            "text" => &mut self.text,
            "url" => &mut self.url,
            "id" => &mut self.id,
            "published" => &mut self.published,
            "lang" => &mut self.lang,
            other => {
                return Err(format!(
                    "unknown JSONL key {other:?} (html, text, url, id, published, lang)"
                ))
            }
        };
        *field = name.to_string();
        Ok(())
    }
}

/// What the run reads, as the user named it.
pub enum Spec {
    Path(PathBuf),
    Url(String),
    /// An RSS or Atom feed whose entries are fetched.
    Feed(String),
    /// A sitemap (or sitemap index) whose pages are fetched.
    Sitemap(String),
    Stdin,
    /// A file listing one path per line (`-`: standard input).
    FilesFrom(PathBuf),
}

/// Counts kept while streaming, for the progress line and the summary.
#[derive(Default)]
pub struct Counters {
    /// Input bytes read so far (compressed, as on disk).
    pub bytes: AtomicU64,
    /// WARC records that hold no article (requests, images, redirects).
    pub skipped: AtomicU64,
    /// Files, archives and dumps opened.
    pub inputs: AtomicU64,
    /// Standard input held JSONL documents (filter mode): a document that
    /// fails is an `error` record of the stream, not a failed run.
    pub document_stream: AtomicBool,
}

/// `--shard K/N`: of the inputs a run would process, those whose path (or
/// URL) falls in part K of N. Part of a key: `floor(fnv1a64(key) * N / 2^64) + 1`,
/// so the N parts of one run never change with the machine or the Rust version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1 to `count`.
    part: u64,
    count: u64,
}

impl Shard {
    /// The whole run: one part of one.
    pub const WHOLE: Shard = Shard { part: 1, count: 1 };

    pub fn holds(&self, key: &[u8]) -> bool {
        self.part_of(key) == self.part
    }

    fn part_of(&self, key: &[u8]) -> u64 {
        // The high bits of the hash, which FNV mixes best, pick the part.
        ((u128::from(fnv1a64(key)) * u128::from(self.count)) >> 64) as u64 + 1
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not K/N with 1 <= K <= N");
        let (part, count) = s.split_once('/').ok_or_else(bad)?;
        let part: u64 = part.trim().parse().map_err(|_| bad())?;
        let count: u64 = count.trim().parse().map_err(|_| bad())?;
        if part == 0 || part > count {
            return Err(bad());
        }
        Ok(Shard { part, count })
    }
}

/// 64-bit FNV-1a, written out: a hash whose values are fixed by its
/// definition (std's `DefaultHasher` may change between Rust versions).
fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET_BASIS, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// One input of a run, before it is read: what `--shard` splits.
enum Input {
    /// An article, or an archive or dump whose records are the documents.
    File(PathBuf),
    /// A page to fetch.
    Page {
        url: String,
        published_hint: Option<PartialDate>,
    },
    Stdin,
    /// A directory that cannot be listed.
    Unlisted {
        dir: PathBuf,
        error: io::Error,
    },
    /// An input that failed before giving any document (a list that cannot
    /// be read, a feed that cannot be fetched): its error record.
    Failed(Job),
}

impl Input {
    /// What `--shard` hashes: the path as the run names it, or the URL.
    fn shard_key(&self) -> &[u8] {
        match self {
            Input::File(path) => path.as_os_str().as_encoded_bytes(),
            Input::Page { url, .. } => url.as_bytes(),
            Input::Stdin => b"-",
            Input::Unlisted { dir, .. } => dir.as_os_str().as_encoded_bytes(),
            Input::Failed(job) => job.source.as_bytes(),
        }
    }

    /// The `doc` of its one record when it is known without reading the
    /// input; `None` for archives and dumps, whose names are inside.
    fn name_up_front(&self) -> Option<String> {
        match self {
            Input::File(path) if kind_of(path).unwrap_or(Kind::Article) == Kind::Article => Some(doc_id(path)),
            Input::File(_) | Input::Stdin => None,
            Input::Page { url, .. } => Some(url.clone()),
            Input::Unlisted { dir, .. } => Some(doc_id(dir)),
            Input::Failed(job) => Some(job.id.clone()),
        }
    }

    fn jobs(self, ctx: &Context) -> Box<dyn Iterator<Item = Job> + Send> {
        match self {
            Input::File(path) => file_jobs(path, ctx.fields.clone(), Arc::clone(&ctx.counters)),
            Input::Page { url, published_hint } => Box::new(std::iter::once(url_job(url, published_hint))),
            Input::Stdin => stdin_jobs(ctx),
            Input::Unlisted { dir, error } => {
                ctx.counters.inputs.fetch_add(1, Ordering::Relaxed);
                let job = Job::new(
                    doc_id(&dir),
                    dir.display().to_string(),
                    Payload::Failed(unreadable(error)),
                );
                Box::new(std::iter::once(job))
            }
            Input::Failed(job) => Box::new(std::iter::once(job)),
        }
    }
}

impl Spec {
    /// Whether its jobs may be URLs to fetch.
    pub fn may_fetch(&self) -> bool {
        matches!(
            self,
            Spec::Url(_) | Spec::Feed(_) | Spec::Sitemap(_) | Spec::FilesFrom(_)
        )
    }
}

/// Streams the jobs of all specs, in order, with unique `doc`s.
pub struct Jobs {
    specs: std::vec::IntoIter<Spec>,
    /// The inputs of the spec being read.
    inputs: Box<dyn Iterator<Item = Input> + Send>,
    /// The jobs of the input being read.
    current: Box<dyn Iterator<Item = Job> + Send>,
    /// How often each `doc` was given, by a 64-bit hash of it: a few bytes
    /// a document however long its URL, for runs of millions.
    seen: HashMap<u64, u32>,
    shard: Shard,
    context: Context,
}

impl Jobs {
    /// `fetcher` reads feeds and sitemaps (`since` filters their entries);
    /// only the inputs of `shard` are read.
    pub fn new(
        specs: Vec<Spec>,
        fields: JsonlFields,
        counters: Arc<Counters>,
        fetcher: Arc<Fetcher>,
        since: Option<PartialDate>,
        shard: Shard,
    ) -> Self {
        Self {
            specs: specs.into_iter(),
            inputs: Box::new(std::iter::empty()),
            current: Box::new(std::iter::empty()),
            seen: HashMap::new(),
            shard,
            context: Context {
                fields,
                counters,
                fetcher,
                since,
            },
        }
    }

    /// The inputs of one spec, lazily.
    fn expand(&self, spec: Spec) -> Box<dyn Iterator<Item = Input> + Send> {
        let ctx = self.context.clone();
        match spec {
            Spec::Stdin => Box::new(std::iter::once(Input::Stdin)),
            Spec::Path(path) => path_inputs(path),
            Spec::Url(url) => Box::new(std::iter::once(Input::Page {
                url,
                published_hint: None,
            })),
            Spec::Feed(url) => discovered(url, &ctx, discover::feed),
            Spec::Sitemap(url) => discovered(url, &ctx, discover::sitemap),
            Spec::FilesFrom(list) => {
                let lines: Box<dyn Iterator<Item = io::Result<String>> + Send> = if list.as_os_str() == "-" {
                    Box::new(BufReader::new(io::stdin()).lines())
                } else {
                    match File::open(&list) {
                        Ok(f) => Box::new(BufReader::new(f).lines()),
                        Err(e) => {
                            let job = Job::new(
                                doc_id(&list),
                                list.display().to_string(),
                                Payload::Failed(unreadable(e)),
                            );
                            return Box::new(std::iter::once(Input::Failed(job)));
                        }
                    }
                };
                Box::new(
                    lines
                        .map_while(Result::ok)
                        .filter(|l| !l.trim().is_empty())
                        .flat_map(|line| {
                            let line = line.trim();
                            if is_url(line) {
                                Box::new(std::iter::once(Input::Page {
                                    url: line.to_string(),
                                    published_hint: None,
                                })) as Box<dyn Iterator<Item = Input> + Send>
                            } else {
                                path_inputs(PathBuf::from(line))
                            }
                        }),
                )
            }
        }
    }

    /// `base`, or `base~N` when it is the Nth time the run gives it.
    fn numbered(&mut self, base: String) -> String {
        let n = self.seen.entry(fnv1a64(base.as_bytes())).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            format!("{base}~{n}")
        }
    }
}

/// What expanding a spec needs.
#[derive(Clone)]
struct Context {
    fields: JsonlFields,
    counters: Arc<Counters>,
    fetcher: Arc<Fetcher>,
    since: Option<PartialDate>,
}

/// An `http://` or `https://` address, as opposed to a path.
pub fn is_url(s: &str) -> bool {
    let lower = s.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn path_inputs(path: PathBuf) -> Box<dyn Iterator<Item = Input> + Send> {
    if path.is_dir() {
        Box::new(walk(path).map(|entry| match entry {
            Ok(file) => Input::File(file),
            Err((dir, error)) => Input::Unlisted { dir, error },
        }))
    } else {
        Box::new(std::iter::once(Input::File(path)))
    }
}

/// A page to fetch: `doc` is the URL as asked for.
fn url_job(url: String, published_hint: Option<PartialDate>) -> Job {
    Job::new(url.clone(), url.clone(), Payload::Url(url)).with(Provenance {
        published_hint,
        ..Provenance::default()
    })
}

/// Reads a feed or a sitemap into the pages it lists.
type Discovery = fn(&Fetcher, &str) -> Result<Vec<discover::Entry>, FetchError>;

/// The pages a feed or sitemap lists, or one error record for it.
fn discovered(url: String, ctx: &Context, find: Discovery) -> Box<dyn Iterator<Item = Input> + Send> {
    ctx.counters.inputs.fetch_add(1, Ordering::Relaxed);
    match find(&ctx.fetcher, &url) {
        Ok(entries) => {
            let since = ctx.since;
            Box::new(entries.into_iter().filter_map(move |e| {
                let published = e.published.as_deref().and_then(published::feed_date);
                published::is_since(published, since).then_some(Input::Page {
                    url: e.url,
                    published_hint: published,
                })
            }))
        }
        Err(e) => {
            let job = Job::new(url.clone(), url, Payload::Failed(Failure::from(e)));
            Box::new(std::iter::once(Input::Failed(job)))
        }
    }
}

/// Standard input: JSONL documents, one a line, when it starts with a JSON
/// object (a filter fed by `rdd.pipe`, `xargs` or GNU parallel); otherwise
/// one document.
fn stdin_jobs(ctx: &Context) -> Box<dyn Iterator<Item = Job> + Send> {
    ctx.counters.inputs.fetch_add(1, Ordering::Relaxed);
    let blank_lines = json_object_start(&mut io::stdin().lock());
    if let Some(blank_lines) = blank_lines {
        ctx.counters.document_stream.store(true, Ordering::Relaxed);
        let lines: Box<dyn BufRead + Send> = Box::new(BufReader::new(io::stdin()));
        Box::new(Guarded {
            records: jsonl_records(lines, blank_lines, "-".into(), "stdin".into(), ctx.fields.clone()),
            source: "-".into(),
            doc: "stdin".into(),
            panics_in_a_row: 0,
            done: false,
        })
    } else {
        Box::new(std::iter::once(Job::new(String::new(), "-".into(), Payload::Stdin)))
    }
}

/// When the first byte after blanks is `{`: how many lines the blanks
/// took. It takes nothing from the reader but blanks, so that what the
/// reader holds is still the whole input.
fn json_object_start(reader: &mut impl BufRead) -> Option<usize> {
    let mut blank_lines = 0;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        if buf.is_empty() {
            return None;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => return (buf[i] == b'{').then_some(blank_lines),
            None => {
                let blanks = buf.len();
                blank_lines += buf.iter().filter(|&&b| b == b'\n').count();
                reader.consume(blanks);
            }
        }
    }
}

impl Iterator for Jobs {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        loop {
            if let Some(mut job) = self.current.next() {
                let base = if job.id.is_empty() {
                    "stdin".to_string()
                } else {
                    std::mem::take(&mut job.id)
                };
                job.id = self.numbered(base);
                return Some(job);
            }
            if let Some(input) = self.inputs.next() {
                if self.shard.holds(input.shard_key()) {
                    self.current = input.jobs(&self.context);
                } else if let Some(name) = input.name_up_front() {
                    // Another shard's document still takes its name here,
                    // so that this shard's `~N` are those of the whole run.
                    self.numbered(name);
                }
                continue;
            }
            let spec = self.specs.next()?;
            self.inputs = self.expand(spec);
        }
    }
}

fn unreadable(e: io::Error) -> Failure {
    Failure::new(code::UNREADABLE, e.to_string())
}

/// Files below `dir`, sorted, one directory listed at a time. Inside a
/// directory only articles and archives are taken (`.html`, `.htm`,
/// `.xhtml`, `.txt`, `.warc`, those gzipped, or no extension). JSONL files
/// are read only when named: a directory's `.jsonl` may as well be
/// annotations or logs as a dump of articles. A directory that cannot be
/// listed is given with its error, not skipped.
fn walk(dir: PathBuf) -> impl Iterator<Item = Result<PathBuf, (PathBuf, io::Error)>> + Send {
    let mut stack: Vec<PathBuf> = vec![dir];
    let mut files: std::vec::IntoIter<PathBuf> = Vec::new().into_iter();
    std::iter::from_fn(move || loop {
        if let Some(f) = files.next() {
            return Some(Ok(f));
        }
        let dir = stack.pop()?;
        let listed = fs::read_dir(&dir).and_then(|entries| {
            entries
                .map(|e| e.map(|e| e.path()))
                .collect::<io::Result<Vec<PathBuf>>>()
        });
        let mut paths = match listed {
            Ok(paths) => paths,
            Err(e) => return Some(Err((dir, e))),
        };
        paths.retain(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        });
        paths.sort();
        // Files of a directory come before its subdirectories' files, and
        // subdirectories in sorted order.
        let (dirs, here): (Vec<PathBuf>, Vec<PathBuf>) = paths.into_iter().partition(|p| p.is_dir());
        stack.extend(dirs.into_iter().rev());
        files = here
            .into_iter()
            .filter(|p| matches!(kind_of(p), Some(Kind::Article | Kind::Warc)))
            .collect::<Vec<_>>()
            .into_iter();
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Warc,
    Jsonl,
}

/// What a file is by its name: `None` for files a directory walk skips.
fn kind_of(path: &Path) -> Option<Kind> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match name.rsplit_once('.') {
        Some((_, ext)) if ARTICLE_EXTENSIONS.contains(&ext) => Some(Kind::Article),
        Some((_, ext)) if WARC_EXTENSIONS.contains(&ext) => Some(Kind::Warc),
        Some((_, ext)) if JSONL_EXTENSIONS.contains(&ext) => Some(Kind::Jsonl),
        Some(_) => None,
        None => Some(Kind::Article),
    }
}

/// The jobs of one file: itself, or the records of an archive or dump. A
/// file named explicitly is always taken, as an article unless its name
/// says WARC or JSONL.
fn file_jobs(path: PathBuf, fields: JsonlFields, counters: Arc<Counters>) -> Box<dyn Iterator<Item = Job> + Send> {
    counters.inputs.fetch_add(1, Ordering::Relaxed);
    let source = path.display().to_string();
    let kind = kind_of(&path).unwrap_or(Kind::Article);
    if kind == Kind::Article {
        counters
            .bytes
            .fetch_add(fs::metadata(&path).map(|m| m.len()).unwrap_or(0), Ordering::Relaxed);
        let job = Job::new(doc_id(&path), source, Payload::File(path.clone()));
        return Box::new(std::iter::once(job));
    }
    let file = match File::open(&path) {
        Ok(f) => CountingFile {
            file: f,
            counters: Arc::clone(&counters),
        },
        Err(e) => {
            let job = Job::new(doc_id(&path), source, Payload::Failed(unreadable(e)));
            return Box::new(std::iter::once(job));
        }
    };
    let doc = doc_id(&path);
    let records = match kind {
        Kind::Warc => warc_jobs(path, file, counters),
        _ => jsonl_jobs(path, file, fields),
    };
    Box::new(Guarded {
        records,
        source,
        doc,
        panics_in_a_row: 0,
        done: false,
    })
}

/// The records of one archive or dump, read under a guard: a panic while
/// reading is an `internal_error` record for the file, and reading goes on
/// with the next record; after a few panics in a row the reader is taken to
/// be stuck and the file is given up, with a last error record that says so.
struct Guarded {
    records: Box<dyn Iterator<Item = Job> + Send>,
    source: String,
    doc: String,
    panics_in_a_row: u32,
    done: bool,
}

const MAX_PANICS_IN_A_ROW: u32 = 3;

impl Iterator for Guarded {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        if self.done {
            return None;
        }
        let records = &mut self.records;
        let next = guard::catching(|| {
            let job = records.next();
            if let Some(job) = &job {
                guard::test_panic("read", &job.source);
            }
            Ok(job)
        });
        match next {
            Ok(job) => {
                self.panics_in_a_row = 0;
                job
            }
            Err(mut error) => {
                self.panics_in_a_row += 1;
                if self.panics_in_a_row >= MAX_PANICS_IN_A_ROW {
                    self.done = true;
                    error.message.push_str("; the rest of the file is not read");
                }
                Some(Job::new(self.doc.clone(), self.source.clone(), Payload::Failed(error)))
            }
        }
    }
}

/// A file that adds what is read from it to the byte counter.
struct CountingFile {
    file: File,
    counters: Arc<Counters>,
}

impl Read for CountingFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.counters.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn warc_jobs(path: PathBuf, file: CountingFile, counters: Arc<Counters>) -> Box<dyn Iterator<Item = Job> + Send> {
    let name = path.display().to_string();
    let stem = doc_id(&path);
    Box::new(
        glaneur_warc::pages(WarcReader::new(file)).filter_map(move |item| match item {
            ArchiveItem::Skipped => {
                counters.skipped.fetch_add(1, Ordering::Relaxed);
                None
            }
            ArchiveItem::Failed(e) => {
                let mut error = Failure::from(e.error);
                if let Some(uri) = &e.uri {
                    error.message = format!("{} (WARC-Target-URI {uri})", error.message);
                }
                let job = Job::new(
                    format!("{stem}@{}", e.offset),
                    format!("{name}@{}", e.offset),
                    Payload::Failed(error),
                );
                Some(job.with(Provenance {
                    url: e.uri,
                    ..Provenance::default()
                }))
            }
            ArchiveItem::Page(page) => {
                let job = Job::new(
                    page.uri.clone().unwrap_or_else(|| format!("{stem}@{}", page.offset)),
                    format!("{name}@{}", page.offset),
                    Payload::Bytes(page.body),
                );
                Some(job.with(Provenance {
                    url: page.uri,
                    fetched: page.date,
                    charset: page.charset,
                    name_hint: Some("page.html".into()),
                    ..Provenance::default()
                }))
            }
        }),
    )
}

fn jsonl_jobs(path: PathBuf, file: CountingFile, fields: JsonlFields) -> Box<dyn Iterator<Item = Job> + Send> {
    let reader: Box<dyn BufRead + Send> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    jsonl_records(reader, 0, path.display().to_string(), doc_id(&path), fields)
}

/// One job a non-blank line; `source` is `NAME:LINE`, and a line without
/// `id` or `url` is named `STEM:LINE`. `lines_before`: lines already
/// taken from the input.
fn jsonl_records(
    reader: Box<dyn BufRead + Send>,
    lines_before: usize,
    name: String,
    stem: String,
    fields: JsonlFields,
) -> Box<dyn Iterator<Item = Job> + Send> {
    Box::new(
        BoundedLines {
            reader,
            max: MAX_INPUT_BYTES,
        }
        .enumerate()
        .filter(|(_, line)| {
            line.as_ref().map_or(true, |l| {
                l.as_ref().map_or(true, |l| !l.iter().all(u8::is_ascii_whitespace))
            })
        })
        .map(move |(i, line)| {
            let line_number = lines_before + i + 1;
            let source = format!("{name}:{line_number}");
            let fallback_doc = format!("{stem}:{line_number}");
            match line {
                Ok(Ok(line)) => jsonl_job(&line, source, fallback_doc, &fields),
                Ok(Err(length)) => {
                    let message =
                        format!("a line of {length} bytes, more than the {MAX_INPUT_BYTES} a document may have");
                    Job::new(
                        fallback_doc,
                        source,
                        Payload::Failed(Failure::new(code::TOO_LARGE, message)),
                    )
                }
                Err(e) => {
                    let code = if e.kind() == io::ErrorKind::UnexpectedEof {
                        code::TRUNCATED_GZIP
                    } else {
                        code::UNREADABLE
                    };
                    Job::new(fallback_doc, source, Payload::Failed(Failure::new(code, e.to_string())))
                }
            }
        }),
    )
}

/// The lines of a dump, each read into memory only up to `max` bytes: a
/// longer one is skipped to its end and given as its length.
struct BoundedLines<R> {
    reader: R,
    max: usize,
}

impl<R: BufRead> Iterator for BoundedLines<R> {
    type Item = io::Result<Result<Vec<u8>, u64>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut line = Vec::new();
        let mut length: u64 = 0;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if buf.is_empty() {
                return match length {
                    0 => None,
                    _ if length as usize > self.max => Some(Ok(Err(length))),
                    _ => Some(Ok(Ok(line))),
                };
            }
            let (part, ends) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            length += part.len() as u64;
            if length as usize <= self.max {
                line.extend_from_slice(part);
            } else {
                line = Vec::new();
            }
            let used = part.len() + usize::from(ends);
            self.reader.consume(used);
            if ends {
                return Some(Ok(if length as usize > self.max {
                    Err(length)
                } else {
                    Ok(line)
                }));
            }
        }
    }
}

fn jsonl_job(line: &[u8], source: String, fallback_doc: String, fields: &JsonlFields) -> Job {
    let bad = |message: String| {
        Job::new(
            fallback_doc.clone(),
            source.clone(),
            Payload::Failed(Failure::new(code::BAD_RECORD, message)),
        )
    };
    let record: Value = match serde_json::from_slice(line) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => return bad("a JSONL line that is not an object".into()),
        Err(e) => return bad(format!("not JSON: {e}")),
    };
    let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_string);
    let (content, name_hint) = match (text(&fields.html), text(&fields.text)) {
        (Some(html), _) => (html, "page.html"),
        (None, Some(text)) => (text, "page.txt"),
        (None, None) => {
            return bad(format!(
                "neither {:?} nor {:?} holds a string",
                fields.html, fields.text
            ))
        }
    };
    let id = record.get(&fields.id).and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let url = text(&fields.url);
    Job {
        id: id.or_else(|| url.clone()).unwrap_or(fallback_doc),
        source,
        payload: Payload::Bytes(content.into_bytes()),
        provenance: Provenance {
            url,
            published: text(&fields.published).and_then(|p| PartialDate::parse_iso_prefix(&p)),
            lang: text(&fields.lang),
            name_hint: Some(name_hint.into()),
            ..Provenance::default()
        },
    }
}

/// `lemonde-2021-12-17.html.gz` → `lemonde-2021-12-17`.
pub fn doc_id(path: &Path) -> String {
    let mut name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let known = ARTICLE_EXTENSIONS.iter().chain(WARC_EXTENSIONS).chain(JSONL_EXTENSIONS);
    if name.to_ascii_lowercase().ends_with(".gz") {
        name.truncate(name.len() - 3);
    }
    for ext in known {
        if name.to_ascii_lowercase().ends_with(&format!(".{ext}")) {
            name.truncate(name.len() - ext.len() - 1);
            break;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ids() {
        for (path, expected) in [
            ("corpus/lemonde-2021-12-17.html.gz", "lemonde-2021-12-17"),
            ("000_3f9bd092f2235a63.txt", "000_3f9bd092f2235a63"),
            ("page.HTM", "page"),
            ("notes.v2", "notes.v2"),
            ("archive.gz", "archive"),
            ("crawl.warc.gz", "crawl"),
        ] {
            assert_eq!(doc_id(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn the_shard_hash_is_64_bit_fnv_1a() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    /// Parts are part of the output's contract: a rerun of shard K on
    /// another machine or Rust version reads the same inputs.
    #[test]
    fn the_part_of_a_path_is_fixed() {
        for (key, parts) in [
            ("corpus/html/a.html", [2, 3, 9, 867]),
            ("https://news.example/a", [2, 2, 7, 625]),
            ("crawl/CC-NEWS-20240101.warc.gz", [1, 1, 2, 183]),
        ] {
            for (count, part) in [2, 3, 10, 1000].into_iter().zip(parts) {
                let shard: Shard = format!("{part}/{count}").parse().unwrap();
                assert!(shard.holds(key.as_bytes()), "{key} in {part}/{count}");
            }
        }
    }

    #[test]
    fn shards_read_as_k_of_n() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { part: 2, count: 3 }));
        assert_eq!("1/1".parse::<Shard>(), Ok(Shard::WHOLE));
        for bad in ["0/3", "4/3", "1/0", "3", "x/3", "1/3/5"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn json_lines_are_told_from_a_document_by_their_first_byte() {
        let start = |input: &str| json_object_start(&mut io::Cursor::new(input.as_bytes().to_vec()));
        assert_eq!(start("{\"id\":1}\n"), Some(0));
        assert_eq!(start("<html>{"), None);
        assert_eq!(start("Le 3 mars 2022."), None);
        assert_eq!(start(""), None);
        // A cursor hands its whole input in one buffer: nothing is taken.
        assert_eq!(start("\n\n  {}"), Some(0));
        let mut split = io::BufReader::with_capacity(2, io::Cursor::new(b"\n\n  {}".to_vec()));
        assert_eq!(json_object_start(&mut split), Some(2), "blank lines taken are counted");
        let mut rest = String::new();
        split.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "{}", "only blanks are taken");
    }

    #[test]
    fn jsonl_fields() {
        let mut fields = JsonlFields::default();
        fields.set("html=body").unwrap();
        assert!(fields.set("nope=x").is_err());
        let job = jsonl_job(
            br#"{"body":"<p>x</p>","url":"https://e.example/a","published":"2022-10-20T08:00Z"}"#,
            "s".into(),
            "f:1".into(),
            &fields,
        );
        assert_eq!(job.id, "https://e.example/a");
        assert_eq!(
            job.provenance.published.map(|d| d.to_string()).as_deref(),
            Some("2022-10-20")
        );
        let bad = jsonl_job(b"{\"title\":1}", "s".into(), "f:2".into(), &fields);
        assert!(matches!(bad.payload, Payload::Failed(_)));
        assert_eq!(bad.id, "f:2");
    }
}
