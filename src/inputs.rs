//! The inputs of a run: named files, directories walked in sorted order,
//! standard input; each with its document identifier.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Extensions of articles, stripped from file names to make `doc`.
const ARTICLE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "txt", "text"];

#[derive(Debug, Clone)]
pub enum Location {
    File(PathBuf),
    Stdin,
}

#[derive(Debug, Clone)]
pub struct Input {
    pub location: Location,
    /// Where it came from, as the user named it.
    pub source: String,
    /// The spec's document identifier, unique within the run.
    pub doc: String,
}

/// The inputs named on the command line, directories expanded. Inside a
/// directory only article files are taken (`.html`, `.htm`, `.xhtml`,
/// `.txt`, those gzipped, or no extension); a file named explicitly is
/// always taken and its content decides what it is.
pub fn expand(args: &[PathBuf]) -> io::Result<Vec<Input>> {
    let mut found = Vec::new();
    if args.is_empty() {
        found.push((Location::Stdin, "-".to_string()));
    }
    for arg in args {
        if arg.as_os_str() == "-" {
            found.push((Location::Stdin, "-".to_string()));
        } else if arg.is_dir() {
            let mut files = Vec::new();
            walk(arg, &mut files)?;
            files.sort();
            found.extend(files.into_iter().map(|f| {
                let source = f.display().to_string();
                (Location::File(f), source)
            }));
        } else {
            found.push((Location::File(arg.clone()), arg.display().to_string()));
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    Ok(found
        .into_iter()
        .map(|(location, source)| {
            let base = match &location {
                Location::File(p) => doc_id(p),
                Location::Stdin => "stdin".to_string(),
            };
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let doc = if *n == 1 { base } else { format!("{base}~{n}") };
            Input { location, source, doc }
        })
        .collect())
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if is_article_file(&path) {
            files.push(path);
        }
    }
    Ok(())
}

fn is_article_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match name.rsplit_once('.') {
        Some((_, ext)) => ARTICLE_EXTENSIONS.contains(&ext),
        None => true,
    }
}

/// `lemonde-2021-12-17.html.gz` → `lemonde-2021-12-17`.
pub fn doc_id(path: &Path) -> String {
    let mut name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for ext in ["gz"].iter().chain(ARTICLE_EXTENSIONS) {
        let lower = name.to_ascii_lowercase();
        if let Some(stem) = lower.strip_suffix(&format!(".{ext}")) {
            name.truncate(stem.len());
            if *ext == "gz" {
                continue;
            }
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
        ] {
            assert_eq!(doc_id(Path::new(path)), expected, "{path}");
        }
    }
}
