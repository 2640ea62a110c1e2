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
}

impl Report {
    pub fn healthy(&self) -> bool {
        self.bad.is_empty() && self.torn_tail == 0 && self.header.is_none()
    }
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
            Err(e) => report.bad.push(BadLine {
                line: n,
                column: e.column(),
                problem: crate::sanitize::line(&e.to_string()).into_owned(),
            }),
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
