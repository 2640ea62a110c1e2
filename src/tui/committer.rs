//! Commits off the view's loop: a worker thread with its own handle on the
//! incident file takes each operation in turn, and reports how it went as a
//! message the loop applies. A lock held by another writer, or a slow
//! `fdatasync`, never freezes keys or frames (the pattern of gitui's
//! asyncgit: the work off the loop, a message back).

use crate::model::Actor;
use crate::ops::{Op, Refusal, Surface};
use crate::store::workflow::{self, Start};
use crate::store::{IncidentFile, StoreError};
use std::path::PathBuf;
use std::sync::mpsc;

/// One operation to write.
#[derive(Debug)]
pub struct Job {
    pub op: Op,
    /// What was typed for it, kept to put back if it is not saved.
    pub text: Option<String>,
    /// Nobody is waiting on it (a nudge the clock writes): no message.
    pub quiet: bool,
}

/// How a job went.
#[derive(Debug)]
pub struct Outcome {
    pub text: Option<String>,
    pub quiet: bool,
    pub done: Done,
}

#[derive(Debug)]
pub enum Done {
    /// On disk. `asked`: a destructive mitigation became a request for go.
    Saved {
        editing: bool,
        /// (Boxed: an `Op` is large, and this travels in every message.)
        names_someone: Option<Box<Op>>,
        asked: Option<String>,
    },
    /// Someone saved the same document section first: merge, do not lose.
    Conflict {
        theirs: String,
        by: String,
        current: u64,
    },
    Failed(String),
}

/// The worker for one incident file; it ends when this is dropped.
/// How long the worker keeps its copy of the incident with nothing to write.
const LET_GO_AFTER: std::time::Duration = std::time::Duration::from_secs(20);

pub struct Committer {
    jobs: mpsc::Sender<Job>,
}

impl Committer {
    /// Start a worker writing to the incident file at `path` as `me`;
    /// `report` is called from the worker with each outcome, in order.
    pub fn start(
        path: PathBuf,
        me: Actor,
        report: impl Fn(Outcome) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("incident-commit".into())
            .spawn(move || {
                let mut file: Option<IncidentFile> = None;
                loop {
                    // Its own copy of the incident is let go after a quiet
                    // spell (the view keeps one; a long incident is megabytes)
                    // and read again for the next write.
                    let job = if file.is_some() {
                        match rx.recv_timeout(LET_GO_AFTER) {
                            Ok(job) => job,
                            Err(mpsc::RecvTimeoutError::Timeout) => {
                                file = None;
                                continue;
                            }
                            Err(mpsc::RecvTimeoutError::Disconnected) => break,
                        }
                    } else {
                        match rx.recv() {
                            Ok(job) => job,
                            Err(_) => break,
                        }
                    };
                    let done = match file.as_mut() {
                        Some(f) => commit(f, &me, job.op),
                        None => match IncidentFile::open(&path) {
                            Ok(f) => commit(file.insert(f), &me, job.op),
                            Err(e) => Done::Failed(Surface::Tui.render(&e)),
                        },
                    };
                    report(Outcome {
                        text: job.text,
                        quiet: job.quiet,
                        done,
                    });
                }
            })?;
        Ok(Committer { jobs })
    }

    /// Queue a job; false if the worker is gone.
    pub fn send(&self, job: Job) -> bool {
        self.jobs.send(job).is_ok()
    }
}

/// Write `op`; starting a destructive mitigation asks for go instead
/// (the same act as `incident mitigation start`).
fn commit(file: &mut IncidentFile, me: &Actor, op: Op) -> Done {
    if let Op::StartMitigation { id } = op {
        return match workflow::start_mitigation(file, me, id) {
            Ok(Start::Started) => Done::Saved {
                editing: false,
                names_someone: None,
                asked: None,
            },
            Ok(Start::Asked { request, new }) => Done::Saved {
                editing: false,
                names_someone: None,
                asked: Some(if new {
                    format!(
                        "M{id} changes production: asked the commander for go as R{request}; start it again after the go"
                    )
                } else {
                    format!("M{id} is waiting for the commander's go (R{request})")
                }),
            },
            Err(e) => Done::Failed(Surface::Tui.render(&e)),
        };
    }
    if let Op::TakeOver { role, .. } = op {
        // Where the holder stands is looked at again just before writing.
        return match workflow::take_over(file, me, role) {
            Ok(_) => Done::Saved {
                editing: false,
                names_someone: None,
                asked: None,
            },
            Err(e) => Done::Failed(e.to_string()),
        };
    }
    if let Op::Close {
        kind: crate::model::CloseKind::Duplicate,
        into: Some(into),
        reason,
    } = op
    {
        return match workflow::merge(file, me, &into, reason) {
            Ok(merged) => Done::Saved {
                editing: false,
                names_someone: None,
                asked: Some(match merged.back_link {
                    Ok(()) => format!(
                        "Closed as a duplicate of {0}: its alerts go to {0} now (from a shell: `incident open {0}`)",
                        merged.into
                    ),
                    Err(e) => format!(
                        "Closed as a duplicate of {}, but {} could not record it: {e}",
                        merged.into, merged.into
                    ),
                }),
            },
            Err(e) => Done::Failed(e.to_string()),
        };
    }
    // What the view writes by itself is the tool's, not its user's; the
    // record keeps whose view wrote it.
    let tool;
    let me = if op.by_the_tool() {
        tool = Actor::tool_for(me);
        &tool
    } else {
        me
    };
    let editing = matches!(op, Op::EditSection { .. });
    let names_someone =
        matches!(op, Op::OfferRole { .. } | Op::SetRole { .. }).then(|| Box::new(op.clone()));
    match file.commit(me, op) {
        Ok(_) => Done::Saved {
            editing,
            names_someone,
            asked: None,
        },
        Err(StoreError::Refused(Refusal::EditConflict {
            theirs,
            by,
            current,
            ..
        })) => Done::Conflict {
            theirs,
            by,
            current,
        },
        Err(e) => Done::Failed(Surface::Tui.render(&e)),
    }
}
