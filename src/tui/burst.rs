//! Telling a paste from typing when the terminal does not say (no
//! bracketed paste: an old terminal, `tmux paste-buffer` without `-p`, a
//! mouse paste through some multiplexers): the pasted text arrives as
//! keys, its line breaks as Enter. Nobody types several keys a few
//! milliseconds apart, so keys stamped on arrival that close together
//! are a burst, and an Enter inside a burst is a line break of a paste,
//! never "send". Pure: the times are given.

use chrono::{DateTime, Duration, Utc};

/// Keys this close to the one before are part of a burst. The fastest
/// typing and key repeat leave 25 ms or more between keys; a paste
/// arrives in one read, microseconds apart.
pub const GAP: Duration = Duration::milliseconds(10);

/// An Enter is a paste's line break when it and the keys before it came
/// in a burst this long (it included): three keys and the Enter.
pub const PASTE_ENTER: u32 = 3;

/// Arrival times of the keys so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Burst {
    last: Option<DateTime<Utc>>,
    /// How many keys in a row, up to the last, each came within [`GAP`]
    /// of the one before.
    streak: u32,
}

impl Burst {
    /// Take in a key that arrived at `at`: how many keys in a row (this
    /// one included) came within [`GAP`] of the one before; 0 for a key
    /// that came after a pause (or a clock that went backwards).
    pub fn arrive(&mut self, at: DateTime<Utc>) -> u32 {
        let quick = self.last.is_some_and(|last| at >= last && at - last <= GAP);
        self.streak = if quick { self.streak + 1 } else { 0 };
        self.last = Some(at);
        self.streak
    }
}

/// A key with this streak (from [`Burst::arrive`]) is part of a paste.
pub fn in_burst(streak: u32) -> bool {
    streak > 0
}

/// An Enter with this streak breaks a pasted line rather than sending it.
pub fn is_paste_enter(streak: u32) -> bool {
    streak >= PASTE_ENTER
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::milliseconds(ms)
    }

    fn streaks(times: &[i64]) -> Vec<u32> {
        let mut b = Burst::default();
        times.iter().map(|t| b.arrive(at(*t))).collect()
    }

    #[test]
    fn typing_is_never_a_burst() {
        // 30 ms apart is faster than anyone types for long.
        assert_eq!(streaks(&[0, 30, 60, 90, 120]), [0, 0, 0, 0, 0]);
    }

    #[test]
    fn keys_milliseconds_apart_are_a_burst_and_its_enter_a_line_break() {
        let s = streaks(&[0, 1, 1, 2, 3]);
        assert_eq!(s, [0, 1, 2, 3, 4]);
        assert!(!in_burst(s[0]), "the first key cannot know");
        assert!(s[1..].iter().all(|s| in_burst(*s)));
        assert!(!is_paste_enter(s[2]), "two keys and an Enter is typing");
        assert!(is_paste_enter(s[3]));
    }

    #[test]
    fn a_pause_ends_the_burst() {
        let s = streaks(&[0, 1, 2, 3, 50, 51]);
        assert_eq!(s, [0, 1, 2, 3, 0, 1]);
        // Exactly the gap still counts; a hair over does not.
        assert_eq!(streaks(&[0, 10, 20]), [0, 1, 2]);
        assert_eq!(streaks(&[0, 11]), [0, 0]);
    }

    #[test]
    fn a_clock_going_backwards_is_not_a_burst() {
        assert_eq!(streaks(&[100, 99, 99]), [0, 0, 1]);
    }
}
