//! A note beside each incident file, `.INC-7.checkpoint`, saying "this file
//! was whole and valid when it looked exactly like this". With it, a write
//! whose verdict needs no state (a log line) can append to a long incident
//! without re-reading it, so `incident log` costs the same on the first
//! entry and the fifty-thousandth.
//!
//! The note is written only by a writer holding the file's lock, right after
//! its own append, from the state it has just judged. It is trusted only if
//! the file's device, inode, size, modification and change times still match
//! to the nanosecond: any write that did not go through a checkpointing
//! writer (a writer killed before updating it, an older version, a hand
//! edit) changes one of them, and the writer falls back to loading the whole
//! file, which reports whatever is wrong. The note is a cache: losing it, or
//! failing to write it, only costs that slower path; a torn or foreign note
//! fails its checksum and is ignored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Bumped whenever the note's meaning changes; other versions are ignored.
const FORMAT: u32 = 1;

/// What a writer needs to append a stateless operation without loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The time of the last record; the next must not be earlier.
    pub last_at: DateTime<Utc>,
    /// Whether the incident is active (not resolved).
    pub active: bool,
}

/// The incident file exactly as the note describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Note {
    format: u32,
    stamp: Stamp,
    last_at: DateTime<Utc>,
    active: bool,
}

/// Where the note for the incident file at `path` lives.
pub fn path_for(path: &Path) -> PathBuf {
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    path.with_file_name(format!(".{}.checkpoint", name.unwrap_or_default()))
}

/// The note for `path`, if it describes the file as it is now (`meta` is a
/// fresh `fstat` of it).
pub fn read(path: &Path, meta: &std::fs::Metadata) -> Option<Checkpoint> {
    let mut file = OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_CLOEXEC | nix::libc::O_NONBLOCK)
        .open(path_for(path))
        .ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    (&mut file).take(4096).read_to_string(&mut text).ok()?;
    let mut lines = text.lines();
    let (body, sum) = (lines.next()?, lines.next()?);
    if sum != checksum(body) {
        return None;
    }
    let note: Note = serde_json::from_str(body).ok()?;
    (note.format == FORMAT && note.stamp == Stamp::of(meta)).then_some(Checkpoint {
        last_at: note.last_at,
        active: note.active,
    })
}

/// Record that the incident file `file` (at `path`), as it is now, is whole
/// and valid with this state. Call only while holding the file's lock, with
/// the state of everything written so far. Best effort: a failure only
/// means the next writer loads the file.
pub fn write(path: &Path, file: &File, cp: &Checkpoint) {
    let Ok(meta) = file.metadata() else { return };
    let note = Note {
        format: FORMAT,
        stamp: Stamp::of(&meta),
        last_at: cp.last_at,
        active: cp.active,
    };
    let Ok(body) = serde_json::to_string(&note) else {
        return;
    };
    let text = format!("{body}\n{}\n", checksum(&body));
    let _ = write_file(&path_for(path), text.as_bytes());
}

fn write_file(note: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(super::fs::FILE_MODE)
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_CLOEXEC | nix::libc::O_NONBLOCK)
        .open(note)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() == 0 {
        // Just created (or emptied): share it with the group like the
        // incident file, whatever the umask.
        let _ = super::fs::share_with_group(&file, note);
    }
    file.write_all_at(bytes, 0)?;
    file.set_len(bytes.len() as u64)
}

fn checksum(body: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    FORMAT.hash(&mut h);
    body.hash(&mut h);
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::io::Write;

    fn state() -> Checkpoint {
        Checkpoint {
            last_at: Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap(),
            active: true,
        }
    }

    fn incident_file(dir: &Path) -> (PathBuf, File) {
        let path = dir.join("INC-1.jsonl");
        std::fs::write(&path, "{}\n").unwrap();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&path)
            .unwrap();
        (path, file)
    }

    #[test]
    fn a_note_is_trusted_only_while_the_file_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file) = incident_file(dir.path());
        write(&path, &file, &state());
        assert_eq!(path_for(&path), dir.path().join(".INC-1.checkpoint"));
        assert_eq!(read(&path, &file.metadata().unwrap()), Some(state()));

        // Someone appends without updating the note: it no longer applies.
        file.write_all(b"{}\n").unwrap();
        assert_eq!(read(&path, &file.metadata().unwrap()), None);
    }

    #[test]
    fn a_same_size_edit_in_place_invalidates_the_note() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = incident_file(dir.path());
        write(&path, &file, &state());
        // Timestamps come from a coarse clock; step past one tick.
        std::thread::sleep(std::time::Duration::from_millis(30));
        let editor = OpenOptions::new().write(true).open(&path).unwrap();
        editor.write_all_at(b"[]", 0).unwrap();
        assert_eq!(file.metadata().unwrap().len(), 3, "same size");
        assert_eq!(read(&path, &file.metadata().unwrap()), None);
    }

    #[test]
    fn a_damaged_or_foreign_note_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = incident_file(dir.path());
        write(&path, &file, &state());
        let note = path_for(&path);
        let good = std::fs::read_to_string(&note).unwrap();
        let meta = file.metadata().unwrap();

        std::fs::write(&note, good.replace("true", "false")).unwrap();
        assert_eq!(read(&path, &meta), None, "checksum must catch an edit");
        std::fs::write(&note, &good[..good.len() / 2]).unwrap();
        assert_eq!(read(&path, &meta), None, "torn note");
        std::fs::write(&note, "").unwrap();
        assert_eq!(read(&path, &meta), None, "empty note");

        std::fs::remove_file(&note).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &note).unwrap();
        write(&path, &file, &state());
        assert!(!dir.path().join("elsewhere").exists(), "link not followed");
        assert_eq!(read(&path, &meta), None);
    }
}
