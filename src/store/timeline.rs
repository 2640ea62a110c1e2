//! Looking back: the incident as it stood at any entry or moment.
//!
//! The state at a moment is the fold of the records written up to it. A
//! [`Timeline`] reads the file once, noting for every record where its
//! line is, when it was written and how long the log was after it, and
//! keeping a copy of the state every [`SNAPSHOT_EVERY`] records. A copy
//! leaves out the log, which is most of an incident and only grows: the
//! log as it stood then is the start of the log as it stands now, with the
//! corrections and retractions made since taken off again (nothing else
//! ever changes an entry once written). So the state at any record is the
//! nearest copy before it and at most [`SNAPSHOT_EVERY`] records replayed
//! from their lines on disk, whatever the incident's length.
//!
//! Built when someone starts looking back, dropped when they stop: an
//! incident nobody looks back at carries none of this.

use super::{IncidentFile, StoreError};
use crate::model::when::When;
use crate::model::{Amendment, Incident, LogEntry};
use crate::ops::{self, Op, Record};
use chrono::{DateTime, Utc};
use std::path::Path;

/// Records between copies of the state: a step replays at most this many.
pub const SNAPSHOT_EVERY: usize = 1000;

/// An incident file read for looking back (see the module's notes).
pub struct Timeline {
    file: IncidentFile,
}

/// A moment the incident is shown at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// The last record applied (0 is the declaration).
    pub record: usize,
    /// The moment shown: the time asked for, or the entry's own time.
    pub at: DateTime<Utc>,
    /// How many log entries there were then: the newest shown is `#entry`.
    pub entry: u64,
}

/// Where each record is and what it did, and the copies of the state,
/// noted as the file is read ([`IncidentFile::open_traced`]).
#[derive(Debug, Default)]
pub struct Trace {
    marks: Vec<Mark>,
    snapshots: Vec<Snapshot>,
    amendments: Vec<Amend>,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    /// The line's first byte in the file, and its length with the newline.
    start: u64,
    len: u32,
    at: DateTime<Utc>,
    /// Log entries after this record.
    log_len: u32,
}

#[derive(Debug)]
struct Snapshot {
    /// The state after record `record` (a multiple of SNAPSHOT_EVERY),
    /// its log left out; it had `log_len` entries.
    state: Incident,
    log_len: usize,
}

/// A correction or retraction: which record made it, to which entry.
#[derive(Debug)]
struct Amend {
    record: usize,
    seq: u64,
    correct: bool,
    amendment: Amendment,
}

impl Trace {
    /// `rec`, whose line starts at byte `start` and is `len` bytes long,
    /// has just been applied, giving `after`.
    pub(super) fn note(&mut self, rec: &Record, after: &mut Incident, start: u64, len: usize) {
        let record = self.marks.len();
        self.marks.push(Mark {
            start,
            len: len as u32,
            at: rec.at,
            log_len: after.log.len() as u32,
        });
        if let Op::Correct { entry, .. } | Op::Retract { entry, .. } = &rec.op {
            let correct = matches!(rec.op, Op::Correct { .. });
            let made = entry
                .checked_sub(1)
                .and_then(|i| after.log.get(i as usize))
                .and_then(|e| {
                    if correct {
                        e.corrected.as_deref()
                    } else {
                        e.retracted.as_deref()
                    }
                });
            if let Some(a) = made {
                self.amendments.push(Amend {
                    record,
                    seq: *entry,
                    correct,
                    amendment: a.clone(),
                });
            }
        }
        if record.is_multiple_of(SNAPSHOT_EVERY) {
            let log = std::mem::take(&mut after.log);
            let state = after.clone();
            after.log = log;
            self.snapshots.push(Snapshot {
                state,
                log_len: after.log.len(),
            });
        }
    }

    /// The first `len` entries of `now` as they stood after record
    /// `record`: amendments made later are taken off.
    fn log_then(&self, now: &[LogEntry], record: usize, len: usize) -> Vec<LogEntry> {
        let mut log = now[..len.min(now.len())].to_vec();
        for a in &self.amendments {
            if let Some(e) = a.seq.checked_sub(1).and_then(|i| log.get_mut(i as usize)) {
                if a.correct {
                    e.corrected = None;
                } else {
                    e.retracted = None;
                }
            }
        }
        for a in self.amendments.iter().filter(|a| a.record <= record) {
            if let Some(e) = a.seq.checked_sub(1).and_then(|i| log.get_mut(i as usize)) {
                let made = Some(Box::new(a.amendment.clone()));
                if a.correct {
                    e.corrected = made;
                } else {
                    e.retracted = made;
                }
            }
        }
        log
    }
}

impl Timeline {
    /// Read the incident file at `path` for looking back.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Timeline {
            file: IncidentFile::open_traced(path)?,
        })
    }

    /// Take in what was appended since (cheap when nothing was).
    pub fn refresh(&mut self) -> Result<(), StoreError> {
        self.file.refresh().map(|_| ())
    }

    fn trace(&self) -> &Trace {
        self.file.trace().expect("a timeline's file is traced")
    }

    /// The incident as it stands at the end of what was read.
    pub fn latest(&self) -> &Incident {
        self.file.incident()
    }

    /// Log entries at the end of what was read.
    pub fn entries(&self) -> u64 {
        self.latest().log.len() as u64
    }

    fn point(&self, record: usize, at: Option<DateTime<Utc>>) -> Point {
        let m = self.trace().marks[record];
        Point {
            record,
            at: at.unwrap_or(m.at),
            entry: u64::from(m.log_len),
        }
    }

    /// The record that wrote entry `n` (the first after which the log
    /// had `n` entries).
    fn record_of_entry(&self, n: u64) -> Option<usize> {
        let marks = &self.trace().marks;
        let i = marks.partition_point(|m| u64::from(m.log_len) < n);
        (i < marks.len()).then_some(i)
    }

    /// Where `when` is. An entry past the newest, or a moment before the
    /// declaration, is refused with what there is.
    pub fn find(&self, when: When) -> Result<Point, String> {
        match when {
            When::Entry(n) => match self.record_of_entry(n).filter(|_| n > 0) {
                Some(r) => Ok(self.point(r, None)),
                None => Err(format!(
                    "There is no entry #{n}: the log has {} (#1 to #{})",
                    self.entries(),
                    self.entries()
                )),
            },
            When::Time(t) => {
                let marks = &self.trace().marks;
                match marks.partition_point(|m| m.at <= t).checked_sub(1) {
                    Some(r) => Ok(self.point(r, Some(t))),
                    None => Err(format!(
                        "{} is before the incident was declared ({})",
                        t.format("%Y-%m-%d %H:%M:%S UTC"),
                        self.latest().declared_at.format("%Y-%m-%d %H:%M:%S UTC")
                    )),
                }
            }
        }
    }

    /// One entry further back than `from` (the newest, when `from` is
    /// now): the record that wrote the last entry before the newest one
    /// shown. (A record may write two entries, a status change and the
    /// break it calls: both come and go together.)
    pub fn back(&self, from: Option<&Point>) -> Result<Point, String> {
        let shown = from.map_or(self.entries(), |p| p.entry);
        let marks = &self.trace().marks;
        let earlier = marks.partition_point(|m| u64::from(m.log_len) < shown);
        let Some(before) = earlier.checked_sub(1) else {
            return Err("This is the first entry: the incident as it was declared".into());
        };
        let r = self
            .record_of_entry(u64::from(marks[before].log_len))
            .unwrap_or(before);
        Ok(self.point(r, None))
    }

    /// One entry forward from `from`; `None` once that reaches the
    /// newest entry: the incident as it stands now.
    pub fn forward(&self, from: &Point) -> Option<Point> {
        self.record_of_entry(from.entry + 1)
            .map(|r| self.point(r, None))
            .filter(|p| p.entry < self.entries())
    }

    /// The incident just after record `record`: the nearest copy before
    /// it, and the records between replayed from their lines.
    pub fn state_at(&self, record: usize) -> Result<Incident, StoreError> {
        let trace = self.trace();
        let last = record.min(trace.marks.len().saturating_sub(1));
        let copy = last / SNAPSHOT_EVERY * SNAPSHOT_EVERY;
        let snap = &trace.snapshots[copy / SNAPSHOT_EVERY];
        let mut inc = snap.state.clone();
        inc.log = trace.log_then(&self.latest().log, copy, snap.log_len);
        if last > copy {
            let marks = &trace.marks[copy + 1..=last];
            let base = marks[0].start;
            let end = marks[marks.len() - 1].start + u64::from(marks[marks.len() - 1].len);
            let path = self.file.path();
            let buf = super::fs::read_range(self.file.raw(), base, (end - base) as usize)
                .map_err(|e| StoreError::io(path, e))?;
            for (i, m) in marks.iter().enumerate() {
                let from = (m.start - base) as usize;
                let line = buf
                    .get(from..from + m.len as usize - 1)
                    .ok_or_else(|| changed(path, "it is shorter than when it was read"))?;
                let rec: Record = serde_json::from_slice(line).map_err(|e| {
                    changed(
                        path,
                        &format!("record {} no longer reads back ({e})", copy + 1 + i),
                    )
                })?;
                ops::replay(&mut inc, &rec);
            }
        }
        Ok(inc)
    }
}

/// The file changed under the timeline, where it never should (it is
/// append-only): say so rather than show a state that never was.
fn changed(path: &Path, problem: &str) -> StoreError {
    StoreError::io(
        path,
        std::io::Error::other(format!(
            "the file was changed in place while looking back ({problem}): look back again, and run incident doctor if this repeats"
        )),
    )
}
