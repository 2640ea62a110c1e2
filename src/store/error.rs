use crate::ops::Refusal;
use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong reading or writing an incident file. Each
/// message names the file, what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: line {line}, column {column}: {problem}. The file has not been changed and will not be written to until that line is fixed by hand, or `incident doctor -i {} --repair` salvages the rest (it keeps the original)", path.display(), path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default())]
    Corrupt {
        path: PathBuf,
        line: usize,
        column: usize,
        problem: String,
    },
    #[error("{}: line {line}: unknown operation '{op}', written by a newer version of incident or edited by hand. Upgrade incident, or fix or remove that line by hand (keep a copy first); the file is not written to until then", path.display())]
    UnknownOp {
        path: PathBuf,
        line: usize,
        op: String,
    },
    #[error("{}: the file is empty (no header line). It is not an incident file this tool wrote: move it out of the incident directory", path.display())]
    Empty { path: PathBuf },
    #[error("{}: is a symbolic link or not a regular file; incident files are never followed through links. Replace it with the real file", path.display())]
    NotRegularFile { path: PathBuf },
    #[error("{}: another process has held the lock for over {}s. Try again; if it persists, find the stuck process with `fuser {}`", path.display(), waited.as_secs(), path.display())]
    LockTimeout { path: PathBuf, waited: Duration },
    #[error("no incident {id} in {}: `incident list --all` shows the ones there are", dir.display())]
    NotFound { id: String, dir: PathBuf },
    #[error("'{given}' is not an incident id: use the form INC-7 (or just 7)")]
    BadId { given: String },
    #[error("no active incident in {}: declare one with `incident declare --title \"...\"`, or pass -i ID for a resolved one", dir.display())]
    NoActive { dir: PathBuf },
    #[error("{} active incidents ({}): say which one with -i ID (or set INCIDENT_ID)", ids.len(), ids.join(", "))]
    Ambiguous { ids: Vec<String> },
    #[error("{}: is read-only here ({reason})", path.display())]
    ReadOnly { path: PathBuf, reason: String },
    #[error("{}: is on {kind}, a shared file system where appends cannot be made safe: {problem}. Nothing was written. Fix: {fix}", dir.display())]
    UnsafeMedium {
        dir: PathBuf,
        kind: String,
        problem: String,
        fix: String,
    },
    #[error("{}: could not confirm the entry is in the file as other machines read it ({problem}). It is not reported as saved: check with `incident tail` and send it again if it is missing", path.display())]
    Unconfirmed { path: PathBuf, problem: String },
    #[error(transparent)]
    Config(crate::config::ConfigError),
    #[error("{0}")]
    Template(String),
    /// A service map that cannot be read.
    #[error("{0}")]
    Map(String),
    #[error("refused: {0}")]
    Refused(#[from] Refusal),
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }

    /// Process exit status: 1 for refused or failed operations, 2 for bad
    /// input from the person or script calling us.
    pub fn exit_code(&self) -> i32 {
        match self {
            StoreError::NotFound { .. }
            | StoreError::BadId { .. }
            | StoreError::Ambiguous { .. }
            | StoreError::NoActive { .. }
            | StoreError::Template(_)
            | StoreError::Map(_) => 2,
            StoreError::Refused(r) if r.is_bad_input() => 2,
            _ => 1,
        }
    }
}
