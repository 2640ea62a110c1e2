//! Commits off the view's loop: a worker thread with its own handle on the
//! incident file takes each operation in turn, and reports how it went as a
//! message the loop applies. A lock held by another writer, or a slow
//! `fdatasync`, never freezes keys or frames (the pattern of gitui's
//! asyncgit: the work off the loop, a message back).

use super::terminal::caught;
use crate::model::Actor;
use crate::ops::{Op, Refusal, Render, Surface};
use crate::store::workflow::{self, Acted};
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
                    let op = job.op;
                    let written = caught(|| match file.as_mut() {
                        Some(f) => commit(f, &me, op),
                        None => match IncidentFile::open(&path) {
                            Ok(f) => commit(file.insert(f), &me, op),
                            Err(e) => Done::Failed(e.render(Surface::View)),
                        },
                    });
                    let done = written.unwrap_or_else(|e| {
                        // A bug, not the disk: its copy of the incident is
                        // let go (read again for the next write), and the
                        // text comes back with what to check.
                        file = None;
                        Done::Failed(format!(
                            "Internal error while writing ({e}); it may or may not be in the Action log: look there before sending it again"
                        ))
                    });
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

/// Write `op` through the one entry point the command line uses too
/// ([`workflow::act`]): starting a destructive mitigation asks for go
/// instead, a takeover is judged just before writing, a merge records the
/// duplicate in the other incident as well.
fn commit(file: &mut IncidentFile, me: &Actor, op: Op) -> Done {
    // What the view writes by itself is the tool's, not its user's; the
    // record keeps whose view wrote it.
    let tool;
    let me = if op.by_the_tool() {
        tool = Actor::tool_for(me);
        &tool
    } else {
        me
    };
    // A section rewritten or added to from the document's editor.
    let editing = matches!(op, Op::EditSection { .. } | Op::AppendSection { .. });
    let names_someone =
        matches!(op, Op::OfferRole { .. } | Op::SetRole { .. }).then(|| Box::new(op.clone()));
    let saved = |asked| Done::Saved {
        editing,
        names_someone: names_someone.clone(),
        asked,
    };
    match workflow::act(file, me, op) {
        Ok(Acted::Written) => saved(None),
        Ok(Acted::Asked {
            mitigation: id,
            request,
            new,
        }) => saved(Some(if new {
            format!(
                "M{id} changes production: asked the commander for go as R{request}; start it again after the go"
            )
        } else {
            format!("M{id} is waiting for the commander's go (R{request})")
        })),
        Ok(Acted::Merged(merged)) => saved(Some(match merged.back_link {
            Ok(()) => format!(
                "Closed as a duplicate of {0}: its alerts go to {0} now (from a shell: `incident open {0}`)",
                merged.into
            ),
            Err(e) => format!(
                "Closed as a duplicate of {}, but {} could not record it: {e}",
                merged.into, merged.into
            ),
        })),
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
        Err(e) => Done::Failed(e.render(Surface::View)),
    }
}
