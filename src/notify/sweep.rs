//! The senders that run beside something else: `incident listen` sweeps
//! the directory, a live view its own incident. Each on its own thread,
//! every [`EVERY`], so nothing waits for a slow service.

use super::plan::MAX_AGE;
use crate::config::Team;
use crate::model::Actor;
use crate::store::{IncidentFile, Store};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

/// How often a sender looks for what is due (the first retry waits 5 s).
pub const EVERY: Duration = Duration::from_secs(2);

/// A round may take this long (a few slow services), well under a claim.
const BUDGET: Duration = Duration::from_secs(20);

/// Send, forever, what is due in every incident of `store` written to in
/// the last hour (an update older than that is never sent first time,
/// and a retry writes to the file).
pub fn spawn_directory(store: Store, me: Actor) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut open: BTreeMap<String, IncidentFile> = BTreeMap::new();
        loop {
            if let Ok(team) = Team::load(store.dir())
                && team.sends_anything()
            {
                for id in store.ids().unwrap_or_default() {
                    let path = store.path_of(&id);
                    if !recent(&path) {
                        open.remove(&id);
                        continue;
                    }
                    if !open.contains_key(&id) {
                        match IncidentFile::open(&path) {
                            Ok(f) => {
                                open.insert(id.clone(), f);
                            }
                            Err(_) => continue,
                        }
                    }
                    if let Some(f) = open.get_mut(&id) {
                        super::deliver_due(f, &team, &me, BUDGET);
                    }
                }
            }
            std::thread::sleep(EVERY);
        }
    })
}

/// How long a view's sender may sleep with nothing due soon: it is poked
/// whenever the incident changes, so this only bounds a missed poke.
const IDLE: Duration = Duration::from_secs(600);

/// Send, until `stop` is dropped, what is due in the incident at `path`.
/// Something sent on `stop` is a poke: the incident changed, look now.
/// With nothing due in the next minutes (no targets, or every update
/// delivered) it sleeps until poked, so an idle view stays idle.
pub fn spawn_incident(
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
    me: Actor,
    stop: std::sync::mpsc::Receiver<()>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut file: Option<IncidentFile> = None;
        loop {
            let mut wait = IDLE;
            if let Ok(team) = Team::load(&dir)
                && team.sends_anything()
            {
                if file.is_none() {
                    file = IncidentFile::open(&path).ok();
                }
                if let Some(f) = file.as_mut() {
                    super::deliver_due(f, &team, &me, BUDGET);
                    // Retries and other senders' claims come due within
                    // minutes: look every few seconds while any is open.
                    let soon = chrono::Utc::now() + chrono::Duration::minutes(10);
                    if !super::plan::due(f.incident(), &team, soon).is_empty() {
                        wait = EVERY;
                    }
                }
            }
            match stop.recv_timeout(wait) {
                Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    })
}

fn recent(path: &std::path::Path) -> bool {
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_none_or(|age| age < MAX_AGE.to_std().unwrap_or(Duration::MAX))
}
