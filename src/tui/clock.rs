//! How times are shown: UTC or local, relative to "now" (passed in, so
//! rendering stays a pure function of state).

use chrono::{DateTime, Local, NaiveDate, Utc};

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub utc: bool,
}

impl Clock {
    pub fn day(&self, t: DateTime<Utc>) -> NaiveDate {
        if self.utc {
            t.date_naive()
        } else {
            t.with_timezone(&Local).date_naive()
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.day(self.now)
    }

    pub fn time(&self, t: DateTime<Utc>) -> String {
        if self.utc {
            t.format("%H:%M:%S").to_string()
        } else {
            t.with_timezone(&Local).format("%H:%M:%S").to_string()
        }
    }

    /// "03:12": a time of day to the minute.
    pub fn hm(&self, t: DateTime<Utc>) -> String {
        if self.utc {
            t.format("%H:%M").to_string()
        } else {
            t.with_timezone(&Local).format("%H:%M").to_string()
        }
    }

    pub fn zone(&self) -> &'static str {
        if self.utc { "UTC" } else { "local" }
    }

    /// "00:42:13", or "2d 03:04:05" past a day.
    pub fn elapsed(&self, since: DateTime<Utc>) -> String {
        Self::span(since, self.now)
    }

    /// The time from `from` to `to`, as [`Clock::elapsed`] shows it.
    pub fn span(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
        let s = (to - from).num_seconds().max(0);
        let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
        if d > 0 {
            format!("{d}d {h:02}:{m:02}:{sec:02}")
        } else {
            format!("{h:02}:{m:02}:{sec:02}")
        }
    }

    /// "42s", "7m", "2h05m", "3d04h": for ages in narrow columns.
    pub fn elapsed_short(&self, since: DateTime<Utc>) -> String {
        let s = (self.now - since).num_seconds().max(0);
        let (d, h, m) = (s / 86_400, s / 3600 % 24, s / 60 % 60);
        if d > 0 {
            format!("{d}d{h:02}h")
        } else if h > 0 {
            format!("{h}h{m:02}m")
        } else if m > 0 {
            format!("{m}m")
        } else {
            format!("{s}s")
        }
    }
}
