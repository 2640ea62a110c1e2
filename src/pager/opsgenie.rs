//! Opsgenie webhooks, and Jira Service Management's (the same payloads,
//! filed as [`Source::Jsm`]): `{"action", "source": {"name", "type"}, "alert":
//! {"alertId", "alias", "tinyId", "message", "username", "source", "entity",
//! "tags", "teams", "priority", "description", "details", ...},
//! "integrationName"}`.
//!
//! - de-duplication key: `alert.alias` (Opsgenie's own de-duplication key,
//!   the same for every action on the alert), else `alert.alertId`; one is
//!   required.
//! - title: `alert.message`, else "Opsgenie alert #tinyId".
//! - severity: `alert.priority` `P1`..`P5` as PagerDuty's (P4 and P5 are
//!   SEV4), else [`super::DEFAULT_SEVERITY`] (Opsgenie's own default, P3,
//!   maps to the same SEV3). Tags are not read for severity.
//! - state: `action` (required) `Create` is triggered, `Acknowledge` is
//!   acknowledged by `alert.username` (else the top-level `source.name`),
//!   `Close` is resolved; `AddNote` is [`AlertState::Other`] holding the
//!   note and its author (`note by NAME: "TEXT"`); any other action is
//!   [`AlertState::Other`] with the action.
//! - service: `alert.entity`, else the first tag `service:NAME` (or
//!   `service=NAME`).
//! - links: the `alert.details` properties whose value is an http(s) URL,
//!   labelled with their key.
//! - times: the alert started at `alert.createdAt` (milliseconds since
//!   1970); the action (an acknowledgement, a close) happened at
//!   `alert.updatedAt` (nanoseconds; the alert's latest update is the
//!   action being reported).

use super::{
    Alert, AlertState, Details, Links, PagerError, Source, at, dedup_key, noted, one_line,
    severity_word, str_at, system_name, text_at, time_at, title, who,
};
use serde_json::Value;

#[cfg(test)]
const SRC: Source = Source::Opsgenie;

/// `source` is [`Source::Opsgenie`] or [`Source::Jsm`]: the same payload.
pub(super) fn parse(v: &Value, source: Source) -> Result<Alert, PagerError> {
    let action = str_at(v, &["action"]).ok_or_else(|| PagerError::missing(source, "action"))?;
    let action = one_line(action, 60).unwrap_or_default();
    let alert = at(v, &["alert"])
        .filter(|a| a.is_object())
        .ok_or_else(|| PagerError::missing(source, "alert"))?;
    let key = text_at(alert, &["alias"])
        .or_else(|| text_at(alert, &["alertId"]))
        .ok_or_else(|| PagerError::missing(source, "alert.alias (or alert.alertId)"))?;
    let tiny = text_at(alert, &["tinyId"]);

    let state = match action.to_ascii_lowercase().as_str() {
        "create" => AlertState::Triggered,
        "acknowledge" => AlertState::Acknowledged {
            by: who(str_at(alert, &["username"]).or_else(|| str_at(v, &["source", "name"]))),
        },
        "close" => AlertState::Resolved,
        lower => AlertState::Other {
            what: (lower == "addnote")
                .then(|| {
                    noted(
                        str_at(alert, &["username"]).or_else(|| str_at(v, &["source", "name"])),
                        str_at(alert, &["note"]),
                    )
                })
                .flatten()
                .unwrap_or_else(|| action.clone()),
        },
    };

    let fallback = match &tiny {
        Some(t) => format!("{} alert #{t}", source.label()),
        None => format!("{} alert {key}", source.label()),
    };
    let title = title([str_at(alert, &["message"]).map(str::to_string)], fallback);

    let priority = str_at(alert, &["priority"]);
    let severity = priority
        .and_then(severity_word)
        .unwrap_or(super::DEFAULT_SEVERITY);

    let tags: Vec<&str> = at(alert, &["tags"])
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let service = str_at(alert, &["entity"])
        .and_then(system_name)
        .or_else(|| {
            tags.iter()
                .find_map(|t| service_tag(t))
                .and_then(system_name)
        });

    let props = at(alert, &["details"]).and_then(Value::as_object);
    let mut links = Links::default();
    for (k, val) in props.into_iter().flatten() {
        links.push(k, val.as_str());
    }

    let mut d = Details::default();
    let mut head = match &tiny {
        Some(t) => format!("{} alert #{t}", source.label()),
        None => format!("{} alert", source.label()),
    };
    head.push_str(&format!(" · {action}"));
    if let Some(p) = priority {
        head.push_str(&format!(" · priority {p}"));
    }
    d.push(&head);
    for (path, label) in [
        (&["entity"][..], "entity"),
        (&["source"][..], "source"),
        (&["alias"][..], "alias"),
    ] {
        if let Some(t) = str_at(alert, path) {
            d.push(&format!("{label}: {t}"));
        }
    }
    for (field, label) in [
        ("tags", "tags"),
        ("teams", "teams"),
        ("recipients", "recipients"),
    ] {
        let list = strings(alert.get(field), 10);
        if !list.is_empty() {
            d.push(&format!("{label}: {list}"));
        }
    }
    if let Some(desc) = str_at(alert, &["description"]) {
        for (i, line) in desc
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(10)
            .enumerate()
        {
            if i == 0 {
                d.push(&format!("description: {line}"));
            } else {
                d.push(line);
            }
        }
    }
    for (k, val) in props.into_iter().flatten().take(10) {
        if let Some(t) = val.as_str() {
            d.push(&format!("{}: {t}", one_line(k, 40).unwrap_or_default()));
        }
    }
    if let Some(note) = str_at(alert, &["note"]) {
        d.push(&format!("note: {note}"));
    }
    if let Some(by) = str_at(alert, &["username"]).or_else(|| str_at(v, &["source", "name"])) {
        d.push(&format!("by: {by}"));
    }

    Ok(Alert {
        source,
        dedup_key: dedup_key(&key),
        title,
        severity,
        state,
        service,
        links: links.0,
        details: d.finish(),
        alert_count: 1,
        events_key: None,
        started_at: time_at(alert, &["createdAt"]),
        occurred_at: time_at(alert, &["updatedAt"]),
        delivery_id: delivery(alert, &action, source),
        restates: false,
        services: Vec::new(),
    })
}

/// The alert id (else its alias), the action and when it happened (the
/// alert's `updatedAt`, else its `createdAt`): the same three again are the
/// same action delivered again. None without an id or a time.
fn delivery(alert: &Value, action: &str, source: Source) -> Option<String> {
    let id = text_at(alert, &["alertId"]).or_else(|| text_at(alert, &["alias"]))?;
    let when = text_at(alert, &["updatedAt"]).or_else(|| text_at(alert, &["createdAt"]))?;
    Some(super::delivery_id(
        source,
        &[&id, &action.to_ascii_lowercase(), &when],
    ))
}

/// The NAME of a `service:NAME` or `service=NAME` tag.
fn service_tag(tag: &str) -> Option<&str> {
    let (k, v) = tag.split_once([':', '='])?;
    (k.trim().eq_ignore_ascii_case("service") && !v.trim().is_empty()).then(|| v.trim())
}

/// Comma-separated strings of a list, at most `max`, then "and N more".
fn strings(list: Option<&Value>, max: usize) -> String {
    let Some(items) = list.and_then(Value::as_array) else {
        return String::new();
    };
    let shown: Vec<&str> = items
        .iter()
        .filter_map(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .take(max)
        .collect();
    let mut out = shown.join(", ");
    if items.len() > max {
        out.push_str(&format!(" and {} more", items.len() - max));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use crate::model::Severity;
    use serde_json::json;

    fn og(v: Value) -> Result<Alert, PagerError> {
        parse(Some(SRC), v.to_string().as_bytes())
    }

    #[test]
    fn service_comes_from_a_tag_without_entity() {
        let a = og(json!({"action": "Create", "alert": {"alias": "a", "entity": "", "tags": ["x", "Service: Search API"], "message": "m", "priority": "P2"}}))
            .unwrap();
        assert_eq!(a.service.as_deref(), Some("search-api"));
        assert_eq!(a.severity, Severity::Sev2);
        assert_eq!(service_tag("service=db"), Some("db"));
        assert_eq!(service_tag("services:db"), None);
        assert_eq!(service_tag("service:"), None);
    }

    #[test]
    fn alert_id_stands_in_for_alias() {
        let a =
            og(json!({"action": "Close", "alert": {"alertId": "abc-1", "tinyId": "7"}})).unwrap();
        assert_eq!(a.dedup_key, "abc-1");
        assert_eq!(a.title, "Opsgenie alert #7");
        assert_eq!(a.state, AlertState::Resolved);
        let e = og(json!({"action": "Close", "alert": {"alias": null, "alertId": ""}}))
            .unwrap_err()
            .problem;
        assert_eq!(e, "Opsgenie payload without alert.alias (or alert.alertId)");
        let e = og(json!({"action": "", "alert": {"alias": "a"}}))
            .unwrap_err()
            .problem;
        assert_eq!(e, "Opsgenie payload without action");
    }

    #[test]
    fn acknowledger_falls_back_to_the_source_name() {
        let a = og(json!({"action": "Acknowledge", "source": {"name": "api-key-bot"}, "alert": {"alias": "a", "username": ""}}))
            .unwrap();
        assert_eq!(
            a.state,
            AlertState::Acknowledged {
                by: Some("api-key-bot".into())
            }
        );
    }

    #[test]
    fn detail_urls_become_links() {
        let a = og(json!({"action": "AddNote", "alert": {"alias": "a", "note": "looking",
            "details": {"runbook": "https://runbooks.example/x", "bad": "javascript:alert(1)", "n": "3"}}}))
        .unwrap();
        assert_eq!(
            a.links,
            vec![(
                "runbook".to_string(),
                "https://runbooks.example/x".to_string()
            )]
        );
        assert_eq!(
            a.state,
            AlertState::Other {
                what: "note: \"looking\"".into()
            }
        );
        assert!(a.details.contains("note: looking"), "{}", a.details);
        // A note without text is still the action.
        let a = og(json!({"action": "AddNote", "alert": {"alias": "a", "note": " "}})).unwrap();
        assert_eq!(
            a.state,
            AlertState::Other {
                what: "AddNote".into()
            }
        );
    }
}
