//! Who has an incident open right now.
//!
//! Each running copy keeps one small file beside the incident,
//! `.<id>.<pid>.<host>.here`, holding its [`Actor`] and join time, and holds
//! an exclusive lock on it for as long as it runs. Presence never rewrites
//! the incident file. A copy that died (even by SIGKILL) releases its lock,
//! so whoever lists presence next finds the file unlocked and removes it.

use super::fs;
use crate::model::Actor;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One running copy with the incident open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Here {
    pub actor: Actor,
    pub joined_at: DateTime<Utc>,
    pub pid: u32,
}

/// Held while this process has the incident open; removes its file on drop.
pub struct PresenceGuard {
    path: PathBuf,
    _file: File,
}

impl Drop for PresenceGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn prefix(id: &str) -> String {
    format!(".{id}.")
}

/// True for a presence file name of any incident; gives the incident id.
pub fn incident_of(name: &str) -> Option<&str> {
    let rest = name.strip_prefix('.')?.strip_suffix(".here")?;
    rest.split('.').next()
}

/// Announce that this process has `id` open.
pub fn join(dir: &Path, id: &str, actor: &Actor) -> std::io::Result<PresenceGuard> {
    let here = Here {
        actor: actor.clone(),
        joined_at: Utc::now(),
        pid: std::process::id(),
    };
    let host: String = actor
        .host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(32)
        .collect();
    let path = dir.join(format!("{}{}.{host}.here", prefix(id), here.pid));
    // Lock first under a temporary name, then link into place, so nobody
    // ever sees an unlocked presence file of a live process and removes it.
    let mut tmp = tempfile::Builder::new()
        .prefix(".presence-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.as_file().lock()?;
    tmp.write_all(&serde_json::to_vec(&here)?)?;
    let _ = fs::share_with_group(tmp.as_file(), tmp.path());
    let _ = std::fs::remove_file(&path); // A previous run with our pid.
    let file = tmp.persist(&path).map_err(|e| e.error)?;
    Ok(PresenceGuard { path, _file: file })
}

/// Everyone with `id` open, oldest first. Files of copies that died are
/// removed on the way.
pub fn list(dir: &Path, id: &str) -> Vec<Here> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let prefix = prefix(id);
    let mut out: Vec<Here> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".here"))
        })
        .filter_map(|e| read_live(&e.path()))
        .collect();
    out.sort_by_key(|h| h.joined_at);
    out
}

fn read_live(path: &Path) -> Option<Here> {
    let file = fs::open_incident(path, false).ok()?;
    match file.try_lock_shared() {
        Ok(()) => {
            // Nobody holds it: its process is gone.
            let _ = file.unlock();
            let _ = std::fs::remove_file(path);
            None
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let bytes = std::fs::read(path).ok()?;
            serde_json::from_slice(&bytes).ok()
        }
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_is_listed_and_leaving_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        let g = join(dir.path(), "INC-1", &Actor::named("alice")).unwrap();
        let here = list(dir.path(), "INC-1");
        assert_eq!(here.len(), 1);
        assert_eq!(here[0].actor.user, "alice");
        assert!(list(dir.path(), "INC-2").is_empty());
        drop(g);
        assert!(list(dir.path(), "INC-1").is_empty());
    }

    #[test]
    fn a_dead_copys_file_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".INC-1.999999.host.here");
        std::fs::write(&stale, b"{}").unwrap();
        assert!(list(dir.path(), "INC-1").is_empty());
        assert!(!stale.exists());
    }

    #[test]
    fn names_map_to_incidents() {
        assert_eq!(incident_of(".INC-7.123.jump1.here"), Some("INC-7"));
        assert_eq!(incident_of("INC-7.jsonl"), None);
    }
}
