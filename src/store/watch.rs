//! Learning promptly that another process appended to an incident.
//!
//! The directory is watched, not the file (a replaced file keeps its name,
//! not its inode). Only events that can mean new bytes count: the
//! open/access/close events every reader causes are ignored, or watchers
//! would wake each other forever. There is no debounce delay: the consumer
//! drains whatever has queued and reloads once, which coalesces bursts. When
//! change events are not available (inotify watches exhausted, or a network
//! file system where other machines' writes raise no event) a cheap stat
//! poll stands in.
//!
//! The kernel's events are read by `DirEvents`, in one of two ways: by the
//! thread that waits for the change itself (the live view's loop,
//! `incident tail`), so a new line wakes that thread straight from the
//! kernel; or by a background thread that calls back (`watch_dir`).

use std::collections::HashMap;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What changed in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// This incident file may have new bytes (or appeared, or went away).
    File(PathBuf),
    /// Someone opened or closed this incident (presence file changed).
    Presence(String),
    /// Events may have been lost: re-check everything.
    Rescan,
}

/// How to learn about changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchMode {
    /// Kernel change events, falling back to polling if they are unavailable.
    Events,
    /// Stat every incident file on this interval (network file systems).
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

/// A live watch; changes stop when it is dropped.
pub struct DirWatch {
    /// Closed on drop: wakes the event thread to end.
    _wake: Option<std::os::unix::net::UnixStream>,
    stop: Arc<AtomicBool>,
    /// True when polling stands in for change events.
    pub polling: bool,
}

impl Drop for DirWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Watch `dir` for changes to incident files, calling `on_change` from a
/// background thread.
pub fn watch_dir<F>(dir: &Path, mode: WatchMode, on_change: F) -> std::io::Result<DirWatch>
where
    F: Fn(Change) + Send + Sync + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let on_change = Arc::new(on_change);
    if mode == WatchMode::Events {
        match DirEvents::new(dir) {
            Ok(events) => {
                let (wake, woken) = std::os::unix::net::UnixStream::pair()?;
                let (dir, stop2, on_change) = (dir.to_path_buf(), stop.clone(), on_change.clone());
                std::thread::Builder::new()
                    .name("incident-watch".into())
                    .spawn(move || event_loop(events, &woken, &dir, &stop2, &*on_change))?;
                return Ok(DirWatch {
                    _wake: Some(wake),
                    stop,
                    polling: false,
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
    let dir = dir.to_path_buf();
    let stop2 = stop.clone();
    // The first snapshot is taken before returning, so a change made right
    // after `watch_dir` returns is always seen as a change.
    let first = scan(&dir);
    std::thread::Builder::new()
        .name("incident-poll".into())
        .spawn(move || poll_loop(&dir, interval, first, &stop2, &*on_change))?;
    Ok(DirWatch {
        _wake: None,
        stop,
        polling: true,
    })
}

fn is_incident_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "jsonl")
}

fn classify(p: &Path) -> Option<Change> {
    if is_incident_file(p) {
        return Some(Change::File(p.to_path_buf()));
    }
    let name = p.file_name()?.to_str()?;
    super::presence::incident_of(name).map(|id| Change::Presence(id.to_string()))
}

/// Call back with each burst of events until the watch is dropped (`woken`
/// closes). If the queue cannot be read, everything is checked once and
/// polling takes over.
fn event_loop(
    mut events: DirEvents,
    woken: &std::os::unix::net::UnixStream,
    dir: &Path,
    stop: &AtomicBool,
    on_change: &dyn Fn(Change),
) {
    loop {
        match events.wait_or(Some(woken.as_fd())) {
            Ok(Some(changes)) => changes.into_iter().for_each(on_change),
            Ok(None) => return,
            Err(_) => {
                on_change(Change::Rescan);
                return poll_loop(dir, DEFAULT_POLL, scan(dir), stop, on_change);
            }
        }
    }
}

/// The directory's change events, read on the thread that waits for them.
pub struct DirEvents {
    inotify: inotify::Inotify,
    dir: PathBuf,
    buf: Vec<u8>,
}

impl DirEvents {
    /// Start watching `dir`. Fails when change events are not available
    /// (out of inotify watches); the caller then polls (`watch_dir`).
    pub fn new(dir: &Path) -> std::io::Result<Self> {
        use inotify::WatchMask as M;
        let inotify = inotify::Inotify::init()?;
        // Only what can mean new bytes, or a file appearing or going:
        // not the open, read and close every reader causes.
        inotify.watches().add(
            dir,
            M::MODIFY
                | M::CREATE
                | M::DELETE
                | M::MOVED_FROM
                | M::MOVED_TO
                | M::DELETE_SELF
                | M::MOVE_SELF,
        )?;
        Ok(DirEvents {
            inotify,
            dir: dir.to_path_buf(),
            buf: vec![0; 16 * 1024],
        })
    }

    /// Everything queued, read to the end, without waiting: empty when
    /// nothing is. An error means the queue cannot be read: whatever it
    /// held is unknown, so the caller checks everything and stops relying
    /// on it (`watch_dir` polls instead).
    pub fn drain(&mut self) -> std::io::Result<Vec<Change>> {
        use inotify::EventMask as E;
        let mut out = Vec::new();
        loop {
            let events = match self.inotify.read_events(&mut self.buf) {
                Ok(events) => events,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            for ev in events {
                if ev
                    .mask
                    .intersects(E::Q_OVERFLOW | E::DELETE_SELF | E::MOVE_SELF | E::IGNORED)
                {
                    // Events were lost, or the directory itself went.
                    out.push(Change::Rescan);
                } else if let Some(c) = ev.name.and_then(|n| classify(&self.dir.join(n))) {
                    out.push(c);
                }
            }
        }
        out.dedup();
        Ok(out)
    }

    /// Block until something changes; what changed. An error as `drain`.
    pub fn wait(&mut self) -> std::io::Result<Vec<Change>> {
        Ok(self.wait_or(None)?.unwrap_or_default())
    }

    /// As `wait`, but `None` as soon as `stop` is readable or closed.
    fn wait_or(&mut self, stop: Option<BorrowedFd<'_>>) -> std::io::Result<Option<Vec<Change>>> {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        loop {
            let changes = self.drain()?;
            if !changes.is_empty() {
                return Ok(Some(changes));
            }
            let mut fds = vec![PollFd::new(self.inotify.as_fd(), PollFlags::POLLIN)];
            fds.extend(stop.map(|s| PollFd::new(s, PollFlags::POLLIN)));
            match poll(&mut fds, PollTimeout::NONE) {
                Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                Err(e) => return Err(e.into()),
            }
            if fds
                .get(1)
                .and_then(PollFd::revents)
                .is_some_and(|r| !r.is_empty())
            {
                return Ok(None);
            }
        }
    }
}

impl std::os::fd::AsRawFd for DirEvents {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.inotify.as_raw_fd()
    }
}

type Stamp = (u64, u64, i64, i64);

fn poll_loop(
    dir: &Path,
    interval: Duration,
    mut seen: HashMap<PathBuf, Stamp>,
    stop: &AtomicBool,
    on_change: &dyn Fn(Change),
) {
    // On a shared file system sizes and times are this client's cache, a
    // second or more behind another machine's writes: each incident
    // file's end is read past the cache instead.
    let mut ends = super::medium::Medium::of_dir(dir)
        .is_shared()
        .then(HashMap::<PathBuf, (Option<std::fs::File>, u64)>::new);
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(interval);
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let now = scan(dir);
        for (path, stamp) in &now {
            if let Some(ends) = ends.as_mut()
                && seen.get(path).map(|s| s.0) != Some(stamp.0)
            {
                ends.remove(path); // Replaced: follow the new file.
            }
            let grew = ends
                .as_mut()
                .is_some_and(|ends| is_incident_file(path) && grew_past_cache(ends, path));
            if grew || seen.get(path) != Some(stamp) {
                on_change(classify(path).expect("scanned"));
            }
        }
        for path in seen.keys().filter(|p| !now.contains_key(*p)) {
            on_change(classify(path).expect("scanned"));
        }
        seen = now;
    }
}

/// Whether the file at `path` has more bytes than when last asked, read
/// past this client's cache.
fn grew_past_cache(ends: &mut HashMap<PathBuf, (Option<std::fs::File>, u64)>, path: &Path) -> bool {
    let (file, end) = ends
        .entry(path.to_path_buf())
        .or_insert_with(|| (super::fs::direct::open(path), 0));
    let Some(f) = file.as_ref() else { return false };
    match super::fs::direct::read_from(f, *end) {
        Ok((_, len)) if len != *end => {
            *end = len;
            true
        }
        Ok(_) => false,
        Err(_) => {
            // Replaced or gone: open it afresh next time.
            *file = None;
            ends.remove(path);
            true
        }
    }
}

/// (inode, size, mtime seconds, mtime nanoseconds) of every incident file.
fn scan(dir: &Path) -> HashMap<PathBuf, Stamp> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashMap::new();
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| classify(p).is_some())
        .filter_map(|p| {
            let m = std::fs::symlink_metadata(&p).ok()?;
            Some((p, (m.ino(), m.size(), m.mtime(), m.mtime_nsec())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn setup() -> (tempfile::TempDir, PathBuf, DirEvents) {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("INC-1.jsonl");
        std::fs::write(&file, "{}\n").unwrap();
        let events = DirEvents::new(tmp.path()).unwrap();
        (tmp, file, events)
    }

    #[test]
    fn an_append_is_a_change_to_that_file_and_a_reader_is_none() {
        let (_tmp, file, mut events) = setup();
        assert!(events.drain().unwrap().is_empty(), "nothing yet");
        // Another watcher reading the file must not wake anyone, or
        // watchers would wake each other forever.
        let mut text = String::new();
        std::fs::File::open(&file)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert!(events.drain().unwrap().is_empty(), "a read is not a change");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        f.write_all(b"{\"more\":1}\n").unwrap();
        assert_eq!(events.drain().unwrap(), vec![Change::File(file.clone())]);
    }

    #[test]
    fn presence_new_files_and_replacements_are_seen_and_checkpoints_are_not() {
        let (tmp, file, mut events) = setup();
        std::fs::write(tmp.path().join(".INC-1.checkpoint"), "x").unwrap();
        assert!(
            events.drain().unwrap().is_empty(),
            "a checkpoint is not news"
        );
        std::fs::write(tmp.path().join(".INC-1.4242.box.here"), "").unwrap();
        let seen = events.drain().unwrap();
        assert!(
            seen.contains(&Change::Presence("INC-1".into())),
            "presence: {seen:?}"
        );
        let other = tmp.path().join("INC-2.jsonl");
        std::fs::write(&other, "{}\n").unwrap();
        assert!(events.drain().unwrap().contains(&Change::File(other)));
        // A file replaced by rename (as `doctor --repair` does).
        let staged = tmp.path().join(".staged");
        std::fs::write(&staged, "{}\n").unwrap();
        std::fs::rename(&staged, &file).unwrap();
        assert!(events.drain().unwrap().contains(&Change::File(file)));
    }

    #[test]
    fn wait_returns_when_another_thread_appends() {
        let (_tmp, file, mut events) = setup();
        let writer = {
            let file = file.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&file)
                    .unwrap();
                f.write_all(b"{}\n").unwrap();
            })
        };
        assert_eq!(events.wait().unwrap(), vec![Change::File(file)]);
        writer.join().unwrap();
    }

    /// Threads of this process with `name`.
    fn threads_named(name: &str) -> usize {
        std::fs::read_dir("/proc/self/task")
            .unwrap()
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
            .filter(|comm| comm.trim() == name)
            .count()
    }

    #[test]
    fn a_watch_calls_back_on_an_append_and_its_thread_ends_when_dropped() {
        let (_tmp, file, _) = setup();
        let dir = file.parent().unwrap().to_path_buf();
        let before = threads_named("incident-watch");
        let (tx, rx) = std::sync::mpsc::channel();
        let watch = watch_dir(&dir, WatchMode::Events, move |c| {
            let _ = tx.send(c);
        })
        .unwrap();
        assert!(!watch.polling);
        // The thread names itself once it runs, which may be a little
        // after `watch_dir` returns.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while threads_named("incident-watch") < before + 1 {
            assert!(std::time::Instant::now() < deadline, "the thread started");
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        f.write_all(b"{}\n").unwrap();
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)).unwrap(),
            Change::File(file)
        );
        drop(watch);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while threads_named("incident-watch") > before {
            assert!(std::time::Instant::now() < deadline, "the thread ended");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
