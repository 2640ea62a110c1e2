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

    /// "away 4m" (nothing while here).
    pub fn label(self, now: DateTime<Utc>) -> Option<String> {
        self.minutes(now).map(|m| format!("away {m}m"))
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

/// Where `who` stands: `present` when a view of theirs is open; `seen` is
/// the last sign of life of a view of theirs that is now closed.
pub fn away(inc: &Incident, who: &str, present: bool, seen: Option<DateTime<Utc>>) -> Away {
    if present {
        return Away::Here;
    }
    Away::Since(last_write(inc, who).max(seen).unwrap_or(inc.declared_at))
}
