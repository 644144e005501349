//! The on-disk cache of the last good document, shown (marked as cached) at
//! start-up until the first poll answers.
//!
//! One feed URL maps to `<dir>/<fnv64 of the URL>.json` (the raw body, as
//! received) and `<dir>/<fnv64>.meta` (when it was received, its validators
//! and its length, so a body and a sidecar from different writes are caught).
//! Both are written atomically (temp file, fsync, rename) with mode 0600.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::feed::client::Validators;
use crate::feed::fnv64;
use crate::feed::snapshot::Snapshot;
use crate::settings::{FileError, read_regular_file};

/// Why the cache could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The file system refused.
    #[error("cache file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Not a regular file, or larger than the cap: it is not read.
    #[error("cache file {path} {problem}")]
    Refused {
        /// The file.
        path: PathBuf,
        /// "is a FIFO, not a regular file", say.
        problem: FileError,
    },
    /// The files are there but do not hold a usable document.
    #[error("cache file {path} is unusable: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A cached document, parsed and validated.
#[derive(Debug)]
pub struct Entry {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// When the body was received (our clock).
    pub received_at: DateTime<Utc>,
    /// Its validators, so the first poll can be a 304.
    pub validators: Validators,
}

/// The sidecar beside each cached body.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    /// The feed URL (guards against a hash collision).
    url: String,
    received_at: DateTime<Utc>,
    body_len: u64,
    #[serde(default)]
    validators: Validators,
}

/// The cache directory: `$XDG_CACHE_HOME/rollout-dash`.
pub fn dir() -> Option<PathBuf> {
    crate::settings::xdg_dir("XDG_CACHE_HOME", ".cache")
}

/// The cache file for a feed URL in the default directory.
pub fn path_for(url: &str) -> Option<PathBuf> {
    dir().map(|dir| path_in(&dir, url))
}

/// The cache file for a feed URL in `dir`.
pub fn path_in(dir: &Path, url: &str) -> PathBuf {
    dir.join(format!("{:016x}.json", fnv64(url.as_bytes())))
}

/// The sidecar of a cache file.
pub fn meta_path(path: &Path) -> PathBuf {
    path.with_extension("meta")
}

/// The largest sidecar read: a URL and two validators.
const MAX_META_BYTES: u64 = 64 * 1024;

/// Loads the cached document of `url` from the default directory; a missing
/// or corrupt cache is `None` (a corrupt one is logged). `max_body` is the
/// body cap in bytes (`feed.max_body_mb`): a larger cache is not read.
pub fn load(url: &str, max_body: u64) -> Option<(Snapshot, DateTime<Utc>)> {
    let path = path_for(url)?;
    load_or_log(&path, url, max_body).map(|entry| (entry.snapshot, entry.received_at))
}

/// [`load_from`], logging and ignoring a corrupt cache.
pub fn load_or_log(path: &Path, url: &str, max_body: u64) -> Option<Entry> {
    match load_from(path, url, max_body) {
        Ok(entry) => entry,
        Err(error) => {
            tracing::warn!("ignoring the feed cache: {error}");
            None
        }
    }
}

/// Loads the cached document of `url` from `path`: `Ok(None)` when there is
/// none. Both files must be regular files (a FIFO would block the read, a
/// device never end it) and the body at most `max_body` bytes.
pub fn load_from(path: &Path, url: &str, max_body: u64) -> Result<Option<Entry>, CacheError> {
    let meta_path = meta_path(path);
    let meta_text = match read_regular_file(&meta_path, MAX_META_BYTES) {
        Ok(contents) => contents.bytes,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(error) => return Err(unreadable(&meta_path, error)),
    };
    let corrupt = |path: &Path, message: String| CacheError::Corrupt {
        path: path.to_owned(),
        message,
    };
    let meta: Meta =
        serde_json::from_slice(&meta_text).map_err(|e| corrupt(&meta_path, e.to_string()))?;
    if meta.url != url {
        // Two URLs with one hash: not ours, and not worth a warning.
        return Ok(None);
    }
    let body = read_regular_file(path, max_body)
        .map_err(|error| unreadable(path, error))?
        .bytes;
    if body.len() as u64 != meta.body_len {
        return Err(corrupt(
            path,
            format!(
                "{} bytes where the sidecar says {}",
                body.len(),
                meta.body_len
            ),
        ));
    }
    let snapshot = Snapshot::from_body(&body).map_err(|e| corrupt(path, e.to_string()))?;
    Ok(Some(Entry {
        snapshot,
        received_at: meta.received_at,
        validators: meta.validators,
    }))
}

/// A cache file that could not be read: the file system said no, or the
/// file is not a regular file of a usable size.
fn unreadable(path: &Path, error: FileError) -> CacheError {
    match error {
        FileError::Io(source) => CacheError::Io {
            path: path.to_owned(),
            source,
        },
        problem => CacheError::Refused {
            path: path.to_owned(),
            problem,
        },
    }
}

/// Writes `body` as the cached document of `url` at `path`, with its sidecar.
pub fn store(
    path: &Path,
    url: &str,
    body: &[u8],
    received_at: DateTime<Utc>,
    validators: &Validators,
) -> Result<(), CacheError> {
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |source| CacheError::Io { path, source }
    };
    if let Some(dir) = path.parent() {
        create_private_dir(dir).map_err(io_error(dir))?;
    }
    let meta = Meta {
        url: url.to_owned(),
        received_at,
        body_len: body.len() as u64,
        validators: validators.clone(),
    };
    let meta_json = serde_json::to_vec(&meta).expect("the sidecar always serialises");
    // Body first: a crash between the two leaves a sidecar whose length no
    // longer matches, and the pair is ignored rather than misdated.
    write_atomic(path, body).map_err(io_error(path))?;
    let meta_path = meta_path(path);
    write_atomic(&meta_path, &meta_json).map_err(io_error(&meta_path))?;
    Ok(())
}

/// Replaces the validators in the sidecar of the cached document of `url`
/// at `path`, leaving the body (megabytes) alone: the feed sent the same
/// bytes under a new ETag or Last-Modified.
pub fn store_validators(path: &Path, url: &str, validators: &Validators) -> Result<(), CacheError> {
    let meta_path = meta_path(path);
    let meta_text = read_regular_file(&meta_path, MAX_META_BYTES)
        .map_err(|error| unreadable(&meta_path, error))?
        .bytes;
    let corrupt = |message: String| CacheError::Corrupt {
        path: meta_path.clone(),
        message,
    };
    let mut meta: Meta = serde_json::from_slice(&meta_text).map_err(|e| corrupt(e.to_string()))?;
    if meta.url != url {
        return Err(corrupt(format!("it belongs to {}, not {url}", meta.url)));
    }
    meta.validators = validators.clone();
    let meta_json = serde_json::to_vec(&meta).expect("the sidecar always serialises");
    write_atomic(&meta_path, &meta_json).map_err(|source| CacheError::Io {
        path: meta_path.clone(),
        source,
    })
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Temp file in the same directory (so rename is atomic), fsync, rename,
/// then fsync the directory so the rename itself survives a crash.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.{}.{:08x}.tmp",
        std::process::id(),
        fastrand::u32(..)
    ));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Set at creation: the file is never readable by others, not even briefly.
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv64_matches_the_reference_values() {
        assert_eq!(fnv64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn the_file_name_is_the_hash_of_the_url() {
        let path = path_in(Path::new("/c"), "http://a/v1/snapshot");
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(name.len(), "0123456789abcdef.json".len());
        assert_eq!(meta_path(&path).extension().unwrap(), "meta");
    }
}
