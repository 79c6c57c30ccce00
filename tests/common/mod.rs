//! Helpers shared by the end-to-end tests: running the binary and reading
//! its JSONL output.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

pub mod server;

/// `data` as one gzip member.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// A WARC record of `kind` for `uri` with `block` as its content.
pub fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    glaneur_warc::record(
        &[
            ("WARC-Type", kind),
            ("WARC-Target-URI", uri),
            ("WARC-Date", "2023-06-15T10:00:00Z"),
            ("WARC-Record-ID", &format!("<urn:uuid:{uri}>")),
            ("Content-Type", &format!("application/http; msgtype={kind}")),
        ],
        block,
    )
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn records(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {e}: {l}")))
            .collect()
    }

    /// Each input's record as (doc, code), with `document` as the code of
    /// a document.
    pub fn outcomes(&self) -> Vec<(String, String)> {
        self.records()
            .iter()
            .filter(|r| r["kind"] == "document" || r["kind"] == "error")
            .map(|r| {
                (
                    r["doc"].as_str().unwrap().to_string(),
                    r["code"].as_str().unwrap_or("document").to_string(),
                )
            })
            .collect()
    }
}

pub fn glaneur(args: &[&str], stdin: Option<&[u8]>) -> Run {
    glaneur_with_env(args, stdin, &[])
}

/// [`glaneur`] with environment variables set for the run.
pub fn glaneur_with_env(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_glaneur"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the glaneur binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
