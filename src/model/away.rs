//! Whether a role's holder is still with us: someone who has no live view
//! open is *away*, since their view last showed a sign of life or their last
//! write, whichever is later. Pure: the presence files are read elsewhere
//! (`store::presence`) and passed in.

use super::Incident;
use chrono::{DateTime, Utc};

/// Where someone stands, as far as the incident can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Away {
    /// A live view of theirs has the incident open.
    Here,
    /// No view open since then.
    Since(DateTime<Utc>),
}

impl Away {
    /// Minutes away at `now` (none while here).
    pub fn minutes(self, now: DateTime<Utc>) -> Option<i64> {
        match self {
            Away::Here => None,
            Away::Since(t) => Some((now - t).num_minutes().max(0)),
        }
    }

    /// "away 4m" ("away <1m" in the first minute; nothing while here).
    pub fn label(self, now: DateTime<Utc>) -> Option<String> {
        self.minutes(now).map(|m| format!("away {}", span(m)))
    }
}

/// How long someone has been away, for every surface: "4m", and "<1m"
/// in the first minute (not "0m", which reads as not away at all).
pub fn span(minutes: i64) -> String {
    if minutes < 1 {
        "<1m".into()
    } else {
        format!("{minutes}m")
    }
}

/// When `who` last did anything in `inc`: their last log entry (every
/// change is logged), or when they took the role they hold.
pub fn last_write(inc: &Incident, who: &str) -> Option<DateTime<Utc>> {
    let wrote = inc.log.iter().rev().find(|e| e.by == who).map(|e| e.at);
    let holds = inc
        .roles
        .values()
        .filter(|h| h.user == who)
        .map(|h| h.since)
        .max();
    wrote.max(holds)
}

/// A view that has given no sign of life for this long is not counted as
/// here even while its presence file is held: its process is stopped or
/// its terminal hung (a frozen SSH session), and it would block a takeover
/// forever. Live views renew their sign of life every 30 seconds.
pub const UNRESPONSIVE_SECS: i64 = 100;

/// Where `who` stands at `now`: `present` when a view of theirs has the
/// incident open; `seen` is the last sign of life of their views. A view
/// open but silent for [`UNRESPONSIVE_SECS`] counts as away since then.
pub fn away(
    inc: &Incident,
    who: &str,
    present: bool,
    seen: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Away {
    let responsive = seen.is_none_or(|t| (now - t).num_seconds() < UNRESPONSIVE_SECS);
    if present && responsive {
        return Away::Here;
    }
    Away::Since(last_write(inc, who).max(seen).unwrap_or(inc.declared_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_first_minute_away_is_under_a_minute_not_zero() {
        assert_eq!(span(-1), "<1m");
        assert_eq!(span(0), "<1m");
        assert_eq!(span(1), "1m");
        assert_eq!(span(24), "24m");
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap();
        let since = Away::Since(now - chrono::Duration::seconds(30));
        assert_eq!(since.label(now).as_deref(), Some("away <1m"));
        assert_eq!(Away::Here.label(now), None);
    }

    #[test]
    fn a_view_open_but_silent_is_away_since_its_last_sign_of_life() {
        let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap();
        let inc = Incident::declared("INC-1", "t", crate::model::Severity::Sev2, t0, "alice");
        let beat = t0 + chrono::Duration::minutes(2);
        // Beating: here.
        assert_eq!(
            away(
                &inc,
                "bob",
                true,
                Some(beat),
                beat + chrono::Duration::seconds(30)
            ),
            Away::Here
        );
        // Its process stopped (a hung SSH session): away since the beat.
        assert_eq!(
            away(
                &inc,
                "bob",
                true,
                Some(beat),
                beat + chrono::Duration::minutes(5)
            ),
            Away::Since(beat)
        );
        // No view at all: since the last write (here, the declaration).
        assert_eq!(away(&inc, "bob", false, None, beat), Away::Since(t0));
    }
}
