//! `incident tail`: print the last entries, then each new one as it lands.

use super::{Failure, output};
use crate::store::Store;
use crate::store::watch::{self, WatchMode};
use std::io::Write;
use std::sync::mpsc;

/// Changes straight from the kernel, or from the polling thread when
/// events are not available or polling was asked for.
enum Changes {
    Events(watch::DirEvents),
    Polled {
        rx: mpsc::Receiver<watch::Change>,
        _watch: watch::DirWatch,
    },
}

impl Changes {
    fn start(dir: &std::path::Path, mode: WatchMode) -> std::io::Result<Self> {
        if mode == WatchMode::Events
            && let Ok(events) = watch::DirEvents::new(dir)
        {
            return Ok(Changes::Events(events));
        }
        let (tx, rx) = mpsc::channel();
        let watch = watch::watch_dir(dir, mode, move |c| {
            let _ = tx.send(c);
        })?;
        Ok(Changes::Polled { rx, _watch: watch })
    }

    /// Block for a change, then take the rest of the burst; empty when
    /// the watch has ended.
    fn wait(&mut self, dir: &std::path::Path) -> Vec<watch::Change> {
        match self {
            Changes::Events(events) => match events.wait() {
                Ok(changes) => changes,
                // The kernel's queue cannot be read: check everything, and
                // poll from now on.
                Err(_) => match Changes::start(dir, WatchMode::Poll(watch::DEFAULT_POLL)) {
                    Ok(polled) => {
                        *self = polled;
                        vec![watch::Change::Rescan]
                    }
                    Err(_) => Vec::new(),
                },
            },
            Changes::Polled { rx, .. } => match rx.recv() {
                Ok(first) => std::iter::once(first).chain(rx.try_iter()).collect(),
                Err(_) => Vec::new(),
            },
        }
    }
}

pub fn run(
    store: &Store,
    id: Option<&str>,
    json: bool,
    lines: usize,
    mode: WatchMode,
) -> Result<(), Failure> {
    // Watch before loading, so nothing appended in between is missed.
    let mut changes = Changes::start(store.dir(), mode).map_err(|e| Failure {
        message: format!("cannot watch {}: {e}", store.dir().display()),
        code: 1,
    })?;
    let mut file = store.resolve(id)?;
    let path = file.path().to_path_buf();
    let log = &file.incident().log;
    let mut printed = log.len().saturating_sub(lines);
    let mut out = std::io::stdout().lock();
    loop {
        let log = &file.incident().log;
        for e in &log[printed..] {
            let line = if json {
                serde_json::to_string(e).expect("json")
            } else {
                output::entry_line(e)
            };
            if writeln!(out, "{line}").is_err() {
                return Ok(()); // Reader went away (`| head`).
            }
        }
        printed = log.len();
        if out.flush().is_err() {
            return Ok(());
        }
        // Block until this file (or everything) may have changed; a burst
        // is read at once, and reloaded once.
        loop {
            let burst = changes.wait(store.dir());
            if burst.is_empty() {
                return Ok(()); // The watch ended.
            }
            if burst.iter().any(|c| match c {
                watch::Change::File(p) => *p == path,
                watch::Change::Presence(_) => false,
                watch::Change::Rescan => true,
            }) {
                break;
            }
        }
        if let Err(e) = file.refresh() {
            eprintln!("incident tail: {}", crate::sanitize::line(&e.to_string()));
        }
    }
}
