//! Maintenance windows: what a window may be, and who may set one.
//!
//! - Anyone on the box may add a window and end one early: it is a
//!   team-level action, like declaring an incident, and it is logged
//!   with who did it and when (`incident maintenance list`).
//! - A window names one service, in the form a system name takes (the
//!   name a page shows as the failing system); it is matched exactly,
//!   case-insensitively, against the service a page names.
//! - It ends in the future, at most [`MAX_DAYS`] days ahead, and says why.
//! - One service has at most one active window at a time: to change its
//!   end, end it and add another.
//!
//! Each refusal says what to type; `typed` turns the verb's words into
//! the surface's form (`incident maintenance ...` or `:maintenance ...`).

use crate::store::maintenance::Window;
use chrono::{DateTime, Duration, Utc};

/// The longest window, in days: a longer quiet is a service switched off,
/// not maintenance.
pub const MAX_DAYS: i64 = 14;

/// The longest reason, in characters.
pub const MAX_REASON: usize = 500;

/// The service as it is stored and matched: lowercase, in the form a
/// system name takes.
pub fn service(given: &str, typed: &dyn Fn(&str) -> String) -> Result<String, String> {
    let name = given.trim().to_lowercase();
    if super::check_system_name(&name).is_err() {
        return Err(format!(
            "'{}' is not a service name: use the name a page shows as the failing system (letters, digits and . _ - / :, up to 64), e.g. {}",
            crate::sanitize::line(given),
            typed("maintenance add payments-db --for 2h database upgrade")
        ));
    }
    Ok(name)
}

/// The reason, on one line, not empty and not too long.
pub fn reason(text: &str, typed: &dyn Fn(&str) -> String) -> Result<String, String> {
    let text = crate::sanitize::line(text.trim()).into_owned();
    if text.is_empty() {
        return Err(format!(
            "say why the service is in maintenance: {}",
            typed("maintenance add SERVICE --for 2h database upgrade")
        ));
    }
    if text.chars().count() > MAX_REASON {
        return Err(format!(
            "the reason is {} characters long; keep it under {MAX_REASON}",
            text.chars().count()
        ));
    }
    Ok(text)
}

/// When the window ends, from `--for DURATION` or `--until TIME` (exactly
/// one of them), read against `now`.
pub fn end(
    for_: Option<&str>,
    until: Option<&str>,
    now: DateTime<Utc>,
    typed: &dyn Fn(&str) -> String,
) -> Result<DateTime<Utc>, String> {
    let end = match (for_, until) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "give --for or --until, not both: {} or {}",
                typed("maintenance add SERVICE --for 2h REASON"),
                typed("maintenance add SERVICE --until 06:00 REASON")
            ));
        }
        (None, None) => {
            return Err(format!(
                "say how long the window lasts: {} or {}",
                typed("maintenance add SERVICE --for 2h REASON"),
                typed("maintenance add SERVICE --until 06:00 REASON")
            ));
        }
        (Some(d), None) => now + duration(d)?,
        (None, Some(t)) => {
            let at = until_time(t, now)?;
            if at <= now {
                return Err(format!(
                    "--until {} is in the past ({} UTC); a window ends ahead of now: {}",
                    crate::sanitize::line(t),
                    at.format("%Y-%m-%d %H:%M"),
                    typed("maintenance add SERVICE --for 2h REASON")
                ));
            }
            at
        }
    };
    if end - now > Duration::days(MAX_DAYS) {
        return Err(format!(
            "a window lasts at most {MAX_DAYS} days; this one would end {} UTC. Add a shorter one, and another when it ends",
            end.format("%Y-%m-%d %H:%M")
        ));
    }
    Ok(end)
}

/// May `service` be put in maintenance at `now`, given the `windows` kept
/// (read under their lock): not while it has an active window (named,
/// with how to change its end).
pub fn may_add(
    windows: &[Window],
    service: &str,
    now: DateTime<Utc>,
    typed: &dyn Fn(&str) -> String,
) -> Result<(), String> {
    match windows
        .iter()
        .find(|w| w.covers(service) && w.is_active(now))
    {
        Some(w) => Err(format!(
            "{service} is in maintenance already: {} until {} UTC ({}, by {}). To change its end, end it first: {}",
            w.name(),
            w.until.format("%Y-%m-%d %H:%M"),
            w.reason,
            w.by,
            typed(&format!("maintenance end {}", w.name()))
        )),
        None => Ok(()),
    }
}

/// May window `id` be ended early at `now`: it is kept and still active.
/// Refusals name the active windows and how to list them.
pub fn may_end(
    windows: &[Window],
    id: u64,
    now: DateTime<Utc>,
    typed: &dyn Fn(&str) -> String,
) -> Result<(), String> {
    let known: Vec<String> = windows
        .iter()
        .filter(|w| w.is_active(now))
        .map(Window::name)
        .collect();
    let Some(w) = windows.iter().find(|w| w.id == id) else {
        return Err(format!(
            "there is no maintenance window W{id}: {}",
            active_names(&known, typed)
        ));
    };
    if !w.is_active(now) {
        return Err(format!(
            "W{id} ({}) has ended already ({} UTC): {}",
            w.service,
            w.end().format("%Y-%m-%d %H:%M"),
            active_names(&known, typed)
        ));
    }
    Ok(())
}

fn active_names(known: &[String], typed: &dyn Fn(&str) -> String) -> String {
    if known.is_empty() {
        format!(
            "no window is active ({} lists them)",
            typed("maintenance list --all")
        )
    } else {
        format!(
            "the active ones are {} ({} lists them)",
            known.join(", "),
            typed("maintenance list")
        )
    }
}

/// A duration as people type it: `90s`, `45m`, `2h`, `1d`, `1h30m`.
pub fn duration(s: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "'{}' is not a duration: use 90s, 45m, 2h, 1h30m or 1d",
            crate::sanitize::line(s)
        )
    };
    let t = s.trim().to_ascii_lowercase();
    if t.is_empty() {
        return Err(bad());
    }
    let mut total = Duration::zero();
    let mut digits = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        let unit = match c {
            's' => Duration::seconds(1),
            'm' => Duration::minutes(1),
            'h' => Duration::hours(1),
            'd' => Duration::days(1),
            _ => return Err(bad()),
        };
        let part = unit
            .checked_mul(i32::try_from(n).map_err(|_| bad())?)
            .ok_or_else(bad)?;
        total = total.checked_add(&part).ok_or_else(bad)?;
    }
    // A bare number is minutes, as for a break.
    if !digits.is_empty() {
        let n: i64 = digits.parse().map_err(|_| bad())?;
        let part = Duration::try_minutes(n).ok_or_else(bad)?;
        total = total.checked_add(&part).ok_or_else(bad)?;
    }
    if total <= Duration::zero() {
        return Err(bad());
    }
    Ok(total)
}

/// An end time as typed: `06:00` (UTC, the next such time), or a date and
/// time (`2026-12-06T06:00Z`, `2026-12-06 06:00`).
pub fn until_time(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = s.trim().trim_end_matches(['Z', 'z']);
    for fmt in ["%H:%M", "%H:%M:%S"] {
        if let Ok(time) = chrono::NaiveTime::parse_from_str(t, fmt) {
            let today = now.date_naive().and_time(time).and_utc();
            return Ok(if today > now {
                today
            } else {
                today + Duration::days(1)
            });
        }
    }
    crate::model::milestone::parse_time(s, now).map_err(|_| {
        format!(
            "'{}' is not a time: use 06:00 (UTC, the next 06:00) or 2026-12-06T06:00Z",
            crate::sanitize::line(s)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn cli(words: &str) -> String {
        format!("incident {words}")
    }

    #[test]
    fn durations_are_read_as_people_type_them() {
        assert_eq!(duration("90s"), Ok(Duration::seconds(90)));
        assert_eq!(duration("2h"), Ok(Duration::hours(2)));
        assert_eq!(duration("1h30m"), Ok(Duration::minutes(90)));
        assert_eq!(duration("1d"), Ok(Duration::days(1)));
        assert_eq!(duration("45"), Ok(Duration::minutes(45)));
        for bad in ["", "0m", "two hours", "2x", "h", "-5m", "99999999999999h"] {
            let e = duration(bad).unwrap_err();
            assert!(
                e.contains("is not a duration") && e.contains("2h"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn one_active_window_a_service_and_only_an_active_one_ends() {
        let now = Utc::now();
        let w = |id: u64, service: &str, until: DateTime<Utc>| Window {
            id,
            service: service.into(),
            reason: "upgrade".into(),
            by: "alice".into(),
            start: now - Duration::hours(2),
            until,
            ended: None,
            suppressed: 0,
            last: None,
        };
        let kept = [
            w(1, "db", now - Duration::hours(1)),
            w(2, "db", now + Duration::hours(1)),
        ];
        let e = may_add(&kept, "db", now, &cli).unwrap_err();
        assert!(
            e.starts_with("db is in maintenance already: W2 until")
                && e.ends_with("incident maintenance end W2"),
            "{e}"
        );
        assert_eq!(may_add(&kept, "payments", now, &cli), Ok(()));
        assert_eq!(may_end(&kept, 2, now, &cli), Ok(()));
        let e = may_end(&kept, 1, now, &cli).unwrap_err();
        assert!(
            e.starts_with("W1 (db) has ended already")
                && e.contains("the active ones are W2 (incident maintenance list lists them)"),
            "{e}"
        );
        let e = may_end(&kept, 9, now, &cli).unwrap_err();
        assert!(e.starts_with("there is no maintenance window W9"), "{e}");
    }

    #[test]
    fn the_end_is_one_of_for_or_until_and_ahead() {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 3, 0, 0).unwrap();
        assert_eq!(
            end(Some("2h"), None, now, &cli),
            Ok(now + Duration::hours(2))
        );
        assert_eq!(
            end(None, Some("05:30"), now, &cli),
            Ok(Utc.with_ymd_and_hms(2026, 12, 6, 5, 30, 0).unwrap())
        );
        // A clock time already past today is tomorrow's.
        assert_eq!(
            end(None, Some("02:00"), now, &cli),
            Ok(Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap())
        );
        let e = end(None, Some("2026-12-06T02:00Z"), now, &cli).unwrap_err();
        assert!(e.contains("in the past") && e.contains("--for 2h"), "{e}");
        let e = end(Some("2h"), Some("05:00"), now, &cli).unwrap_err();
        assert!(e.contains("not both"), "{e}");
        let e = end(None, None, now, &cli).unwrap_err();
        assert!(e.contains("--until 06:00"), "{e}");
        let e = end(Some("30d"), None, now, &cli).unwrap_err();
        assert!(e.contains("at most 14 days"), "{e}");
    }

    #[test]
    fn services_take_the_system_name_form_lowercased() {
        assert_eq!(service("Payments-DB", &cli), Ok("payments-db".into()));
        let e = service("payments db", &cli).unwrap_err();
        assert!(e.contains("incident maintenance add payments-db"), "{e}");
        assert!(reason("  ", &cli).unwrap_err().contains("say why"));
    }
}
