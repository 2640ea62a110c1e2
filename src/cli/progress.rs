//! "Reading 1,200 of 3,000 incidents…" on standard error, for the few
//! commands that read every incident ever written (`list --all`, `stats`,
//! `doctor`): shown only on a terminal and only once the reading has taken
//! a second, so scripts and quick runs see nothing.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long reading may take before it says so.
const QUIET_FOR: Duration = Duration::from_secs(1);

pub struct Progress {
    what: &'static str,
    started: Instant,
    shown: bool,
    last: Instant,
    terminal: bool,
}

impl Progress {
    pub fn new(what: &'static str) -> Self {
        let now = Instant::now();
        Progress {
            what,
            started: now,
            shown: false,
            last: now,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// `done` of `total` read so far.
    pub fn step(&mut self, done: usize, total: usize) {
        if !self.terminal || self.started.elapsed() < QUIET_FOR {
            return;
        }
        if self.shown && self.last.elapsed() < Duration::from_millis(100) && done < total {
            return;
        }
        self.last = Instant::now();
        self.shown = true;
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2Kreading {} {done} of {total}…", self.what);
        let _ = err.flush();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
