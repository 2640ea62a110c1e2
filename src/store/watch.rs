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

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::HashMap;
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
    _events: Option<RecommendedWatcher>,
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
        match event_watcher(dir, on_change.clone()) {
            Ok(w) => {
                return Ok(DirWatch {
                    _events: Some(w),
                    stop,
                    polling: false,
                });
            }
            Err(_) if dir.is_dir() => {} // Out of watches: poll instead.
            Err(e) => return Err(std::io::Error::other(e.to_string())),
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
        _events: None,
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

fn event_watcher<F>(dir: &Path, on_change: Arc<F>) -> notify::Result<RecommendedWatcher>
where
    F: Fn(Change) + Send + Sync + 'static,
{
    let mut w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
        Ok(ev) => {
            if ev.need_rescan() {
                on_change(Change::Rescan);
                return;
            }
            let relevant = match ev.kind {
                EventKind::Access(_) => false,
                EventKind::Modify(ModifyKind::Metadata(_)) => false,
                EventKind::Create(_)
                | EventKind::Modify(_)
                | EventKind::Remove(_)
                | EventKind::Any
                | EventKind::Other => true,
            };
            if relevant {
                for p in ev.paths {
                    if let Some(c) = classify(&p) {
                        on_change(c);
                    }
                }
            }
        }
        Err(_) => on_change(Change::Rescan),
    })?;
    w.watch(dir, RecursiveMode::NonRecursive)?;
    Ok(w)
}

type Stamp = (u64, u64, i64, i64);

fn poll_loop(
    dir: &Path,
    interval: Duration,
    mut seen: HashMap<PathBuf, Stamp>,
    stop: &AtomicBool,
    on_change: &dyn Fn(Change),
) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(interval);
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let now = scan(dir);
        for (path, stamp) in &now {
            if seen.get(path) != Some(stamp) {
                on_change(classify(path).expect("scanned"));
            }
        }
        for path in seen.keys().filter(|p| !now.contains_key(*p)) {
            on_change(classify(path).expect("scanned"));
        }
        seen = now;
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
