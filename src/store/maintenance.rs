//! Maintenance windows, `.maintenance/windows.json` beside the incidents:
//! while a service is in a window, a page for it declares nothing; it is
//! counted on the window instead.
//!
//! One small file, so every box sees the same windows and the login hint
//! reads one file. It is replaced whole (written beside, synced, renamed
//! over) under `.maintenance/lock`, and read back before a change is
//! reported as made. Ids (W1, W2, ...) are allocated under that lock and
//! never reused. A window is active from its start until its end, or until
//! it was ended early: computed from the clock, so nothing has to sweep
//! windows that ran out. Windows that ended over [`KEEP_DAYS`] days ago
//! are dropped at the next change.
//!
//! The folder has no `*.jsonl` in it, and its name starts with a dot, so
//! no copy of `incident`, older or newer, takes it for an incident: the
//! store lists `INC-N.jsonl` files only, and the watcher looks at
//! `*.jsonl` and presence files.
//!
//! Lock order: a page holds the directory's intake lock, then this one;
//! nothing holding this lock takes another.

use super::{StoreError, fs, index};
use crate::sanitize;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The folder inside the incident directory.
pub const DIR: &str = ".maintenance";

/// Bumped when the file's meaning changes.
const FORMAT: u32 = 1;

/// How long an ended window is kept for `maintenance list --all`.
pub const KEEP_DAYS: i64 = 30;

/// How long a person's change waits for another.
const LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a page waits to be counted: it is inside the intake's own
/// wait ([`crate::intake::INTAKE_WAIT`]), which the sender is answered in.
const PAGE_LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// One maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// W1 is 1.
    pub id: u64,
    /// Lowercase, in the form a system name takes.
    pub service: String,
    pub reason: String,
    pub by: String,
    pub start: DateTime<Utc>,
    /// When it ends by itself.
    pub until: DateTime<Utc>,
    /// Ended early: by whom, when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<Ended>,
    /// Pages it kept from declaring.
    #[serde(default)]
    pub suppressed: u64,
    /// The last of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Suppressed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ended {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A page a window kept from declaring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    pub at: DateTime<Utc>,
    /// The pager, as people name it (Alertmanager, PagerDuty, ...).
    pub source: String,
    /// The alert's de-duplication key.
    pub key: String,
    /// The alert's summary.
    pub title: String,
}

impl Window {
    /// `W3`.
    pub fn name(&self) -> String {
        format!("W{}", self.id)
    }

    /// When it stops (or stopped) suppressing.
    pub fn end(&self) -> DateTime<Utc> {
        match &self.ended {
            Some(e) => e.at.min(self.until),
            None => self.until,
        }
    }

    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.start <= now && now < self.end()
    }

    /// Whether a page naming `service` is for this window (exact,
    /// case-insensitive: stored names are lowercase, and so are the
    /// services the pager parsers give).
    pub fn covers(&self, service: &str) -> bool {
        self.service.eq_ignore_ascii_case(service.trim())
    }

    /// "suppressed 3 pages", "suppressed 1 page", "nothing suppressed".
    pub fn counted(&self) -> String {
        match self.suppressed {
            0 => "nothing suppressed".into(),
            1 => "suppressed 1 page".into(),
            n => format!("suppressed {n} pages"),
        }
    }

    /// One line for people: `W1 payments-db until 05:30 UTC (db upgrade, added
    /// by alice) · suppressed 3 pages`; `fmt` writes the times.
    pub fn line(&self, now: DateTime<Utc>, fmt: &dyn Fn(DateTime<Utc>) -> String) -> String {
        let state = if self.is_active(now) {
            format!("until {}", fmt(self.until))
        } else if let Some(e) = self.ended.as_ref().filter(|e| e.at < self.until) {
            format!("ended early {} by {}", fmt(e.at), sanitize::line(&e.by))
        } else if self.start > now {
            format!("from {} until {}", fmt(self.start), fmt(self.until))
        } else {
            format!("ended {}", fmt(self.until))
        };
        // (Checked when written; the file may have been edited by hand.)
        format!(
            "{} {} {state} ({}, added by {}) · {}",
            self.name(),
            sanitize::line(&self.service),
            sanitize::line(&self.reason),
            sanitize::line(&self.by),
            self.counted()
        )
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Book {
    format: u32,
    /// The last id given.
    last: u64,
    windows: Vec<Window>,
}

/// Why a change to the windows was not made.
#[derive(Debug, thiserror::Error)]
pub enum MaintenanceError {
    /// The words are wrong, or the window is not there: what to type.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn folder(dir: &Path) -> PathBuf {
    dir.join(DIR)
}

fn book_path(dir: &Path) -> PathBuf {
    folder(dir).join(FILE)
}

/// The windows' file name, inside [`DIR`].
const FILE: &str = "windows.json";

/// Where the windows are kept in `dir` (the watcher looks at it).
pub fn windows_path(dir: &Path) -> PathBuf {
    book_path(dir)
}

/// Whether `p` is the windows' file, or the folder that holds it (its
/// making is the first change to the windows a watch can see).
pub fn is_windows_path(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str());
    let parent = p
        .parent()
        .and_then(|d| d.file_name())
        .and_then(|n| n.to_str());
    (name == Some(FILE) && parent == Some(DIR)) || name == Some(DIR)
}

/// Make the windows' folder if it is not there, so a live view can watch
/// it before any window is added.
pub fn ensure_folder(dir: &Path) -> Result<(), StoreError> {
    fs::ensure_dir(&folder(dir))
}

fn read_book(dir: &Path) -> Result<Book, StoreError> {
    let path = book_path(dir);
    let Some(bytes) = index::read_file(&path)? else {
        return Ok(Book {
            format: FORMAT,
            ..Book::default()
        });
    };
    match serde_json::from_slice::<Book>(&bytes) {
        Ok(b) if b.format == FORMAT => Ok(b),
        Ok(b) => Err(StoreError::io(
            &path,
            std::io::Error::other(format!(
                "written by another version of incident (format {}); upgrade incident on this box",
                b.format
            )),
        )),
        Err(e) => Err(StoreError::io(
            &path,
            std::io::Error::other(format!(
                "cannot be read ({e}); fix it by hand, or move it aside to start over without windows"
            )),
        )),
    }
}

/// Every window kept (active, ahead and recently ended), oldest first.
/// Reads one small file, past the cache on a shared file system.
pub fn all(dir: &Path) -> Result<Vec<Window>, StoreError> {
    Ok(read_book(dir)?.windows)
}

/// The windows active at `now`, oldest first. Fast: one small file.
pub fn active(dir: &Path, now: DateTime<Utc>) -> Result<Vec<Window>, StoreError> {
    Ok(all(dir)?.into_iter().filter(|w| w.is_active(now)).collect())
}

/// Change the book under its lock, write it and read it back; `change`
/// gives the window to confirm (it must be in the file as written).
fn change(
    dir: &Path,
    now: DateTime<Utc>,
    wait: std::time::Duration,
    change: impl FnOnce(&mut Book) -> Result<Option<u64>, MaintenanceError>,
) -> Result<Option<Window>, MaintenanceError> {
    fs::ensure_dir(dir)?;
    fs::ensure_dir(&folder(dir))?;
    let _held = fs::lock_file(&folder(dir).join("lock"), wait)?;
    let mut book = read_book(dir)?;
    let Some(id) = change(&mut book)? else {
        return Ok(None);
    };
    let keep = now - Duration::days(KEEP_DAYS);
    book.windows.retain(|w| w.end() > keep || w.id == id);
    let path = book_path(dir);
    index::replace(&path, &book)?;
    // Read back as the server has it before saying it is done.
    let want = book.windows.iter().find(|w| w.id == id).cloned();
    let got = read_book(dir)?.windows.into_iter().find(|w| w.id == id);
    if got.is_none() || got != want {
        return Err(StoreError::Unconfirmed {
            path,
            problem: format!("W{id} did not read back as written"),
        }
        .into());
    }
    Ok(got)
}

/// Put `service` in maintenance from `now` until `until`, as `by`.
/// Refused while it has an active window already (it names it).
pub fn add(
    dir: &Path,
    by: &str,
    service: &str,
    reason: &str,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
    typed: &dyn Fn(&str) -> String,
) -> Result<Window, MaintenanceError> {
    let window = change(dir, now, LOCK_TIMEOUT, |book| {
        crate::ops::maintenance::may_add(&book.windows, service, now, typed)
            .map_err(MaintenanceError::Refused)?;
        book.last += 1;
        book.windows.push(Window {
            id: book.last,
            service: service.to_string(),
            reason: reason.to_string(),
            by: by.to_string(),
            start: now,
            until,
            ended: None,
            suppressed: 0,
            last: None,
        });
        Ok(Some(book.last))
    })?;
    window.ok_or_else(|| unconfirmed(dir))
}

/// End window `id` early, as `by`. Refused for a window that is not
/// there or has ended.
pub fn end(
    dir: &Path,
    by: &str,
    id: u64,
    now: DateTime<Utc>,
    typed: &dyn Fn(&str) -> String,
) -> Result<Window, MaintenanceError> {
    let window = change(dir, now, LOCK_TIMEOUT, |book| {
        crate::ops::maintenance::may_end(&book.windows, id, now, typed)
            .map_err(MaintenanceError::Refused)?;
        let Some(w) = book.windows.iter_mut().find(|w| w.id == id) else {
            return Ok(None);
        };
        w.ended = Some(Ended {
            by: by.to_string(),
            at: now,
        });
        Ok(Some(id))
    })?;
    window.ok_or_else(|| unconfirmed(dir))
}

fn unconfirmed(dir: &Path) -> MaintenanceError {
    StoreError::Unconfirmed {
        path: book_path(dir),
        problem: "the change was not found when read back".into(),
    }
    .into()
}

/// A page for `service` at `now`: if an active window covers it, count
/// it there (with what it was) and give the window as it is now; else
/// None, and nothing is written. Reads without the lock first, so a page
/// for a service in no window costs one small read.
pub fn suppress(dir: &Path, service: &str, page: Suppressed) -> Result<Option<Window>, StoreError> {
    let now = page.at;
    let covered = |w: &Window| w.covers(service) && w.is_active(now);
    if !all(dir)?.iter().any(covered) {
        return Ok(None);
    }
    let counted = change(dir, now, PAGE_LOCK_TIMEOUT, |book| {
        // Looked at again under the lock: it may have ended meanwhile.
        let Some(w) = book
            .windows
            .iter_mut()
            .filter(|w| covered(w))
            .max_by_key(|w| w.until)
        else {
            return Ok(None);
        };
        w.suppressed += 1;
        w.last = Some(page);
        Ok(Some(w.id))
    });
    match counted {
        Ok(w) => Ok(w),
        Err(MaintenanceError::Store(e)) => Err(e),
        Err(MaintenanceError::Refused(why)) => {
            Err(StoreError::io(book_path(dir), std::io::Error::other(why)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(words: &str) -> String {
        format!("incident {words}")
    }

    fn page(at: DateTime<Utc>) -> Suppressed {
        Suppressed {
            at,
            source: "Alertmanager".into(),
            key: "alertmanager:k".into(),
            title: "PaymentsDown".into(),
        }
    }

    #[test]
    fn windows_count_pages_until_they_end() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let now = Utc::now();
        let w = add(
            dir,
            "alice",
            "payments",
            "upgrade",
            now + Duration::hours(1),
            now,
            &cli,
        )
        .unwrap();
        assert_eq!(w.name(), "W1");
        let again = add(
            dir,
            "bob",
            "payments",
            "again",
            now + Duration::hours(2),
            now,
            &cli,
        )
        .unwrap_err()
        .to_string();
        assert!(again.contains("incident maintenance end W1"), "{again}");
        let got = suppress(dir, "Payments", page(now)).unwrap().unwrap();
        assert_eq!((got.id, got.suppressed), (1, 1));
        assert_eq!(suppress(dir, "checkout", page(now)).unwrap(), None);
        // After its end it counts nothing.
        let later = page(now + Duration::hours(2));
        assert_eq!(suppress(dir, "payments", later).unwrap(), None);
        assert_eq!(active(dir, now + Duration::hours(2)).unwrap(), vec![]);
        let ended = end(dir, "carol", 1, now, &cli).unwrap();
        assert_eq!(ended.ended.unwrap().by, "carol");
        let e = end(dir, "carol", 1, now, &cli).unwrap_err().to_string();
        assert!(e.contains("ended already"), "{e}");
        let e = end(dir, "carol", 9, now, &cli).unwrap_err().to_string();
        assert!(e.contains("no maintenance window W9"), "{e}");
        // Ids are never reused.
        let w = add(
            dir,
            "alice",
            "payments",
            "again",
            now + Duration::hours(1),
            now,
            &cli,
        )
        .unwrap();
        assert_eq!(w.name(), "W2");
    }

    #[test]
    fn the_folder_is_never_taken_for_an_incident() {
        let tmp = tempfile::tempdir().unwrap();
        let now = Utc::now();
        add(
            tmp.path(),
            "a",
            "db",
            "r",
            now + Duration::hours(1),
            now,
            &cli,
        )
        .unwrap();
        let store = crate::store::Store::new(tmp.path());
        assert!(store.ids().unwrap().is_empty());
        assert!(store.list().unwrap().is_empty());
    }
}
