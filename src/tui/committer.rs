//! Commits off the view's loop: a worker thread with its own handle on the
//! incident file takes each operation in turn, and reports how it went as a
//! message the loop applies. A lock held by another writer, or a slow
//! `fdatasync`, never freezes keys or frames (the pattern of gitui's
//! asyncgit: the work off the loop, a message back).

use crate::model::{Actor, RequestState};
use crate::ops::{Op, Refusal};
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
        names_someone: Option<Op>,
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
                for job in rx {
                    let done = match file.as_mut() {
                        Some(f) => commit(f, &me, job.op),
                        None => match IncidentFile::open(&path) {
                            Ok(f) => commit(file.insert(f), &me, job.op),
                            Err(e) => Done::Failed(e.to_string()),
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

/// Write `op`, and carry out what its refusal asks for when that is part of
/// the same act (starting a destructive mitigation asks for go instead).
fn commit(file: &mut IncidentFile, me: &Actor, op: Op) -> Done {
    let editing = matches!(op, Op::EditSection { .. });
    let names_someone = matches!(op, Op::OfferRole { .. } | Op::SetRole { .. }).then(|| op.clone());
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
        Err(StoreError::Refused(Refusal::NeedsClearance { id })) => ask_for_go(file, me, id),
        Err(e) => Done::Failed(e.to_string()),
    }
}

/// Mitigation `id` changes production: ask the commander for go, unless a
/// request for it is already waiting.
fn ask_for_go(file: &mut IncidentFile, me: &Actor, id: u64) -> Done {
    let inc = file.incident();
    let Some(m) = inc.mitigations.get((id as usize).wrapping_sub(1)) else {
        return Done::Failed(format!("no mitigation M{id}"));
    };
    let pending = m
        .request
        .and_then(|r| inc.request(r))
        .filter(|r| r.state == RequestState::Pending)
        .map(|r| r.id);
    let asked = match pending {
        Some(r) => format!("M{id} is waiting for the commander's go (R{r})"),
        None => {
            let text = format!("start M{id}: {}", m.text);
            if let Err(e) = file.commit(
                me,
                Op::Announce {
                    text,
                    mitigation: Some(id),
                },
            ) {
                return Done::Failed(e.to_string());
            }
            let r = file.incident().requests.len();
            format!(
                "M{id} changes production: asked the commander for go as R{r}; start it again after the go"
            )
        }
    };
    Done::Saved {
        editing: false,
        names_someone: None,
        asked: Some(asked),
    }
}
