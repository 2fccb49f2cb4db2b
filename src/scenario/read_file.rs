//! Reading a file the user named, safely: only a regular file (a FIFO, a device or a socket
//! named `*.ron` would block or never end), and never more than a limit, counted while
//! reading (the size the file system reports can be wrong, and is zero for `/dev/zero`).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadFileError {
    /// Not a regular file: what it is instead ("a FIFO", "a device", "a folder", ...).
    NotRegular(&'static str),
    /// Longer than the limit; holds the limit.
    TooLarge(usize),
    Io(io::Error),
}

impl std::fmt::Display for ReadFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadFileError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file, so it was not read"),
            ReadFileError::TooLarge(limit) => write!(f, "it is larger than {limit} bytes, the limit"),
            ReadFileError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadFileError {}

/// The bytes of the regular file at `path` (links followed), at most `limit` of them.
pub fn read_regular_file(path: &Path, limit: usize) -> Result<Vec<u8>, ReadFileError> {
    // Checked before opening, because opening a FIFO for reading waits for a writer.
    check_regular(&std::fs::metadata(path).map_err(ReadFileError::Io)?)?;
    let file = File::open(path).map_err(ReadFileError::Io)?;
    // And again on what was opened, in case the name was swapped in between.
    check_regular(&file.metadata().map_err(ReadFileError::Io)?)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(ReadFileError::Io)?;
    if bytes.len() > limit {
        return Err(ReadFileError::TooLarge(limit));
    }
    Ok(bytes)
}

fn check_regular(meta: &std::fs::Metadata) -> Result<(), ReadFileError> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(ReadFileError::NotRegular("a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Err(ReadFileError::NotRegular("a FIFO (named pipe)"));
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Err(ReadFileError::NotRegular("a device"));
        }
        if kind.is_socket() {
            return Err(ReadFileError::NotRegular("a socket"));
        }
    }
    Err(ReadFileError::NotRegular("a special file"))
}
