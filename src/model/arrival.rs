//! What someone opening an incident is told first: what changed since
//! they left (a catch-up), or, the first time they open it, the handover
//! brief. Pure: presence (`store::presence`) is read elsewhere and passed in.

use super::Incident;
use super::brief::{Brief, brief};
use super::catchup::{CatchUp, catch_up};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// Away for less than this, the view opens straight away: nothing much
/// can have been missed. The same holds for an incident younger than this
/// opened for the first time.
pub const AWAY_MINUTES: i64 = 10;

/// A catch-up or a brief; as JSON, one object with `"kind": "catchup"` or
/// `"kind": "brief"` beside the fields of either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Arrival {
    Catchup(CatchUp),
    Brief(Brief),
}

impl Arrival {
    /// Without the requests nobody waits on any more (`stale`: their
    /// asker's waiting process is gone, as presence says): a go would
    /// clear nothing, so they are not put to the reader as waiting for
    /// them. (The Waiting pane and `incident show` name them stale.)
    pub fn without_stale(mut self, stale: &std::collections::BTreeSet<u64>) -> Self {
        if stale.is_empty() {
            return self;
        }
        let waiting = match &mut self {
            Arrival::Catchup(c) => &mut c.waiting,
            Arrival::Brief(b) => &mut b.waiting,
        };
        waiting.retain(|w| {
            w.kind != super::catchup::Wait::Go || !stale.iter().any(|id| w.what == format!("R{id}"))
        });
        self
    }
}

/// When `me` left `inc`: the later of their last log entry and the last
/// sign of life of their views (`seen`). None: they have never been in it.
pub fn left_at(inc: &Incident, me: &str, seen: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    let wrote = inc.log.iter().rev().find(|e| e.by == me).map(|e| e.at);
    wrote.max(seen)
}

/// What to show `me` on opening `inc` at `now`: `here` when a view of
/// theirs is already open (nothing to catch up on), `left` from
/// [`left_at`]. A catch-up after [`AWAY_MINUTES`] away; the brief on a
/// first visit to an incident at least that old; else nothing.
pub fn on_opening(
    inc: &Incident,
    me: &str,
    here: bool,
    left: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<Arrival> {
    let long = |t: DateTime<Utc>| now - t >= Duration::minutes(AWAY_MINUTES);
    match left {
        _ if here => None,
        Some(t) if long(t) => Some(Arrival::Catchup(catch_up(inc, t, true, me, now))),
        Some(_) => None,
        None if long(inc.declared_at) => Some(Arrival::Brief(brief(inc, me, now))),
        None => None,
    }
}

/// What `incident catchup` prints: the changes since `since` when given,
/// else since `me` left (`left`, however long ago), else the brief.
pub fn on_request(
    inc: &Incident,
    me: &str,
    since: Option<DateTime<Utc>>,
    left: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Arrival {
    match (since, left) {
        (Some(t), _) => Arrival::Catchup(catch_up(inc, t, false, me, now)),
        (None, Some(t)) => Arrival::Catchup(catch_up(inc, t, true, me, now)),
        (None, None) => Arrival::Brief(brief(inc, me, now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Incident, Severity};
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn inc() -> Incident {
        let decl = crate::ops::Record {
            at: t(0),
            by: crate::model::Actor::named("alice"),
            op: crate::ops::Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        };
        crate::ops::genesis("INC-7", &decl).unwrap()
    }

    #[test]
    fn left_is_the_later_of_the_last_write_and_the_last_sign_of_life() {
        let inc = inc();
        assert_eq!(left_at(&inc, "alice", None), Some(t(0)));
        assert_eq!(left_at(&inc, "alice", Some(t(12))), Some(t(12)));
        assert_eq!(left_at(&inc, "bob", Some(t(5))), Some(t(5)));
        assert_eq!(left_at(&inc, "bob", None), None);
    }

    #[test]
    fn opening_shows_a_catch_up_after_ten_minutes_away_and_the_brief_the_first_time() {
        let inc = inc();
        let kind = |a: Option<Arrival>| match a {
            Some(Arrival::Catchup(c)) => format!("catchup since {}", c.since.format("%H:%M")),
            Some(Arrival::Brief(_)) => "brief".into(),
            None => "nothing".into(),
        };
        // alice wrote at 03:00: at 03:09 straight in, at 03:10 caught up.
        assert_eq!(
            kind(on_opening(&inc, "alice", false, Some(t(0)), t(9))),
            "nothing"
        );
        assert_eq!(
            kind(on_opening(&inc, "alice", false, Some(t(0)), t(10))),
            "catchup since 03:00"
        );
        // Another view of hers is open: she never left.
        assert_eq!(
            kind(on_opening(&inc, "alice", true, Some(t(0)), t(40))),
            "nothing"
        );
        // bob was never in: the brief, once the incident is ten minutes old.
        assert_eq!(kind(on_opening(&inc, "bob", false, None, t(4))), "nothing");
        assert_eq!(kind(on_opening(&inc, "bob", false, None, t(10))), "brief");
    }

    #[test]
    fn asking_gives_the_catch_up_however_short_the_absence_or_the_brief_if_never_in() {
        let inc = inc();
        let Arrival::Catchup(c) = on_request(&inc, "alice", None, Some(t(0)), t(2)) else {
            panic!("alice was in")
        };
        assert!(c.left && c.since == t(0));
        let Arrival::Catchup(c) = on_request(&inc, "bob", Some(t(1)), None, t(2)) else {
            panic!("a time was given")
        };
        assert!(!c.left && c.since == t(1));
        assert!(matches!(
            on_request(&inc, "bob", None, None, t(2)),
            Arrival::Brief(_)
        ));
    }

    #[test]
    fn as_json_each_says_which_it_is() {
        let inc = inc();
        let v = serde_json::to_value(on_request(&inc, "bob", None, None, t(2))).unwrap();
        assert_eq!(v["kind"], "brief");
        assert_eq!(v["id"], "INC-7");
        let v = serde_json::to_value(on_request(&inc, "alice", None, Some(t(0)), t(2))).unwrap();
        assert_eq!(v["kind"], "catchup");
        assert_eq!(v["since"], "2026-12-01T03:00:00Z");
    }
}
