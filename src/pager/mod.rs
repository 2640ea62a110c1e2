//! Pager payloads: the webhooks that page people, mapped to what an incident
//! needs (a title, a severity, the affected service, links, a summary) with a
//! de-duplication key so that a re-trigger or a resolve finds the incident the
//! first page opened.
//!
//! Accepted, as JSON:
//!
//! - PagerDuty V3 webhooks (`event.event_type` `incident.*`), see
//!   [`pagerduty`];
//! - Prometheus Alertmanager webhooks (version 4), see [`alertmanager`];
//! - Opsgenie webhooks (`action` and `alert`), see [`opsgenie`], and the
//!   same payloads from Jira Service Management, Opsgenie's successor
//!   (`--source jsm`; detected as Opsgenie, as they cannot be told apart);
//! - Grafana unified alerting webhooks, see [`grafana`].
//!
//! Every payload is hostile until proven otherwise: each text field goes
//! through [`crate::sanitize::line`], everything is bounded, and no input
//! panics. Empty strings, blank strings and nulls count as missing.
//!
//! # Times
//!
//! Each alert carries the source's own times, as given: when the alert
//! started ([`Alert::started_at`]: Alertmanager's and Grafana's earliest
//! `startsAt`, PagerDuty's `created_at`, Opsgenie's `createdAt`) and when
//! this event happened there ([`Alert::occurred_at`]: PagerDuty's
//! `event.occurred_at`, Opsgenie's `updatedAt`). They are not trusted
//! here: whoever files the page checks them against its arrival (see
//! [`crate::model::milestone::from_the_pager`]).
//!
//! # Severity
//!
//! One vocabulary serves every format ([`severity_word`]): `P1`/`SEV1`/
//! `critical` is SEV1, `P2`/`SEV2`/`error`/`high`/`major` is SEV2,
//! `P3`/`SEV3`/`warning`/`medium` is SEV3 and `P4`/`P5`/`SEV4`/`info`/`low`/
//! `minor` is SEV4. Where it is read from, and the fallbacks, are documented
//! per format. With nothing usable the severity is [`DEFAULT_SEVERITY`].

pub mod alertmanager;
pub mod grafana;
pub mod opsgenie;
pub mod pagerduty;

use crate::model::Severity;
use crate::sanitize;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Where a payload came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    PagerDuty,
    Alertmanager,
    Opsgenie,
    Grafana,
    /// Jira Service Management alerts: Opsgenie's payload shape.
    Jsm,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::PagerDuty,
        Source::Alertmanager,
        Source::Opsgenie,
        Source::Grafana,
        Source::Jsm,
    ];

    /// The name on the command line and in JSON: `pagerduty`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Source::PagerDuty => "pagerduty",
            Source::Alertmanager => "alertmanager",
            Source::Opsgenie => "opsgenie",
            Source::Grafana => "grafana",
            Source::Jsm => "jsm",
        }
    }

    /// Whether a payload that looks like `seen` is one this source sends
    /// (Jira Service Management sends Opsgenie's payloads).
    pub fn sends(self, seen: Source) -> bool {
        self == seen || (self == Source::Jsm && seen == Source::Opsgenie)
    }

    /// The vendor's own spelling, for people: `PagerDuty`, ...
    pub fn label(self) -> &'static str {
        match self {
            Source::PagerDuty => "PagerDuty",
            Source::Alertmanager => "Alertmanager",
            Source::Opsgenie => "Opsgenie",
            Source::Grafana => "Grafana",
            Source::Jsm => "Jira Service Management",
        }
    }

    /// What a payload of this kind is, for messages.
    fn describe(self) -> &'static str {
        match self {
            Source::PagerDuty => "a PagerDuty V3 webhook",
            Source::Alertmanager => "a Prometheus Alertmanager webhook",
            Source::Opsgenie => "an Opsgenie webhook",
            Source::Grafana => "a Grafana alerting webhook",
            Source::Jsm => "a Jira Service Management webhook",
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for Source {
    type Err = PagerError;

    /// `pagerduty`, `alertmanager`, `opsgenie`, `jsm` or `grafana`, in any
    /// case.
    fn from_str(s: &str) -> Result<Self, PagerError> {
        let wanted = s.trim();
        Source::ALL
            .into_iter()
            .find(|src| {
                src.as_str().eq_ignore_ascii_case(wanted)
                    || src.label().eq_ignore_ascii_case(wanted)
            })
            .ok_or_else(|| {
                PagerError::new(format!(
                    "unknown source '{}': use pagerduty, alertmanager, opsgenie, jsm or grafana",
                    cut(&sanitize::line(wanted), 40)
                ))
            })
    }
}

/// What the alert says happened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AlertState {
    Triggered,
    Acknowledged { by: Option<String> },
    Resolved,
    Other { what: String },
}

/// One payload, mapped to what an incident needs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Alert {
    pub source: Source,
    /// De-duplication key: PagerDuty incident id/incident_key, Alertmanager and Grafana groupKey, Opsgenie alias.
    pub dedup_key: String,
    /// One line, sanitized, at most [`MAX_TITLE`] characters (cut with `…`),
    /// never empty.
    pub title: String,
    /// See the mapping in the module documentation and per format.
    pub severity: Severity,
    pub state: AlertState,
    /// The affected service, already made into a valid system name (lowercased, spaces/invalid chars -> '-', trimmed to 64), if known.
    pub service: Option<String>,
    /// (label, url) pairs: incident page, generator/graph URL, runbook, conference bridge, dashboard, silence URL... only http(s) URLs, sanitized.
    pub links: Vec<(String, String)>,
    /// A short multi-line summary of what fired (bounded: at most 10 alerts listed, then "and N more"; each line sanitized; at most 4000 bytes).
    pub details: String,
    /// How many alerts the payload carried (Alertmanager/Grafana alerts[] len plus truncatedAlerts).
    pub alert_count: usize,
    /// The key PagerDuty's Events API knows the alert by (`incident_key`),
    /// when the page carries one: what a resolve sent back must name.
    pub events_key: Option<String>,
    /// When the alert itself started, as the source says (see "Times" in
    /// the module documentation); None when the payload gives no usable
    /// time. Not checked against the clock here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    /// When this event (an acknowledgement, a resolve) happened at the
    /// source, as it says; None when the payload does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<DateTime<Utc>>,
    /// What tells this delivery from any other (see [`delivery_id`]): the
    /// same id again is the same event delivered again, a redelivery, and
    /// is filed once. None when the payload cannot tell: then every
    /// delivery counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_id: Option<String>,
    /// A page that restates one the pager already sent (PagerDuty's
    /// escalated or priority-updated incident): never a recurrence of the
    /// incident it opened, however that ended.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub restates: bool,
    /// Every service the alerts name one by one, when a group names more
    /// than one (Alertmanager, Grafana: "failing: db, payments");
    /// empty when the page is about `service` alone. A maintenance window
    /// for one of them must not hold back a page for the others.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
}

impl Alert {
    /// Whether a follow-up (an acknowledgement) of this alert that no
    /// incident knows may join the incident where its service is failing.
    /// Not for PagerDuty: its follow-ups name their incident (the id, the
    /// `incident_key`), and an acknowledgement of PagerDuty incident B on
    /// A's service is B's, never A's.
    pub fn joins_by_service(&self) -> bool {
        self.source != Source::PagerDuty
    }

    /// The links responders need at hand, labelled `runbook`, `dashboard`
    /// or `bridge` (see [`main_link_kind`]), in the payload's order; the
    /// others (graphs, silences, the pager's own pages) stay in the
    /// appendix.
    pub fn main_links(&self) -> Vec<(&'static str, String)> {
        self.links
            .iter()
            .filter_map(|(label, url)| Some((main_link_kind(label)?, url.clone())))
            .collect()
    }
}

/// What a link's label says it is, when it is one for the main screen:
/// a runbook (or playbook), a dashboard, or a conference bridge (bridge,
/// conference, Zoom, Meet). Case does not matter.
pub fn main_link_kind(label: &str) -> Option<&'static str> {
    let l = label.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    if has(&["runbook", "playbook", "run book"]) {
        Some("runbook")
    } else if has(&["dashboard"]) {
        Some("dashboard")
    } else if has(&["bridge", "conference", "zoom", "meet"]) {
        Some("bridge")
    } else {
        None
    }
}

/// A payload that could not be used. The message says which formats are accepted and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{problem}. incident page accepts PagerDuty V3 webhooks, Prometheus Alertmanager webhooks (version 4), Opsgenie and Jira Service Management webhooks and Grafana alerting webhooks, as JSON"
)]
pub struct PagerError {
    pub problem: String,
    /// A well-formed event that is about no alert (PagerDuty's
    /// `service.updated`, a test ping): answered `ignored`, not refused.
    pub aside: bool,
}

impl PagerError {
    /// A problem, sanitized: it may quote the payload.
    fn new(problem: impl AsRef<str>) -> Self {
        PagerError {
            problem: sanitize::line(problem.as_ref()).into_owned(),
            aside: false,
        }
    }

    /// A well-formed event this tool has nothing to do with (see
    /// [`PagerError::aside`]).
    fn aside(problem: impl AsRef<str>) -> Self {
        PagerError {
            aside: true,
            ..PagerError::new(problem)
        }
    }

    /// A payload of a known shape without a field it cannot do without.
    fn missing(source: Source, path: &str) -> Self {
        PagerError::new(format!("{} payload without {path}", source.label()))
    }
}

/// The default severity when a payload gives none.
pub const DEFAULT_SEVERITY: Severity = Severity::Sev3;

/// The longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// The most bytes of [`Alert::details`].
pub const MAX_DETAILS: usize = 4000;
/// The most alerts listed one by one in [`Alert::details`].
pub const MAX_LISTED: usize = 10;
/// The most links kept.
pub const MAX_LINKS: usize = 12;

/// Longest line of the details, in characters.
const MAX_DETAIL_LINE: usize = 300;
/// Longest URL kept, in bytes.
const MAX_URL: usize = 2048;
/// Longest de-duplication key kept as is, in characters; longer ones are
/// shortened with a hash of the whole.
const MAX_DEDUP: usize = 512;
/// Longest system name (as `ops::rules`).
const MAX_SERVICE: usize = 64;

/// Parse `bytes` as `source`, or detect the format when `source` is None.
pub fn parse(source: Option<Source>, bytes: &[u8]) -> Result<Alert, PagerError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PagerError::new("not JSON: the payload is empty"));
    }
    let v: Value =
        serde_json::from_slice(bytes).map_err(|e| PagerError::new(format!("not JSON: {e}")))?;
    let seen = detect(&v);
    let chosen = match (source, seen) {
        (Some(given), Some(seen)) if !given.sends(seen) => {
            return Err(PagerError::new(format!(
                "given as {} but this looks like {} (use --source {}, or leave --source out to detect it)",
                given.describe(),
                seen.describe(),
                seen.as_str()
            )));
        }
        (Some(given), _) => given,
        (None, Some(seen)) => seen,
        (None, None) => return Err(unknown_shape(&v)),
    };
    if !v.is_object() {
        return Err(PagerError::new(format!(
            "given as {} but this is {}, not an object",
            chosen.describe(),
            json_kind(&v)
        )));
    }
    let parsed = match chosen {
        Source::PagerDuty => pagerduty::parse(&v),
        Source::Alertmanager => alertmanager::parse(&v),
        Source::Opsgenie | Source::Jsm => opsgenie::parse(&v, chosen),
        Source::Grafana => grafana::parse(&v),
    };
    match parsed {
        // Given a source for a payload that did not look like it: say what
        // the payload does have.
        Err(e) if seen.is_none() => Err(PagerError {
            problem: format!("{} (top-level keys: {})", e.problem, key_list(&v)),
            ..e
        }),
        other => other,
    }
}

/// Which format a JSON value looks like, if any.
///
/// - PagerDuty: an `event` object with `event_type`, `resource_type` or
///   `data`;
/// - Opsgenie: `action` and an `alert` object;
/// - Grafana: `alerts` with `orgId`, or with `title` and `state`;
/// - Alertmanager: `alerts` with `groupKey`, `version`, `receiver` or
///   `status`.
pub fn detect(v: &Value) -> Option<Source> {
    let o = v.as_object()?;
    let has = |k: &str| o.contains_key(k);
    if o.get("event").and_then(Value::as_object).is_some_and(|e| {
        e.contains_key("event_type") || e.contains_key("resource_type") || e.contains_key("data")
    }) || pagerduty::is_v2(v)
    {
        return Some(Source::PagerDuty);
    }
    if has("action") && o.get("alert").is_some_and(Value::is_object) {
        return Some(Source::Opsgenie);
    }
    if has("alerts") {
        if has("orgId") || (has("title") && has("state")) {
            return Some(Source::Grafana);
        }
        if has("groupKey") || has("version") || has("receiver") || has("status") {
            return Some(Source::Alertmanager);
        }
    }
    None
}

/// The error for JSON that is none of the accepted formats, with what it
/// does look like when that is recognisable.
fn unknown_shape(v: &Value) -> PagerError {
    let Some(o) = v.as_object() else {
        let hint = match v.as_array() {
            Some(items)
                if items
                    .first()
                    .is_some_and(|i| i.get("labels").is_some_and(Value::is_object)) =>
            {
                ": it looks like a list of alerts from the Alertmanager API; use the webhook payload instead"
            }
            _ => "",
        };
        return PagerError::new(format!(
            "{} does not look like any of them{hint}",
            json_kind(v)
        ));
    };
    if o.is_empty() {
        return PagerError::new("an empty JSON object does not look like any of them");
    }
    let has = |k: &str| o.contains_key(k);
    let hint = if o
        .get("messages")
        .and_then(Value::as_array)
        .is_some_and(|m| m.iter().any(|i| i.get("event").is_some()))
    {
        ": it looks like a PagerDuty V2 webhook (messages[]), and only V3 webhooks are accepted"
    } else if has("routing_key") || has("event_action") {
        ": it looks like a PagerDuty Events API event (what is sent to PagerDuty), not a webhook from PagerDuty"
    } else if has("ruleName") || has("evalMatches") {
        ": it looks like a legacy Grafana alert notification; use a unified alerting webhook contact point"
    } else {
        ""
    };
    PagerError::new(format!(
        "JSON with top-level keys {} does not look like any of them{hint}",
        key_list(v)
    ))
}

/// What kind of JSON value this is, with its article.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "JSON null",
        Value::Bool(_) => "a JSON boolean",
        Value::Number(_) => "a JSON number",
        Value::String(_) => "a JSON string",
        Value::Array(_) => "a JSON array",
        Value::Object(_) => "a JSON object",
    }
}

/// At most 8 top-level keys, sanitized and shortened.
fn key_list(v: &Value) -> String {
    const MAX_KEYS: usize = 8;
    let Some(o) = v.as_object() else {
        return "none".into();
    };
    if o.is_empty() {
        return "none".into();
    }
    let mut keys: Vec<String> = o
        .keys()
        .take(MAX_KEYS)
        .map(|k| one_line(k, 40).unwrap_or_else(|| "\"\"".into()))
        .collect();
    if o.len() > MAX_KEYS {
        keys.push(format!("and {} more", o.len() - MAX_KEYS));
    }
    keys.join(", ")
}

// ---------------------------------------------------------------------------
// Reading JSON: missing, null, empty and blank are all "absent".

/// The value at `path`, if every step is an object holding the next key.
fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

/// The non-blank string at `path`.
fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The non-blank string, or the number, at `path`, as text: identifiers are
/// sometimes numbers.
fn text_at(v: &Value, path: &[&str]) -> Option<String> {
    match at(v, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A time at `path`: an RFC 3339 string (`2026-11-26T02:58:10.000Z`), or
/// a whole number of seconds, milliseconds, microseconds or nanoseconds
/// since 1970 (Opsgenie gives `createdAt` in milliseconds and `updatedAt` in
/// nanoseconds), told apart by size. Anything else is None.
fn time_at(v: &Value, path: &[&str]) -> Option<DateTime<Utc>> {
    match at(v, path)? {
        Value::String(s) => DateTime::parse_from_rfc3339(s.trim())
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        Value::Number(n) => epoch(n.as_i64()?),
        _ => None,
    }
}

/// A count since 1970 in the unit its size suggests: below 10^11 seconds
/// (until the year 5138), below 10^14 milliseconds, below 10^17
/// microseconds, else nanoseconds.
fn epoch(n: i64) -> Option<DateTime<Utc>> {
    let a = n.unsigned_abs();
    if a < 100_000_000_000 {
        DateTime::from_timestamp(n, 0)
    } else if a < 100_000_000_000_000 {
        DateTime::from_timestamp_millis(n)
    } else if a < 100_000_000_000_000_000 {
        DateTime::from_timestamp_micros(n)
    } else {
        Some(DateTime::from_timestamp_nanos(n))
    }
}

/// A count at `path`: a non-negative integer, or a string holding one.
fn count_at(v: &Value, path: &[&str]) -> usize {
    let n = match at(v, path) {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse::<u64>().unwrap_or(0),
        _ => 0,
    };
    usize::try_from(n).unwrap_or(usize::MAX)
}

// ---------------------------------------------------------------------------
// Making text safe and bounded.

/// At most `max` characters of `s`, ending with `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// One sanitized, trimmed line of at most `max` characters (cut with `…`),
/// or None when nothing is left.
fn one_line(s: &str, max: usize) -> Option<String> {
    // Cut a huge string before sanitizing it (sanitizing never shortens).
    let s = s.trim_start();
    let limit = max.saturating_mul(2).max(16);
    let (head, was_cut) = match s.char_indices().nth(limit) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    };
    let clean = sanitize::line(head);
    let t = clean.trim();
    if t.is_empty() {
        return None;
    }
    if !was_cut && t.chars().count() <= max {
        return Some(t.to_string());
    }
    let mut out: String = t.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    Some(out)
}

/// The title: the first usable candidate, made into one line with runs of
/// spaces collapsed, else `fallback` (which is never empty).
fn title(candidates: impl IntoIterator<Item = Option<String>>, fallback: String) -> String {
    let line = candidates
        .into_iter()
        .flatten()
        .find_map(|t| one_line(&t, MAX_TITLE))
        .or_else(|| one_line(&fallback, MAX_TITLE))
        .unwrap_or_else(|| "Untitled alert".into());
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// A de-duplication key: sanitized, and bounded by a stable hash of the
/// whole when very long (so distinct keys stay distinct).
fn dedup_key(raw: &str) -> String {
    let clean = sanitize::line(raw.trim());
    if clean.chars().count() <= MAX_DEDUP {
        return clean.into_owned();
    }
    let head: String = clean.chars().take(MAX_DEDUP - 20).collect();
    format!("{head}…#{:016x}", fnv1a(raw.as_bytes()))
}

/// A delivery id: the source, and a digest of what makes the event this
/// one and no other (`parts`, in order), so ids are short, stable and say
/// nothing of the payload. PagerDuty: `event.id` (else the `X-Webhook-Id`
/// header the listener was given); Opsgenie and JSM: the alert id, the
/// action and its time; Alertmanager and Grafana: the group key, its status
/// and `notification_reason`, and each alert's fingerprint (else labels),
/// status and start (and end, once resolved).
pub fn delivery_id(source: Source, parts: &[&str]) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    let digest = h.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}:{hex}", source.as_str())
}

/// 64-bit FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The longest note text kept in a state, in characters.
const MAX_NOTE: usize = 300;

/// The state of a note added at the source, with its text and author:
/// `note by Dana: "rolled back"` (what the log shows, "… in Opsgenie").
/// None when the note has no text.
fn noted(by: Option<&str>, text: Option<&str>) -> Option<String> {
    let text = one_line(text?, MAX_NOTE)?;
    Some(match who(by) {
        Some(by) => format!("note by {by}: \"{text}\""),
        None => format!("note: \"{text}\""),
    })
}

/// The person or thing that acknowledged, as one short line.
fn who(s: Option<&str>) -> Option<String> {
    s.and_then(|s| one_line(s, 100))
}

/// A service name made into a valid system name (see
/// [`crate::ops::check_system_name`]): lowercased; every run of characters
/// other than letters, digits and `._/:` (and of `-`) becomes one `-`;
/// leading and trailing `-` trimmed; at most 64 characters. None when
/// nothing is left, and None for a name holding control characters other
/// than whitespace (an escape sequence) or bidirectional controls: what is
/// left of those would be a misleading name.
pub fn system_name(raw: &str) -> Option<String> {
    let hostile = |c: char| {
        (c.is_control() && !c.is_whitespace())
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    };
    if raw.chars().any(hostile) {
        return None;
    }
    let mut out = String::new();
    let mut dash = false;
    let mut len = 0usize;
    for c in raw.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || matches!(c, '.' | '_' | '/' | ':') {
            if dash && !out.is_empty() {
                out.push('-');
                len += 1;
            }
            dash = false;
            if len >= MAX_SERVICE {
                break;
            }
            out.push(c);
            len += 1;
        } else {
            dash = true;
        }
        if len >= MAX_SERVICE {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    (crate::ops::check_system_name(&out).is_ok()).then_some(out)
}

/// The severity a word names, if it names one: `P1`..`P5` (P4 and P5 are
/// SEV4), `SEV1`..`SEV4` (also `sev-1`, `SEV 1`; SEV0 and P0 are SEV1), and
/// the usual label words:
///
/// | SEV1                                      | SEV2                     | SEV3                        | SEV4                                  |
/// |-------------------------------------------|--------------------------|-----------------------------|---------------------------------------|
/// | critical, crit, page, emergency, fatal, disaster | error, err, high, major | warning, warn, medium, moderate | info, information, informational, low, minor, notice |
///
/// A priority name with more after it (`P1 - Critical`) counts by its first
/// word. Anything else is None.
pub fn severity_word(word: &str) -> Option<Severity> {
    let lower = word.trim().to_ascii_lowercase();
    let first = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let compact: String = lower
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect();
    let by_number = |n: &str| match n {
        "0" | "1" => Some(Severity::Sev1),
        "2" => Some(Severity::Sev2),
        "3" => Some(Severity::Sev3),
        "4" | "5" => Some(Severity::Sev4),
        _ => None,
    };
    // "SEV 1", "sev-2", "p3" (whole word), or "P1 - Critical" (first word).
    for candidate in [compact.as_str(), first] {
        if let Some(n) = candidate.strip_prefix("sev")
            && n != "5"
            && let Some(s) = by_number(n)
        {
            return Some(s);
        }
        if let Some(n) = candidate.strip_prefix('p')
            && let Some(s) = by_number(n)
        {
            return Some(s);
        }
    }
    match first {
        "critical" | "crit" | "page" | "emergency" | "fatal" | "disaster" => Some(Severity::Sev1),
        "error" | "err" | "high" | "major" => Some(Severity::Sev2),
        "warning" | "warn" | "medium" | "moderate" => Some(Severity::Sev3),
        "info" | "information" | "informational" | "low" | "minor" | "notice" => {
            Some(Severity::Sev4)
        }
        _ => None,
    }
}

/// An `http(s)` URL fit to show and open: no whitespace, no control or
/// bidirectional characters, a host, at most [`MAX_URL`] bytes.
fn http_url(s: &str) -> Option<String> {
    let t = s.trim();
    if t.len() > MAX_URL {
        return None;
    }
    let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &t[8..]
    } else if lower.starts_with("http://") {
        &t[7..]
    } else {
        return None;
    };
    let clean = !t.chars().any(char::is_whitespace)
        && matches!(sanitize::line(t), std::borrow::Cow::Borrowed(_));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (clean && !host.is_empty() && !host.starts_with('@')).then(|| t.to_string())
}

/// Links, in order of usefulness: only `http(s)`, no repeated URL, at most
/// [`MAX_LINKS`].
#[derive(Default)]
struct Links(Vec<(String, String)>);

impl Links {
    fn push(&mut self, label: &str, url: Option<&str>) {
        let Some(url) = url.and_then(http_url) else {
            return;
        };
        if self.0.len() >= MAX_LINKS || self.0.iter().any(|(_, u)| *u == url) {
            return;
        }
        let label = one_line(label, 40).unwrap_or_else(|| "link".into());
        self.0.push((label, url));
    }
}

/// The details, built a line at a time within [`MAX_DETAILS`] bytes. Room
/// for a closing line ("and N more") is kept back while listing.
#[derive(Default)]
struct Details {
    text: String,
}

impl Details {
    /// Bytes kept back for the closing line.
    const RESERVE: usize = 120;

    /// The line as it would be written: sanitized, trimmed, bounded.
    fn prepare(line: &str) -> Option<String> {
        one_line(line, MAX_DETAIL_LINE)
    }

    fn used_with(&self, line: &str) -> usize {
        self.text.len() + usize::from(!self.text.is_empty()) + line.len()
    }

    /// Adds a line if it fits with room to spare; says whether it did (a
    /// blank line is "added" as nothing).
    fn push(&mut self, line: &str) -> bool {
        let Some(line) = Details::prepare(line) else {
            return true;
        };
        if self.used_with(&line) + Details::RESERVE > MAX_DETAILS {
            return false;
        }
        self.append(&line);
        true
    }

    /// Adds a closing line, using the reserved room; cut to fit if need be.
    fn close(&mut self, line: &str) {
        let Some(line) = Details::prepare(line) else {
            return;
        };
        if self.used_with(&line) <= MAX_DETAILS {
            self.append(&line);
        }
    }

    fn append(&mut self, line: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
    }

    fn finish(mut self) -> String {
        if self.text.len() > MAX_DETAILS {
            let mut end = MAX_DETAILS - '…'.len_utf8();
            while !self.text.is_char_boundary(end) {
                end -= 1;
            }
            self.text.truncate(end);
            self.text.push('…');
        }
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse_in_any_case() {
        for s in Source::ALL {
            assert_eq!(s.as_str().parse::<Source>().unwrap(), s);
            assert_eq!(s.label().to_uppercase().parse::<Source>().unwrap(), s);
        }
        let err = "nagios".parse::<Source>().unwrap_err().to_string();
        assert!(err.contains("nagios") && err.contains("pagerduty"), "{err}");
        assert_eq!(
            serde_json::to_string(&Source::PagerDuty).unwrap(),
            "\"pagerduty\""
        );
    }

    #[test]
    fn states_serialize_with_a_tag() {
        let s = AlertState::Acknowledged {
            by: Some("dana".into()),
        };
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"state":"acknowledged","by":"dana"}"#
        );
        assert_eq!(
            serde_json::to_string(&AlertState::Triggered).unwrap(),
            r#"{"state":"triggered"}"#
        );
    }

    #[test]
    fn severity_words() {
        use Severity::*;
        for (w, s) in [
            ("P1", Sev1),
            ("p2", Sev2),
            ("P3", Sev3),
            ("P4", Sev4),
            ("P5", Sev4),
            ("P1 - Critical", Sev1),
            ("SEV2", Sev2),
            ("sev-3", Sev3),
            ("SEV 4", Sev4),
            ("sev0", Sev1),
            ("critical", Sev1),
            ("Critical", Sev1),
            ("page", Sev1),
            ("error", Sev2),
            ("high", Sev2),
            ("major", Sev2),
            ("warning", Sev3),
            ("medium", Sev3),
            ("info", Sev4),
            ("low", Sev4),
            ("minor", Sev4),
        ] {
            assert_eq!(severity_word(w), Some(s), "{w}");
        }
        for w in ["", "none", "P6", "sev5", "p", "urgent-ish", "pp1", "1"] {
            assert_eq!(severity_word(w), None, "{w}");
        }
    }

    #[test]
    fn system_names_are_valid() {
        assert_eq!(system_name("checkout-api").as_deref(), Some("checkout-api"));
        assert_eq!(
            system_name("My Mail Service").as_deref(),
            Some("my-mail-service")
        );
        assert_eq!(system_name("  a - b  ").as_deref(), Some("a-b"));
        assert_eq!(system_name("db@prod!!").as_deref(), Some("db-prod"));
        assert_eq!(
            system_name("payments/api:v2").as_deref(),
            Some("payments/api:v2")
        );
        assert_eq!(
            system_name("Zürich Ünïcode").as_deref(),
            Some("zürich-ünïcode")
        );
        assert_eq!(system_name("\u{1b}[31mred"), None);
        assert_eq!(system_name("red\u{202e}"), None);
        assert_eq!(system_name("red\u{9b}"), None);
        assert_eq!(system_name("red\tblue\n").as_deref(), Some("red-blue"));
        assert_eq!(system_name("   "), None);
        assert_eq!(system_name("!!!"), None);
        let long = system_name(&"ab ".repeat(100)).unwrap();
        assert!(long.chars().count() <= 64, "{long}");
        assert!(!long.ends_with('-'));
        crate::ops::check_system_name(&long).unwrap();
    }

    #[test]
    fn lines_are_sanitized_trimmed_and_cut() {
        assert_eq!(one_line("  a\u{1b}[2Jb\n", 50).as_deref(), Some("a␛[2Jb␤"));
        assert_eq!(one_line(" \t ", 50), None);
        let long = one_line(&"x".repeat(1000), 200).unwrap();
        assert_eq!(long.chars().count(), 200);
        assert!(long.ends_with('…'));
        let exact = one_line(&"y".repeat(200), 200).unwrap();
        assert_eq!(exact, "y".repeat(200));
        // Cut before sanitizing, still marked.
        let huge = one_line(&"z".repeat(100_000), 10).unwrap();
        assert_eq!(huge, format!("{}…", "z".repeat(9)));
    }

    #[test]
    fn titles_fall_back() {
        assert_eq!(
            title([None, Some("  ".into())], "fallback".into()),
            "fallback"
        );
        assert_eq!(title([Some("first".into())], "fallback".into()), "first");
        assert_eq!(title([None], String::new()), "Untitled alert");
        assert_eq!(
            title([Some("[FIRING:2]  (blue)".into())], "f".into()),
            "[FIRING:2] (blue)"
        );
    }

    #[test]
    fn urls_must_be_http_and_clean() {
        assert!(http_url("https://example.com/x?y=1").is_some());
        assert!(http_url("HTTP://example.com").is_some());
        assert!(http_url(" https://example.com ").is_some());
        for bad in [
            "javascript:alert(1)",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/\u{1b}]8;;",
            "https://example.com/\u{202e}",
            "",
        ] {
            assert!(http_url(bad).is_none(), "{bad:?}");
        }
        assert!(http_url(&format!("https://e.com/{}", "a".repeat(5000))).is_none());
    }

    #[test]
    fn main_screen_links_are_runbooks_dashboards_and_bridges() {
        for (label, kind) in [
            ("runbook", Some("runbook")),
            ("Runbook URL", Some("runbook")),
            ("dashboard", Some("dashboard")),
            ("conference bridge", Some("bridge")),
            ("Zoom", Some("bridge")),
            ("graph", None),
            ("silence", None),
            ("incident", None),
        ] {
            assert_eq!(main_link_kind(label), kind, "{label}");
        }
    }

    #[test]
    fn links_are_deduplicated_and_bounded() {
        let mut l = Links::default();
        l.push("a", Some("https://x.example"));
        l.push("b", Some("https://x.example"));
        l.push("c", None);
        l.push("d", Some("mailto:x@example"));
        assert_eq!(l.0, vec![("a".into(), "https://x.example".into())]);
        for i in 0..100 {
            l.push("n", Some(&format!("https://x.example/{i}")));
        }
        assert_eq!(l.0.len(), MAX_LINKS);
    }

    #[test]
    fn details_stay_within_bounds() {
        let mut d = Details::default();
        let mut added = 0;
        while d.push(&"w".repeat(1000)) {
            added += 1;
        }
        d.close("and many more");
        let text = d.finish();
        assert!(text.len() <= MAX_DETAILS);
        assert!(text.ends_with("and many more"), "{text}");
        assert!(added >= 10, "{added}");
        assert!(text.lines().all(|l| l.chars().count() <= MAX_DETAIL_LINE));
    }

    #[test]
    fn long_dedup_keys_stay_distinct() {
        let a = dedup_key(&format!("{}a", "k".repeat(2000)));
        let b = dedup_key(&format!("{}b", "k".repeat(2000)));
        assert_ne!(a, b);
        assert!(a.chars().count() <= MAX_DEDUP + 1);
        assert_eq!(dedup_key(" short "), "short");
        assert_eq!(dedup_key("a\u{1b}b"), "a␛b");
    }

    #[test]
    fn detection() {
        use serde_json::json;
        assert_eq!(
            detect(&json!({"event": {"event_type": "incident.triggered"}})),
            Some(Source::PagerDuty)
        );
        assert_eq!(
            detect(&json!({"action": "Create", "alert": {}})),
            Some(Source::Opsgenie)
        );
        assert_eq!(
            detect(&json!({"alerts": [], "orgId": 1})),
            Some(Source::Grafana)
        );
        assert_eq!(
            detect(&json!({"alerts": [], "groupKey": "x"})),
            Some(Source::Alertmanager)
        );
        assert_eq!(detect(&json!({"alerts": []})), None);
        assert_eq!(detect(&json!({"event": {"type": "x"}})), None);
        assert_eq!(detect(&json!([1, 2])), None);
        assert_eq!(detect(&json!(null)), None);
    }

    #[test]
    fn unknown_shapes_name_their_keys() {
        use serde_json::json;
        let keys: serde_json::Map<String, Value> =
            (0..20).map(|i| (format!("k{i:02}"), Value::Null)).collect();
        let e = unknown_shape(&Value::Object(keys)).problem;
        assert!(e.contains("k00, k01") && e.contains("and 12 more"), "{e}");
        assert!(!e.contains("k08"), "{e}");
        let e = unknown_shape(&json!({"\u{1b}[2J": 1})).problem;
        assert!(e.contains("␛[2J") && !e.contains('\u{1b}'), "{e}");
        let e = unknown_shape(&json!({"messages": [{"event": "incident.trigger"}]})).problem;
        assert!(e.contains("V2"), "{e}");
        let e = unknown_shape(&json!([{"labels": {}}])).problem;
        assert!(e.contains("Alertmanager API"), "{e}");
    }
}
