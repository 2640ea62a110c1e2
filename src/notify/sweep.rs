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
                && (!team.notify.is_empty() || team.pagerduty.is_some())
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

/// Send, until `stop` is dropped, what is due in the incident at `path`.
pub fn spawn_incident(
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
    me: Actor,
    stop: std::sync::mpsc::Receiver<()>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut file: Option<IncidentFile> = None;
        loop {
            if let Ok(team) = Team::load(&dir)
                && (!team.notify.is_empty() || team.pagerduty.is_some())
            {
                if file.is_none() {
                    file = IncidentFile::open(&path).ok();
                }
                if let Some(f) = file.as_mut() {
                    super::deliver_due(f, &team, &me, BUDGET);
                }
            }
            match stop.recv_timeout(EVERY) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                _ => return,
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
