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
/// acknowledged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    pub source: String,
    pub title: String,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_by: Option<String>,
    /// The service the page marked failing, when it named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
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
    fn durations_read_naturally() {
        assert_eq!(human(Duration::seconds(45)), "45s");
        assert_eq!(human(Duration::minutes(7)), "7m");
        assert_eq!(human(Duration::minutes(65)), "1h05m");
    }
}
