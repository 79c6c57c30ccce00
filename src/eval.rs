//! `glaneur eval GOLD PRED`: the reference scorer (`shared/eval/score`,
//! rules in `shared/spec/facts.md`, Scoring) built in, for researchers
//! scoring their own annotations. It loads, counts, matches and prints as
//! the script does, so that both give the same figures on any pair of
//! files; `tests/eval.rs` holds them to it.
//!
//! One thing cannot be the same: the script walks Python sets, whose order
//! changes from run to run for strings. Where that order shows (the order
//! of false alarms in `--errors`, and which of two predictions within the
//! amount tolerance a gold value takes), predictions are taken here in the
//! order of the file.

mod python;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use python::{
    float_repr, float_token, hash_token, is_py_space, py_eq, py_float, py_int, py_repr, py_str, py_strip, str_repr,
    LoadError, Value,
};

/// The fact kinds scored, in the order they are printed.
const KINDS: [&str; 4] = ["date", "amount", "gdpr_article", "authority"];

/// What the command prints: the figures table, or with `json` the figures
/// as one JSON object; with `errors` (and not `json`), every miss and
/// false alarm before the table.
#[derive(Clone, Copy)]
pub struct Options {
    pub errors: bool,
    pub json: bool,
}

/// Runs `glaneur eval`: exit status 0 with the figures on standard output,
/// or 1 with a message on standard error when a file cannot be scored (the
/// script's status and, for a line that is not JSON, its very message).
pub fn run(gold: &Path, pred: &Path, options: Options) -> ExitCode {
    let scores = load(gold).and_then(|gold| score(&gold, &load(pred)?));
    let text = match scores {
        Ok(scores) if options.json => render_json(&scores),
        Ok(scores) => render_table(&scores, options.errors),
        Err(message) => {
            let _ = writeln!(io::stderr(), "{message}");
            return ExitCode::from(1);
        }
    };
    match io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "glaneur eval: cannot write output: {e}");
            ExitCode::from(1)
        }
    }
}

/// The records of one file: `document` records by doc, facts of the
/// scored kinds by doc and kind, in file order.
struct Records {
    path: String,
    docs: HashMap<String, Value>,
    facts: HashMap<(String, &'static str), Vec<Value>>,
}

/// Reads a JSONL file as the script does: lines end at `\n`, `\r\n` or
/// `\r`; blank lines are skipped; a `document` record replaces an earlier
/// one of the same doc; records of other kinds are ignored.
fn load(path: &Path) -> Result<Records, String> {
    let name = path.to_string_lossy().into_owned();
    let file = File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let mut records = Records {
        path: name,
        docs: HashMap::new(),
        facts: HashMap::new(),
    };
    let mut reader = BufReader::new(file);
    let mut chunk = Vec::new();
    let mut number = 0;
    loop {
        chunk.clear();
        let read = reader
            .read_until(b'\n', &mut chunk)
            .map_err(|e| format!("{}:{}: {e}", records.path, number + 1))?;
        if read == 0 {
            return Ok(records);
        }
        let body = chunk.strip_suffix(b"\n").unwrap_or(&chunk);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        for line in body.split(|&b| b == b'\r') {
            number += 1;
            let line = std::str::from_utf8(line).map_err(|e| format!("{}:{number}: not UTF-8: {e}", records.path))?;
            records.add(line, number)?;
        }
    }
}

impl Records {
    fn add(&mut self, line: &str, number: usize) -> Result<(), String> {
        let line = py_strip(line);
        if line.is_empty() {
            return Ok(());
        }
        let path = &self.path;
        let record = python::loads(line).map_err(|e| match e {
            LoadError::NotJson(message) => format!("{path}:{number}: not JSON: {message}"),
            LoadError::Other(message) => format!("{path}:{number}: {message}"),
        })?;
        if !matches!(record, Value::Object(_)) {
            return Err(format!(
                "{path}:{number}: a record is a JSON object, not {}",
                py_repr(&record)
            ));
        }
        let (doc, kind) = match (record.get("doc"), record.get("kind")) {
            (Some(doc), Some(kind)) if !matches!(doc, Value::Null) && !matches!(kind, Value::Null) => {
                (py_str(doc), kind.clone())
            }
            _ => return Err(format!("{path}:{number}: a record needs 'doc' and 'kind'")),
        };
        if let Value::Str(kind) = kind {
            if kind == "document" {
                self.docs.insert(doc, record);
            } else if let Some(kind) = KINDS.iter().find(|k| **k == kind) {
                self.facts.entry((doc, kind)).or_default().push(record);
            }
        }
        Ok(())
    }

    fn facts_of(&self, doc: &str, kind: &'static str) -> &[Value] {
        self.facts.get(&(doc.to_string(), kind)).map_or(&[], Vec::as_slice)
    }
}

/// A fact's comparable value, as the script's `key_of` makes it.
enum Key {
    Date(String),
    Amount {
        currency: String,
        amount: f64,
        /// Which NaN, when the amount is one: Python's `NaN` literal is a
        /// single object (0), each `float("nan")` a new one.
        nan: usize,
        per: Value,
    },
    /// The article number, as canonical decimal text (any size).
    Article(String),
    /// The folded name.
    Authority(String),
}

impl Key {
    /// Equal for two keys exactly when a Python set holds them as one;
    /// `None` when Python cannot hash the key (a list or object `per`).
    fn token(&self) -> Option<String> {
        Some(match self {
            Key::Date(s) | Key::Article(s) | Key::Authority(s) => s.clone(),
            Key::Amount {
                currency,
                amount,
                nan,
                per,
            } => {
                let amount = if amount.is_nan() {
                    format!("nan{nan}")
                } else {
                    float_token(*amount)
                };
                format!("{}:{currency}|{amount}|{}", currency.len(), hash_token(per)?)
            }
        })
    }

    /// The key as the script prints it in `--errors`.
    fn display(&self) -> String {
        match self {
            Key::Date(s) | Key::Article(s) | Key::Authority(s) => s.clone(),
            Key::Amount {
                currency, amount, per, ..
            } => format!("({}, {}, {})", str_repr(currency), float_repr(*amount), py_repr(per)),
        }
    }
}

/// Numbers the NaN amounts read from text, each its own Python object.
#[derive(Default)]
struct NanCounter(usize);

/// The key of one record's value; `Ok(None)` where the script finds the
/// value unusable, `Err` where the script itself would stop.
fn key_of(kind: &str, record: &Value, nans: &mut NanCounter) -> Result<Option<Key>, String> {
    let value = record.get("value").unwrap_or(&Value::Null);
    let object = matches!(value, Value::Object(_));
    Ok(match kind {
        "date" => Some(Key::Date(py_strip(&py_str(value)).to_string())),
        "amount" => {
            let (Some(currency), Some(amount)) = (value.get("currency"), value.get("amount")) else {
                return Ok(None);
            };
            let currency = py_str(currency).to_uppercase();
            let Some(number) = py_float(amount)? else {
                return Ok(None);
            };
            let nan = if number.is_nan() && matches!(amount, Value::Str(_)) {
                nans.0 += 1;
                nans.0
            } else {
                0
            };
            let per = value.get("per").cloned().unwrap_or(Value::Null);
            Some(Key::Amount {
                currency,
                amount: number,
                nan,
                per,
            })
        }
        "gdpr_article" => {
            let article = if object { value.get("article") } else { Some(value) };
            match article {
                Some(article) => py_int(article)?.map(Key::Article),
                None => None,
            }
        }
        _ => {
            let name = if object { value.get("name") } else { Some(value) };
            name.map(|name| Key::Authority(fold(&py_str(name))))
        }
    })
}

/// Case, accents, typographic apostrophes and runs of spaces ignored, as
/// the script's `fold`.
fn fold(text: &str) -> String {
    let stripped: String = text
        .nfkd()
        .filter(|&c| canonical_combining_class(c) == 0)
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .collect();
    let lower = stripped.to_lowercase();
    lower
        .split(is_py_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The folded gold name and its folded aliases; `Err` where the script
/// stops (`aliases` that cannot be iterated).
fn authority_names(gold_name: &str, gold: &Value) -> Result<HashSet<String>, String> {
    let mut names = HashSet::from([gold_name.to_string()]);
    match gold.get("aliases") {
        None => {}
        Some(Value::List(items)) => names.extend(items.iter().map(|a| fold(&py_str(a)))),
        Some(Value::Object(members)) => names.extend(members.iter().map(|(k, _)| fold(k))),
        Some(Value::Str(s)) => names.extend(s.chars().map(|c| fold(&c.to_string()))),
        Some(other) => return Err(format!("'aliases' cannot be iterated: {}", py_repr(other))),
    }
    Ok(names)
}

/// Whether a prediction matches a gold value (the script's `matches`).
fn matches(gold: &Key, gold_record: &Value, pred: &Key, names: &mut Option<HashSet<String>>) -> Result<bool, String> {
    Ok(match (gold, pred) {
        (
            Key::Amount {
                currency: gold_currency,
                amount: gold_amount,
                per: gold_per,
                ..
            },
            Key::Amount {
                currency, amount, per, ..
            },
        ) => {
            // Python's max(abs(g), 1e-9) keeps its first argument unless the
            // second is larger, NaN included.
            let scale = if 1e-9 > gold_amount.abs() {
                1e-9
            } else {
                gold_amount.abs()
            };
            gold_currency == currency && py_eq(gold_per, per) && (gold_amount - amount).abs() <= 0.005 * scale
        }
        (Key::Authority(gold_name), Key::Authority(name)) => {
            if names.is_none() {
                *names = Some(authority_names(gold_name, gold_record)?);
            }
            names.as_ref().is_some_and(|names| names.contains(name))
        }
        (Key::Date(g), Key::Date(p)) | (Key::Article(g), Key::Article(p)) => g == p,
        _ => false,
    })
}

/// A miss or a false alarm, as `--errors` lists them.
struct Error {
    doc: String,
    kind: &'static str,
    what: &'static str,
    value: String,
}

/// The figures: true positives, false positives and false negatives per
/// kind (in `KINDS` order), the errors, the language and publication-date
/// accuracies as (right, out of), and the gold documents the prediction
/// has no `document` record for.
struct Scores {
    counts: [[u64; 3]; 4],
    errors: Vec<Error>,
    lang: (usize, usize),
    published: (usize, usize),
    missing: Vec<String>,
}

fn score(gold: &Records, pred: &Records) -> Result<Scores, String> {
    let mut counts = [[0u64; 3]; 4];
    let mut errors = Vec::new();
    let mut nans = NanCounter::default();
    let mut docs: Vec<&String> = gold.docs.keys().collect();
    docs.sort();
    for doc in &docs {
        for (k, &kind) in KINDS.iter().enumerate() {
            let mut gold_keys = Vec::new();
            for record in gold.facts_of(doc, kind) {
                if let Some(key) = key_of(kind, record, &mut nans).map_err(|e| format!("{}: {doc}: {e}", gold.path))? {
                    gold_keys.push((key, record));
                }
            }
            let mut pred_keys = Vec::new();
            let mut seen = HashSet::new();
            for record in pred.facts_of(doc, kind) {
                let Some(key) = key_of(kind, record, &mut nans).map_err(|e| format!("{}: {doc}: {e}", pred.path))?
                else {
                    continue;
                };
                let token = key
                    .token()
                    .ok_or_else(|| format!("{}: {doc}: an amount's 'per' cannot be a list or an object", pred.path))?;
                if seen.insert(token) {
                    pred_keys.push(key);
                }
            }
            let mut used = vec![false; pred_keys.len()];
            for (gold_key, gold_record) in &gold_keys {
                let mut names = None;
                let mut hit = None;
                for (i, pred_key) in pred_keys.iter().enumerate() {
                    if !used[i]
                        && matches(gold_key, gold_record, pred_key, &mut names)
                            .map_err(|e| format!("{}: {doc}: {e}", gold.path))?
                    {
                        hit = Some(i);
                        break;
                    }
                }
                match hit {
                    Some(i) => {
                        used[i] = true;
                        counts[k][0] += 1;
                    }
                    None => {
                        counts[k][2] += 1;
                        errors.push(Error {
                            doc: doc.to_string(),
                            kind,
                            what: "missed",
                            value: gold_key.display(),
                        });
                    }
                }
            }
            for (pred_key, _) in pred_keys.iter().zip(&used).filter(|(_, used)| !**used) {
                counts[k][1] += 1;
                errors.push(Error {
                    doc: doc.to_string(),
                    kind,
                    what: "false",
                    value: pred_key.display(),
                });
            }
        }
    }
    let pred_doc = |doc: &str, field: &str| pred.docs.get(doc).and_then(|r| r.get(field)).cloned();
    let lang_right = docs
        .iter()
        .filter(|doc| {
            let gold_lang = gold.docs[**doc].get("lang").unwrap_or(&Value::Null);
            py_eq(&pred_doc(doc, "lang").unwrap_or(Value::Null), gold_lang)
        })
        .count();
    let mut published = (0, 0);
    for doc in &docs {
        let Some(gold_date) = gold.docs[*doc].get("published").filter(|v| v.is_truthy()) else {
            continue;
        };
        published.1 += 1;
        let predicted = pred_doc(doc, "published")
            .filter(Value::is_truthy)
            .map_or(String::new(), |v| py_str(&v));
        match gold_date {
            Value::Str(date) => published.0 += usize::from(predicted.starts_with(date.as_str())),
            Value::List(_) | Value::Object(_) => {}
            other => {
                return Err(format!(
                    "{}: {doc}: 'published' has no length: {}",
                    gold.path,
                    py_repr(other)
                ));
            }
        }
    }
    let missing = docs
        .iter()
        .filter(|doc| !pred.docs.contains_key(**doc))
        .map(|doc| doc.to_string())
        .collect();
    Ok(Scores {
        counts,
        errors,
        lang: (lang_right, docs.len()),
        published,
        missing,
    })
}

/// Precision, recall and F1, 0 where undefined, computed as the script
/// does (same operations, same rounding).
fn prf([tp, fp, fn_]: [u64; 3]) -> (f64, f64, f64) {
    let (tp, fp, fn_) = (tp as f64, fp as f64, fn_ as f64);
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    (p, r, f)
}

fn total(counts: &[[u64; 3]; 4]) -> [u64; 3] {
    let mut total = [0; 3];
    for row in counts {
        for (t, c) in total.iter_mut().zip(row) {
            *t += c;
        }
    }
    total
}

fn render_table(scores: &Scores, errors: bool) -> String {
    let mut out = String::new();
    if errors {
        for e in &scores.errors {
            let _ = writeln!(out, "{:6} {:12} {}: {}", e.what, e.kind, e.doc, e.value);
        }
        out.push('\n');
    }
    if !scores.missing.is_empty() {
        let _ = writeln!(
            out,
            "documents with no 'document' record in the output: {}",
            scores.missing.len()
        );
    }
    let _ = writeln!(
        out,
        "{:14}{:>5}{:>5}{:>5}{:>8}{:>8}{:>8}",
        "kind", "tp", "fp", "fn", "P", "R", "F1"
    );
    let total = total(&scores.counts);
    let rows = KINDS.iter().zip(&scores.counts).chain([(&"overall", &total)]);
    for (kind, c) in rows {
        let (p, r, f) = prf(*c);
        let _ = writeln!(
            out,
            "{kind:14}{:>5}{:>5}{:>5}{p:>8.3}{r:>8.3}{f:>8.3}",
            c[0], c[1], c[2]
        );
    }
    if scores.lang.1 > 0 {
        let _ = writeln!(out, "language accuracy: {}/{}", scores.lang.0, scores.lang.1);
    }
    if scores.published.1 > 0 {
        let _ = writeln!(
            out,
            "publication date accuracy: {}/{}",
            scores.published.0, scores.published.1
        );
    }
    let _ = writeln!(out, "overall F1 {:.3}", prf(total).2);
    out
}

/// The figures as `json.dumps(…, indent=1)` prints them.
fn render_json(scores: &Scores) -> String {
    let total = total(&scores.counts);
    let mut out = String::from("{\n");
    for (kind, c) in KINDS.iter().zip(&scores.counts).chain([(&"overall", &total)]) {
        let (p, r, f) = prf(*c);
        let _ = write!(
            out,
            " \"{kind}\": {{\n  \"tp\": {},\n  \"fp\": {},\n  \"fn\": {},\n  \"p\": {},\n  \"r\": {},\n  \"f1\": {}\n }},\n",
            c[0],
            c[1],
            c[2],
            float_repr(p),
            float_repr(r),
            float_repr(f)
        );
    }
    let ratio = |(right, of): (usize, usize)| {
        if of > 0 {
            float_repr(right as f64 / of as f64)
        } else {
            "null".to_string()
        }
    };
    let _ = writeln!(out, " \"lang_accuracy\": {},", ratio(scores.lang));
    let _ = writeln!(out, " \"published_accuracy\": {},", ratio(scores.published));
    if scores.missing.is_empty() {
        out.push_str(" \"docs_missing\": []\n}\n");
    } else {
        let docs: Vec<String> = scores.missing.iter().map(|d| format!("  {}", json_ascii(d))).collect();
        let _ = write!(out, " \"docs_missing\": [\n{}\n ]\n}}\n", docs.join(",\n"));
    }
    out
}

/// A JSON string with everything outside printable ASCII escaped, as
/// Python's `json.dumps` writes it by default.
fn json_ascii(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
    out
}
