//! The output formats as data teams use them: SQLite tables that hold the
//! JSONL records and that reruns update in place, Parquet files, the
//! published schema, CSV that spreadsheets cannot be tricked by.

mod common;

use std::fs;
use std::path::Path;

use common::glaneur;
use serde_json::{json, Value};

/// Every fixture, and one input that is no article, so that all three
/// kinds of record are written.
fn inputs(dir: &Path) -> Vec<String> {
    let binary = dir.join("binary.html");
    fs::write(&binary, b"\x00\x01\x02\x03binary\x00data").unwrap();
    vec!["fixtures".into(), binary.display().to_string()]
}

fn extract(format: &[&str], inputs: &[String]) -> common::Run {
    let mut args = vec!["extract", "--quiet"];
    args.extend(format);
    args.extend(inputs.iter().map(String::as_str));
    let run = glaneur(&args, None);
    assert!(run.status <= 1, "glaneur failed: {}", run.stderr);
    run
}

fn records_of_kind<'a>(records: &'a [Value], kinds: &[&str]) -> Vec<&'a Value> {
    records
        .iter()
        .filter(|r| kinds.contains(&r["kind"].as_str().unwrap()))
        .collect()
}

/// `--format sqlite`: tables, reruns, killed runs, the DDL.
#[cfg(feature = "sqlite")]
mod sqlite {
    use std::collections::BTreeMap;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::Duration;

    use rusqlite::types::Value as Sql;
    use rusqlite::Connection;

    use super::*;

    /// Every row of a table, each column by name, ordered as the query says.
    fn rows(db: &Connection, query: &str) -> Vec<BTreeMap<String, Sql>> {
        let mut statement = db.prepare(query).unwrap();
        let names: Vec<String> = statement.column_names().map(str::to_string).collect();
        statement
            .query_map([], |row| {
                Ok(names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.clone(), row.get::<_, Sql>(i).unwrap()))
                    .collect())
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn text(v: &Sql) -> Value {
        match v {
            Sql::Null => Value::Null,
            Sql::Text(t) => json!(t),
            Sql::Integer(i) => json!(i),
            Sql::Real(r) => json!(r),
            Sql::Blob(_) => panic!("no column holds bytes"),
        }
    }

    /// A `facts` row as the JSONL fact record it stores.
    fn fact_record(row: &BTreeMap<String, Sql>) -> Value {
        let col = |name: &str| text(&row[name]);
        let mut value = match row["kind"] {
            Sql::Text(ref k) if k == "date" => col("date"),
            Sql::Text(ref k) if k == "amount" => {
                json!({"amount": col("amount"), "currency": col("currency"), "per": col("per")})
            }
            Sql::Text(ref k) if k == "gdpr_article" => {
                json!({"article": col("article"), "paragraph": col("paragraph"), "point": col("point")})
            }
            _ => json!({"name": col("authority"), "country": col("country")}),
        };
        if let Some(object) = value.as_object_mut() {
            // JSONL leaves out the optional parts a value lacks; a country is
            // always there, null when unknown.
            object.retain(|k, v| !v.is_null() || k == "country");
        }
        json!({"doc": col("doc"), "kind": col("kind"), "text": col("text"), "start": col("start"),
               "end": col("end"), "value": value, "sentence": col("sentence"),
               "role": col("role"), "issuer": col("issuer"), "subject": col("subject")})
    }

    /// Amounts as numbers that compare equal whether written 20000000 or 20000000.0.
    fn normalise_numbers(v: &Value) -> Value {
        match v {
            Value::Number(n) => json!(n.as_f64().unwrap()),
            Value::Object(o) => o.iter().map(|(k, v)| (k.clone(), normalise_numbers(v))).collect(),
            Value::Array(a) => a.iter().map(normalise_numbers).collect(),
            other => other.clone(),
        }
    }

    #[test]
    fn sqlite_tables_hold_exactly_the_jsonl_records() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = inputs(dir.path());
        let records = extract(&[], &inputs).records();
        let db_path = dir.path().join("out.db").display().to_string();
        extract(&["--format", "sqlite", "--output", &db_path], &inputs);
        let db = Connection::open(&db_path).unwrap();

        let documents = rows(&db, "SELECT * FROM documents ORDER BY doc");
        let mut expected = records_of_kind(&records, &["document"]);
        expected.sort_by_key(|r| r["doc"].as_str().unwrap().to_string());
        assert_eq!(documents.len(), expected.len());
        for (row, record) in documents.iter().zip(&expected) {
            for column in [
                "doc",
                "source",
                "lang",
                "title",
                "published",
                "modified",
                "url",
                "site_name",
                "chars",
            ] {
                assert_eq!(
                    text(&row[column]),
                    record[column],
                    "documents.{column} of {}",
                    record["doc"]
                );
            }
            let authors: Vec<&str> = record["authors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            assert_eq!(text(&row["authors"]), json!(authors.join("; ")));
            assert_eq!(
                text(&row["list_page"]),
                json!(i64::from(record["list_page"] == json!(true)))
            );
        }

        let facts: Vec<Value> = rows(&db, "SELECT * FROM facts ORDER BY doc, seq")
            .iter()
            .map(|r| normalise_numbers(&fact_record(r)))
            .collect();
        let mut expected: Vec<Value> = records_of_kind(&records, &["amount", "date", "gdpr_article", "authority"])
            .into_iter()
            .map(normalise_numbers)
            .collect();
        // JSONL keeps each document's facts in text order; the table orders them by `seq`.
        expected.sort_by_key(|r| r["doc"].as_str().unwrap().to_string());
        assert!(!facts.is_empty());
        assert_eq!(facts, expected);

        let errors: Vec<Value> = rows(&db, "SELECT doc, source, code, message FROM errors ORDER BY doc")
            .iter()
            .map(|r| json!({"doc": text(&r["doc"]), "kind": "error", "source": text(&r["source"]), "code": text(&r["code"]), "message": text(&r["message"])}))
            .collect();
        let mut expected: Vec<Value> = records_of_kind(&records, &["error"]).into_iter().cloned().collect();
        expected.sort_by_key(|r| r["doc"].as_str().unwrap().to_string());
        assert!(!errors.is_empty());
        assert_eq!(errors, expected);

        let runs = rows(&db, "SELECT * FROM runs");
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(text(&run["inputs"]), json!(documents.len() + errors.len()));
        assert_eq!(text(&run["facts"]), json!(facts.len()));
        assert_eq!(text(&run["changed"]), json!(documents.len()));
        assert!(matches!(&run["ended"], Sql::Text(t) if t.ends_with('Z')));
    }

    /// Everything but the `runs` table, to compare runs by.
    fn snapshot(db_path: &str) -> Vec<Vec<BTreeMap<String, Sql>>> {
        let db = Connection::open(db_path).unwrap();
        [
            "SELECT * FROM documents ORDER BY doc",
            "SELECT * FROM facts ORDER BY doc, seq",
            "SELECT * FROM errors ORDER BY doc",
        ]
        .iter()
        .map(|q| rows(&db, q))
        .collect()
    }

    fn run_count(db_path: &str) -> i64 {
        let db = Connection::open(db_path).unwrap();
        db.query_row("SELECT count(*) FROM runs", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn an_identical_rerun_changes_no_row_and_adds_one_run() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = inputs(dir.path());
        let db = dir.path().join("out.db").display().to_string();
        extract(&["--format", "sqlite", "--output", &db], &inputs);
        let first = snapshot(&db);
        extract(&["--format", "sqlite", "--output", &db], &inputs);
        assert_eq!(snapshot(&db), first);
        assert_eq!(run_count(&db), 2);
        let conn = Connection::open(&db).unwrap();
        let changed: i64 = conn
            .query_row("SELECT changed FROM runs WHERE id = 2", [], |r| r.get(0))
            .unwrap();
        assert_eq!(changed, 0);
    }

    #[test]
    fn a_changed_document_replaces_its_facts_and_others_stay() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("inputs");
        fs::create_dir(&input).unwrap();
        fs::write(
            input.join("story.txt"),
            "La CNIL a infligé le 20 octobre 2022 une amende de 20 millions d'euros.",
        )
        .unwrap();
        fs::write(
            input.join("other.txt"),
            "L'ICO a infligé une amende de 8,5 millions de livres le 3 mars 2021.",
        )
        .unwrap();
        let db = dir.path().join("out.db").display().to_string();
        let inputs = [input.display().to_string()];
        extract(&["--format", "sqlite", "--output", &db], &inputs);
        let conn = Connection::open(&db).unwrap();
        let facts = |doc: &str| -> Vec<(String, String, i64)> {
            let mut s = conn
                .prepare("SELECT kind, value, run FROM facts JOIN documents USING (doc) WHERE doc = ? ORDER BY seq")
                .unwrap();
            s.query_map([doc], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let other_before = facts("other");
        assert!(facts("story").iter().any(|(_, value, _)| value == "20000000 EUR"));

        fs::write(
            input.join("story.txt"),
            "Le Garante a infligé le 2 mai 2023 une amende de 5 millions d'euros.",
        )
        .unwrap();
        extract(&["--format", "sqlite", "--output", &db], &inputs);
        let story = facts("story");
        let values: Vec<&str> = story.iter().map(|(_, v, _)| v.as_str()).collect();
        assert!(
            values.contains(&"5000000 EUR") && values.contains(&"2023-05-02"),
            "{values:?}"
        );
        assert!(!values.contains(&"20000000 EUR"), "the old facts are gone: {values:?}");
        assert!(story.iter().all(|(_, _, run)| *run == 2));
        assert_eq!(facts("other"), other_before, "an unchanged document keeps its rows");
    }

    #[test]
    fn a_failed_rerun_keeps_the_last_good_document() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("story.txt");
        let db = dir.path().join("out.db").display().to_string();
        let inputs = [page.display().to_string()];
        let count = |table: &str| -> i64 {
            let conn = Connection::open(&db).unwrap();
            conn.query_row(&format!("SELECT count(*) FROM {table} WHERE doc = 'story'"), [], |r| {
                r.get(0)
            })
            .unwrap()
        };
        fs::write(&page, "La CNIL a infligé une amende de 20 millions d'euros.").unwrap();
        extract(&["--format", "sqlite", "--output", &db], &inputs);
        let facts = count("facts");
        assert!(facts > 0);

        fs::write(&page, b"\x00\x01binary").unwrap();
        extract(&["--format", "sqlite", "--output", &db], &inputs);
        assert_eq!((count("documents"), count("facts"), count("errors")), (1, facts, 1));

        fs::write(&page, "La CNIL a infligé une amende de 20 millions d'euros.").unwrap();
        extract(&["--format", "sqlite", "--output", &db], &inputs);
        assert_eq!((count("documents"), count("facts"), count("errors")), (1, facts, 0));
    }

    #[test]
    fn a_killed_run_leaves_the_database_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("out.db").display().to_string();
        extract(
            &["--format", "sqlite", "--output", &db],
            &["fixtures/seeds".to_string()],
        );
        let before = snapshot(&db);

        // The second run replaces every seed (same names, other content)
        // after an input that fails first, whose error line on stderr says
        // that writing has begun; it then waits for standard input, which
        // never ends, until it is killed.
        let changed = dir.path().join("changed");
        fs::create_dir(&changed).unwrap();
        fs::write(changed.join("000-binary.html"), b"\x00\x01binary").unwrap();
        for seed in fs::read_dir("fixtures/seeds").unwrap() {
            let name = seed.unwrap().file_name();
            if name.to_string_lossy().ends_with(".txt") {
                fs::write(
                    changed.join(name),
                    "La CNIL a infligé le 2 mai 2023 une amende de 3 millions d'euros.",
                )
                .unwrap();
            }
        }
        // With one thread a batch is 16 inputs: the first must be complete
        // without standard input for its rows to be written.
        for i in 0..20 {
            fs::write(changed.join(format!("zz-{i:02}.txt")), "La CNIL a parlé.").unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_glaneur"))
            .args([
                "extract",
                "--quiet",
                "--threads",
                "1",
                "--format",
                "sqlite",
                "--output",
                &db,
            ])
            .arg(&changed)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (said, heard) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let writing = stderr.lines().map_while(Result::ok).any(|l| l.contains("000-binary"));
            let _ = said.send(writing);
        });
        // Never wait forever: a run that does not report it is killed too.
        let writing = heard.recv_timeout(Duration::from_secs(120)).unwrap_or(false);
        if !writing {
            child.kill().unwrap();
        }
        assert!(writing, "the run reports its failed input before it waits");
        std::thread::sleep(Duration::from_millis(500));
        child.kill().unwrap();
        child.wait().unwrap();

        assert_eq!(snapshot(&db), before);
        assert_eq!(run_count(&db), 1);
        // And the next run goes through.
        extract(
            &["--format", "sqlite", "--output", &db],
            &["fixtures/seeds".to_string()],
        );
        assert_eq!(run_count(&db), 2);
    }

    #[test]
    fn the_database_has_the_published_sql_schema() {
        let run = glaneur(&["schema", "--sql"], None);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("out.db").display().to_string();
        extract(
            &["--format", "sqlite", "--output", &db],
            &["fixtures/seeds".to_string()],
        );
        let conn = Connection::open(&db).unwrap();
        let mut statement = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        let tables: Vec<(String, String)> = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["documents", "errors", "facts", "runs"]);
        for (name, sql) in &tables {
            let published = sql.replacen("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1);
            assert!(
                run.stdout.contains(&published),
                "table {name} differs from `glaneur schema --sql`"
            );
        }
    }
}

/// `--format parquet`: files that read back.
#[cfg(feature = "parquet")]
mod parquet_files {
    use std::collections::BTreeMap;

    use super::*;

    /// Rows of a Parquet file, each as column name → value.
    fn parquet_rows(path: &Path) -> Vec<BTreeMap<String, parquet::record::Field>> {
        let reader = parquet::file::reader::SerializedFileReader::new(fs::File::open(path).unwrap()).unwrap();
        reader
            .into_iter()
            .map(|row| {
                row.unwrap()
                    .get_column_iter()
                    .map(|(n, f)| (n.clone(), f.clone()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn parquet_files_read_back_with_the_jsonl_counts_and_values() {
        use parquet::record::Field;
        let dir = tempfile::tempdir().unwrap();
        let inputs = inputs(dir.path());
        let records = extract(&[], &inputs).records();
        let out = dir.path().join("parquet");
        extract(&["--format", "parquet", "--output", out.to_str().unwrap()], &inputs);

        let documents = parquet_rows(&out.join("documents.parquet"));
        let facts = parquet_rows(&out.join("facts.parquet"));
        let errors = parquet_rows(&out.join("errors.parquet"));
        assert_eq!(documents.len(), records_of_kind(&records, &["document"]).len());
        assert_eq!(errors.len(), records_of_kind(&records, &["error"]).len());
        let fact_records = records_of_kind(&records, &["amount", "date", "gdpr_article", "authority"]);
        assert_eq!(facts.len(), fact_records.len());

        // Typed columns: text, integers, doubles and nulls, in record order.
        for (row, record) in facts.iter().zip(&fact_records) {
            assert_eq!(row["doc"], Field::Str(record["doc"].as_str().unwrap().into()));
            assert_eq!(row["start"], Field::Long(record["start"].as_i64().unwrap()));
            match record["kind"].as_str().unwrap() {
                "amount" => assert_eq!(
                    row["amount"],
                    Field::Double(record["value"]["amount"].as_f64().unwrap())
                ),
                _ => assert_eq!(row["amount"], Field::Null),
            }
        }
        assert!(!dir.path().join("parquet").read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")));
    }
}

/// Checks `value` against a JSON Schema. It knows the keywords `glaneur
/// schema` uses and fails on any other, so that no rule is skipped unseen.
fn validate(schema: &Value, root: &Value, value: &Value, at: &str) -> Result<(), String> {
    let Some(keywords) = schema.as_object() else {
        return if schema == &json!(true) {
            Ok(())
        } else {
            Err(format!("{at}: schema {schema}"))
        };
    };
    for (keyword, rule) in keywords {
        match keyword.as_str() {
            "$schema" | "title" | "description" | "$defs" | "format" => {}
            "$ref" => {
                let name = rule
                    .as_str()
                    .unwrap()
                    .strip_prefix("#/$defs/")
                    .expect("local references");
                validate(&root["$defs"][name], root, value, at)?;
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                    t => vec![t.as_str().unwrap()],
                };
                let fits = |t: &str| match t {
                    "null" => value.is_null(),
                    "boolean" => value.is_boolean(),
                    "string" => value.is_string(),
                    "number" => value.is_number(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    other => panic!("unknown type {other}"),
                };
                if !types.iter().any(|t| fits(t)) {
                    return Err(format!("{at}: {value} is not {types:?}"));
                }
            }
            "properties" => {
                for (name, property) in rule.as_object().unwrap() {
                    if let Some(v) = value.get(name) {
                        validate(property, root, v, &format!("{at}.{name}"))?;
                    }
                }
            }
            "required" => {
                for name in rule.as_array().unwrap() {
                    if value.get(name.as_str().unwrap()).is_none() {
                        return Err(format!("{at}: no {name}"));
                    }
                }
            }
            "additionalProperties" => {
                let known = keywords.get("properties").and_then(Value::as_object);
                for (name, v) in value.as_object().into_iter().flatten() {
                    if !known.is_some_and(|k| k.contains_key(name)) {
                        validate(rule, root, v, &format!("{at}.{name}"))
                            .map_err(|_| format!("{at}: unknown field {name}"))?;
                    }
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(value) {
                    return Err(format!("{at}: {value} not in {rule}"));
                }
            }
            "const" => {
                if rule != value {
                    return Err(format!("{at}: {value} is not {rule}"));
                }
            }
            "anyOf" | "oneOf" => {
                let fits = rule
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| validate(s, root, value, at).is_ok())
                    .count();
                if fits == 0 || (keyword == "oneOf" && fits > 1) {
                    return Err(format!("{at}: {value} fits {fits} of {keyword}"));
                }
            }
            "minimum" => {
                if value.as_f64().is_some_and(|v| v < rule.as_f64().unwrap()) {
                    return Err(format!("{at}: {value} under {rule}"));
                }
            }
            "maximum" => {
                if value.as_f64().is_some_and(|v| v > rule.as_f64().unwrap()) {
                    return Err(format!("{at}: {value} over {rule}"));
                }
            }
            "pattern" => {
                let pattern = regex::Regex::new(rule.as_str().unwrap()).unwrap();
                if value.as_str().is_some_and(|s| !pattern.is_match(s)) {
                    return Err(format!("{at}: {value} does not match {rule}"));
                }
            }
            "items" => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    validate(rule, root, item, &format!("{at}[{i}]"))?;
                }
            }
            other => panic!("the schema uses {other}, which this validator does not check"),
        }
    }
    Ok(())
}

#[test]
fn every_jsonl_record_validates_against_the_published_schema() {
    let run = glaneur(&["schema"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let schema: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(schema["$schema"].as_str().unwrap().contains("json-schema.org"));

    let dir = tempfile::tempdir().unwrap();
    let records = extract(&[], &inputs(dir.path())).records();
    for kind in ["document", "error", "date", "amount", "gdpr_article", "authority"] {
        assert!(
            !records_of_kind(&records, &[kind]).is_empty(),
            "the fixtures give a {kind} record"
        );
    }
    for record in &records {
        validate(&schema, &schema, record, "record").unwrap();
    }
    // And the schema is strict: a misspelt or missing field fails.
    let mut wrong = records[0].clone();
    wrong["titel"] = json!("x");
    assert!(validate(&schema, &schema, &wrong, "record").is_err());
    let mut wrong = records[0].clone();
    wrong.as_object_mut().unwrap().remove("source");
    assert!(validate(&schema, &schema, &wrong, "record").is_err());
    // A fact's value has the type of its kind.
    let amount = records_of_kind(&records, &["amount"])[0];
    let mut wrong = records_of_kind(&records, &["date"])[0].clone();
    wrong["value"] = amount["value"].clone();
    assert!(validate(&schema, &schema, &wrong, "record").is_err());
}

#[test]
fn csv_safe_defuses_cells_that_spreadsheets_would_run() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("formula.html");
    fs::write(
        &page,
        "<html><head><title>=HYPERLINK(\"http://evil.example\",\"clic\")</title></head><body><article>\
         <h1>=HYPERLINK(\"http://evil.example\",\"clic\")</h1>\
         <p>-2+3 La CNIL a infligé une amende de 20 millions d'euros à la société le 20 octobre 2022, \
         selon la décision publiée par la commission au terme d'une longue procédure.</p></article></body></html>",
    )
    .unwrap();
    let read = |safe: bool| {
        let out = dir.path().join(if safe { "safe/" } else { "plain/" });
        let mut args = vec![
            "extract",
            "--quiet",
            "--format",
            "csv",
            "--output",
            out.to_str().unwrap(),
        ];
        if safe {
            args.push("--csv-safe");
        }
        args.push(page.to_str().unwrap());
        assert_eq!(glaneur(&args, None).status, 0);
        let mut documents = csv::Reader::from_path(out.join("documents.csv")).unwrap();
        let title = documents.records().next().unwrap().unwrap()[4].to_string();
        let mut facts = csv::Reader::from_path(out.join("facts.csv")).unwrap();
        let amount = facts
            .records()
            .map(Result::unwrap)
            .find(|r| &r[1] == "amount")
            .expect("an amount fact");
        (title, amount[15].to_string(), amount[7].to_string())
    };
    let (title, sentence, amount) = read(false);
    assert!(title.starts_with("=HYPERLINK"), "{title}");
    assert!(sentence.starts_with("-2+3"), "{sentence}");
    let (safe_title, safe_sentence, safe_amount) = read(true);
    assert_eq!(safe_title, format!("'{title}"));
    assert_eq!(safe_sentence, format!("'{sentence}"));
    assert_eq!(safe_amount, amount, "numbers stay numbers");
}
