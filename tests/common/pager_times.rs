//! Real pager payloads with their times moved, so that a test can say "this
//! alert started 10 minutes ago" with the fixtures as they were captured.
//! Every time in a payload moves by the same amount, so the story the
//! fixtures tell (triggered 03:12:44, acknowledged 03:14:02) keeps its
//! spacing.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::Value;

/// Keys whose number is a time since 1970 (Opsgenie's `createdAt` in
/// milliseconds, `updatedAt` in nanoseconds).
const EPOCH_KEYS: [&str; 2] = ["createdAt", "updatedAt"];

/// An RFC 3339 time at or after 1970 (Alertmanager's zero time,
/// 0001-01-01, means "not set" and stays as it is).
fn a_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| t.timestamp() >= 0)
}

/// Every time in `v` moved by `delta`: RFC 3339 strings anywhere, and the
/// numbers under [`EPOCH_KEYS`] in their own unit.
pub fn shift(v: &mut Value, delta: Duration) {
    match v {
        Value::String(s) => {
            if let Some(t) = a_time(s) {
                *s = (t + delta).to_rfc3339_opts(SecondsFormat::Millis, true);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| shift(i, delta)),
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                match item {
                    Value::Number(n) if EPOCH_KEYS.contains(&k.as_str()) => {
                        let n = n.as_i64().expect("an integer time");
                        let per_ms: i64 = if n > 100_000_000_000_000_000 {
                            1_000_000
                        } else {
                            1
                        };
                        *item = Value::from(n + delta.num_milliseconds() * per_ms);
                    }
                    _ => shift(item, delta),
                }
            }
        }
        _ => {}
    }
}

/// `v` with every time moved so that `anchor` (a time the payload holds,
/// RFC 3339, or milliseconds since 1970 for Opsgenie's) becomes `at`.
pub fn anchored(mut v: Value, anchor: &str, at: DateTime<Utc>) -> Value {
    let anchor = a_time(anchor)
        .or_else(|| {
            anchor
                .parse::<i64>()
                .ok()
                .and_then(DateTime::from_timestamp_millis)
        })
        .expect("the anchor is an RFC 3339 time or milliseconds");
    shift(&mut v, at - anchor);
    v
}

/// `minutes` ago, to the millisecond (as payloads give it).
pub fn minutes_ago(minutes: i64) -> DateTime<Utc> {
    let now = Utc::now() - Duration::minutes(minutes);
    DateTime::from_timestamp_millis(now.timestamp_millis()).expect("a time")
}

/// Where a path of keys leads in `v`, as a time (RFC 3339).
pub fn time_in(v: &Value, path: &[&str]) -> DateTime<Utc> {
    let s = path
        .iter()
        .try_fold(v, |v, k| v.get(*k))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no time at {path:?}"));
    a_time(s).unwrap_or_else(|| panic!("{s} is not a time"))
}

/// When the PagerDuty fixtures' incident was created (`created_at` of
/// pagerduty-v3-triggered.json and the rest of its story).
pub const PD_CREATED: &str = "2026-11-26T03:12:44Z";
/// The earliest `startsAt` of alertmanager-v4-firing.json.
pub const AM_STARTED: &str = "2026-11-26T02:58:10Z";
/// `createdAt` of the Opsgenie fixtures (milliseconds).
pub const OG_CREATED: &str = "1764126790112";
/// The `startsAt` of grafana-firing.json.
pub const GF_STARTED: &str = "2026-11-26T03:05:00Z";
