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
        let now = Instant::now();
        let Some(line) = self.line(done, total, now) else {
            return;
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    }

    /// What to show at `now` for `done` of `total`, if anything: nothing
    /// off a terminal or in the first second, then at most ten lines a
    /// second, and always the last.
    fn line(&mut self, done: usize, total: usize, now: Instant) -> Option<String> {
        if !self.terminal || now.duration_since(self.started) < QUIET_FOR {
            return None;
        }
        if self.shown && now.duration_since(self.last) < Duration::from_millis(100) && done < total
        {
            return None;
        }
        self.last = now;
        self.shown = true;
        Some(format!("reading {} {done} of {total}…", self.what))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn on_terminal() -> (Progress, Instant) {
        let mut p = Progress::new("incidents");
        p.terminal = true;
        let t0 = p.started;
        (p, t0)
    }

    #[test]
    fn a_long_read_says_how_far_it_is_after_a_second_and_a_quick_one_says_nothing() {
        let (mut p, t0) = on_terminal();
        let ms = |n| t0 + Duration::from_millis(n);
        assert_eq!(p.line(10, 3001, ms(500)), None, "quiet in the first second");
        assert_eq!(
            p.line(1670, 3001, ms(1000)).as_deref(),
            Some("reading incidents 1670 of 3001…")
        );
        assert_eq!(
            p.line(1680, 3001, ms(1050)),
            None,
            "ten lines a second at most"
        );
        assert_eq!(
            p.line(1700, 3001, ms(1150)).as_deref(),
            Some("reading incidents 1700 of 3001…")
        );
        assert_eq!(
            p.line(3001, 3001, ms(1160)).as_deref(),
            Some("reading incidents 3001 of 3001…"),
            "the last is always shown"
        );
        assert!(p.shown, "so the line is cleared when done");
    }

    #[test]
    fn scripts_never_see_it() {
        let (mut p, t0) = on_terminal();
        p.terminal = false;
        assert_eq!(p.line(1, 3001, t0 + Duration::from_secs(30)), None);
        assert!(!p.shown);
    }
}
