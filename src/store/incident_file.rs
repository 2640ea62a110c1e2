//! One incident file: load it, follow what others append, and append to it.

use super::StoreError;
use super::checkpoint::{self, Checkpoint, Stamp};
use super::fs::{self, LOCK_TIMEOUT};
use super::index::{self, Summary};
use super::medium::Medium;
use super::timeline::Trace;
use crate::model::{Actor, Incident};
use crate::ops::{self, Op, Record};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema version this build writes and fully understands.
pub const SCHEMA: u32 = 1;

/// The first line of every incident file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub schema: u32,
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub created_by: Actor,
}

/// An incident file as this process has read it so far.
///
/// `refresh` reads only the bytes appended since the last read; `commit`
/// appends one operation under the exclusive lock after catching up, so it
/// is always judged against the freshest state.
pub struct IncidentFile {
    path: PathBuf,
    file: File,
    ino: (u64, u64),
    /// Byte offset just past the last complete line read.
    offset: u64,
    /// Number of complete lines read (the header is line 1).
    lines: usize,
    header: Option<Header>,
    incident: Option<Incident>,
    read_only: Option<String>,
    /// Lines of a newer schema that this version could not understand.
    skipped: usize,
    lock_timeout: Duration,
    /// How the file looked when this process last accounted for every
    /// byte of it (read it all, or appended to what a checkpoint vouched
    /// for): what lets `commit` vouch for the file in a checkpoint.
    known: Option<Stamp>,
    /// On a shared (network or FUSE) file system: a descriptor that reads
    /// past this client's cache, if the file system offers one. Sizes and
    /// first reads there can be stale, so nothing cached is trusted.
    shared: Option<Shared>,
    /// While someone looks back: where each record is and copies of the
    /// state as it goes (see [`super::timeline`]).
    trace: Option<Trace>,
}

struct Shared {
    direct: Option<File>,
}

impl IncidentFile {
    /// Open and load an incident file.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::load(path, None)
    }

    /// Open and load an incident file, noting each record for looking back
    /// (see [`super::timeline::Timeline`]).
    pub(super) fn open_traced(path: &Path) -> Result<Self, StoreError> {
        Self::load(path, Some(Trace::default()))
    }

    pub(super) fn trace(&self) -> Option<&Trace> {
        self.trace.as_ref()
    }

    /// The file itself, to read lines again.
    pub(super) fn raw(&self) -> &File {
        &self.file
    }

    fn load(path: &Path, trace: Option<Trace>) -> Result<Self, StoreError> {
        let file = fs::open_incident(path, false)?;
        let meta = file.metadata().map_err(|e| StoreError::io(path, e))?;
        let shared = Medium::of_file(&file).is_shared().then(|| Shared {
            direct: fs::direct::open(path),
        });
        let mut this = IncidentFile {
            path: path.to_path_buf(),
            file,
            ino: (meta.dev(), meta.ino()),
            offset: 0,
            lines: 0,
            header: None,
            incident: None,
            read_only: None,
            skipped: 0,
            lock_timeout: LOCK_TIMEOUT,
            known: None,
            shared,
            trace,
        };
        this.read_new()?;
        let meta = this.file.metadata().map_err(|e| StoreError::io(path, e))?;
        if this.shared.is_none() && meta.len() == this.offset {
            this.known = Some(Stamp::of(&meta));
        }
        if this.incident.is_none() {
            return Err(if this.lines == 0 {
                StoreError::Empty {
                    path: path.to_path_buf(),
                }
            } else {
                StoreError::Corrupt {
                    path: path.to_path_buf(),
                    line: this.lines + 1,
                    column: 1,
                    problem: "the incident has a header but no declaration yet".into(),
                }
            });
        }
        Ok(this)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn incident(&self) -> &Incident {
        self.incident
            .as_ref()
            .expect("open() guarantees a declared incident")
    }

    pub fn header(&self) -> &Header {
        self.header.as_ref().expect("open() guarantees a header")
    }

    /// Why this file may not be written, if it may not.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Lines skipped because a newer version wrote them (read-only files).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Bytes of the file consumed so far (the end of the last full line).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    pub fn set_lock_timeout(&mut self, timeout: Duration) {
        self.lock_timeout = timeout;
    }

    /// Catch up with what other processes appended. Returns true when the
    /// incident changed. If the file was replaced (a different inode at the
    /// path), it is loaded afresh.
    pub fn refresh(&mut self) -> Result<bool, StoreError> {
        let before = self.incident().revision;
        let meta =
            std::fs::symlink_metadata(&self.path).map_err(|e| StoreError::io(&self.path, e))?;
        if (meta.dev(), meta.ino()) != self.ino {
            let trace = self.trace.is_some().then(Trace::default);
            *self = IncidentFile::load(&self.path, trace)?;
            return Ok(true);
        }
        self.read_new()?;
        Ok(self.incident().revision != before)
    }

    /// Read and apply every complete line past `offset`.
    fn read_new(&mut self) -> Result<(), StoreError> {
        if self.shared.is_some() {
            let buf = self.read_past_cache()?;
            return self.ingest_complete(until_marker(&buf));
        }
        let size = self
            .file
            .metadata()
            .map_err(|e| StoreError::io(&self.path, e))?
            .len();
        if size < self.offset {
            return Err(self.shrank(size));
        }
        if size == self.offset {
            return Ok(());
        }
        let buf = fs::read_range(&self.file, self.offset, (size - self.offset) as usize)
            .map_err(|e| StoreError::io(&self.path, e))?;
        self.ingest_complete(&buf)
    }

    /// Everything past `offset` to the file's true end, as the server has
    /// it (shared file systems): the size this client has cached is not
    /// asked.
    fn read_past_cache(&self) -> Result<Vec<u8>, StoreError> {
        let direct = self.shared.as_ref().and_then(|s| s.direct.as_ref());
        let (buf, len) = fs::direct::read_from(direct.unwrap_or(&self.file), self.offset)
            .map_err(|e| StoreError::io(&self.path, e))?;
        if len < self.offset {
            return Err(self.shrank(len));
        }
        Ok(buf)
    }

    fn shrank(&self, size: u64) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            line: self.lines,
            column: 1,
            problem: format!(
                "the file shrank from {} to {size} bytes: someone cut it by hand",
                self.offset
            ),
        }
    }

    /// Apply the complete lines at the start of `buf` (the bytes just past
    /// `offset`); a partial last line is left for later.
    fn ingest_complete(&mut self, buf: &[u8]) -> Result<(), StoreError> {
        let mut start = 0usize;
        while let Some(nl) = buf[start..].iter().position(|&b| b == b'\n') {
            let line = &buf[start..start + nl];
            self.ingest(line, self.offset)?;
            start += nl + 1;
            self.offset += (nl + 1) as u64;
        }
        // Anything after the last newline is a line still being written or
        // left by a killed writer: ignored until it is complete.
        Ok(())
    }

    /// Apply one complete line (without its newline), which starts at
    /// byte `at` of the file.
    fn ingest(&mut self, line: &[u8], at: u64) -> Result<(), StoreError> {
        let line_no = self.lines + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            self.lines = line_no;
            return Ok(());
        }
        if self.header.is_none() {
            let header: Header = serde_json::from_slice(line).map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                line: line_no,
                column: e.column(),
                problem: format!("not an incident header ({})", serde_problem(&e)),
            })?;
            let expected = self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if header.id != expected {
                return Err(self.corrupt(
                    line_no,
                    1,
                    format!(
                        "the header says this is {} but the file is named {expected}.jsonl (a copy?): \
                         move it out of the incident directory",
                        crate::sanitize::line(&header.id)
                    ),
                ));
            }
            if header.schema == 0 {
                return Err(self.corrupt(line_no, 1, "schema version 0 is not valid".into()));
            }
            if header.schema > SCHEMA {
                self.read_only = Some(format!(
                    "written with schema {}; this version understands up to {SCHEMA}: upgrade incident to change it",
                    header.schema
                ));
            }
            self.header = Some(header);
            self.lines = line_no;
            return Ok(());
        }
        let rec = match serde_json::from_slice::<Record>(line) {
            Ok(rec) => rec,
            Err(e) => {
                let is_json = serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok();
                if self.read_only.is_some() && is_json {
                    // A newer writer's operation, or a new value in a known
                    // one: skip it. We only read this file.
                    self.skipped += 1;
                    self.lines = line_no;
                    return Ok(());
                }
                if let Some(op) = unknown_op(line) {
                    return Err(StoreError::UnknownOp {
                        path: self.path.clone(),
                        line: line_no,
                        op,
                    });
                }
                return Err(self.corrupt(line_no, e.column(), serde_problem(&e)));
            }
        };
        match &mut self.incident {
            Some(inc) => ops::replay(inc, &rec),
            None => {
                let id = &self.header.as_ref().expect("header read first").id;
                self.incident = Some(ops::replay_genesis(id, &rec).ok_or_else(|| {
                    self.corrupt(
                        line_no,
                        1,
                        "the first operation must declare the incident".into(),
                    )
                })?);
            }
        }
        if let (Some(trace), Some(inc)) = (&mut self.trace, &mut self.incident) {
            trace.note(&rec, inc, at, line.len() + 1);
        }
        self.lines = line_no;
        Ok(())
    }

    fn corrupt(&self, line: usize, column: usize, problem: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            line,
            column,
            problem,
        }
    }

    /// Append one operation by `actor`: lock, catch up, judge it against the
    /// freshest state, write it in one write, sync, and only then report
    /// success. Returns the record as written.
    pub fn commit(&mut self, actor: &Actor, op: Op) -> Result<Record, StoreError> {
        if let Some(reason) = &self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                reason: reason.clone(),
            });
        }
        // Shared file systems append with O_APPEND (see `commit_shared`).
        let wfile = if self.shared.is_some() {
            fs::open_appending(&self.path)?
        } else {
            fs::open_incident(&self.path, true)?
        };
        let meta = wfile
            .metadata()
            .map_err(|e| StoreError::io(&self.path, e))?;
        if (meta.dev(), meta.ino()) != self.ino {
            // Replaced since we loaded it: start over on the new file.
            *self = IncidentFile::open(&self.path)?;
            return self.commit(actor, op);
        }
        let guard = fs::lock(&wfile, &self.path, self.lock_timeout)?;
        if !still_at_path(&self.path, &meta) {
            // Moved aside while we waited for the lock (`doctor --repair`
            // does that): never write into the old file.
            drop(guard);
            *self = IncidentFile::open(&self.path)?;
            return self.commit(actor, op);
        }
        if self.shared.is_some() {
            let rec = self.commit_shared(&wfile, actor, op);
            drop(guard);
            return rec;
        }
        self.read_new()?;
        let meta = wfile
            .metadata()
            .map_err(|e| StoreError::io(&self.path, e))?;
        let size = meta.len();
        // A checkpoint may vouch for the file after this write only if
        // every byte before it is vouched for now: nobody has touched the
        // file since this process last accounted for all of it, or a
        // checkpoint still vouches for it as it is.
        let vouched = size == self.offset
            && (self.known.as_ref() == Some(&Stamp::of(&meta))
                || checkpoint::read(&self.path, &wfile, &meta).is_some());
        if size > self.offset {
            // A partial line left by a writer that died mid-write; we hold
            // the lock, so nobody is writing it now.
            wfile
                .set_len(self.offset)
                .map_err(|e| StoreError::io(&self.path, e))?;
        }
        let incident = self.incident.as_mut().expect("loaded");
        let at = Utc::now().max(incident.updated_at);
        let rec = Record {
            at,
            by: actor.clone(),
            op: op.normalized(),
        };
        ops::check(incident, &rec)?;
        let before = index_before(&self.path, incident, &rec)?;
        let line = write_line(&wfile, &self.path, self.offset, &rec)?;
        ops::replay(incident, &rec);
        index_after(&self.path, incident, &before);
        self.known = if vouched {
            let schema = self.header.as_ref().map_or(SCHEMA, |h| h.schema);
            let cp = Checkpoint {
                last_at: incident.updated_at,
                active: incident.is_active(),
                schema,
            };
            checkpoint::write(&self.path, &wfile, &line, &cp)
        } else {
            None
        };
        drop(guard);
        self.offset += line.len() as u64;
        self.lines += 1;
        Ok(rec)
    }

    /// `commit` on a shared file system, where this client's idea of the
    /// file's end can be a second old (it was measured: on GlusterFS over
    /// FUSE the cached size, `O_APPEND`'s end and the first read after a
    /// lookup all lag another client's writes). Under the lock, which the
    /// server holds for every client:
    ///
    /// 1. append a marker, a blank line (spaces and tabs) unique to this
    ///    write: an `O_APPEND` write lands at the end the server has,
    ///    whatever this client cached;
    /// 2. read past the cache up to the marker: everything before it is
    ///    the whole file as it stands, or the reads are stale and it is
    ///    tried again (and refused if they stay stale);
    /// 3. judge the operation against that state, append its line after
    ///    the marker (which stays: cutting it would rewrite bytes a reader
    ///    may be reading, and a torn read was measured doing just that);
    /// 4. read the line back past the cache before saying it is saved.
    ///
    /// Called by `commit` with `wfile` open for appending and locked.
    fn commit_shared(&mut self, wfile: &File, actor: &Actor, op: Op) -> Result<Record, StoreError> {
        let mark = marker();
        append_synced(wfile, &self.path, &mark, false)?;
        let upto = self.read_until(&mark)?;
        let before = &upto[..upto.len() - mark.len()];
        if before.last().is_none_or(|&b| b == b'\n') {
            // The usual case: the marker stays, a blank line before this
            // write's own. Nothing anyone may have read is ever rewritten.
            self.ingest_complete(&upto)?;
        } else {
            // A writer died mid-line and the marker finished that line:
            // cut both (nobody else writes while the lock is held, and
            // readers hold back a line that ends in a marker).
            let complete = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            self.ingest_complete(&before[..complete])?;
            wfile
                .set_len(self.offset)
                .map_err(|e| StoreError::io(&self.path, e))?;
        }

        let incident = self.incident.as_mut().expect("loaded");
        let rec = Record {
            at: Utc::now().max(incident.updated_at),
            by: actor.clone(),
            op: op.normalized(),
        };
        ops::check(incident, &rec)?;
        let before = index_before(&self.path, incident, &rec)?;
        let line = encode(&self.path, &rec)?;
        if let Err(e) = append_synced(wfile, &self.path, &line, true) {
            let _ = wfile.set_len(self.offset);
            return Err(e);
        }
        self.confirm(&line)?;
        let incident = self.incident.as_mut().expect("loaded");
        ops::replay(incident, &rec);
        index_after(&self.path, incident, &before);
        self.offset += line.len() as u64;
        self.lines += 1;
        Ok(rec)
    }

    /// The bytes from `offset` up to and including `mark`, which this
    /// process has just appended under the lock, read past the cache; retried
    /// while the reads are stale.
    fn read_until(&self, mark: &[u8]) -> Result<Vec<u8>, StoreError> {
        self.until_past_cache(
            |buf| {
                if buf.ends_with(mark) {
                    return Some(Ok(buf.to_vec()));
                }
                buf.windows(mark.len()).any(|w| w == mark).then(|| {
                    Err("another writer appended while this one held the lock: \
                         a copy of incident without locking, or a file system whose \
                         locks do not reach every client"
                        .to_string())
                })
            },
            |_| {
                format!(
                    "reads did not show the end of the file within {}s: the file \
                     system serves this machine stale data. Nothing but a blank line \
                     was written",
                    CONFIRM_WITHIN.as_secs()
                )
            },
        )
    }

    /// That `line`, and nothing after it, now follows `offset` in the file
    /// as the server has it.
    fn confirm(&self, line: &[u8]) -> Result<(), StoreError> {
        self.until_past_cache(
            |buf| (buf == line).then_some(Ok(())),
            |buf| {
                let seen = if buf.is_empty() {
                    "nothing".to_string()
                } else if buf.starts_with(line) {
                    format!("{} more bytes after it", buf.len() - line.len())
                } else {
                    format!("{} other bytes", buf.len())
                };
                format!("reading it back past the cache found {seen}")
            },
        )
    }

    /// Read past the cache from `offset` until `settled` gives a verdict
    /// (an error text is a problem that waiting will not mend), for at most
    /// `CONFIRM_WITHIN`; then `stale` says what the last read showed.
    fn until_past_cache<T>(
        &self,
        settled: impl Fn(&[u8]) -> Option<Result<T, String>>,
        stale: impl FnOnce(&[u8]) -> String,
    ) -> Result<T, StoreError> {
        let unconfirmed = |problem| StoreError::Unconfirmed {
            path: self.path.clone(),
            problem,
        };
        let mut pause = Duration::from_millis(5);
        let deadline = std::time::Instant::now() + CONFIRM_WITHIN;
        loop {
            let buf = self.read_past_cache()?;
            if let Some(verdict) = settled(&buf) {
                return verdict.map_err(unconfirmed);
            }
            if std::time::Instant::now() >= deadline {
                return Err(unconfirmed(stale(&buf)));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }
}

/// Append `op` by `actor` to the incident file at `path` without loading
/// it, when that is safe: the operation's verdict needs no state (a log
/// line) and the checkpoint says the file is whole and valid exactly as it
/// is. `Ok(None)` means it is not safe here: load the file and
/// [`IncidentFile::commit`], which finds whatever is wrong.
pub fn append_unloaded(path: &Path, actor: &Actor, op: Op) -> Result<Option<Record>, StoreError> {
    let mut rec = Record {
        at: Utc::now(),
        by: actor.clone(),
        op: op.normalized(),
    };
    let Some(verdict) = ops::check_stateless(&rec) else {
        return Ok(None);
    };
    let wfile = fs::open_incident(path, true)?;
    let _guard = fs::lock(&wfile, path, LOCK_TIMEOUT)?;
    let meta = wfile.metadata().map_err(|e| StoreError::io(path, e))?;
    let Some(cp) = checkpoint::read(path, &wfile, &meta) else {
        return Ok(None);
    };
    // Judged only once the file is known sound: a damaged file is
    // reported before anything about the line.
    verdict?;
    rec.at = rec.at.max(cp.last_at);
    let line = write_line(&wfile, path, meta.len(), &rec)?;
    checkpoint::write(
        path,
        &wfile,
        &line,
        &Checkpoint {
            last_at: rec.at,
            ..cp
        },
    );
    Ok(Some(rec))
}

/// Before `rec` is appended to the incident at `path` (judged already, the
/// file's lock held): tell the directory index what it is about to make
/// true when that widens what the index must name (see
/// [`super::index`]). Returns the summary before, for [`index_after`].
fn index_before(path: &Path, incident: &Incident, rec: &Record) -> Result<Summary, StoreError> {
    let before = Summary::of(incident);
    if before.hot {
        // Hot incidents are loaded by everyone: nothing to widen.
        return Ok(before);
    }
    let mut after = incident.clone();
    ops::replay(&mut after, rec);
    let after = Summary::of(&after);
    if let Some(dir) = path.parent() {
        index::before_write(dir, &incident.id, &before, &after)?;
    }
    Ok(before)
}

/// After `rec` is on disk: an incident that has just ended leaves the
/// index's hot set. Failing costs later readers a load, never a miss.
fn index_after(path: &Path, incident: &Incident, before: &Summary) {
    if let Some(dir) = path.parent() {
        let _ = index::after_write(dir, &incident.id, before, &Summary::of(incident));
    }
}

/// Write `rec` as one line at `offset` (the end of the last complete line)
/// in one write, and sync it. Returns the line written. On failure nothing
/// is left behind if that can be helped.
fn write_line(wfile: &File, path: &Path, offset: u64, rec: &Record) -> Result<Vec<u8>, StoreError> {
    let line = encode(path, rec)?;
    let written = match injected_fault() {
        // Test-only: half the line lands, then the disk is full.
        Some(errno) => wfile
            .write_all_at(&line[..line.len() / 2], offset)
            .and_then(|()| Err(std::io::Error::from_raw_os_error(errno))),
        None => wfile
            .write_all_at(&line, offset)
            .and_then(|()| wfile.sync_data()),
    };
    if let Err(e) = written {
        let _ = wfile.set_len(offset);
        return Err(StoreError::io(path, e));
    }
    Ok(line)
}

/// `rec` as one line, newline included.
fn encode(path: &Path, rec: &Record) -> Result<Vec<u8>, StoreError> {
    let mut line = serde_json::to_vec(rec).map_err(|e| StoreError::io(path, e.into()))?;
    // Never write a line this program could not read back the same.
    if serde_json::from_slice::<Record>(&line).ok().as_ref() != Some(rec) {
        return Err(StoreError::io(
            path,
            std::io::Error::other(
                "refusing to write an operation that does not read back the same (a bug: please report it)",
            ),
        ));
    }
    line.push(b'\n');
    Ok(line)
}

/// How long a shared-file-system append waits for reads to show what it
/// wrote before it gives up and says so.
const CONFIRM_WITHIN: Duration = Duration::from_secs(3);

/// Append `bytes` in one write at the end the server has (`wfile` was
/// opened for appending) and sync them. `faults`: honour the test-only
/// disk faults, as for an operation's line.
fn append_synced(wfile: &File, path: &Path, bytes: &[u8], faults: bool) -> Result<(), StoreError> {
    use std::io::Write;
    let mut w = wfile;
    let written = match injected_fault().filter(|_| faults) {
        Some(errno) => w
            .write_all(&bytes[..bytes.len() / 2])
            .and_then(|()| Err(std::io::Error::from_raw_os_error(errno))),
        None => w.write_all(bytes).and_then(|()| wfile.sync_data()),
    };
    written.map_err(|e| StoreError::io(path, e))
}

/// The bytes of `buf` before a last line that ends in a marker: the writer
/// that appended it holds the lock, and if the marker finished a line a
/// killed writer left unfinished, it is about to cut that line (see
/// `commit_shared`). Such a line is left unread until a line follows it;
/// a marker with lines after it is the blank line it looks like.
fn until_marker(buf: &[u8]) -> &[u8] {
    let Some(body) = buf.strip_suffix(b"\n") else {
        return buf;
    };
    let start = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let last = &body[start..];
    let marked = last.len() >= MARKER_BITS
        && last[last.len() - MARKER_BITS..]
            .iter()
            .all(|&b| b == b' ' || b == b'\t');
    if marked { &buf[..start] } else { buf }
}

/// How many spaces and tabs a marker has.
const MARKER_BITS: usize = 32;

/// A line of spaces and tabs that spells 32 random bits, then a newline:
/// blank to every reader, and this write's own.
fn marker() -> Vec<u8> {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    let bits = h.finish();
    let mut line: Vec<u8> = (0..MARKER_BITS)
        .map(|i| if bits >> i & 1 == 1 { b'\t' } else { b' ' })
        .collect();
    line.push(b'\n');
    line
}

/// Whether the file at `path` is still the one `meta` describes.
fn still_at_path(path: &Path, meta: &std::fs::Metadata) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| (m.dev(), m.ino()) == (meta.dev(), meta.ino()))
}

/// The write error a test asked for with `INCIDENT_TEST_FAULT=enospc|eio`
/// (how a full or failing disk is shown to behave without filling one).
fn injected_fault() -> Option<i32> {
    match std::env::var("INCIDENT_TEST_FAULT").ok()?.as_str() {
        "enospc" => Some(nix::libc::ENOSPC),
        "eio" => Some(nix::libc::EIO),
        _ => None,
    }
}

/// serde's message without its position, which counts within the one line
/// parsed and so contradicts the file's line number.
fn serde_problem(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) if text[i..].contains(" column ") => text[..i].to_string(),
        _ => text,
    }
}

/// If `line` is valid JSON whose `op` is not one we know, its name.
fn unknown_op(line: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct OpOnly {
        op: String,
    }
    let probe: OpOnly = serde_json::from_slice(line).ok()?;
    (!Op::NAMES.contains(&probe.op.as_str())).then(|| crate::sanitize::line(&probe.op).into_owned())
}
