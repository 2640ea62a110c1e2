//! Who has an incident open right now.
//!
//! Each running copy keeps one small file in the incident's presence
//! folder, `.here/<id>/<pid>.<host>.here`, holding its [`Actor`] and join
//! time, and holds an exclusive lock on it for as long as it runs.
//! Presence never rewrites the incident file. A copy that died (even by
//! SIGKILL) releases its lock, so whoever lists presence next finds the
//! file unlocked and removes it.
//!
//! Beside it, each person has `<name>.seen`: the last sign of life of
//! their views, rewritten when a view opens, every [`BEAT`] while it runs
//! and when it closes. When nobody of that name has a view open, it says
//! since when they have been away (see [`crate::model::away`]).
//!
//! A folder per incident, because listing the incident directory itself
//! costs a year later what listing 3,000 incidents costs (80 ms on
//! GlusterFS, for "3 here"). Older copies kept these files beside the
//! incidents (`.<id>.<pid>.<host>.here`, `.<id>.<name>.seen`); every copy
//! still writes those too, so older copies see newer ones and the live
//! views' file watcher hears of arrivals, and the judgements of authority
//! (a takeover, a run waiting on an away commander) read both places
//! ([`roster_everywhere`]), so a commander on an older copy is never
//! taken for away.

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

/// Held while this process has the incident open; removes its files on drop.
pub struct PresenceGuard {
    /// Its presence files, each locked: the folder's and the old place's.
    here: Vec<(PathBuf, File)>,
    /// Its sign-of-life files, in the same places.
    seen: Vec<PathBuf>,
    who: String,
}

impl PresenceGuard {
    /// Renew this person's sign of life (best effort: presence is a
    /// courtesy, never a reason to fail).
    pub fn beat(&self) {
        self.beater().beat();
    }

    /// What renews this sign of life, to do it on another thread: a live
    /// view never waits for a slow disk to take it.
    pub fn beater(&self) -> Beat {
        Beat {
            seen: self.seen.clone(),
            who: self.who.clone(),
        }
    }
}

/// Renews a view's sign of life (see [`PresenceGuard::beater`]).
#[derive(Debug, Clone)]
pub struct Beat {
    seen: Vec<PathBuf>,
    who: String,
}

impl Beat {
    /// Write the sign of life now (best effort, as [`PresenceGuard::beat`]).
    pub fn beat(&self) {
        let seen = Seen {
            who: self.who.clone(),
            at: Utc::now(),
        };
        let Ok(bytes) = serde_json::to_vec(&seen) else {
            return;
        };
        for path in &self.seen {
            let Some(dir) = path.parent() else { continue };
            let written = tempfile::Builder::new()
                .prefix(".presence-")
                .suffix(".tmp")
                .tempfile_in(dir)
                .and_then(|mut tmp| {
                    tmp.write_all(&bytes)?;
                    let _ = fs::share_with_group(tmp.as_file(), tmp.path());
                    tmp.persist(path).map_err(|e| e.error)?;
                    Ok(())
                });
            drop(written);
        }
    }
}

impl Drop for PresenceGuard {
    fn drop(&mut self) {
        self.beat();
        for (path, _) in &self.here {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The last sign of life of someone's views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    who: String,
    at: DateTime<Utc>,
}

/// Where presence files of one incident are: a folder, and the prefix of
/// their names in it.
struct Place {
    folder: PathBuf,
    prefix: String,
}

/// The incident's own presence folder, `.here/<id>/`.
fn folder_of(dir: &Path, id: &str) -> Place {
    Place {
        folder: dir.join(".here").join(id),
        prefix: String::new(),
    }
}

/// Where older copies keep them: beside the incidents, `.<id>.` names.
fn old_place(dir: &Path, id: &str) -> Place {
    Place {
        folder: dir.to_path_buf(),
        prefix: prefix(id),
    }
}

fn seen_name(who: &str) -> String {
    who.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '@') {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect()
}

/// Who has the incident open, and since when everyone else has been away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// Live views, oldest first.
    pub here: Vec<Here>,
    /// The last sign of life of each person's views, by the name they act
    /// under.
    pub seen: BTreeMap<String, DateTime<Utc>>,
    /// Requests someone waited on, and whether their process still waits
    /// (see [`waits`]): a pending one nobody waits on any more is stale.
    pub waits: Vec<(u64, bool)>,
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

/// Everyone with `id` open, and everyone's last sign of life, from the
/// incident's presence folder (what the screens show).
pub fn roster(dir: &Path, id: &str) -> Roster {
    roster_in(&folder_of(dir, id))
}

/// The live views and signs of life in one place, its folder read once.
fn roster_in(place: &Place) -> Roster {
    let names = names_in(place);
    Roster {
        here: live_of(&names),
        seen: seen_of(&names),
        waits: waits_of(&names),
    }
}

/// [`roster`], with the views of older copies of `incident` too (they
/// keep their files beside the incidents, which means listing the whole
/// directory): for judging authority, where taking a present commander
/// for away would be wrong.
pub fn roster_everywhere(dir: &Path, id: &str) -> Roster {
    let mut r = roster(dir, id);
    let old = roster_in(&old_place(dir, id));
    for h in old.here {
        if !r.here.iter().any(|x| x.pid == h.pid && x.actor == h.actor) {
            r.here.push(h);
        }
    }
    r.here.sort_by_key(|h| h.joined_at);
    for (who, at) in old.seen {
        let t = r.seen.entry(who).or_insert(at);
        *t = (*t).max(at);
    }
    r
}

/// The last sign of life of each person's views of `id`.
pub fn last_seen(dir: &Path, id: &str) -> BTreeMap<String, DateTime<Utc>> {
    seen_of(&names_in(&folder_of(dir, id)))
}

/// The presence files of one incident in `place`, both kinds.
fn names_in(place: &Place) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(&place.folder) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&place.prefix))
        })
        .map(|e| e.path())
        .collect()
}

fn with_suffix<'a>(names: &'a [PathBuf], suffix: &'a str) -> impl Iterator<Item = &'a PathBuf> {
    names
        .iter()
        .filter(move |p| p.to_str().is_some_and(|n| n.ends_with(suffix)))
}

fn seen_of(names: &[PathBuf]) -> BTreeMap<String, DateTime<Utc>> {
    with_suffix(names, ".seen")
        .filter_map(|p| std::fs::read(p).ok())
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
    let host = host_in_name(actor);
    let places = [folder_of(dir, id), old_place(dir, id)];
    ensure_folder(dir, &places[0])?;
    let bytes = serde_json::to_vec(&here)?;
    let mut files = Vec::new();
    for place in &places {
        let path = place
            .folder
            .join(format!("{}{}.{host}.here", place.prefix, here.pid));
        let _ = std::fs::remove_file(&path); // A previous run with our pid.
        let file = put_locked(&place.folder, &path, &bytes)?;
        files.push((path, file));
    }
    let name = seen_name(actor.who());
    let guard = PresenceGuard {
        here: files,
        seen: places
            .iter()
            .map(|p| p.folder.join(format!("{}{name}.seen", p.prefix)))
            .collect(),
        who: actor.who().to_string(),
    };
    guard.beat();
    Ok(guard)
}

/// Everyone with `id` open, oldest first. Files of copies that died are
/// removed on the way.
pub fn list(dir: &Path, id: &str) -> Vec<Here> {
    live_of(&names_in(&folder_of(dir, id)))
}

fn live_of(names: &[PathBuf]) -> Vec<Here> {
    let mut out: Vec<Here> = with_suffix(names, ".here")
        .filter_map(|p| read_live(p))
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

/// A process waiting for the commander's answer to a request (`incident
/// run`, `announce --wait`): `.here/<id>/<pid>.<host>.R<n>.wait`, locked
/// while it waits and removed when it stops. A file left unlocked says
/// its process died waiting (SIGKILL, a lost machine): the request is
/// stale, nobody waits for its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiter {
    pub actor: Actor,
    pub request: u64,
    pub pid: u32,
    pub since: DateTime<Utc>,
}

/// Held while this process waits for an answer; removes its file on drop.
pub struct WaitGuard {
    path: PathBuf,
    _file: File,
}

impl Drop for WaitGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Say that this process waits for the answer to `request` of `id`.
pub fn wait_on(dir: &Path, id: &str, actor: &Actor, request: u64) -> std::io::Result<WaitGuard> {
    let w = Waiter {
        actor: actor.clone(),
        request,
        pid: std::process::id(),
        since: Utc::now(),
    };
    let host = host_in_name(actor);
    let place = folder_of(dir, id);
    ensure_folder(dir, &place)?;
    let path = place
        .folder
        .join(format!("{}.{host}.R{request}.wait", w.pid));
    let file = put_locked(&place.folder, &path, &serde_json::to_vec(&w)?)?;
    Ok(WaitGuard { path, _file: file })
}

/// The host as a presence file's name carries it.
fn host_in_name(actor: &Actor) -> String {
    actor
        .host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(32)
        .collect()
}

/// Make `.here/` and the incident's folder in it.
fn ensure_folder(dir: &Path, place: &Place) -> std::io::Result<()> {
    fs::ensure_dir(&dir.join(".here"))
        .and_then(|()| fs::ensure_dir(&place.folder))
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// Put `bytes` at `path` (in `folder`), locked for as long as the file
/// returned is held: locked first under a temporary name, then moved into
/// place, so nobody ever sees an unlocked file of a live process (which
/// says it died) and removes it.
fn put_locked(folder: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<File> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".presence-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    tmp.as_file().lock()?;
    tmp.write_all(bytes)?;
    let _ = fs::share_with_group(tmp.as_file(), tmp.path());
    tmp.persist(path).map_err(|e| e.error)
}

/// Every request of `id` someone has waited on, and whether their
/// process still waits: (request, alive). Files of processes that died
/// are kept (they say the request is stale) until the request is no
/// longer pending, which `forget_waits` tidies.
pub fn waits(dir: &Path, id: &str) -> Vec<(u64, bool)> {
    waits_of(&names_in(&folder_of(dir, id)))
}

fn waits_of(names: &[PathBuf]) -> Vec<(u64, bool)> {
    with_suffix(names, ".wait")
        .filter_map(|p| {
            let request = request_of_wait(p)?;
            let file = fs::open_incident(p, false).ok()?;
            let alive = match file.try_lock_shared() {
                Ok(()) => {
                    let _ = file.unlock();
                    false
                }
                Err(std::fs::TryLockError::WouldBlock) => true,
                Err(_) => return None,
            };
            Some((request, alive))
        })
        .collect()
}

/// Remove the files of waits that ended uncleanly for requests no longer
/// pending (`pending` says which are): nothing is left to say about them.
pub fn forget_waits(dir: &Path, id: &str, pending: impl Fn(u64) -> bool) {
    for p in with_suffix(&names_in(&folder_of(dir, id)), ".wait") {
        let Some(request) = request_of_wait(p) else {
            continue;
        };
        if pending(request) {
            continue;
        }
        if let Ok(file) = fs::open_incident(p, false)
            && file.try_lock_shared().is_ok()
        {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn request_of_wait(path: &Path) -> Option<u64> {
    let name = path.file_name()?.to_str()?.strip_suffix(".wait")?;
    name.rsplit('.').next()?.strip_prefix('R')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_alive_while_held_and_stale_once_its_process_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let g = wait_on(dir.path(), "INC-1", &Actor::named("carol"), 2).unwrap();
        assert_eq!(waits(dir.path(), "INC-1"), vec![(2, true)]);
        // Waiting is not having a view open.
        assert!(list(dir.path(), "INC-1").is_empty());
        drop(g);
        assert!(waits(dir.path(), "INC-1").is_empty());
        // A process that died waiting leaves its file unlocked.
        let folder = dir.path().join(".here/INC-1");
        std::fs::write(folder.join("999999.jump1.R3.wait"), b"{}").unwrap();
        assert_eq!(waits(dir.path(), "INC-1"), vec![(3, false)]);
        forget_waits(dir.path(), "INC-1", |r| r == 3);
        assert_eq!(waits(dir.path(), "INC-1"), vec![(3, false)]);
        forget_waits(dir.path(), "INC-1", |_| false);
        assert!(waits(dir.path(), "INC-1").is_empty());
    }

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
        let folder = dir.path().join(".here/INC-1");
        std::fs::create_dir_all(&folder).unwrap();
        let stale = folder.join("999999.host.here");
        std::fs::write(&stale, b"{}").unwrap();
        assert!(list(dir.path(), "INC-1").is_empty());
        assert!(!stale.exists());
        // An older copy's, beside the incidents: dropped by the full look.
        let old = dir.path().join(".INC-1.999999.host.here");
        std::fs::write(&old, b"{}").unwrap();
        assert!(roster_everywhere(dir.path(), "INC-1").here.is_empty());
        assert!(!old.exists());
    }

    #[test]
    fn an_older_copys_view_counts_for_authority_and_a_newer_one_is_seen_by_older_copies() {
        let dir = tempfile::tempdir().unwrap();
        // An older copy: its file beside the incidents, locked while it runs.
        let old = dir.path().join(".INC-1.4242.jump2.here");
        let here = Here {
            actor: Actor::named("bob"),
            joined_at: Utc::now(),
            pid: 4242,
        };
        std::fs::write(&old, serde_json::to_vec(&here).unwrap()).unwrap();
        let held = File::open(&old).unwrap();
        held.lock().unwrap();
        assert!(roster(dir.path(), "INC-1").here.is_empty());
        let all = roster_everywhere(dir.path(), "INC-1");
        assert_eq!(all.here.len(), 1);
        assert_eq!(all.here[0].actor.user, "bob");
        // A newer copy writes the old place too, so older copies count it.
        let g = join(dir.path(), "INC-1", &Actor::named("carol")).unwrap();
        let beside: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with(".INC-1.") && n.ends_with(".here"))
            .collect();
        assert_eq!(beside.len(), 2, "{beside:?}");
        assert_eq!(roster_everywhere(dir.path(), "INC-1").here.len(), 2);
        assert_eq!(roster(dir.path(), "INC-1").here.len(), 1);
        drop(g);
        drop(held);
    }

    #[test]
    fn names_map_to_incidents() {
        assert_eq!(incident_of(".INC-7.123.jump1.here"), Some("INC-7"));
        assert_eq!(incident_of("INC-7.jsonl"), None);
    }
}
