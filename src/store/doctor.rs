//! `incident doctor`: what is wrong with an incident file, and a way out
//! that never destroys anything: salvage the lines that still parse into a
//! new file, and keep the original beside it.

use super::{Header, SCHEMA, StoreError, fs};
use crate::ops::{self, Record};
use std::path::{Path, PathBuf};

/// One line that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub column: usize,
    pub problem: String,
}

/// What the doctor found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    pub lines: usize,
    pub good: usize,
    pub bad: Vec<BadLine>,
    /// Bytes after the last newline: a write that never finished.
    pub torn_tail: usize,
    pub header: Option<String>,
    /// Lines that parse but were written by a writer that had not seen the
    /// line before them (their time goes backwards): entries between may
    /// have been written over. Kept by a repair; nothing can restore them.
    pub gaps: Vec<BadLine>,
}

impl Report {
    pub fn healthy(&self) -> bool {
        self.bad.is_empty() && self.torn_tail == 0 && self.header.is_none() && self.gaps.is_empty()
    }
}

/// A second record starting at `column` of a line.
fn run_together(column: usize) -> (usize, String) {
    (
        column,
        format!(
            "two records run together: another write starts at column {column} \
             (lines were written over each other)"
        ),
    )
}

/// How every record line begins.
const RECORD_START: &[u8] = b"{\"at\":\"";

/// What is wrong with a line that does not parse, in the words of what
/// usually causes it, and the column where it starts.
fn line_problem(line: &[u8], e: &serde_json::Error) -> (usize, String) {
    if let Some(start) = line.iter().position(|&b| b == 0) {
        let run = line[start..].iter().take_while(|&&b| b == 0).count();
        return (
            start + 1,
            format!(
                "a run of {run} NUL bytes: a hole where a writer wrote past the end it saw \
                 (a stale cache on a network file system, or a crash)"
            ),
        );
    }
    // A record starting inside another line: a write landed on top of it.
    if let Some(at) = line
        .windows(RECORD_START.len())
        .skip(1)
        .position(|w| w == RECORD_START)
    {
        return run_together(at + 2);
    }
    let mut values =
        serde_json::Deserializer::from_slice(line).into_iter::<serde::de::IgnoredAny>();
    if values.next().is_some_and(|v| v.is_ok()) {
        let at = values.byte_offset();
        if at < line.len() {
            return run_together(at + 1);
        }
    }
    (
        e.column(),
        crate::sanitize::line(&e.to_string()).into_owned(),
    )
}

/// Check every line of `path` without changing it.
pub fn diagnose(path: &Path) -> Result<(Report, Vec<Vec<u8>>), StoreError> {
    let file = fs::open_incident(path, false)?;
    let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
    drop(file);
    let mut report = Report::default();
    let mut keep: Vec<Vec<u8>> = Vec::new();
    let complete = bytes
        .iter()
        .rposition(|b| *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    report.torn_tail = bytes.len() - complete;
    let expected_id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    let mut state = None;
    let mut last_at: Option<(usize, chrono::DateTime<chrono::Utc>)> = None;
    // Complete lines only: drop the final newline so split yields no
    // empty last piece.
    let body = if complete == 0 {
        &bytes[..0]
    } else {
        &bytes[..complete - 1]
    };
    let lines: Vec<&[u8]> = if complete == 0 {
        Vec::new()
    } else {
        body.split(|b| *b == b'\n').collect()
    };
    for (i, line) in lines.into_iter().enumerate() {
        report.lines += 1;
        let n = i + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if i == 0 {
            match serde_json::from_slice::<Header>(line) {
                Ok(h) if h.schema > SCHEMA => {
                    report.header = Some(format!(
                        "schema {} is newer than this version ({SCHEMA}): upgrade incident instead",
                        h.schema
                    ))
                }
                Ok(h) if h.id != expected_id => {
                    report.header = Some(format!(
                        "the header says {} but the file is {expected_id}.jsonl",
                        h.id
                    ))
                }
                Ok(_) => {
                    report.good += 1;
                    keep.push(line.to_vec());
                }
                Err(e) => report.header = Some(format!("line 1 is not an incident header: {e}")),
            }
            continue;
        }
        match serde_json::from_slice::<Record>(line) {
            Ok(rec) => {
                // Every writer stamps at least the time of the last line it
                // saw, so time never goes backwards in a whole file.
                if let Some((prev, at)) = last_at
                    && rec.at < at
                {
                    report.gaps.push(BadLine {
                        line: n,
                        column: 1,
                        problem: format!(
                            "written at {} by a writer that had not seen line {prev} ({}): \
                             entries between may have been written over",
                            rec.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                            at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                        ),
                    });
                }
                if last_at.is_none_or(|(_, at)| rec.at >= at) {
                    last_at = Some((n, rec.at));
                }
                match &mut state {
                    None => match ops::replay_genesis(&expected_id, &rec) {
                        Some(inc) => state = Some(inc),
                        None => {
                            report.bad.push(BadLine {
                                line: n,
                                column: 1,
                                problem: "the first operation must declare the incident".into(),
                            });
                            continue;
                        }
                    },
                    Some(inc) => ops::replay(inc, &rec),
                }
                report.good += 1;
                keep.push(line.to_vec());
            }
            Err(e) => {
                let (column, problem) = line_problem(line, &e);
                report.bad.push(BadLine {
                    line: n,
                    column,
                    problem,
                });
            }
        }
    }
    Ok((report, keep))
}

/// Where the original went, and what the new file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Salvage {
    pub kept_as: PathBuf,
    pub lines: usize,
    pub dropped: usize,
}

/// Rewrite `path` from the lines that still parse. The original is renamed
/// beside it first (never deleted), under the append lock so no writer is
/// mid-append; copies with it open notice the new file and reload.
pub fn salvage(path: &Path) -> Result<Salvage, StoreError> {
    let lock_file = fs::open_incident(path, true)?;
    let _guard = fs::lock(&lock_file, path, fs::LOCK_TIMEOUT)?;
    let (report, keep) = diagnose(path)?;
    if report.header.is_some() {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            reason: format!(
                "{}; the doctor will not rewrite a file whose header it cannot trust",
                report.header.unwrap_or_default()
            ),
        });
    }
    if keep.len() < 2 {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            reason: "no declaration survives: nothing to salvage".into(),
        });
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let kept_as = dir.join(format!(
        "{}.broken-{stamp}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("incident.jsonl")
    ));
    let mut body = Vec::new();
    for l in &keep {
        body.extend_from_slice(l);
        body.push(b'\n');
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".incident-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| StoreError::io(dir, e))?;
    std::io::Write::write_all(&mut tmp, &body)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| StoreError::io(tmp.path(), e))?;
    fs::share_with_group(tmp.as_file(), tmp.path())?;
    std::fs::rename(path, &kept_as).map_err(|e| StoreError::io(path, e))?;
    if let Err(e) = tmp.persist_noclobber(path) {
        // Put the original back rather than leave no file at all.
        let _ = std::fs::rename(&kept_as, path);
        return Err(StoreError::io(path, e.error));
    }
    fs::sync_dir(dir)?;
    Ok(Salvage {
        kept_as,
        lines: keep.len(),
        dropped: report.bad.len() + usize::from(report.torn_tail > 0),
    })
}
