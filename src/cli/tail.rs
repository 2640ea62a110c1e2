//! `incident tail`: print the last entries, then each new one as it lands.

use super::{Failure, output};
use crate::store::Store;
use crate::store::watch::{self, WatchMode};
use std::io::Write;

pub fn run(
    store: &Store,
    id: Option<&str>,
    json: bool,
    lines: usize,
    mode: WatchMode,
) -> Result<(), Failure> {
    // Watch before loading, so nothing appended in between is missed.
    let changes = watch::changes(store.dir(), mode).map_err(|e| Failure {
        message: format!("cannot watch {}: {e}", store.dir().display()),
        code: 1,
    })?;
    let mut file = store.resolve(id)?;
    let path = file.path().to_path_buf();
    // Polling looks at the hot incidents; this one may have ended.
    changes.watch.follow().add(&path);
    let log = &file.incident().log;
    let mut printed = log.len().saturating_sub(lines);
    let mut out = std::io::stdout().lock();
    loop {
        let log = &file.incident().log;
        for e in &log[printed..] {
            let line = if json {
                serde_json::to_string(e).expect("json")
            } else if file.incident().is_drill() {
                // Never mistaken for the real thing, line by line.
                format!("DRILL {}", output::entry_line(e))
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
            let burst = changes.recv();
            if burst.is_empty() {
                return Ok(()); // The watch ended.
            }
            if burst.iter().any(|c| match c {
                watch::Change::File(p) => *p == path,
                watch::Change::Presence(_) | watch::Change::Maintenance => false,
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
