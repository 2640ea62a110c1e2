//! The directory index, `.index/` beside the incidents: which incidents
//! may be *hot* (active, or holding a deploy freeze), the highest id, and
//! for every incident that has ended, its alert keys.
//!
//! Why it exists (measured on GlusterFS over FUSE, 3,000 closed incidents
//! of 40 entries each): opening every incident file cost 2.9 s per
//! command (`active` at every SSH login, `list`, `page`), and even a bare
//! listing of the directory cost 115 ms, and a `stat` of every file
//! 150 ms. So the commands that care about the live incidents never list
//! the directory: they read one small file here, load the few hot
//! incidents it names, and look for new ids above its highest by asking
//! for `INC-<max+1>.jsonl` by name.
//!
//! The incident files stay the truth. The index only ever has to be a
//! *superset* of the truth to be safe: a hot incident it names that has
//! since ended is loaded and seen to have ended; an ended incident it
//! lists under a key is loaded and judged on what its file says. So every
//! writer keeps this order, under the incident's own lock:
//!
//! - an incident about to become hot (declared, reopened, a freeze kept)
//!   or an ended incident about to gain an alert key is written into the
//!   index *before* its line is appended;
//! - one that has just ended is taken out of the hot set *after* its line
//!   is on disk, its keys filed first.
//!
//! A writer killed between the two leaves the index naming more than is
//! true, never less. A declared incident is found above `max` even if its
//! writer died before the index heard of it. `incident doctor` compares
//! the index with the files, and `incident doctor --reindex` rebuilds it.
//!
//! Each file is replaced whole (written beside, synced, renamed over) under
//! `.index/lock`, which is always taken last, after any incident's lock.
//! Older copies of `incident` ignore the folder; the incidents they declare
//! are found above `max`, but an incident an older copy reopens after it
//! ended is seen here only after `doctor --reindex` (doctor says so).
//!
//! Ended incidents' keys are kept in 256 small files chosen by the key's
//! SHA-256, so a page reads one or two of them whatever the directory's age.

use super::{StoreError, fs};
use crate::model::Incident;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The index's folder inside the incident directory.
pub const DIR: &str = ".index";

/// Bumped when the files' meaning changes; any other version is rebuilt.
const FORMAT: u32 = 1;

/// How long a writer waits for another's index update.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// What the index keeps about one incident, as its file says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Active (drills too), or holding a deploy freeze past its end.
    pub hot: bool,
    /// The alert keys a page is matched by.
    pub keys: BTreeSet<String>,
}

impl Summary {
    pub fn of(inc: &Incident) -> Self {
        Summary {
            hot: inc.is_active() || inc.deploy_freeze().is_some(),
            keys: inc.pager_keys.clone(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Hot {
    format: u32,
    /// The highest `INC-N` this index has heard of.
    max: u64,
    hot: BTreeSet<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Bucket {
    format: u32,
    /// Alert key → the ended incidents that hold it.
    keys: BTreeMap<String, BTreeSet<String>>,
}

impl Bucket {
    /// An empty bucket of this version.
    fn fresh() -> Self {
        Bucket {
            format: FORMAT,
            ..Bucket::default()
        }
    }
}

fn folder(dir: &Path) -> PathBuf {
    dir.join(DIR)
}

fn hot_path(dir: &Path) -> PathBuf {
    folder(dir).join("hot.json")
}

fn bucket_of(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    format!("keys-{:02x}.json", digest[0])
}

fn bucket_path(dir: &Path, key: &str) -> PathBuf {
    folder(dir).join(bucket_of(key))
}

/// Read a whole small file as the server has it (past this client's cache
/// on a shared file system). None when it is not there. A handle gone
/// stale (GlusterFS, NFS: another box renamed a new copy over it while
/// this client still had the old one cached) is asked for again; so is a
/// file that was there when opened and is gone when read (GlusterFS says
/// ENOENT, not ESTALE, for the copy renamed over: two boxes declaring at
/// once failed "hot.json: No such file or directory" without this).
pub(super) fn read_file(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    let shared = path
        .parent()
        .is_some_and(|d| super::medium::Medium::of_dir(d).is_shared());
    let mut attempt = 0;
    loop {
        match read_once(path, shared) {
            Err(e) if is_stale(&e) && attempt < 50 => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(10 * attempt.min(10)));
            }
            Err(e) => return Err(StoreError::io(path, e)),
            Ok(read) => return Ok(read),
        }
    }
}

fn read_once(path: &Path, shared: bool) -> std::io::Result<Option<Vec<u8>>> {
    if shared && let Some(direct) = fs::direct::open(path) {
        return fs::direct::read_from(&direct, 0)
            .map(|(bytes, _)| Some(bytes))
            .map_err(|e| match e.kind() {
                // Opened, then gone: replaced from another box meanwhile.
                std::io::ErrorKind::NotFound => {
                    std::io::Error::from_raw_os_error(nix::libc::ESTALE)
                }
                _ => e,
            });
    }
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn is_stale(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(nix::libc::ESTALE)
}

fn read_hot(dir: &Path) -> Result<Option<Hot>, StoreError> {
    let path = hot_path(dir);
    let Some(bytes) = read_file(&path)? else {
        return Ok(None);
    };
    Ok(serde_json::from_slice::<Hot>(&bytes)
        .ok()
        .filter(|h| h.format == FORMAT))
}

fn read_bucket(path: &Path) -> Result<Bucket, StoreError> {
    Ok(read_file(path)?
        .and_then(|b| serde_json::from_slice::<Bucket>(&b).ok())
        .filter(|b| b.format == FORMAT)
        .unwrap_or_default())
}

/// Replace `path` whole: written beside it, synced, renamed over it.
pub(super) fn replace(path: &Path, value: &impl Serialize) -> Result<(), StoreError> {
    let parent = path.parent().expect("inside the index folder");
    let bytes = serde_json::to_vec(value).map_err(|e| StoreError::io(path, e.into()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".index-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(|e| StoreError::io(parent, e))?;
    tmp.write_all(&bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| StoreError::io(tmp.path(), e))?;
    fs::share_with_group(tmp.as_file(), tmp.path())?;
    // Renamed over a copy another box renamed into place a moment ago,
    // this client may still name the old one and be told it is gone:
    // the name is looked up again and the rename tried again.
    let mut attempt = 0;
    loop {
        match tmp.persist(path) {
            Ok(_) => break,
            Err(e)
                if attempt < 50
                    && (is_stale(&e.error) || e.error.kind() == std::io::ErrorKind::NotFound) =>
            {
                attempt += 1;
                tmp = e.file;
                std::thread::sleep(Duration::from_millis(10 * attempt.min(10)));
            }
            Err(e) => return Err(StoreError::io(path, e.error)),
        }
    }
    fs::sync_dir(parent)
}

/// The index's lock, taken last (after any incident's own lock).
fn lock(dir: &Path) -> Result<fs::HeldLock, StoreError> {
    fs::ensure_dir(dir)?;
    fs::ensure_dir(&folder(dir))?;
    fs::lock_file(&folder(dir).join("lock"), LOCK_TIMEOUT)
}

fn number(id: &str) -> u64 {
    super::id_number(id)
}

/// Whether `INC-n` exists, asked by name (no directory listing).
fn exists(dir: &Path, n: u64) -> bool {
    std::fs::symlink_metadata(dir.join(format!("INC-{n}.jsonl"))).is_ok()
}

/// The index as it stands, rebuilt from the files when it is missing or
/// of another version, with the ids declared above its `max` added (their
/// writers may have died, or be an older copy, before telling it).
fn current(dir: &Path) -> Result<Hot, StoreError> {
    let hot = match read_hot(dir)? {
        Some(h) => h,
        None if !dir.is_dir() => Hot::default(),
        None => {
            // Built by whoever gets the lock first; the others read theirs.
            // Where it cannot be written (a reader outside the group), the
            // files are read as before the index.
            let built = lock(dir).and_then(|_held| match read_hot(dir)? {
                Some(h) => Ok(h),
                None => rebuild_locked(dir, &mut |_, _| {}).map(|r| r.hot),
            });
            match built {
                Ok(h) => h,
                Err(_) => hot_of(&summaries(dir, &mut |_, _| {})?).0,
            }
        }
    };
    Ok(past_max(dir, hot))
}

/// [`current`] for a writer already holding the index's lock (taking it
/// again would wait on itself).
fn current_held(dir: &Path) -> Result<Hot, StoreError> {
    let hot = match read_hot(dir)? {
        Some(h) => h,
        None => rebuild_locked(dir, &mut |_, _| {})?.hot,
    };
    Ok(past_max(dir, hot))
}

/// The ids declared above `max` added (their writers may have died, or be
/// an older copy, before telling the index).
fn past_max(dir: &Path, mut hot: Hot) -> Hot {
    let mut n = hot.max + 1;
    while exists(dir, n) {
        hot.hot.insert(format!("INC-{n}"));
        hot.max = n;
        n += 1;
    }
    hot
}

/// The ids of every incident that may be hot, in numeric order.
pub fn hot_ids(dir: &Path) -> Result<Vec<String>, StoreError> {
    let mut ids: Vec<String> = current(dir)?.hot.into_iter().collect();
    ids.sort_by_key(|id| number(id));
    Ok(ids)
}

/// The highest incident number in the directory.
pub fn max_number(dir: &Path) -> Result<u64, StoreError> {
    Ok(current(dir)?.max)
}

/// Ended incidents that hold any of `keys` (the hot ones are not here:
/// load them with [`hot_ids`]).
pub fn ended_with(dir: &Path, keys: &[String]) -> Result<BTreeSet<String>, StoreError> {
    let mut out = BTreeSet::new();
    let paths: BTreeSet<PathBuf> = keys.iter().map(|k| bucket_path(dir, k)).collect();
    for path in paths {
        let bucket = read_bucket(&path)?;
        for k in keys {
            if let Some(ids) = bucket.keys.get(k) {
                out.extend(ids.iter().cloned());
            }
        }
    }
    Ok(out)
}

/// A new incident is on disk: name it hot. Its writer calls this after
/// linking the file; were it to die first, the id is found above `max`.
pub fn declared(dir: &Path, id: &str) -> Result<(), StoreError> {
    let _held = lock(dir)?;
    let mut hot = current_held(dir)?;
    hot.hot.insert(id.to_string());
    hot.max = hot.max.max(number(id));
    replace(&hot_path(dir), &hot)
}

/// Before appending a line that turns `before` into `after`: an incident
/// becoming hot, or an ended one gaining keys, is written in first.
pub fn before_write(
    dir: &Path,
    id: &str,
    before: &Summary,
    after: &Summary,
) -> Result<(), StoreError> {
    if before.hot {
        return Ok(());
    }
    let new_keys: Vec<&String> = after.keys.difference(&before.keys).collect();
    if !after.hot && new_keys.is_empty() {
        return Ok(());
    }
    let _held = lock(dir)?;
    if after.hot {
        let mut hot = current_held(dir)?;
        if hot.hot.insert(id.to_string()) {
            replace(&hot_path(dir), &hot)?;
        }
    }
    // An ended incident's new keys are filed even while it turns hot: it
    // may end again before anyone writes them down.
    file_keys(dir, id, new_keys.into_iter())
}

/// After appending a line that ended the incident (`before` was hot,
/// `after` is not): its keys filed, then it leaves the hot set. Failing
/// leaves it hot, which costs a load, never a wrong answer.
pub fn after_write(
    dir: &Path,
    id: &str,
    before: &Summary,
    after: &Summary,
) -> Result<(), StoreError> {
    if !before.hot || after.hot {
        return Ok(());
    }
    let _held = lock(dir)?;
    file_keys(dir, id, after.keys.iter())?;
    let mut hot = current_held(dir)?;
    if hot.hot.remove(id) {
        replace(&hot_path(dir), &hot)?;
    }
    Ok(())
}

fn file_keys<'a>(
    dir: &Path,
    id: &str,
    keys: impl Iterator<Item = &'a String>,
) -> Result<(), StoreError> {
    let mut by_bucket: BTreeMap<PathBuf, Vec<&String>> = BTreeMap::new();
    for k in keys {
        by_bucket.entry(bucket_path(dir, k)).or_default().push(k);
    }
    for (path, keys) in by_bucket {
        let mut bucket = read_bucket(&path)?;
        bucket.format = FORMAT;
        let mut changed = false;
        for k in keys {
            changed |= bucket
                .keys
                .entry(k.clone())
                .or_default()
                .insert(id.to_string());
        }
        if changed {
            replace(&path, &bucket)?;
        }
    }
    Ok(())
}

/// What a rebuild found.
pub struct Rebuilt {
    hot: Hot,
    /// Incidents read.
    pub incidents: usize,
    /// Files that could not be read: kept hot, so nobody misses them.
    pub unreadable: Vec<String>,
}

impl Rebuilt {
    /// How many incidents it names as active or holding a freeze.
    pub fn hot(&self) -> usize {
        self.hot.hot.len()
    }
}

/// Rebuild the index from the incident files (every one is read).
pub fn rebuild(dir: &Path) -> Result<Rebuilt, StoreError> {
    rebuild_with(dir, &mut |_, _| {})
}

/// [`rebuild`], calling `progress(done, total)` as it reads.
pub fn rebuild_with(
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Rebuilt, StoreError> {
    let _held = lock(dir)?;
    rebuild_locked(dir, progress)
}

/// [`rebuild_with`], the index's lock held.
fn rebuild_locked(
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Rebuilt, StoreError> {
    let truth = summaries(dir, progress)?;
    let (hot, unreadable) = hot_of(&truth);
    let mut buckets: BTreeMap<PathBuf, Bucket> = BTreeMap::new();
    for (id, summary) in &truth {
        for k in summary.iter().flat_map(|s| &s.keys) {
            let b = buckets
                .entry(bucket_path(dir, k))
                .or_insert_with(Bucket::fresh);
            b.keys.entry(k.clone()).or_default().insert(id.clone());
        }
    }
    // Buckets no key falls in any more are emptied, not left stale.
    if let Ok(entries) = std::fs::read_dir(folder(dir)) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("keys-") && name.ends_with(".json") {
                buckets.entry(e.path()).or_insert_with(Bucket::fresh);
            }
        }
    }
    for (path, bucket) in &buckets {
        replace(path, bucket)?;
    }
    replace(&hot_path(dir), &hot)?;
    Ok(Rebuilt {
        incidents: truth.len(),
        unreadable,
        hot,
    })
}

/// The hot set and highest id the files say, and the unreadable files
/// (kept hot, so nobody misses them).
fn hot_of(truth: &[(String, Option<Summary>)]) -> (Hot, Vec<String>) {
    let mut hot = Hot {
        format: FORMAT,
        ..Hot::default()
    };
    let mut unreadable = Vec::new();
    for (id, summary) in truth {
        hot.max = hot.max.max(number(id));
        match summary {
            None => {
                unreadable.push(id.clone());
                hot.hot.insert(id.clone());
            }
            Some(s) if s.hot => {
                hot.hot.insert(id.clone());
            }
            Some(_) => {}
        }
    }
    (hot, unreadable)
}

/// Every incident's summary as its file says (None: unreadable), for
/// [`disagreements`] and a rebuild; reads every file.
pub fn summaries(
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<(String, Option<Summary>)>, StoreError> {
    let ids = super::Store::new(dir).ids()?;
    let total = ids.len();
    let mut out = Vec::with_capacity(total);
    for (n, id) in ids.into_iter().enumerate() {
        let summary = super::IncidentFile::open(&dir.join(format!("{id}.jsonl")))
            .ok()
            .map(|f| Summary::of(f.incident()));
        out.push((id, summary));
        progress(n + 1, total);
    }
    Ok(out)
}

/// One way the index and the files differ.
#[derive(Debug)]
pub struct Disagreement {
    pub text: String,
    /// It could hide an incident or a late page's incident (rather than
    /// cost a needless load).
    pub hides: bool,
}

impl Disagreement {
    fn hides(text: String) -> Self {
        Disagreement { text, hides: true }
    }

    fn harmless(text: String) -> Self {
        Disagreement { text, hides: false }
    }
}

/// Where the index and the files disagree, for `doctor`; empty when they
/// agree. `truth` is every incident's summary (None: unreadable).
pub fn disagreements(dir: &Path, truth: &[(String, Option<Summary>)]) -> Vec<Disagreement> {
    let hot = match read_hot(dir) {
        Ok(Some(h)) => h,
        Ok(None) if truth.is_empty() => return Vec::new(),
        Ok(None) => {
            return vec![Disagreement::harmless(
                "there is no index yet (the next command builds it)".into(),
            )];
        }
        Err(e) => {
            return vec![Disagreement::hides(format!(
                "the index cannot be read: {e}"
            ))];
        }
    };
    let mut out = Vec::new();
    let mut buckets: BTreeMap<PathBuf, Bucket> = BTreeMap::new();
    for (id, summary) in truth {
        let Some(s) = summary else { continue };
        let listed_hot = hot.hot.contains(id) || number(id) > hot.max;
        if s.hot && !listed_hot {
            out.push(Disagreement::hides(format!(
                "{id} is active (or holds a freeze) but the index has it as ended: `incident active` and pages miss it"
            )));
        }
        if !s.hot && hot.hot.contains(id) {
            out.push(Disagreement::harmless(format!(
                "{id} has ended but the index still lists it as active (it is read and seen to have ended)"
            )));
        }
        if s.hot {
            continue;
        }
        for k in &s.keys {
            let path = bucket_path(dir, k);
            let bucket = buckets
                .entry(path.clone())
                .or_insert_with(|| read_bucket(&path).unwrap_or_default());
            if !bucket.keys.get(k).is_some_and(|ids| ids.contains(id)) {
                out.push(Disagreement::hides(format!(
                    "{id} has ended but its alert key {k} is not in the index: a late page for it would not find it"
                )));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Severity, Status};
    use crate::ops::Op;
    use crate::store::Store;

    fn me() -> Actor {
        Actor::named("alice")
    }

    fn page(key: &str) -> Op {
        Op::Paged {
            source: "Alertmanager".into(),
            key: key.into(),
            state: "triggered".into(),
            acked_by: None,
            title: "p99 above 2s".into(),
            severity: None,
            links: Vec::new(),
            events_key: None,
            times: None,
            delivery: None,
        }
    }

    fn status(status: Status) -> Op {
        Op::SetStatus {
            status,
            force: true,
            keep_freeze: false,
        }
    }

    fn truth(dir: &Path) -> Vec<(String, Option<Summary>)> {
        summaries(dir, &mut |_, _| {}).unwrap()
    }

    #[test]
    fn an_incident_is_hot_from_its_declaration_until_it_ends_and_again_when_reopened() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let mut one = store
            .declare(&me(), "Payments down", Severity::Sev1)
            .unwrap();
        let two = store.declare(&me(), "Search slow", Severity::Sev3).unwrap();
        assert_eq!(store.hot_ids().unwrap(), ["INC-1", "INC-2"]);
        one.commit(&me(), page("am:payments")).unwrap();
        one.commit(&me(), status(Status::Resolved)).unwrap();
        // Ended: out of the hot set, its key filed for a late page.
        assert_eq!(store.hot_ids().unwrap(), ["INC-2"]);
        let keys = vec!["am:payments".to_string()];
        assert_eq!(
            ended_with(tmp.path(), &keys).unwrap(),
            ["INC-1".to_string()].into()
        );
        // Reopened: hot again, and the index said so before the line landed.
        one.commit(&me(), status(Status::Investigating)).unwrap();
        assert_eq!(store.hot_ids().unwrap(), ["INC-1", "INC-2"]);
        assert!(disagreements(tmp.path(), &truth(tmp.path())).is_empty());
        drop(two);
        assert_eq!(max_number(tmp.path()).unwrap(), 2);
    }

    #[test]
    fn an_incident_declared_behind_the_index_back_is_found_by_its_number() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let mut one = store
            .declare(&me(), "Payments down", Severity::Sev1)
            .unwrap();
        one.commit(&me(), status(Status::Resolved)).unwrap();
        // An older copy (or a writer killed before telling the index)
        // declares INC-2: the file is there, the index never heard of it.
        std::fs::copy(
            tmp.path().join("INC-1.jsonl"),
            tmp.path().join("INC-2.jsonl"),
        )
        .unwrap();
        let raw = std::fs::read_to_string(tmp.path().join("INC-2.jsonl")).unwrap();
        let reopened = raw.replacen("\"id\":\"INC-1\"", "\"id\":\"INC-2\"", 1);
        let mut lines: Vec<&str> = reopened.lines().collect();
        lines.pop(); // the resolve: INC-2 is still investigating
        std::fs::write(tmp.path().join("INC-2.jsonl"), lines.join("\n") + "\n").unwrap();
        assert_eq!(store.hot_ids().unwrap(), ["INC-2"]);
        // The next declaration takes the number after it.
        let three = store.declare(&me(), "Third", Severity::Sev2).unwrap();
        assert_eq!(three.incident().id, "INC-3");
    }

    #[test]
    fn a_missing_or_foreign_index_is_rebuilt_from_the_files() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let mut one = store
            .declare(&me(), "Payments down", Severity::Sev1)
            .unwrap();
        one.commit(&me(), page("am:payments")).unwrap();
        one.commit(&me(), status(Status::Resolved)).unwrap();
        store.declare(&me(), "Search slow", Severity::Sev3).unwrap();
        std::fs::remove_dir_all(tmp.path().join(DIR)).unwrap();
        assert_eq!(store.hot_ids().unwrap(), ["INC-2"]);
        std::fs::write(hot_path(tmp.path()), b"{\"format\":99}").unwrap();
        assert_eq!(store.hot_ids().unwrap(), ["INC-2"]);
        let keys = vec!["am:payments".to_string()];
        assert_eq!(
            ended_with(tmp.path(), &keys).unwrap(),
            ["INC-1".to_string()].into()
        );
    }

    #[test]
    fn doctor_hears_of_a_reopen_the_index_missed_and_a_rebuild_mends_it() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let mut one = store
            .declare(&me(), "Payments down", Severity::Sev1)
            .unwrap();
        one.commit(&me(), page("am:payments")).unwrap();
        one.commit(&me(), status(Status::Resolved)).unwrap();
        store.declare(&me(), "Search slow", Severity::Sev3).unwrap();
        assert!(disagreements(tmp.path(), &truth(tmp.path())).is_empty());
        // An older copy reopens INC-1: a line appended by hand, no index.
        let path = tmp.path().join("INC-1.jsonl");
        let last = std::fs::read_to_string(&path).unwrap();
        let resolve = last.lines().last().unwrap();
        let reopen = resolve.replace("\"resolved\"", "\"investigating\"");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        writeln!(f, "{reopen}").unwrap();
        let said = disagreements(tmp.path(), &truth(tmp.path()));
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].hides && said[0].text.starts_with("INC-1 is active"),
            "{said:?}"
        );
        rebuild(tmp.path()).unwrap();
        assert!(disagreements(tmp.path(), &truth(tmp.path())).is_empty());
        assert_eq!(store.hot_ids().unwrap(), ["INC-1", "INC-2"]);
    }

    #[test]
    fn a_reopen_with_no_index_yet_builds_it_without_waiting_on_itself() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let mut one = store
            .declare(&me(), "Payments down", Severity::Sev1)
            .unwrap();
        one.commit(&me(), status(Status::Resolved)).unwrap();
        std::fs::remove_dir_all(tmp.path().join(DIR)).unwrap();
        let started = std::time::Instant::now();
        one.commit(&me(), status(Status::Investigating)).unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the writer waited on its own lock: {:?}",
            started.elapsed()
        );
        assert_eq!(store.hot_ids().unwrap(), ["INC-1"]);
    }

    #[test]
    fn a_writer_killed_between_the_index_and_its_line_leaves_the_index_wider_not_narrower() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let mut one = store
            .declare(&me(), "Payments down", Severity::Sev1)
            .unwrap();
        one.commit(&me(), status(Status::Resolved)).unwrap();
        let before = Summary::of(one.incident());
        let after = Summary {
            hot: true,
            keys: before.keys.clone(),
        };
        // The index is told of a reopen whose line never lands.
        before_write(tmp.path(), "INC-1", &before, &after).unwrap();
        assert_eq!(store.hot_ids().unwrap(), ["INC-1"]);
        // Harmless: read, it is seen to have ended; doctor calls it so.
        assert!(
            store
                .list_active()
                .unwrap()
                .iter()
                .all(|l| matches!(l, crate::store::Listed::Ok(i) if !i.is_active()))
        );
        let said = disagreements(tmp.path(), &truth(tmp.path()));
        assert!(
            !said.is_empty() && said.iter().all(|s| !s.hides),
            "{said:?}"
        );
    }
}
