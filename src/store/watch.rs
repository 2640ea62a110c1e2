//! Learning promptly that another process appended to an incident: one
//! module, one stream of [`Change`]s, for the live view, `incident tail`,
//! `announce --wait` and the pause before a procedure.
//!
//! The directory is watched, not the file (a replaced file keeps its name,
//! not its inode), through `notify`: its recommended watcher for change
//! events (inotify on Linux, FSEvents on macOS), its `PollWatcher` when
//! polling is asked for (`--poll`, `INCIDENT_POLL`), or when change events
//! are not available (out of inotify watches). Only events that can mean
//! new bytes count: the open and close every reader causes are ignored, or
//! watchers would wake each other forever. There is no debounce delay: the
//! consumer drains whatever has queued and reloads once, which coalesces
//! bursts.
//!
//! On a shared (network or FUSE) file system another machine's writes
//! raise no event and sizes and times are this client's cache, so the
//! polling there also reads each incident file's end past the cache.

use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// What changed in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// This incident file may have new bytes (or appeared, or went away).
    File(PathBuf),
    /// Someone opened or closed this incident (presence file changed).
    Presence(String),
    /// The maintenance windows changed (`.maintenance/windows.json`: a
    /// window added or ended, on any box, or a page counted on one).
    Maintenance,
    /// Events may have been lost: re-check everything.
    Rescan,
}

/// How to learn about changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchMode {
    /// Kernel change events, falling back to polling if they are unavailable.
    Events,
    /// Look at every incident file on this interval (network file systems).
    Poll(Duration),
}

/// Interval used when events are unavailable or polling is asked for.
pub const DEFAULT_POLL: Duration = Duration::from_millis(500);

/// Interval chosen on its own for a shared (network or FUSE) file system:
/// another box's entry is on screen well within a second and a half.
pub const SHARED_POLL: Duration = Duration::from_millis(250);

impl WatchMode {
    /// `--poll` flag or `INCIDENT_POLL=1` (or a number of milliseconds).
    pub fn from_flag_and_env(flag: bool) -> Self {
        let env = std::env::var("INCIDENT_POLL")
            .ok()
            .filter(|v| !v.is_empty() && v != "0");
        match (flag, env) {
            (_, Some(v)) => match v.parse::<u64>() {
                Ok(ms) if ms > 1 => WatchMode::Poll(Duration::from_millis(ms)),
                _ => WatchMode::Poll(DEFAULT_POLL),
            },
            (true, None) => WatchMode::Poll(DEFAULT_POLL),
            (false, None) => WatchMode::Events,
        }
    }
}

/// A live watch on a directory; changes stop when it is dropped.
pub struct Watch {
    /// True when polling stands in for change events.
    pub polling: bool,
    follow: Follow,
    _backend: Backend,
}

/// The incident files a polling watch looks at beyond the hot ones (see
/// [`Watch::follow`]); shared with the thread that looks.
#[derive(Clone, Default)]
pub struct Follow(Arc<std::sync::Mutex<std::collections::BTreeSet<PathBuf>>>);

impl Follow {
    /// Look at this incident file too, hot or not (the one a view has
    /// open, after it ended: its post-mortem is still being written).
    pub fn add(&self, path: &Path) {
        if let Ok(mut set) = self.0.lock() {
            set.insert(path.to_path_buf());
        }
    }

    fn paths(&self) -> Vec<PathBuf> {
        self.0
            .lock()
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl Watch {
    /// The handle that adds incident files to look at (a polling watch
    /// looks at the hot incidents from the directory's index, not at
    /// every file ever written; change events cover the whole directory).
    pub fn follow(&self) -> Follow {
        self.follow.clone()
    }
}

enum Backend {
    Events {
        _watcher: Arc<std::sync::Mutex<notify::RecommendedWatcher>>,
    },
    Poll {
        /// Ends the thread that looks at each incident file's end.
        _ends: StopOnDrop,
    },
}

struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A watch whose changes arrive on a channel: `recv` and `recv_timeout`
/// give one burst at a time.
pub struct Changes {
    pub watch: Watch,
    rx: mpsc::Receiver<Change>,
}

impl Changes {
    /// Block until something changes; the whole burst. Empty once the
    /// watch has ended.
    pub fn recv(&self) -> Vec<Change> {
        match self.rx.recv() {
            Ok(first) => std::iter::once(first).chain(self.rx.try_iter()).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// As `recv`, waiting at most `timeout`: empty when nothing came.
    pub fn recv_timeout(&self, timeout: Duration) -> Vec<Change> {
        match self.rx.recv_timeout(timeout) {
            Ok(first) => std::iter::once(first).chain(self.rx.try_iter()).collect(),
            Err(mpsc::RecvTimeoutError::Timeout) => Vec::new(),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The watch is gone: behave like a slow poll.
                std::thread::sleep(timeout.min(DEFAULT_POLL));
                vec![Change::Rescan]
            }
        }
    }
}

/// Watch `dir`; changes arrive on the returned channel.
pub fn changes(dir: &Path, mode: WatchMode) -> std::io::Result<Changes> {
    let (tx, rx) = mpsc::channel();
    let watch = watch_dir(dir, mode, move |c| {
        let _ = tx.send(c);
    })?;
    Ok(Changes { watch, rx })
}

/// Watch `dir` for changes to incident files, calling `on_change` from
/// the watcher's thread.
pub fn watch_dir<F>(dir: &Path, mode: WatchMode, on_change: F) -> std::io::Result<Watch>
where
    F: Fn(Change) + Send + Sync + 'static,
{
    let on_change: Arc<dyn Fn(Change) + Send + Sync> = Arc::new(on_change);
    if mode == WatchMode::Events {
        match events(dir, on_change.clone()) {
            Ok(w) => {
                return Ok(Watch {
                    polling: false,
                    follow: Follow::default(),
                    _backend: Backend::Events { _watcher: w },
                });
            }
            Err(_) if dir.is_dir() => {} // Out of watches: poll instead.
            Err(e) => return Err(e),
        }
    }
    let interval = match mode {
        WatchMode::Poll(d) => d,
        WatchMode::Events => DEFAULT_POLL,
    };
    poll(dir, interval, on_change)
}

fn events(
    dir: &Path,
    on_change: Arc<dyn Fn(Change) + Send + Sync>,
) -> std::io::Result<Arc<std::sync::Mutex<notify::RecommendedWatcher>>> {
    type Shared = std::sync::Mutex<notify::RecommendedWatcher>;
    let windows = dir.join(super::maintenance::DIR);
    // The watcher, for its own events to reach (never kept alive by them).
    let itself: Arc<std::sync::OnceLock<std::sync::Weak<Shared>>> = Arc::default();
    let (folder, found) = (windows.clone(), itself.clone());
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        match res {
            Ok(ev) => {
                changes_of(&ev).into_iter().for_each(|c| on_change(c));
                // The windows' folder made after the watch began (by a
                // person who may write where this one may not): watched
                // from now on, off this thread (the watcher answers on
                // it), and the windows looked at again once it is.
                if ev.kind.is_create()
                    && ev.paths.contains(&folder)
                    && let Some(w) = found.get().cloned()
                {
                    let (folder, on_change) = (folder.clone(), on_change.clone());
                    let _ = std::thread::Builder::new()
                        .name("incident-watch".into())
                        .spawn(move || {
                            if let Some(w) = w.upgrade()
                                && let Ok(mut w) = w.lock()
                                && w.watch(&folder, RecursiveMode::NonRecursive).is_ok()
                            {
                                on_change(Change::Maintenance);
                            }
                        });
                }
            }
            // Whatever the queue held is unknown: check everything.
            Err(_) => on_change(Change::Rescan),
        }
    })
    .map_err(io_error)?;
    watcher
        .watch(dir, RecursiveMode::NonRecursive)
        .map_err(io_error)?;
    // The windows' folder too, when it is there (a view makes it before
    // it watches: see `store::maintenance::ensure_folder`); when it is
    // not, its making is seen in the directory, and it is watched then.
    if windows.is_dir() {
        let _ = watcher.watch(&windows, RecursiveMode::NonRecursive);
    }
    let watcher = Arc::new(std::sync::Mutex::new(watcher));
    let _ = itself.set(Arc::downgrade(&watcher));
    Ok(watcher)
}

fn poll(
    dir: &Path,
    interval: Duration,
    on_change: Arc<dyn Fn(Change) + Send + Sync>,
) -> std::io::Result<Watch> {
    // No listing of the directory on every look (notify's PollWatcher
    // lists it and reads every entry's times: a year of incidents is
    // thousands of them, on a shared file system each a round trip):
    // the incident files to look at come from the directory's index,
    // and each one's end is read (past the cache where shared), which
    // also sees an append within the same second as the last look.
    // The first look is taken before this returns, so a change made
    // right after is always seen as a change.
    let shared = super::medium::Medium::of_dir(dir).is_shared();
    let stop = Arc::new(AtomicBool::new(false));
    let follow = Follow::default();
    let mut ends = Ends::new(shared, follow.clone());
    ends.look(dir, &|_| {});
    let (dir, stop2) = (dir.to_path_buf(), stop.clone());
    // `INCIDENT_TEST_FAULT=watch`: the looking thread panics at its first
    // look, to show how a view ends on a bug in a thread of its own.
    let fault = std::env::var_os("INCIDENT_TEST_FAULT").is_some_and(|v| v == "watch");
    std::thread::Builder::new()
        .name("incident-ends".into())
        .spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                std::thread::sleep(interval);
                if fault {
                    panic!("a panic asked for by INCIDENT_TEST_FAULT=watch");
                }
                if !stop2.load(Ordering::Relaxed) {
                    ends.look(&dir, &*on_change);
                }
            }
        })?;
    Ok(Watch {
        polling: true,
        follow,
        _backend: Backend::Poll {
            _ends: StopOnDrop(stop),
        },
    })
}

fn io_error(e: notify::Error) -> std::io::Error {
    match e.kind {
        notify::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// The changes one `notify` event stands for.
fn changes_of(ev: &notify::Event) -> Vec<Change> {
    if ev.need_rescan() {
        return vec![Change::Rescan];
    }
    match ev.kind {
        // Every reader opens and closes: not news.
        EventKind::Access(_) => Vec::new(),
        _ => {
            let mut out: Vec<Change> = ev.paths.iter().filter_map(|p| classify(p)).collect();
            out.dedup();
            out
        }
    }
}

fn is_incident_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "jsonl")
}

fn classify(p: &Path) -> Option<Change> {
    if is_incident_file(p) {
        return Some(Change::File(p.to_path_buf()));
    }
    if super::maintenance::is_windows_path(p) {
        return Some(Change::Maintenance);
    }
    let name = p.file_name()?.to_str()?;
    super::presence::incident_of(name).map(|id| Change::Presence(id.to_string()))
}

/// Where each incident file ended when last looked at: its inode, size
/// and modification time on a local disk; on a shared file system (whose
/// sizes and times are this client's cache) its length read past the
/// cache.
struct Ends {
    shared: bool,
    seen: HashMap<PathBuf, End>,
    follow: Follow,
    /// The presence files of each incident looked at, last time.
    here: HashMap<String, Vec<std::ffi::OsString>>,
    /// Where the maintenance windows' file ended, last time (None: not there).
    windows: Option<End>,
}

struct End {
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    /// Shared file systems: the descriptor that reads past the cache.
    direct: Option<std::fs::File>,
}

impl Ends {
    fn new(shared: bool, follow: Follow) -> Self {
        Ends {
            shared,
            seen: HashMap::new(),
            follow,
            here: HashMap::new(),
            windows: None,
        }
    }

    /// The maintenance windows' file: one small file, looked at as an
    /// incident file is (replaced whole, so a new inode each change).
    fn look_at_windows(&mut self, dir: &Path, on_change: &dyn Fn(Change)) {
        let mut before = self.windows.take();
        let was = before.as_ref().map(|b| (b.ino, b.len, b.mtime));
        let path = super::maintenance::windows_path(dir);
        self.windows = self.end_of(&path, before.as_mut());
        if was != self.windows.as_ref().map(|e| (e.ino, e.len, e.mtime)) {
            on_change(Change::Maintenance);
        }
    }

    /// Someone opened or closed one of these incidents: its presence
    /// folder (`.here/<id>/`, a few names) holds other files than before.
    fn look_at_presence(&mut self, dir: &Path, ids: &[String], on_change: &dyn Fn(Change)) {
        let mut now = HashMap::new();
        for id in ids {
            let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(dir.join(".here").join(id))
                .map(|e| {
                    e.filter_map(|e| e.ok())
                        .map(|e| e.file_name())
                        .filter(|n| n.to_string_lossy().ends_with(".here"))
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            if self.here.get(id).is_some_and(|was| *was != names) {
                on_change(Change::Presence(id.clone()));
            }
            now.insert(id.clone(), names);
        }
        self.here = now;
    }

    /// The incident files to look at: the hot ones (from the directory's
    /// index, with any declared past it), the followed ones, and those
    /// looked at before, so one that ends is seen ending. Never a listing
    /// of the directory, whose cost grows with every incident ever
    /// written (and on a shared file system each look reads the file).
    fn paths(&self, dir: &Path) -> std::collections::BTreeSet<PathBuf> {
        let mut paths: std::collections::BTreeSet<PathBuf> = super::index::hot_ids(dir)
            .unwrap_or_default()
            .into_iter()
            .map(|id| dir.join(format!("{id}.jsonl")))
            .collect();
        paths.extend(self.follow.paths());
        paths.extend(self.seen.keys().cloned());
        paths
    }

    /// Look at each incident file of [`Ends::paths`]; report those that
    /// changed (appeared, grew, were replaced or went away).
    fn look(&mut self, dir: &Path, on_change: &dyn Fn(Change)) {
        if !dir.is_dir() {
            return;
        }
        let paths = self.paths(dir);
        let ids: Vec<String> = paths
            .iter()
            .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
            .collect();
        self.look_at_presence(dir, &ids, on_change);
        self.look_at_windows(dir, on_change);
        let mut now = HashMap::new();
        for path in paths {
            let mut before = self.seen.remove(&path);
            let was = before.as_ref().map(|b| (b.ino, b.len, b.mtime));
            let Some(end) = self.end_of(&path, before.as_mut()) else {
                if before.is_some() {
                    on_change(Change::File(path.clone())); // went away
                }
                continue;
            };
            let changed = was != Some((end.ino, end.len, end.mtime));
            if changed {
                on_change(Change::File(path.clone()));
            }
            now.insert(path, end);
        }
        for gone in std::mem::replace(&mut self.seen, now).into_keys() {
            on_change(Change::File(gone));
        }
    }

    fn end_of(&self, path: &Path, before: Option<&mut End>) -> Option<End> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(path).ok()?;
        let mut end = End {
            ino: meta.ino(),
            len: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            direct: None,
        };
        if self.shared {
            // Only the inode is trusted from the cache; the length is read.
            end.mtime = (0, 0);
            let (direct, from) = match before {
                Some(b) if b.ino == end.ino && b.direct.is_some() => (b.direct.take(), b.len),
                _ => (super::fs::direct::open(path), 0),
            };
            let direct = direct?;
            end.len = super::fs::direct::read_from(&direct, from).ok()?.1;
            end.direct = Some(direct);
        }
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("INC-1.jsonl");
        std::fs::write(&file, "{}\n").unwrap();
        (tmp, file)
    }

    fn append(file: &Path, bytes: &[u8]) {
        let mut f = std::fs::OpenOptions::new().append(true).open(file).unwrap();
        f.write_all(bytes).unwrap();
    }

    /// Changes until one satisfies `pred`, within 5 s.
    fn until(changes: &Changes, pred: impl Fn(&Change) -> bool) -> Vec<Change> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let mut seen = Vec::new();
        while std::time::Instant::now() < deadline {
            let burst = changes.recv_timeout(Duration::from_millis(100));
            let done = burst.iter().any(&pred);
            seen.extend(burst);
            if done {
                return seen;
            }
        }
        panic!("not seen within 5 s; saw {seen:?}");
    }

    #[test]
    fn polling_looks_at_the_hot_incidents_and_an_ended_one_once_followed() {
        use crate::model::{Actor, Severity, Status};
        use crate::ops::Op;
        let tmp = tempfile::tempdir().unwrap();
        let store = crate::store::Store::new(tmp.path());
        let me = Actor::named("alice");
        let mut ended = store.declare(&me, "Ended", Severity::Sev2).unwrap();
        ended
            .commit(
                &me,
                Op::SetStatus {
                    status: Status::Resolved,
                    force: true,
                    keep_freeze: false,
                },
            )
            .unwrap();
        let hot = store.declare(&me, "Live", Severity::Sev1).unwrap();
        let changes = changes(tmp.path(), WatchMode::Poll(Duration::from_millis(50))).unwrap();
        // The live one is looked at.
        append(hot.path(), b"\n");
        until(&changes, |c| *c == Change::File(hot.path().to_path_buf()));
        // The ended one only once followed (a view has it open).
        changes.watch.follow().add(ended.path());
        std::thread::sleep(Duration::from_millis(200));
        let _ = changes.recv_timeout(Duration::from_millis(100));
        append(ended.path(), b"\n");
        until(&changes, |c| *c == Change::File(ended.path().to_path_buf()));
    }

    #[test]
    fn an_append_is_a_change_to_that_file_and_a_reader_is_none() {
        let (tmp, file) = setup();
        let changes = changes(tmp.path(), WatchMode::Events).unwrap();
        assert!(!changes.watch.polling);
        // Another watcher reading the file must not wake anyone, or
        // watchers would wake each other forever.
        let mut text = String::new();
        std::fs::File::open(&file)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert!(
            changes.recv_timeout(Duration::from_millis(200)).is_empty(),
            "a read is not a change"
        );
        append(&file, b"{\"more\":1}\n");
        until(&changes, |c| *c == Change::File(file.clone()));
    }

    #[test]
    fn presence_new_files_and_replacements_are_seen_and_checkpoints_are_not() {
        let (tmp, file) = setup();
        let changes = changes(tmp.path(), WatchMode::Events).unwrap();
        std::fs::write(tmp.path().join(".INC-1.checkpoint"), "x").unwrap();
        assert!(
            changes.recv_timeout(Duration::from_millis(200)).is_empty(),
            "a checkpoint is not news"
        );
        std::fs::write(tmp.path().join(".INC-1.4242.box.here"), "").unwrap();
        until(&changes, |c| *c == Change::Presence("INC-1".into()));
        let other = tmp.path().join("INC-2.jsonl");
        std::fs::write(&other, "{}\n").unwrap();
        until(&changes, |c| *c == Change::File(other.clone()));
        // A file replaced by rename (as `doctor --repair` does).
        let staged = tmp.path().join(".staged");
        std::fs::write(&staged, "{}\n").unwrap();
        std::fs::rename(&staged, &file).unwrap();
        until(&changes, |c| *c == Change::File(file.clone()));
    }

    #[test]
    fn polling_sees_an_append_made_right_after_it_starts() {
        let (tmp, file) = setup();
        let changes = changes(tmp.path(), WatchMode::Poll(Duration::from_millis(50))).unwrap();
        assert!(changes.watch.polling);
        append(&file, b"{}\n");
        until(&changes, |c| *c == Change::File(file.clone()));
    }

    #[test]
    fn a_change_to_the_maintenance_windows_is_seen_polling_and_by_events() {
        let add = |dir: &Path, service: &str| {
            let now = chrono::Utc::now();
            let until = now + chrono::Duration::hours(1);
            crate::store::maintenance::add(dir, "carol", service, "upgrade", until, now, &|s| {
                s.to_string()
            })
            .unwrap();
        };
        // Polling: the folder need not be there when it starts.
        let (tmp, _file) = setup();
        let polled = changes(tmp.path(), WatchMode::Poll(Duration::from_millis(50))).unwrap();
        add(tmp.path(), "payments");
        until(&polled, |c| *c == Change::Maintenance);
        add(tmp.path(), "search");
        until(&polled, |c| *c == Change::Maintenance);
        // Change events: the folder a view makes before it watches.
        let (tmp, _file) = setup();
        crate::store::maintenance::ensure_folder(tmp.path()).unwrap();
        let events = changes(tmp.path(), WatchMode::Events).unwrap();
        assert!(!events.watch.polling);
        add(tmp.path(), "payments");
        until(&events, |c| *c == Change::Maintenance);
        let _ = events.recv_timeout(Duration::from_millis(100));
        add(tmp.path(), "search");
        until(&events, |c| *c == Change::Maintenance);
    }

    #[test]
    fn windows_folder_made_after_the_watch_began_is_watched_from_then() {
        // Someone who may write where this view may not makes the folder
        // with the first window: each window after it is seen too.
        let (tmp, _file) = setup();
        let events = changes(tmp.path(), WatchMode::Events).unwrap();
        assert!(!events.watch.polling);
        for service in ["payments", "search", "cart"] {
            let now = chrono::Utc::now();
            let end = now + chrono::Duration::hours(1);
            crate::store::maintenance::add(
                tmp.path(),
                "carol",
                service,
                "upgrade",
                end,
                now,
                &|s| s.to_string(),
            )
            .unwrap();
            until(&events, |c| *c == Change::Maintenance);
            // Whatever else this window's writing said.
            std::thread::sleep(Duration::from_millis(200));
            let _ = events.rx.try_iter().count();
        }
    }

    #[test]
    fn a_dropped_watch_ends_its_channel() {
        for mode in [
            WatchMode::Events,
            WatchMode::Poll(Duration::from_millis(50)),
        ] {
            let (tmp, _file) = setup();
            let (tx, rx) = mpsc::channel();
            let watch = watch_dir(tmp.path(), mode, move |c| {
                let _ = tx.send(c);
            })
            .unwrap();
            drop(watch);
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            loop {
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    _ => assert!(
                        std::time::Instant::now() < deadline,
                        "{mode:?}: the watcher let go of its callback"
                    ),
                }
            }
        }
    }
}
