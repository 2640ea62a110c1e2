//! What a called team's pager is sent: the page when someone calls for
//! help, the resolve when the incident ends. Pure functions of the
//! incident and the team, so the shapes are tested without a network.
//!
//! - PagerDuty, Events API v2 (developer.pagerduty.com, "Send an Alert
//!   Event"): `routing_key`, `event_action` (`trigger`, `resolve`),
//!   `dedup_key`, and for a trigger `payload` {`summary`, `source`,
//!   `severity` (critical, error, warning, info), `timestamp`,
//!   `custom_details`}, `links` [{`href`, `text`}], `client`.
//! - Opsgenie, Alert API (docs.opsgenie.com, "Alert API"): create is
//!   `POST /v2/alerts` {`message` (130 characters at most), `alias`,
//!   `description`, `priority` (P1 to P5), `source`, `details`}; close is
//!   `POST /v2/alerts/:alias/close?identifierType=alias`; both with
//!   `Authorization: GenieKey KEY`.
//! - A webhook: our own JSON, `event` `escalated` or `resolved`.

use super::payload::{Method, Request};
use super::plan::{Dest, Job, MAX_AGE};
use super::responders::{Kind, Responder};
use crate::config::Team;
use crate::model::delivery::RESOLVE;
use crate::model::escalation::{Escalation, dedup_key};
use crate::model::{Incident, Severity};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// Where the call was made from, for the pager's `source`.
pub const SOURCE: &str = "incident";

/// PagerDuty's severity for ours.
pub fn pagerduty_severity(s: Severity) -> &'static str {
    match s {
        Severity::Sev1 => "critical",
        Severity::Sev2 => "error",
        Severity::Sev3 => "warning",
        Severity::Sev4 => "info",
    }
}

/// Opsgenie's priority for ours.
pub fn opsgenie_priority(s: Severity) -> &'static str {
    match s {
        Severity::Sev1 => "P1",
        Severity::Sev2 => "P2",
        Severity::Sev3 => "P3",
        Severity::Sev4 => "P4",
    }
}

/// "INC-3 SEV2: Checkout failing — need a DBA for the replica lag".
pub fn summary(inc: &Incident, e: &Escalation) -> String {
    let mut s = format!("{} {}: {}", inc.id, inc.severity, inc.title);
    if let Some(m) = &e.message {
        s.push_str(" — ");
        s.push_str(m);
    }
    s
}

/// The onlookers' page for `inc`, when the team file says where it is.
pub fn page_link(inc: &Incident, public_url: Option<&str>) -> Option<String> {
    public_url.map(|u| format!("{u}/{}", inc.id))
}

/// The page for call `e` of `inc` to team `r`. `secret`: its routing
/// key, API key or URL, read from its file just now.
pub fn trigger(
    inc: &Incident,
    e: &Escalation,
    r: &Responder,
    secret: &str,
    link: Option<&str>,
) -> Request {
    let key = dedup_key(&inc.id, &r.name);
    let summary = summary(inc, e);
    match r.kind {
        Kind::PagerDuty => {
            let mut body = json!({
                "routing_key": secret,
                "event_action": "trigger",
                "dedup_key": key,
                "client": SOURCE,
                "payload": {
                    "summary": cut(&summary, 1024),
                    "source": format!("{SOURCE} {}", inc.id),
                    "severity": pagerduty_severity(inc.severity),
                    "timestamp": e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    "custom_details": details(inc, e),
                },
            });
            if let Some(l) = link {
                body["client_url"] = json!(l);
                body["links"] = json!([{ "href": l, "text": format!("{} war room", inc.id) }]);
            }
            post(r.api_url.clone(), Vec::new(), body)
        }
        Kind::Opsgenie => {
            let mut description = summary.clone();
            if let Some(l) = link {
                description.push_str(&format!("\n{l}"));
            }
            let body = json!({
                "message": cut(&summary, 130),
                "alias": key,
                "description": description,
                "priority": opsgenie_priority(inc.severity),
                "source": SOURCE,
                "user": e.by,
                "details": details(inc, e),
            });
            post(format!("{}/v2/alerts", r.api_url), genie(secret), body)
        }
        Kind::Webhook => post(
            secret.to_string(),
            vec![("Idempotency-Key", format!("{key}/{}", e.n))],
            webhook(inc, e, &key, "escalated", link),
        ),
    }
}

/// The resolve for team `r` once `inc` is over.
pub fn resolve(inc: &Incident, r: &Responder, secret: &str) -> Request {
    let key = dedup_key(&inc.id, &r.name);
    let how = match &inc.closed {
        Some(c) => c.label(),
        None => "resolved".to_string(),
    };
    match r.kind {
        Kind::PagerDuty => post(
            r.api_url.clone(),
            Vec::new(),
            json!({
                "routing_key": secret,
                "event_action": "resolve",
                "dedup_key": key,
            }),
        ),
        Kind::Opsgenie => post(
            format!(
                "{}/v2/alerts/{}/close?identifierType=alias",
                r.api_url,
                encode(&key)
            ),
            genie(secret),
            json!({ "source": SOURCE, "note": format!("{} is {how}", inc.id) }),
        ),
        Kind::Webhook => {
            let mut body = json!({
                "event": "resolved",
                "key": key,
                "team": r.name,
                "incident": incident(inc),
                "text": format!("{} is {how}: thank you", inc.id),
            });
            body["incident"]["ended"] = json!(how);
            post(
                secret.to_string(),
                vec![("Idempotency-Key", format!("{key}/resolve"))],
                body,
            )
        }
    }
}

/// The pages and resolves due for `inc` at `now`: each call's page
/// while the incident is on (set aside, if never sent, once it is over),
/// and once it is over the resolve to each team whose page went out.
pub fn due<'a>(inc: &Incident, team: &'a Team, now: DateTime<Utc>) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    // Over for paging as the rules say it (no call is taken then).
    let over = crate::ops::may_page(inc).is_err();
    let fresh = |at: DateTime<Utc>, update: u64, target: &str| {
        inc.notices.get(update, target).is_some() || now - at <= MAX_AGE
    };
    let skip = |update: u64, target: &str, reason: &'static str| Job::Skip {
        update,
        target: target.to_string(),
        reason,
    };
    let mut paged: Vec<&str> = Vec::new();
    for e in &inc.notices.escalations {
        let target = crate::model::escalation::target(&e.team);
        let d = inc.notices.get(e.n, &target);
        if d.is_some_and(|d| d.sent_at.is_some()) && !paged.contains(&e.team.as_str()) {
            paged.push(&e.team);
        }
        if d.is_some_and(|d| d.is_done()) || !fresh(e.at, e.n, &target) {
            continue;
        }
        let responder = team.responders.iter().find(|r| r.name == e.team);
        if inc.is_drill() {
            jobs.push(skip(e.n, &target, "drill"));
        } else if d.is_some_and(|d| d.live_claim(now).is_some()) {
            // Being sent: what it comes to decides the resolve.
        } else if over {
            jobs.push(skip(e.n, &target, "the incident ended before it went out"));
        } else if let Some(r) = responder {
            if d.is_none_or(|d| d.is_due(now)) {
                jobs.push(Job::Send {
                    update: e.n,
                    dest: Dest::Page(r),
                });
            }
        } else {
            jobs.push(skip(e.n, &target, "the team is no longer in incident.toml"));
        }
    }
    let ended = inc.closed.as_ref().map(|c| c.at).or(inc.resolved_at);
    if let (true, Some(ended)) = (over, ended) {
        for name in paged {
            let target = crate::model::escalation::target(name);
            let d = inc.notices.get(RESOLVE, &target);
            if d.is_some_and(|d| d.is_done()) || !fresh(ended, RESOLVE, &target) {
                continue;
            }
            match team.responders.iter().find(|r| r.name == name) {
                Some(r) if d.is_none_or(|d| d.is_due(now)) => jobs.push(Job::Send {
                    update: RESOLVE,
                    dest: Dest::Page(r),
                }),
                Some(_) => {}
                None => jobs.push(skip(
                    RESOLVE,
                    &target,
                    "the team is no longer in incident.toml",
                )),
            }
        }
    }
    jobs
}

fn webhook(inc: &Incident, e: &Escalation, key: &str, event: &str, link: Option<&str>) -> Value {
    json!({
        "event": event,
        "key": key,
        "team": e.team,
        "call": e.n,
        "message": e.message,
        "by": e.by,
        "at": e.at,
        "incident": incident(inc),
        "link": link,
        "text": summary(inc, e),
    })
}

fn incident(inc: &Incident) -> Value {
    json!({
        "id": inc.id,
        "title": inc.title,
        "severity": inc.severity.to_string(),
        "status": inc.state_label(),
        "declared_at": inc.declared_at,
    })
}

fn details(inc: &Incident, e: &Escalation) -> Value {
    json!({
        "incident": inc.id,
        "title": inc.title,
        "severity": inc.severity.to_string(),
        "status": inc.state_label(),
        "called_by": e.by,
        "message": e.message,
    })
}

fn post(url: String, headers: Vec<(&'static str, String)>, body: Value) -> Request {
    Request {
        method: Method::Post,
        url,
        headers,
        body,
    }
}

fn genie(key: &str) -> Vec<(&'static str, String)> {
    vec![("Authorization", format!("GenieKey {key}"))]
}

/// At most `n` characters (the services refuse longer, or cut it).
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// A path segment, percent-encoded (the key has slashes): all but
/// RFC 3986's unreserved characters.
fn encode(s: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(s, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn inc() -> Incident {
        let at: DateTime<Utc> = "2026-12-06T03:00:00Z".parse().unwrap();
        Incident::declared("INC-3", "Checkout failing", Severity::Sev2, at, "alice")
    }

    fn call() -> Escalation {
        Escalation {
            n: 1,
            team: "db-team".into(),
            kind: "pagerduty".into(),
            message: Some("replica lag".into()),
            by: "alice".into(),
            at: "2026-12-06T03:10:00Z".parse().unwrap(),
            ack: None,
        }
    }

    fn team(kind: Kind, url: &str) -> Responder {
        Responder {
            name: "db-team".into(),
            kind,
            secret_file: "/k".into(),
            api_url: url.into(),
        }
    }

    #[test]
    fn pagerduty_trigger_has_the_fields_the_events_api_documents() {
        let r = team(Kind::PagerDuty, "https://events.pagerduty.com/v2/enqueue");
        let req = trigger(
            &inc(),
            &call(),
            &r,
            "R0UTING",
            Some("https://i.example.com/INC-3"),
        );
        assert_eq!(req.url, "https://events.pagerduty.com/v2/enqueue");
        let b = &req.body;
        assert_eq!(b["routing_key"], "R0UTING");
        assert_eq!(b["event_action"], "trigger");
        assert_eq!(b["dedup_key"], "incident/INC-3/db-team");
        assert_eq!(
            b["payload"]["summary"],
            "INC-3 SEV2: Checkout failing — replica lag"
        );
        assert_eq!(b["payload"]["severity"], "error");
        assert_eq!(b["payload"]["source"], "incident INC-3");
        assert_eq!(b["payload"]["timestamp"], "2026-12-06T03:10:00Z");
        assert_eq!(b["links"][0]["href"], "https://i.example.com/INC-3");
        let res = resolve(&inc(), &r, "R0UTING");
        assert_eq!(
            res.body,
            json!({"routing_key": "R0UTING", "event_action": "resolve", "dedup_key": "incident/INC-3/db-team"})
        );
    }

    #[test]
    fn opsgenie_creates_by_alias_and_closes_by_it() {
        let r = team(Kind::Opsgenie, "https://api.opsgenie.com");
        let req = trigger(&inc(), &call(), &r, "G3NIE", None);
        assert_eq!(req.url, "https://api.opsgenie.com/v2/alerts");
        assert_eq!(
            req.headers,
            [("Authorization", "GenieKey G3NIE".to_string())]
        );
        assert_eq!(req.body["alias"], "incident/INC-3/db-team");
        assert_eq!(req.body["priority"], "P2");
        let res = resolve(&inc(), &r, "G3NIE");
        assert_eq!(
            res.url,
            "https://api.opsgenie.com/v2/alerts/incident%2FINC-3%2Fdb-team/close?identifierType=alias"
        );
    }

    fn plan(inc: &Incident, teams: &[Responder]) -> Vec<String> {
        let team = Team {
            responders: teams.to_vec(),
            ..Team::default()
        };
        let now = e_at() + chrono::Duration::minutes(1);
        due(inc, &team, now)
            .into_iter()
            .map(|j| match j {
                Job::Send { update, dest } => format!("send {update} {}", dest.name()),
                Job::Skip {
                    update,
                    target,
                    reason,
                } => format!("skip {update} {target}: {reason}"),
            })
            .collect()
    }

    fn e_at() -> DateTime<Utc> {
        call().at
    }

    #[test]
    fn pages_are_due_while_it_is_on_and_resolves_once_it_is_over() {
        let r = team(Kind::PagerDuty, "https://x");
        let mut i = inc();
        i.notices.escalations.push(call());
        assert_eq!(plan(&i, std::slice::from_ref(&r)), ["send 1 page:db-team"]);
        // The team taken out of the file: set aside, saying why.
        assert_eq!(
            plan(&i, &[]),
            ["skip 1 page:db-team: the team is no longer in incident.toml"]
        );
        // Over before it went out: never sent, and nothing to resolve.
        let mut over = i.clone();
        over.status = Status::Resolved;
        over.resolved_at = Some(e_at());
        assert_eq!(
            plan(&over, std::slice::from_ref(&r)),
            ["skip 1 page:db-team: the incident ended before it went out"]
        );
        // Sent, then over: the resolve.
        over.notices.entry(1, "page:db-team").sent_at = Some(e_at());
        assert_eq!(
            plan(&over, std::slice::from_ref(&r)),
            ["send 0 page:db-team"]
        );
        // A drill pages nobody.
        i.drill = Some(crate::model::Drill {
            scenario: "bad-deploy".into(),
            speed: 1,
            started_at: e_at(),
            played: Default::default(),
        });
        assert_eq!(plan(&i, &[r]), ["skip 1 page:db-team: drill"]);
    }

    #[test]
    fn a_page_that_keeps_failing_is_named_as_a_call_for_help_everywhere() {
        let mut i = inc();
        i.notices.escalations.push(call());
        let d = i.notices.entry(1, "page:db-team");
        d.failures = 3;
        d.last_error = Some("HTTP 500".into());
        let banner = super::super::report::failing_banner(&i).unwrap();
        assert_eq!(
            banner,
            "CALL FOR HELP NOT GOING OUT: page 1 to db-team failed 3x: HTTP 500"
        );
        let called = super::super::report::called(&i);
        assert_eq!(called.len(), 1);
        assert!(
            called[0].starts_with("db-team paged 03:10 by alice — failed"),
            "{called:?}"
        );
    }

    #[test]
    fn a_long_summary_is_cut_to_what_the_service_takes() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
        for (s, want) in [
            (Severity::Sev1, "critical"),
            (Severity::Sev3, "warning"),
            (Severity::Sev4, "info"),
        ] {
            assert_eq!(pagerduty_severity(s), want);
        }
    }
}
