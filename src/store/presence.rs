//! Who has an incident open right now.
//!
//! Each running copy keeps one small file beside the incident,
//! `.<id>.<pid>.<host>.here`, holding its [`Actor`] and join time, and holds
//! an exclusive lock on it for as long as it runs. Presence never rewrites
//! the incident file. A copy that died (even by SIGKILL) releases its lock,
//! so whoever lists presence next finds the file unlocked and removes it.
//!
//! Beside it, each person has `.<id>.<name>.seen`: the last sign of life of
//! their views, rewritten when a view opens, every [`BEAT`] while it runs
//! and when it closes. When nobody of that name has a view open, it says
//! since when they have been away (see [`crate::model::away`]).

use super::fs;
use crate::model::away::{self, Away};
use crate::model::{Actor, Incident};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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

/// How often a live view renews its sign of life: so a view that died
/// without closing (a dropped SSH session) is counted away from at most
/// this long after its last beat.
pub const BEAT: std::time::Duration = std::time::Duration::from_secs(30);

/// Held while this process has the incident open; removes its file on drop.
pub struct PresenceGuard {
    path: PathBuf,
    seen: PathBuf,
    who: String,
    _file: File,
}

impl PresenceGuard {
    /// Renew this person's sign of life (best effort: presence is a
    /// courtesy, never a reason to fail).
    pub fn beat(&self) {
        let Some(dir) = self.seen.parent() else {
            return;
        };
        let seen = Seen {
            who: self.who.clone(),
            at: Utc::now(),
        };
        let Ok(bytes) = serde_json::to_vec(&seen) else {
            return;
        };
        let written = tempfile::Builder::new()
            .prefix(".presence-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .and_then(|mut tmp| {
                tmp.write_all(&bytes)?;
                let _ = fs::share_with_group(tmp.as_file(), tmp.path());
                tmp.persist(&self.seen).map_err(|e| e.error)?;
                Ok(())
            });
        drop(written);
    }
}

impl Drop for PresenceGuard {
    fn drop(&mut self) {
        self.beat();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The last sign of life of someone's views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    who: String,
    at: DateTime<Utc>,
}

fn seen_path(dir: &Path, id: &str, who: &str) -> PathBuf {
    let name: String = who
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '@') {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    dir.join(format!("{}{name}.seen", prefix(id)))
}

/// Who has the incident open, and since when everyone else has been away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// Live views, oldest first.
    pub here: Vec<Here>,
    /// The last sign of life of each person's views, by the name they act
    /// under.
    pub seen: BTreeMap<String, DateTime<Utc>>,
}

impl Roster {
    /// Where `who` stands in `inc` now.
    pub fn away(&self, inc: &Incident, who: &str) -> Away {
        let present = self.here.iter().any(|h| h.actor.who() == who);
        away::away(inc, who, present, self.seen.get(who).copied(), Utc::now())
    }

    /// The host of a live view of `who`, if any.
    pub fn host_of(&self, who: &str) -> Option<&str> {
        self.here
            .iter()
            .find(|h| h.actor.who() == who)
            .map(|h| h.actor.host.as_str())
    }
}

/// Everyone with `id` open, and everyone's last sign of life.
pub fn roster(dir: &Path, id: &str) -> Roster {
    Roster {
        here: list(dir, id),
        seen: last_seen(dir, id),
    }
}

/// The last sign of life of each person's views of `id`.
pub fn last_seen(dir: &Path, id: &str) -> BTreeMap<String, DateTime<Utc>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    let prefix = prefix(id);
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".seen"))
        })
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|b| serde_json::from_slice::<Seen>(&b).ok())
        .fold(BTreeMap::new(), |mut m, s| {
            let t = m.entry(s.who).or_insert(s.at);
            *t = (*t).max(s.at);
            m
        })
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
    let guard = PresenceGuard {
        path,
        seen: seen_path(dir, id, actor.who()),
        who: actor.who().to_string(),
        _file: file,
    };
    guard.beat();
    Ok(guard)
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
    fn leaving_leaves_a_sign_of_life_that_says_since_when() {
        let dir = tempfile::tempdir().unwrap();
        let mut bob = Actor::named("ops");
        bob.name = Some("bob".into());
        let before = Utc::now();
        let g = join(dir.path(), "INC-1", &bob).unwrap();
        let inc = Incident::declared(
            "INC-1",
            "t",
            crate::model::Severity::Sev2,
            before - chrono::Duration::hours(1),
            "alice",
        );
        assert_eq!(roster(dir.path(), "INC-1").away(&inc, "bob"), Away::Here);
        drop(g);
        let r = roster(dir.path(), "INC-1");
        match r.away(&inc, "bob") {
            Away::Since(t) => assert!(t >= before && t <= Utc::now(), "{t}"),
            Away::Here => panic!("bob closed his view"),
        }
        // Someone never seen is away since the incident began.
        assert_eq!(r.away(&inc, "zed"), Away::Since(inc.declared_at));
        // The sign of life is not a presence file of any incident.
        assert!(incident_of(".INC-1.bob.seen").is_none());
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
