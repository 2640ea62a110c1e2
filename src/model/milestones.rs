//! The moments the post-mortem measures from, and the durations between
//! them. Some are known as they happen (declared, mitigated, resolved come
//! from the status changes; detected and acknowledged from the page), and
//! any may be set by hand later, because the truth is often known later
//! (impact started at 05:38, an hour before anyone was paged).

use super::{Incident, Milestone};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A milestone set by hand: when, by whom, and why that time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneSet {
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The page that started it: what fired, where, when, and who
/// acknowledged it. Times are the pager's own (the alert's start, the
/// ack's own time) once checked by [`from_the_pager`]; when the page and
/// the ack arrived is kept beside them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    pub source: String,
    pub title: String,
    /// Detected: when the alert started, as its source says, or when the
    /// page arrived if the source did not say or could not be trusted.
    pub at: DateTime<Utc>,
    /// When the first page arrived (was written to the log).
    #[serde(default)]
    pub arrived_at: DateTime<Utc>,
    /// The alert's de-duplication key: a later page of the same alert
    /// that started earlier moves `at` earlier (never later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The ack's own time at the pager (or its arrival, as above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When that acknowledgement arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_arrived_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_by: Option<String>,
    /// The service the page marked failing, when it named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Times the pager gave that were not believed ("the alert's start
    /// time 2031-01-01 00:00 UTC is in the future; using the arrival
    /// time").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A page's own times, as the pager gives them (not yet checked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagerTimes {
    /// When the alert started (`startsAt`, `created_at`, `createdAt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    /// When this event happened at the pager (PagerDuty's `occurred_at`,
    /// Opsgenie's `updatedAt`): an ack's own time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<DateTime<Utc>>,
}

impl PagerTimes {
    /// Boxed, or None when the pager gave neither time.
    pub fn boxed(
        started_at: Option<DateTime<Utc>>,
        occurred_at: Option<DateTime<Utc>>,
    ) -> Option<Box<PagerTimes>> {
        (started_at.is_some() || occurred_at.is_some()).then(|| {
            Box::new(PagerTimes {
                started_at,
                occurred_at,
            })
        })
    }
}

/// How far ahead of the arrival a pager's time may be and still be put
/// down to clocks that differ: within it, the arrival time is used
/// without a note (nothing happens after it is reported).
pub const PAGER_CLOCK_SKEW: Duration = Duration::minutes(5);

/// How far before the arrival a pager's time may be and still be
/// believed: an alert older than a week is a stale or broken time.
pub const PAGER_MAX_AGE: Duration = Duration::days(7);

/// The time to use for a time the pager gave (`claimed`, the alert's
/// start or an ack's own time) for a page that arrived at `arrived`, and
/// a note when it was not believed. `what` names it for the note ("the
/// alert's start time").
///
/// - not given: the arrival, no note;
/// - after the arrival, within [`PAGER_CLOCK_SKEW`]: the arrival, no note;
/// - later than that: the arrival, "... is in the future; using the
///   arrival time";
/// - more than [`PAGER_MAX_AGE`] before the arrival: the arrival, "... is
///   more than 7 days before the page arrived; using the arrival time";
/// - otherwise the pager's own time.
pub fn from_the_pager(
    claimed: Option<DateTime<Utc>>,
    arrived: DateTime<Utc>,
    what: &str,
) -> (DateTime<Utc>, Option<String>) {
    let Some(claimed) = claimed else {
        return (arrived, None);
    };
    let shown = claimed.format("%Y-%m-%d %H:%M:%S UTC");
    if claimed > arrived + PAGER_CLOCK_SKEW {
        let note = format!("{what} {shown} is in the future; using the arrival time");
        return (arrived, Some(note));
    }
    if claimed > arrived {
        return (arrived, None);
    }
    if claimed < arrived - PAGER_MAX_AGE {
        let note = format!(
            "{what} {shown} is more than {} days before the page arrived; using the arrival time",
            PAGER_MAX_AGE.num_days()
        );
        return (arrived, Some(note));
    }
    (claimed, None)
}

/// "7 minutes", "1 minute", "2 hours 5 minutes", "40 seconds": a duration
/// in words, for sentences.
pub fn spoken(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => unit(s, "second"),
        (0, m) => unit(m, "minute"),
        (h, 0) => unit(h, "hour"),
        (h, m) => format!("{} {}", unit(h, "hour"), unit(m, "minute")),
    }
}

/// The durations the summary states; each is known once both ends are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Durations {
    /// Impact started → detected.
    pub to_detect: Option<Duration>,
    /// Detected → acknowledged.
    pub to_acknowledge: Option<Duration>,
    /// Impact started (or, not known, detected, or declared) → mitigated.
    pub to_mitigate: Option<Duration>,
    /// The same start → resolved.
    pub to_resolve: Option<Duration>,
}

/// How a milestone's time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Set by hand (`:milestone`).
    Set,
    /// From the incident's own record (the page, a status change).
    Recorded,
}

impl Incident {
    /// When `m` happened, and how that is known: set by hand, or from the
    /// record (detected and acknowledged from the page, declared,
    /// mitigated and resolved from the status changes).
    pub fn milestone(&self, m: Milestone) -> Option<(DateTime<Utc>, Source)> {
        if let Some(set) = self.milestones.get(&m) {
            return Some((set.at, Source::Set));
        }
        let recorded = match m {
            Milestone::ImpactStarted => None,
            Milestone::Detected => self.detection.as_ref().map(|d| d.at),
            Milestone::Acknowledged => self.detection.as_ref().and_then(|d| d.acknowledged_at),
            Milestone::Declared => Some(self.declared_at),
            Milestone::Mitigated => self.impact_ceased_at,
            Milestone::Resolved => self.resolved_at,
        };
        recorded.map(|t| (t, Source::Recorded))
    }

    fn at(&self, m: Milestone) -> Option<DateTime<Utc>> {
        self.milestone(m).map(|(t, _)| t)
    }

    /// Time to detect, acknowledge, mitigate and resolve. The clock for
    /// mitigating and resolving starts when impact started, or if that is
    /// not known when it was detected, or declared.
    pub fn durations(&self) -> Durations {
        let span = |a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>| match (a, b) {
            (Some(a), Some(b)) if b >= a => Some(b - a),
            _ => None,
        };
        let start = self
            .at(Milestone::ImpactStarted)
            .or_else(|| self.at(Milestone::Detected))
            .or_else(|| self.at(Milestone::Declared));
        Durations {
            to_detect: span(
                self.at(Milestone::ImpactStarted),
                self.at(Milestone::Detected),
            ),
            to_acknowledge: span(
                self.at(Milestone::Detected),
                self.at(Milestone::Acknowledged),
            ),
            to_mitigate: span(start, self.at(Milestone::Mitigated)),
            to_resolve: span(start, self.at(Milestone::Resolved)),
        }
    }
}

/// "1h05m", "7m", "45s": a duration as people say it.
pub fn human(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, m) => format!("{m}m"),
        (h, m) => format!("{h}h{m:02}m"),
    }
}

/// A time as typed for a milestone: `2026-12-01T05:38Z` (or with seconds,
/// or a space for the T), or `05:38` for the latest such time UTC not
/// after `now` (so just after midnight, 23:50 is last night).
pub fn parse_time(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.with_timezone(&Utc));
    }
    let naive = t.trim_end_matches(['Z', 'z']);
    for fmt in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(naive, fmt) {
            return Ok(d.and_utc());
        }
    }
    for fmt in ["%H:%M", "%H:%M:%S"] {
        if let Ok(time) = chrono::NaiveTime::parse_from_str(naive, fmt) {
            let today = now.date_naive().and_time(time).and_utc();
            return Ok(if today > now {
                today - Duration::days(1)
            } else {
                today
            });
        }
    }
    Err(format!(
        "'{}' is not a time: use 05:38 (UTC, today or last night) or 2026-12-01T05:38Z",
        crate::sanitize::line(s)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_read_as_people_type_them() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 6, 10, 0).unwrap();
        let at = |h, m| Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap();
        assert_eq!(parse_time("05:38", now), Ok(at(5, 38)));
        assert_eq!(parse_time("2026-12-01T05:38Z", now), Ok(at(5, 38)));
        assert_eq!(parse_time("2026-12-01T05:38:00Z", now), Ok(at(5, 38)));
        assert_eq!(parse_time("2026-12-01 05:38", now), Ok(at(5, 38)));
        // After midnight, 23:50 is last night.
        let just_after = Utc.with_ymd_and_hms(2026, 12, 1, 0, 5, 0).unwrap();
        assert_eq!(
            parse_time("23:50", just_after),
            Ok(Utc.with_ymd_and_hms(2026, 11, 30, 23, 50, 0).unwrap())
        );
        let e = parse_time("half past five", now).unwrap_err();
        assert!(
            e.contains("05:38") && e.contains("2026-12-01T05:38Z"),
            "{e}"
        );
    }

    #[test]
    fn pager_times_are_believed_only_when_plausible() {
        let arrived = Utc.with_ymd_and_hms(2026, 12, 1, 3, 41, 0).unwrap();
        let what = "the alert's start time";
        let before = arrived - Duration::minutes(7);
        assert_eq!(from_the_pager(Some(before), arrived, what), (before, None));
        assert_eq!(from_the_pager(None, arrived, what), (arrived, None));
        // A little ahead is clock skew: the arrival, quietly.
        let skew = arrived + Duration::minutes(4);
        assert_eq!(from_the_pager(Some(skew), arrived, what), (arrived, None));
        let future = Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap();
        let (t, note) = from_the_pager(Some(future), arrived, what);
        assert_eq!(t, arrived);
        assert_eq!(
            note.as_deref(),
            Some(
                "the alert's start time 2031-01-01 00:00:00 UTC is in the future; using the arrival time"
            )
        );
        let stale = arrived - Duration::days(8);
        let (t, note) = from_the_pager(Some(stale), arrived, what);
        assert_eq!(t, arrived);
        assert!(
            note.as_deref().unwrap().contains("more than 7 days before"),
            "{note:?}"
        );
        // Alertmanager's zero time is not a start.
        let zero = "0001-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(from_the_pager(Some(zero), arrived, what).0, arrived);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(spoken(Duration::minutes(7)), "7 minutes");
        assert_eq!(spoken(Duration::seconds(61)), "1 minute");
        assert_eq!(spoken(Duration::minutes(125)), "2 hours 5 minutes");
        assert_eq!(spoken(Duration::seconds(40)), "40 seconds");
        assert_eq!(human(Duration::seconds(45)), "45s");
        assert_eq!(human(Duration::minutes(7)), "7m");
        assert_eq!(human(Duration::minutes(65)), "1h05m");
    }
}
