//! A note beside each incident file, `.INC-7.checkpoint`, saying "this file
//! was whole and valid when it looked exactly like this". With it, a write
//! whose verdict needs no state (a log line) can append to a long incident
//! without re-reading it, so `incident log` costs the same on the first
//! entry and the fifty-thousandth.
//!
//! The note is trusted only if the file's device, inode, size, modification
//! and change times still match to the nanosecond, and its header line and
//! last line still hash the same (timestamps can be coarse on older
//! kernels). Any write that did not go through a checkpointing writer (a
//! writer killed before updating it, an older version, a hand edit) fails
//! the match, and the writer falls back to loading the whole file, which
//! reports whatever is wrong.
//!
//! A note is written only by a writer holding the file's lock, right after
//! its own append, and only when it can vouch for every byte before it:
//! either the file looked exactly as this process last saw all of it, or a
//! note still vouched for it (see `IncidentFile::commit`). A long-lived copy
//! that has not re-read the file since someone edited it in place can
//! therefore never certify the edit.
//!
//! The note is a cache: losing it, or failing to write it, only costs the
//! slower path; a torn or foreign note fails its checksum and is ignored.

use super::SCHEMA;
use super::fs::read_range;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Bumped whenever the note's meaning changes; other versions are ignored.
const FORMAT: u32 = 2;

/// Longest header line looked at; real ones are about 150 bytes.
const HEADER_MAX: usize = 4096;

/// What a writer needs to append a stateless operation without loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The time of the last record; the next must not be earlier.
    pub last_at: DateTime<Utc>,
    /// Whether the incident is active (not resolved).
    pub active: bool,
    /// The schema of the file's header.
    pub schema: u32,
}

/// An incident file's identity and times, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Self {
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    pub fn size(&self) -> u64 {
        self.size
    }
}

#[derive(Serialize, Deserialize)]
struct Note {
    format: u32,
    stamp: Stamp,
    /// Hash of the header line, with its newline.
    head: u64,
    /// Length and hash of the last line, with its newline.
    tail: (u64, u64),
    last_at: DateTime<Utc>,
    active: bool,
    schema: u32,
}

/// Where the note for the incident file at `path` lives.
pub fn path_for(path: &Path) -> PathBuf {
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    path.with_file_name(format!(".{}.checkpoint", name.unwrap_or_default()))
}

/// The note for the incident file `file` at `path`, if it describes the
/// file as it is now (`meta` is a fresh `fstat` of it).
pub fn read(path: &Path, file: &File, meta: &std::fs::Metadata) -> Option<Checkpoint> {
    // A shared file system's sizes and times are a client's cache: they
    // cannot vouch for the file, so the fast path is off there.
    if super::medium::Medium::of_file(file).is_shared() {
        return None;
    }
    let mut note_file = OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_CLOEXEC | nix::libc::O_NONBLOCK)
        .open(path_for(path))
        .ok()?;
    if !note_file.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = String::with_capacity(512);
    (&mut note_file).take(4096).read_to_string(&mut text).ok()?;
    let mut lines = text.lines();
    let (body, sum) = (lines.next()?, lines.next()?);
    if sum != checksum(body.as_bytes()) {
        return None;
    }
    let note: Note = serde_json::from_str(body).ok()?;
    if note.format != FORMAT || note.schema > SCHEMA || note.stamp != Stamp::of(meta) {
        return None;
    }
    let (tail_len, tail_hash) = note.tail;
    let tail = read_range(file, meta.size().checked_sub(tail_len)?, tail_len as usize).ok()?;
    if checksum(&tail) != format!("{tail_hash:016x}") || header_hash(file)? != note.head {
        return None;
    }
    Some(Checkpoint {
        last_at: note.last_at,
        active: note.active,
        schema: note.schema,
    })
}

/// Record that the incident file `file` (at `path`), as it is now, ending
/// with `last_line`, is whole and valid with this state, and return how it
/// looks. Call only while holding the file's lock, and only when every byte
/// before `last_line` is vouched for (see the module documentation). Best
/// effort: a failure only means the next writer loads the file.
pub fn write(path: &Path, file: &File, last_line: &[u8], cp: &Checkpoint) -> Option<Stamp> {
    let meta = file.metadata().ok()?;
    let note = Note {
        format: FORMAT,
        stamp: Stamp::of(&meta),
        head: header_hash(file)?,
        tail: (last_line.len() as u64, hash(last_line)),
        last_at: cp.last_at,
        active: cp.active,
        schema: cp.schema,
    };
    let body = serde_json::to_string(&note).ok()?;
    let text = format!("{body}\n{}\n", checksum(body.as_bytes()));
    write_file(&path_for(path), text.as_bytes()).ok()?;
    Some(note.stamp)
}

/// The hash of the file's first line, newline included.
fn header_hash(file: &File) -> Option<u64> {
    let head = read_range(file, 0, HEADER_MAX).ok()?;
    let end = head.iter().position(|&b| b == b'\n')?;
    Some(hash(&head[..=end]))
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

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    FORMAT.hash(&mut h);
    bytes.hash(&mut h);
    h.finish()
}

fn checksum(bytes: &[u8]) -> String {
    format!("{:016x}", hash(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::io::Write;

    const HEADER: &[u8] = b"{\"schema\":1}\n";
    const LAST: &[u8] = b"{\"op\":\"log\"}\n";

    fn state() -> Checkpoint {
        Checkpoint {
            last_at: Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap(),
            active: true,
            schema: SCHEMA,
        }
    }

    fn incident_file(dir: &Path) -> (PathBuf, File) {
        let path = dir.join("INC-1.jsonl");
        std::fs::write(&path, [HEADER, LAST].concat()).unwrap();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&path)
            .unwrap();
        (path, file)
    }

    fn read_now(path: &Path, file: &File) -> Option<Checkpoint> {
        read(path, file, &file.metadata().unwrap())
    }

    #[test]
    fn a_note_is_trusted_only_while_the_file_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file) = incident_file(dir.path());
        let stamp = write(&path, &file, LAST, &state()).expect("written");
        assert_eq!(stamp, Stamp::of(&file.metadata().unwrap()));
        assert_eq!(path_for(&path), dir.path().join(".INC-1.checkpoint"));
        assert_eq!(read_now(&path, &file), Some(state()));

        // Someone appends without updating the note: it no longer applies.
        file.write_all(b"{}\n").unwrap();
        assert_eq!(read_now(&path, &file), None);
    }

    #[test]
    fn a_same_size_edit_in_place_invalidates_the_note() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = incident_file(dir.path());
        write(&path, &file, LAST, &state());
        let editor = OpenOptions::new().write(true).open(&path).unwrap();
        editor.write_all_at(b"[", HEADER.len() as u64).unwrap();
        assert_eq!(read_now(&path, &file), None);
    }

    #[test]
    fn the_last_line_and_the_schema_are_checked_too() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = incident_file(dir.path());
        // As if the file's times had not moved (a coarse clock) while its
        // last line changed.
        write(&path, &file, b"{\"op\":\"gol\"}\n", &state());
        assert_eq!(read_now(&path, &file), None, "last line differs");
        let newer = Checkpoint {
            schema: SCHEMA + 1,
            ..state()
        };
        write(&path, &file, LAST, &newer);
        assert_eq!(read_now(&path, &file), None, "a newer schema's note");
        write(&path, &file, LAST, &state());
        assert_eq!(read_now(&path, &file), Some(state()));
    }

    #[test]
    fn a_damaged_or_foreign_note_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = incident_file(dir.path());
        write(&path, &file, LAST, &state());
        let note = path_for(&path);
        let good = std::fs::read_to_string(&note).unwrap();

        std::fs::write(&note, good.replace("true", "false")).unwrap();
        assert_eq!(read_now(&path, &file), None, "checksum must catch an edit");
        std::fs::write(&note, &good[..good.len() / 2]).unwrap();
        assert_eq!(read_now(&path, &file), None, "torn note");
        std::fs::write(&note, "").unwrap();
        assert_eq!(read_now(&path, &file), None, "empty note");

        std::fs::remove_file(&note).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &note).unwrap();
        assert_eq!(write(&path, &file, LAST, &state()), None);
        assert!(!dir.path().join("elsewhere").exists(), "link not followed");
        assert_eq!(read_now(&path, &file), None);
    }
}
