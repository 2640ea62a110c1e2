//! PagerDuty V3 webhooks: `{"event": {"event_type", "resource_type",
//! "agent", "data"}}`.
//!
//! Only incident events are accepted (`incident.*`). For most of them
//! `event.data` is the incident itself; for `incident.annotated`,
//! `incident.responder.*` and `incident.status_update_published` it is a note,
//! responder request or status update holding an `incident` reference, which
//! is used instead.
//!
//! - de-duplication key: the incident id (`event.data.id`, or
//!   `event.data.incident.id`), stable across the incident's life; required.
//!   (`incident_key`, the integration's own key, is shown in the details.)
//! - title: `event.data.title`, else the reference's `summary`, else
//!   "PagerDuty incident #number".
//! - severity: the priority's `summary` or `name` (`P1`..`P5`, see
//!   [`super::severity_word`]), else urgency `high` is SEV2 and `low` SEV3,
//!   else [`super::DEFAULT_SEVERITY`].
//! - state: `incident.triggered` and `incident.reopened` are triggered,
//!   `incident.acknowledged` is acknowledged by `event.agent.summary`,
//!   `incident.resolved` is resolved. `incident.escalated` and
//!   `incident.priority_updated` of an incident still open (status
//!   `triggered` or `acknowledged`) are triggered too: a page, whether or
//!   not its trigger was seen. `incident.annotated` is
//!   [`AlertState::Other`] holding the note and its author (`note by NAME:
//!   "TEXT"`); any other event type is [`AlertState::Other`] with the event
//!   type.
//! - follow-ups are matched by the incident id (the de-duplication key) and
//!   the integration's `incident_key` ([`Alert::events_key`]), never by the
//!   service alone ([`Alert::joins_by_service`] is false).
//!
//! Retired V2 webhooks (`{"messages": [{"event": "incident.trigger", ...}]}`)
//! are refused with what to do instead (a V3 webhook subscription).
//! - service: `event.data.service.summary`.
//! - links: the incident page (`html_url`), the conference bridge
//!   (`conference_bridge.conference_url`).
//! - times: the alert started at the incident's `created_at`; the event
//!   (an acknowledgement, a resolve) happened at `event.occurred_at`.

use super::{
    Alert, AlertState, Details, Links, PagerError, Source, at, dedup_key, noted, one_line,
    severity_word, str_at, system_name, text_at, time_at, title, who,
};
use crate::model::Severity;
use serde_json::Value;

const SRC: Source = Source::PagerDuty;

/// Whether this is a retired V2 webhook: `messages[]` of `{"event": ...}`
/// and no V3 `event` object.
pub(super) fn is_v2(v: &Value) -> bool {
    !at(v, &["event"]).is_some_and(Value::is_object)
        && at(v, &["messages"])
            .and_then(Value::as_array)
            .is_some_and(|m| m.iter().any(|i| i.get("event").is_some()))
}

/// The one refusal of a V2 webhook, from `incident page` and the listener
/// alike.
fn v2_refused() -> PagerError {
    PagerError::new(
        "this is a PagerDuty V2 webhook (messages[]), which PagerDuty retired: add a V3 webhook subscription (Integrations → Generic Webhooks (v3)) sending to the same address, and remove the V2 extension",
    )
}

pub(super) fn parse(v: &Value) -> Result<Alert, PagerError> {
    if is_v2(v) {
        return Err(v2_refused());
    }
    let event_type = str_at(v, &["event", "event_type"])
        .ok_or_else(|| PagerError::missing(SRC, "event.event_type"))?;
    let event_type = one_line(event_type, 80).unwrap_or_default();
    let resource = str_at(v, &["event", "resource_type"]);
    let about_incident = match resource {
        Some(r) => r == "incident",
        None => event_type.starts_with("incident."),
    };
    if !about_incident {
        let what = if event_type == "pagey.ping" {
            "a test ping".to_string()
        } else {
            format!(
                "about a {}",
                one_line(
                    resource.unwrap_or_else(|| event_type.split('.').next().unwrap_or("")),
                    40
                )
                .unwrap_or_else(|| "something else".into())
            )
        };
        return Err(PagerError::aside(format!(
            "PagerDuty event {event_type} is {what}, not an incident: only incident events can be filed"
        )));
    }
    let data = at(v, &["event", "data"])
        .filter(|d| d.is_object())
        .ok_or_else(|| PagerError::missing(SRC, "event.data"))?;
    // The incident itself, or the note/responder/status update about one.
    let (incident, id_path, is_reference) = match data.get("incident") {
        Some(inc) if inc.is_object() && str_at(data, &["type"]) != Some("incident") => {
            (inc, "event.data.incident.id", true)
        }
        _ => (data, "event.data.id", false),
    };
    let id = text_at(incident, &["id"]).ok_or_else(|| PagerError::missing(SRC, id_path))?;
    let number = text_at(incident, &["number"]);

    let status = str_at(incident, &["status"]).map(|s| s.trim().to_ascii_lowercase());
    let open = matches!(status.as_deref(), Some("triggered" | "acknowledged"));
    let state = match event_type.as_str() {
        "incident.triggered" | "incident.reopened" => AlertState::Triggered,
        "incident.acknowledged" => AlertState::Acknowledged {
            by: who(str_at(v, &["event", "agent", "summary"])),
        },
        "incident.resolved" => AlertState::Resolved,
        "incident.escalated" | "incident.priority_updated" if open => AlertState::Triggered,
        "incident.annotated" => AlertState::Other {
            what: noted(
                str_at(v, &["event", "agent", "summary"]),
                str_at(data, &["content"]),
            )
            .unwrap_or_else(|| event_type.clone()),
        },
        other => AlertState::Other {
            what: other.to_string(),
        },
    };

    let fallback = match &number {
        Some(n) => format!("PagerDuty incident #{n}"),
        None => format!("PagerDuty incident {id}"),
    };
    let title = title(
        [
            str_at(incident, &["title"]).map(str::to_string),
            str_at(incident, &["summary"]).map(str::to_string),
        ],
        fallback,
    );

    let priority = str_at(incident, &["priority", "summary"])
        .or_else(|| str_at(incident, &["priority", "name"]))
        .or_else(|| str_at(incident, &["priority"]));
    let urgency = str_at(incident, &["urgency"]);
    let severity = priority
        .and_then(severity_word)
        .or_else(
            || match urgency.map(|u| u.trim().to_ascii_lowercase()).as_deref() {
                Some("high") => Some(Severity::Sev2),
                Some("low") => Some(Severity::Sev3),
                _ => None,
            },
        )
        .unwrap_or(super::DEFAULT_SEVERITY);

    let service_name = str_at(incident, &["service", "summary"]);
    let service = service_name.and_then(system_name);

    let mut links = Links::default();
    links.push("incident", str_at(incident, &["html_url"]));
    links.push(
        "conference bridge",
        str_at(incident, &["conference_bridge", "conference_url"]),
    );
    links.push("service", str_at(incident, &["service", "html_url"]));

    let mut d = Details::default();
    let mut head = match &number {
        Some(n) => format!("PagerDuty incident #{n} ({id})"),
        None => format!("PagerDuty incident {id}"),
    };
    head.push_str(&format!(" · {event_type}"));
    if let Some(s) = str_at(incident, &["status"]) {
        head.push_str(&format!(" · status {s}"));
    }
    d.push(&head);
    let mut grade = Vec::new();
    if let Some(p) = priority {
        grade.push(format!("priority {p}"));
    }
    if let Some(u) = urgency {
        grade.push(format!("urgency {u}"));
    }
    if !grade.is_empty() {
        d.push(&grade.join(" · "));
    }
    if let Some(s) = service_name {
        d.push(&format!("service: {s}"));
    }
    if let Some(ep) = str_at(incident, &["escalation_policy", "summary"]) {
        d.push(&format!("escalation policy: {ep}"));
    }
    for (field, label) in [("assignees", "assigned to"), ("teams", "teams")] {
        let names = summaries(incident.get(field));
        if !names.is_empty() {
            d.push(&format!("{label}: {names}"));
        }
    }
    if let Some(k) = text_at(incident, &["incident_key"]) {
        d.push(&format!("incident key: {k}"));
    }
    if let Some(n) = str_at(incident, &["conference_bridge", "conference_number"]) {
        d.push(&format!("conference number: {n}"));
    }
    if let Some(r) = str_at(incident, &["resolve_reason", "type"]) {
        d.push(&format!("resolve reason: {r}"));
    }
    if let Some(agent) = str_at(v, &["event", "agent", "summary"]) {
        d.push(&format!("by: {agent}"));
    }
    if is_reference {
        // What the note, status update or responder request says.
        for (path, label) in [
            (&["content"][..], "note"),
            (&["message"][..], "message"),
            (&["user", "summary"][..], "responder"),
            (&["state"][..], "responder state"),
        ] {
            if let Some(t) = str_at(data, path) {
                d.push(&format!("{label}: {t}"));
            }
        }
    }
    if let Some(at) = str_at(v, &["event", "occurred_at"]) {
        d.push(&format!("occurred at: {at}"));
    }

    Ok(Alert {
        source: SRC,
        dedup_key: dedup_key(&id),
        title,
        severity,
        state,
        service,
        links: links.0,
        details: d.finish(),
        alert_count: 1,
        events_key: text_at(incident, &["incident_key"]).and_then(|k| one_line(&k, 255)),
        started_at: time_at(incident, &["created_at"]),
        occurred_at: time_at(v, &["event", "occurred_at"]),
        delivery_id: text_at(v, &["event", "id"])
            .map(|id| super::delivery_id(SRC, &["event.id", &id])),
        restates: matches!(
            event_type.as_str(),
            "incident.escalated" | "incident.priority_updated"
        ),
        services: Vec::new(),
    })
}

/// The `summary` of each reference in a list, comma-separated (at most 10).
fn summaries(list: Option<&Value>) -> String {
    let Some(items) = list.and_then(Value::as_array) else {
        return String::new();
    };
    let names: Vec<&str> = items
        .iter()
        .filter_map(|i| str_at(i, &["summary"]))
        .take(10)
        .collect();
    let more = items.len().saturating_sub(10);
    let mut out = names.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use serde_json::json;

    fn pd(event: Value) -> Result<Alert, PagerError> {
        parse(Some(SRC), json!({ "event": event }).to_string().as_bytes())
    }

    #[test]
    fn notes_are_filed_under_their_incident() {
        let a = pd(json!({
            "event_type": "incident.annotated",
            "resource_type": "incident",
            "data": {
                "incident": {"id": "PGR0VU2", "summary": "A little bump", "html_url": "https://acme.example/incidents/PGR0VU2"},
                "id": "P2LA89X", "content": "restarted the \u{1b}[31mpods", "type": "incident_note"
            }
        }))
        .unwrap();
        assert_eq!(a.dedup_key, "PGR0VU2");
        assert_eq!(a.title, "A little bump");
        assert_eq!(
            a.state,
            AlertState::Other {
                what: "note: \"restarted the ␛[31mpods\"".into()
            }
        );
        assert!(
            a.details.contains("note: restarted the ␛[31mpods"),
            "{}",
            a.details
        );
        assert_eq!(a.links[0].0, "incident");
    }

    #[test]
    fn non_incident_events_are_refused() {
        let e = pd(json!({"event_type": "service.updated", "resource_type": "service", "data": {"id": "PF9"}}))
            .unwrap_err()
            .problem;
        assert!(
            e.contains("service.updated") && e.contains("not an incident"),
            "{e}"
        );
        let e = pd(json!({"event_type": "pagey.ping", "data": {}}))
            .unwrap_err()
            .problem;
        assert!(e.contains("test ping"), "{e}");
    }

    #[test]
    fn severity_falls_back_to_urgency_then_default() {
        let base = |prio: Value, urgency: Value| {
            pd(json!({"event_type": "incident.triggered", "data": {"id": "X", "priority": prio, "urgency": urgency}}))
                .unwrap()
                .severity
        };
        assert_eq!(base(json!({"summary": "P2"}), json!("low")), Severity::Sev2);
        assert_eq!(base(json!({"name": "P5"}), json!(null)), Severity::Sev4);
        assert_eq!(
            base(json!({"summary": "Custom"}), json!("low")),
            Severity::Sev3
        );
        assert_eq!(base(json!(null), json!("high")), Severity::Sev2);
        assert_eq!(base(json!(""), json!("")), super::super::DEFAULT_SEVERITY);
    }

    #[test]
    fn required_fields_are_named() {
        let e = pd(json!({"event_type": "incident.triggered", "data": {"id": ""}}))
            .unwrap_err()
            .problem;
        assert_eq!(e, "PagerDuty payload without event.data.id");
        let e = pd(json!({"event_type": null, "data": {"id": "X"}}))
            .unwrap_err()
            .problem;
        assert_eq!(e, "PagerDuty payload without event.event_type");
        let e = pd(json!({"event_type": "incident.triggered", "data": null}))
            .unwrap_err()
            .problem;
        assert_eq!(e, "PagerDuty payload without event.data");
    }

    #[test]
    fn title_falls_back_to_the_number() {
        let a = pd(json!({"event_type": "incident.triggered", "data": {"id": "X", "number": 7, "title": " \n "}}))
            .unwrap();
        assert_eq!(a.title, "PagerDuty incident #7");
    }
}
