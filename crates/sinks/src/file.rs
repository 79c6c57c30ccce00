//! Files written beside their final name and renamed when complete, so
//! that an interrupted run never leaves a half file that looks whole.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written aside, renamed into place by `commit`.
pub struct PendingFile {
    temp: PathBuf,
    target: PathBuf,
    writer: BufWriter<File>,
}

impl PendingFile {
    pub fn create(target: &Path) -> io::Result<Self> {
        let temp = temp_path(target);
        let file = File::create(&temp).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", temp.display())))?;
        Ok(Self {
            writer: BufWriter::new(file),
            temp,
            target: target.to_path_buf(),
        })
    }

    pub fn commit(mut self) -> io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_all()?;
        fs::rename(&self.temp, &self.target)
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Where `target` is written until it is complete: hidden, beside it, so
/// that the rename stays on one file system.
pub fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Standard output, or a file written aside.
pub enum Destination {
    Stdout(BufWriter<io::Stdout>),
    File(PendingFile),
}

impl Destination {
    pub fn open(path: Option<&Path>) -> io::Result<Self> {
        Ok(match path {
            Some(p) => Destination::File(PendingFile::create(p)?),
            None => Destination::Stdout(BufWriter::new(io::stdout())),
        })
    }

    pub fn finish(self) -> io::Result<()> {
        match self {
            Destination::Stdout(mut w) => w.flush(),
            Destination::File(f) => f.commit(),
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Destination::Stdout(w) => w.write(buf),
            Destination::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::Stdout(w) => w.flush(),
            Destination::File(f) => f.flush(),
        }
    }
}

/// Whether `path` names a directory (an existing one, or ending in `/`).
pub fn is_dir(path: &Path) -> bool {
    path.is_dir() || path.to_string_lossy().ends_with('/')
}
