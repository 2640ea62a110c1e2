//! A moment to look back to, as people type it: an entry (`#123`), a time
//! of day (`03:40`), a full time (`2026-11-26T03:40Z`) or a while ago
//! (`-30m`). The live view's `:at`, and `incident show --at` and
//! `incident screen --at`, read it the same way.

use chrono::{DateTime, Duration, Local, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Where the incident is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Log entry `#N`: the incident just after the record that wrote it.
    Entry(u64),
    /// Everything written at or before this moment.
    Time(DateTime<Utc>),
}

/// The zone a time without one is read in: the one the view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Utc,
    Local,
}

/// The forms [`parse`] accepts, for its errors and for help.
pub const FORMS: &str = "#123 (an entry), 03:40 (the first 03:40 since it was declared), \
                         2026-11-26T03:40Z, or -30m (that long ago)";

/// Read `s` for an incident declared at `declared_at`, at `now`. A time
/// of day is the first one at or after the declaration (on its day, or
/// the next day if the declaration came later in the day), in `zone`. A
/// moment before the declaration, or still to come, is refused, saying
/// when the incident was declared (or what time it is).
pub fn parse(
    s: &str,
    declared_at: DateTime<Utc>,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<When, String> {
    let t = s.trim();
    if let Some(n) = t.strip_prefix('#') {
        return match n.parse::<u64>() {
            Ok(n) if n > 0 => Ok(When::Entry(n)),
            _ => Err(not_a_time(s)),
        };
    }
    let at = relative(t, now)
        .or_else(|| absolute(t, zone))
        .or_else(|| time_of_day(t, declared_at, zone))
        .ok_or_else(|| not_a_time(s))?;
    if at < declared_at {
        return Err(format!(
            "{} is before the incident was declared ({}): pick a later time",
            show(at, zone),
            show(declared_at, zone)
        ));
    }
    if at > now {
        return Err(format!(
            "{} has not come yet (it is {} now)",
            show(at, zone),
            show(now, zone)
        ));
    }
    Ok(When::Time(at))
}

fn not_a_time(s: &str) -> String {
    format!(
        "'{}' is not an entry or a time: use {FORMS}",
        crate::sanitize::line(s)
    )
}

/// "2026-11-26 03:40:00 UTC", in `zone`.
pub fn show(at: DateTime<Utc>, zone: Zone) -> String {
    match zone {
        Zone::Utc => at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        Zone::Local => at
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M:%S local")
            .to_string(),
    }
}

/// `-30m`, `-2h`, `-1h30m`, `-90s`, `-1d`: that long before `now`.
fn relative(t: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let mut rest = t.strip_prefix('-')?;
    let mut total = Duration::zero();
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let n: i64 = rest[..digits].parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        total += match unit.to_ascii_lowercase() {
            's' => Duration::try_seconds(n)?,
            'm' => Duration::try_minutes(n)?,
            'h' => Duration::try_hours(n)?,
            'd' => Duration::try_days(n)?,
            _ => return None,
        };
        rest = &rest[digits + unit.len_utf8()..];
    }
    now.checked_sub_signed(total)
}

/// A full date and time: RFC 3339 with its own offset, or without one
/// (read in `zone`, unless it ends in Z).
fn absolute(t: &str, zone: Zone) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    let (naive, zone) = match t.strip_suffix(['Z', 'z']) {
        Some(n) => (n, Zone::Utc),
        None => (t, zone),
    };
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|fmt| NaiveDateTime::parse_from_str(naive, fmt).ok())
    .and_then(|d| in_zone(d, zone))
}

/// `03:40` or `03:40:15`: the first such moment at or after the
/// declaration. Within the declaration's own minute (or second) it is the
/// declaration itself.
fn time_of_day(t: &str, declared_at: DateTime<Utc>, zone: Zone) -> Option<DateTime<Utc>> {
    let (time, grain) = NaiveTime::parse_from_str(t, "%H:%M")
        .map(|time| (time, Duration::minutes(1)))
        .or_else(|_| {
            NaiveTime::parse_from_str(t, "%H:%M:%S").map(|time| (time, Duration::seconds(1)))
        })
        .ok()?;
    let day = match zone {
        Zone::Utc => declared_at.date_naive(),
        Zone::Local => declared_at.with_timezone(&Local).date_naive(),
    };
    let that_day = in_zone(day.and_time(time), zone)?;
    Some(if that_day + grain > declared_at {
        that_day.max(declared_at)
    } else {
        in_zone((day + Duration::days(1)).and_time(time), zone)?
    })
}

fn in_zone(d: NaiveDateTime, zone: Zone) -> Option<DateTime<Utc>> {
    match zone {
        Zone::Utc => Some(d.and_utc()),
        Zone::Local => Local
            .from_local_datetime(&d)
            .earliest()
            .map(|l| l.with_timezone(&Utc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
    }

    fn at(s: &str) -> Result<When, String> {
        // Declared 03:10:30 on the 26th, looked at the next morning.
        let declared = utc(26, 3, 10) + Duration::seconds(30);
        parse(s, declared, utc(27, 9, 0), Zone::Utc)
    }

    #[test]
    fn a_time_of_day_is_the_first_one_since_the_declaration() {
        assert_eq!(at("03:40"), Ok(When::Time(utc(26, 3, 40))));
        // Earlier in the day than the declaration: the next day.
        assert_eq!(at("01:00"), Ok(When::Time(utc(27, 1, 0))));
        // The declaration's own minute is the declaration.
        let declared = utc(26, 3, 10) + Duration::seconds(30);
        assert_eq!(at("03:10"), Ok(When::Time(declared)));
        assert_eq!(
            at("03:40:15"),
            Ok(When::Time(utc(26, 3, 40) + Duration::seconds(15)))
        );
    }

    #[test]
    fn entries_full_times_and_a_while_ago() {
        assert_eq!(at("#12"), Ok(When::Entry(12)));
        assert_eq!(at(" #1 "), Ok(When::Entry(1)));
        assert_eq!(at("2026-11-26T05:00Z"), Ok(When::Time(utc(26, 5, 0))));
        assert_eq!(
            at("2026-11-26T06:00:00+01:00"),
            Ok(When::Time(utc(26, 5, 0)))
        );
        assert_eq!(at("2026-11-26 05:00"), Ok(When::Time(utc(26, 5, 0))));
        assert_eq!(at("-30m"), Ok(When::Time(utc(27, 8, 30))));
        assert_eq!(at("-1h30m"), Ok(When::Time(utc(27, 7, 30))));
    }

    #[test]
    fn bad_times_say_which_forms_work_and_when_it_was_declared() {
        for bad in ["#0", "#x", "half past three", "-5y", "25:00", ""] {
            let e = at(bad).unwrap_err();
            assert!(
                e.contains("03:40") && e.contains("#123") && e.contains("-30m"),
                "{e}"
            );
        }
        let e = at("2026-11-25T23:00Z").unwrap_err();
        assert!(
            e.contains("before the incident was declared (2026-11-26 03:10:30 UTC)"),
            "{e}"
        );
        let e = at("-2d").unwrap_err();
        assert!(e.contains("before the incident was declared"), "{e}");
        let e = at("2026-11-28T00:00Z").unwrap_err();
        assert!(e.contains("has not come yet"), "{e}");
    }
}
