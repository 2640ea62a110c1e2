//! Work the live view does off its loop, so no key or frame waits for a
//! disk: each job runs on a thread of its own and its result comes back
//! as a [`Report`] the session turns into messages for the app (the way
//! writes go through `committer`).

use super::committer::Outcome;
use super::history::History;
use super::look_back::{Look, Past};
use super::opening::Opening;
use super::overlay::Tone;
use super::panes::picker::Picker;
use super::terminal::caught;
use crate::store::presence::Roster;
use crate::store::timeline::{Point, Timeline};
use crate::store::watch::Change;
use crate::store::{IncidentFile, Store, StoreError};
use std::path::PathBuf;
use std::sync::mpsc;

/// What a worker reports back to the session.
pub enum Report {
    /// A write, from the committer.
    Written(Outcome),
    /// Anything else that was read or written off the loop.
    Found(Found),
    /// A job off the loop failed in a way it could not report (a bug: it
    /// panicked): what it said. What it was doing never comes back, so
    /// the view cannot promise it shows the incident as it stands.
    Broke(String),
}

/// The report for a job run under [`caught`]: what it found, or that it
/// broke.
fn report_of(job: impl FnOnce() -> Found) -> Report {
    match caught(job) {
        Ok(found) => Report::Found(found),
        Err(e) => Report::Broke(e),
    }
}

/// The result of one job.
pub enum Found {
    /// An incident opened (after declaring it, `declared` is its id);
    /// `screen` is the screen job it answers.
    Opened {
        screen: u64,
        result: Result<Box<Opening>, StoreError>,
        declared: Option<String>,
    },
    /// Declaring would probably duplicate this active incident.
    Similar {
        screen: u64,
        id: String,
        title: String,
    },
    /// Declaring failed.
    NotDeclared { screen: u64, error: String },
    /// The incidents to pick from.
    Listed(Result<Picker, StoreError>),
    /// A step looking back: the timeline (kept for the next step), and
    /// the moment found, or what to say instead. `look` is the round of
    /// looking back it belongs to.
    Looked {
        look: u64,
        timeline: Option<Box<Timeline>>,
        result: Step,
    },
    /// Who is here, and the team's `takeover_after` when it was read again.
    Settings {
        id: String,
        roster: Roster,
        takeover_after: Option<u32>,
        /// The teams that can be called for help, read again with it.
        teams: Option<Vec<String>>,
    },
    /// The other incidents, looked at again for deploy freezes (`round`:
    /// the open incident's round of looking).
    Others { round: u64, others: Others },
    /// The open incident read again (`round`: the open incident's round of
    /// reading; opening another starts a new one): the file back, whether
    /// the incident changed (or why it could not be read), and the writes
    /// of this view reported before the read began, to say how they went
    /// once what they wrote shows.
    Read {
        round: u64,
        file: Box<IncidentFile>,
        result: Result<bool, StoreError>,
    },
    /// This view's sign of life is renewed; then, when an incident is
    /// shown, who is here and the team's settings were read after it.
    Beaten(Option<Box<Found>>),
    /// The input history is on disk.
    HistorySaved,
    /// Saving the input history broke (a bug): what it said. Only the
    /// recall of typed lines is lost, so the view goes on.
    HistoryFailed(String),
    /// The maintenance windows active now, and what a maintenance verb
    /// run first said (or why it was refused).
    Windows {
        /// Which read this is (only the last one asked for is shown).
        round: u64,
        said: Option<Result<String, String>>,
        windows: Vec<crate::store::maintenance::Window>,
    },
}

/// Run `job` on a thread of its own; its result goes to `tx`, and `wake`
/// wakes the loop. False if no thread could be started.
pub fn spawn(
    tx: &mpsc::Sender<Report>,
    wake: &std::sync::Arc<tokio::sync::Notify>,
    job: impl FnOnce() -> Found + Send + 'static,
) -> bool {
    let (tx, wake) = (tx.clone(), wake.clone());
    std::thread::Builder::new()
        .name("incident-read".into())
        .spawn(move || {
            let _ = tx.send(report_of(job));
            wake.notify_one();
        })
        .is_ok()
}

/// Run `job` on `value` on a thread of its own, as [`spawn`]; `value`
/// comes back if no thread could be started (so nothing held is lost).
pub fn spawn_with<T: Send + 'static>(
    tx: &mpsc::Sender<Report>,
    wake: &std::sync::Arc<tokio::sync::Notify>,
    value: T,
    job: impl FnOnce(T) -> Found + Send + 'static,
) -> Result<(), T> {
    // Handed over once the thread runs: a thread that never started
    // dropped its end, and the value is refused back here.
    let (give, take) = mpsc::channel::<T>();
    let (tx, wake) = (tx.clone(), wake.clone());
    let _ = std::thread::Builder::new()
        .name("incident-read".into())
        .spawn(move || {
            if let Ok(value) = take.recv() {
                let _ = tx.send(report_of(move || job(value)));
                wake.notify_one();
            }
        });
    give.send(value).map_err(|e| e.0)
}

/// The moment a step looking back found (none: back to now), or what to
/// say instead.
pub type Step = Result<Option<Box<Past>>, (Tone, String)>;

/// One step looking back from `from` (now, if none), reading the file at
/// `path` the first time (`timeline` keeps it for the next step).
pub fn look_step(
    path: PathBuf,
    timeline: Option<Box<Timeline>>,
    from: Option<Point>,
    look: Look,
) -> (Option<Box<Timeline>>, Step) {
    let cannot = |e: &dyn std::fmt::Display| (Tone::Error, format!("Cannot look back: {e}"));
    let mut timeline = match timeline {
        Some(t) => t,
        None => match Timeline::open(&path) {
            Ok(t) => Box::new(t),
            Err(e) => return (None, Err(cannot(&e))),
        },
    };
    if let Err(e) = timeline.refresh() {
        return (Some(timeline), Err(cannot(&e)));
    }
    let point = match look {
        Look::Back => timeline.back(from.as_ref()).map(Some),
        Look::Forward => Ok(from.and_then(|p| timeline.forward(&p))),
        Look::To(when) => timeline.find(when).map(Some),
    };
    let result = match point {
        Err(e) if look == Look::Back => Err((Tone::Info, e)),
        Err(e) => Err((Tone::Error, e)),
        Ok(None) => Ok(None),
        Ok(Some(point)) => match timeline.state_at(point.record) {
            Ok(state) => Ok(Some(Box::new(Past { point, state }))),
            Err(e) => Err(cannot(&e)),
        },
    };
    (Some(timeline), result)
}

/// Writes the input history in order on a thread of its own, the newest
/// of several waiting; dropping it waits for the last write.
pub struct HistoryWriter {
    tx: Option<mpsc::Sender<History>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HistoryWriter {
    /// A writer reporting each write to `report` (waking the loop).
    pub fn start(
        report: mpsc::Sender<Report>,
        wake: std::sync::Arc<tokio::sync::Notify>,
    ) -> Option<Self> {
        let (tx, rx) = mpsc::channel::<History>();
        let thread = std::thread::Builder::new()
            .name("incident-history".into())
            .spawn(move || {
                while let Ok(mut history) = rx.recv() {
                    // Saves asked for meanwhile: the newest holds them all.
                    let mut saves = 1;
                    while let Ok(newer) = rx.try_recv() {
                        history = newer;
                        saves += 1;
                    }
                    // Each save asked for is answered once: the last as
                    // failed if saving panicked.
                    let last = match caught(move || history.save()) {
                        Ok(()) => Report::Found(Found::HistorySaved),
                        Err(e) => Report::Found(Found::HistoryFailed(e)),
                    };
                    for _ in 1..saves {
                        let _ = report.send(Report::Found(Found::HistorySaved));
                    }
                    let _ = report.send(last);
                    wake.notify_one();
                }
            })
            .ok()?;
        Some(HistoryWriter {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// Queue a save of `history`; false if the writer is gone.
    pub fn save(&self, history: History) -> bool {
        self.tx.as_ref().is_some_and(|tx| tx.send(history).is_ok())
    }
}

impl Drop for HistoryWriter {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The directory's other incidents that hold a deploy freeze or are
/// active (drills left out), kept up to date so the freeze banner agrees
/// with `incident freeze status` whichever incident froze deploys, and the
/// line naming the other incidents shows one within a second of its
/// declaring.
#[derive(Default)]
pub struct Others(pub std::collections::HashMap<String, IncidentFile>);

impl Others {
    /// Look again at what `changes` name (every other incident that may
    /// hold a freeze, on a rescan), `own` being the open one.
    pub fn recheck(&mut self, store: &Store, own: &str, changes: &[Change]) {
        for c in changes {
            match c {
                Change::File(path) => {
                    if let Some(id) = path.file_stem().and_then(|s| s.to_str()) {
                        self.look_at(store, id);
                    }
                }
                Change::Rescan => {
                    let known: Vec<String> = self.0.keys().cloned().collect();
                    let hot = store.hot_ids().unwrap_or_default();
                    for id in known.into_iter().chain(hot).filter(|id| id != own) {
                        self.look_at(store, &id);
                    }
                }
                Change::Presence(_) | Change::Maintenance => {}
            }
        }
    }

    /// Whether another incident is kept: it holds a freeze, or it is
    /// active and no drill.
    pub fn keeps(inc: &crate::model::Incident) -> bool {
        inc.freezes_deploys() || (inc.is_active() && !inc.is_drill())
    }

    /// Read another incident (again), keeping it while it holds a freeze
    /// or is active: one that is neither is dropped until it changes again.
    fn look_at(&mut self, store: &Store, id: &str) {
        let fresh = match self.0.get_mut(id) {
            Some(f) => f.refresh().is_ok(),
            None => match store.open(id) {
                Ok(f) => {
                    self.0.insert(id.to_string(), f);
                    true
                }
                Err(_) => false,
            },
        };
        let keep = fresh && self.0.get(id).is_some_and(|f| Self::keeps(f.incident()));
        if !keep {
            self.0.remove(id);
        }
    }

    /// The other active incidents (no drills), worst first, then oldest.
    pub fn active(&self) -> Vec<super::room::OtherIncident> {
        let mut out: Vec<super::room::OtherIncident> = self
            .0
            .values()
            .map(|f| f.incident())
            .filter(|inc| inc.is_active() && !inc.is_drill())
            .map(super::room::OtherIncident::of)
            .collect();
        out.sort_by(|a, b| {
            (a.severity, a.declared_at, &a.id).cmp(&(b.severity, b.declared_at, &b.id))
        });
        out
    }

    /// The freezes other incidents hold, as `incident freeze status` says them.
    pub fn frozen(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .0
            .values()
            .filter_map(|f| {
                let inc = f.incident();
                inc.freeze_notice(|t| t.format("%H:%M UTC").to_string())
                    .map(|n| (inc.id.clone(), n))
            })
            .collect();
        out.sort();
        out
    }
}
