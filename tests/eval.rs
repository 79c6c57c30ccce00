//! `glaneur eval` prints what the reference scorer (`shared/eval/score`)
//! prints: the same figures in the same layout, the same errors, the same
//! message and status for a file it cannot score. The script's outputs for
//! the cases of `fixtures/eval/cases.tsv` are kept in `fixtures/eval/expected`
//! (see its README); when the script itself is there (beside the
//! repository), the cases and a fresh extraction of the seeds are also
//! scored by it live.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{glaneur, Run};

/// The options of each output mode, as named in `fixtures/eval/expected`.
const MODES: [(&str, &[&str]); 3] = [("table", &[]), ("errors", &["--errors"]), ("json", &["--json"])];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// (name, gold, prediction) of each kept case.
fn cases() -> Vec<(String, String, String)> {
    let list = fs::read_to_string(repo().join("fixtures/eval/cases.tsv")).unwrap();
    list.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields[0].to_string(), fields[1].to_string(), fields[2].to_string())
        })
        .collect()
}

fn eval(gold: &str, pred: &str, options: &[&str]) -> Run {
    let mut args = vec!["eval", gold, pred];
    args.extend_from_slice(options);
    glaneur(&args, None)
}

/// The reference script, when this checkout sits beside `shared/`.
fn live_script() -> Option<PathBuf> {
    let script = repo().join("../shared/eval/score");
    let python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    (script.is_file() && python).then_some(script)
}

fn script(script: &Path, gold: &str, pred: &str, options: &[&str]) -> (String, String) {
    let out = Command::new("python3")
        .arg(script)
        .args([gold, pred])
        .args(options)
        .current_dir(repo())
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `--errors` lists false alarms in Python's set order, which changes from
/// run to run for strings: the lines are compared as a multiset there.
fn comparable(mode: &str, text: &str) -> String {
    if mode != "errors" {
        return text.to_string();
    }
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines.join("\n")
}

fn assert_same_as_script(case: &str, mode: &str, run: &Run, stdout: &str, stderr: &str) {
    assert_eq!(
        comparable(mode, &run.stdout),
        comparable(mode, stdout),
        "{case} ({mode}): standard output differs from the scorer's"
    );
    assert_eq!(run.stderr, stderr, "{case} ({mode}): message differs from the scorer's");
    let status = if stderr.is_empty() { 0 } else { 1 };
    assert_eq!(run.status, status, "{case} ({mode}): exit status");
}

#[test]
fn every_kept_case_prints_what_the_scorer_printed() {
    for (name, gold, pred) in cases() {
        for (mode, options) in MODES {
            let expected = repo().join("fixtures/eval/expected").join(format!("{name}.{mode}"));
            let stdout = fs::read_to_string(expected.with_extension(format!("{mode}.out"))).unwrap();
            let stderr = fs::read_to_string(expected.with_extension(format!("{mode}.err"))).unwrap();
            let run = eval(&gold, &pred, options);
            assert_same_as_script(&name, mode, &run, &stdout, &stderr);
        }
    }
}

#[test]
fn every_kept_case_prints_what_the_live_scorer_prints() {
    let Some(script_path) = live_script() else {
        eprintln!("skipped: ../shared/eval/score or python3 is not there");
        return;
    };
    for (name, gold, pred) in cases() {
        for (mode, options) in MODES {
            let (stdout, stderr) = script(&script_path, &gold, &pred, options);
            assert_same_as_script(&name, mode, &eval(&gold, &pred, options), &stdout, &stderr);
        }
    }
}

#[test]
fn a_fresh_extraction_of_the_seeds_scores_as_the_live_scorer_says() {
    let Some(script_path) = live_script() else {
        eprintln!("skipped: ../shared/eval/score or python3 is not there");
        return;
    };
    let extracted = glaneur(&["extract", "--quiet", "fixtures/seeds"], None);
    assert_eq!(extracted.status, 0, "{}", extracted.stderr);
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.jsonl");
    fs::write(&pred, &extracted.stdout).unwrap();
    let pred = pred.to_str().unwrap();
    for (mode, options) in MODES {
        let (stdout, stderr) = script(&script_path, "fixtures/seeds/gold.jsonl", pred, options);
        let run = eval("fixtures/seeds/gold.jsonl", pred, options);
        assert_same_as_script("fresh seeds", mode, &run, &stdout, &stderr);
    }
}

#[test]
fn a_line_that_is_not_json_stops_the_scoring_with_its_place_and_reason() {
    let run = eval("fixtures/eval/edge-gold.jsonl", "fixtures/eval/not-json.jsonl", &[]);
    assert_eq!(run.status, 1);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr
            .starts_with("fixtures/eval/not-json.jsonl:3: not JSON: Expecting property name"),
        "{}",
        run.stderr
    );
}

#[test]
fn amounts_match_within_half_a_percent_and_only_with_the_same_per() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.jsonl");
    let pred = dir.path().join("pred.jsonl");
    fs::write(
        &gold,
        "{\"doc\":\"x\",\"kind\":\"document\"}\n\
         {\"doc\":\"x\",\"kind\":\"amount\",\"value\":{\"amount\":1000,\"currency\":\"EUR\"}}\n\
         {\"doc\":\"x\",\"kind\":\"amount\",\"value\":{\"amount\":50,\"currency\":\"EUR\",\"per\":\"day\"}}\n",
    )
    .unwrap();
    fs::write(
        &pred,
        "{\"doc\":\"x\",\"kind\":\"document\"}\n\
         {\"doc\":\"x\",\"kind\":\"amount\",\"value\":{\"amount\":1005,\"currency\":\"eur\"}}\n\
         {\"doc\":\"x\",\"kind\":\"amount\",\"value\":{\"amount\":50,\"currency\":\"EUR\"}}\n",
    )
    .unwrap();
    let run = eval(gold.to_str().unwrap(), pred.to_str().unwrap(), &["--json"]);
    let figures: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let amount = &figures["amount"];
    assert_eq!(
        (amount["tp"].as_u64(), amount["fp"].as_u64(), amount["fn"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        figures["lang_accuracy"], 1.0,
        "no language on either side counts as the same"
    );
    assert_eq!(figures["published_accuracy"], serde_json::Value::Null);
}
