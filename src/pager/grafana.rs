//! Grafana unified alerting webhooks: an Alertmanager payload (see
//! [`super::alertmanager`]) with `orgId`, `title`, `state` and `message`,
//! `version` "1", and per alert `silenceURL`, `dashboardURL`, `panelURL` and
//! `values`.
//!
//! - de-duplication key: `groupKey` (required).
//! - title: from the alerts, as Alertmanager (the common summary, else the
//!   alertname, with the count when several); never the deprecated `title`
//!   (a rendered "[FIRING:3] (true)" that names nothing).
//! - severity, service: labels, as Alertmanager.
//! - state: `status` `firing`/`resolved`; when absent, `state` `alerting` is
//!   taken as firing and `ok`/`normal` as resolved.
//! - links: `runbook_url`/`dashboard_url` annotations, `externalURL`, and for
//!   each alert its `generatorURL` (the rule), `dashboardURL`, `panelURL` and
//!   `silenceURL`.
//! - alert count: `alerts` plus `truncatedAlerts`.
//! - times: the earliest `startsAt`, as Alertmanager.

use super::alertmanager::{Group, pairs};
use super::{Alert, Links, PagerError, Source, one_line, str_at, text_at};
use serde_json::Value;

const SRC: Source = Source::Grafana;

pub(super) fn parse(v: &Value) -> Result<Alert, PagerError> {
    let status = str_at(v, &["status"]).map(str::to_string).or_else(|| {
        match str_at(v, &["state"])?.trim().to_ascii_lowercase().as_str() {
            "alerting" => Some("firing".to_string()),
            "ok" | "normal" => Some("resolved".to_string()),
            _ => None,
        }
    });
    let g = Group::read(v, SRC, status)?;
    let title = g.title();
    let mut links = Links::default();
    g.common_links(&mut links);
    links.push("grafana", str_at(v, &["externalURL"]));
    g.alert_links(
        &mut links,
        &[
            ("generatorURL", "rule"),
            ("dashboardURL", "dashboard"),
            ("panelURL", "panel"),
            ("silenceURL", "silence"),
        ],
    );
    let org = text_at(v, &["orgId"]).map(|o| format!("org {o}"));
    Ok(g.into_alert(title, links, org, values))
}

/// An alert's query values ("B=52311, C=1"), or the older `valueString`.
fn values(alert: &Value) -> Option<String> {
    if let Some(values) = alert.get("values").and_then(Value::as_object) {
        let shown = pairs(values.iter(), 4);
        if !shown.is_empty() {
            return Some(shown);
        }
    }
    str_at(alert, &["valueString"]).and_then(|s| one_line(s, 120))
}

#[cfg(test)]
mod tests {
    use super::super::{AlertState, parse};
    use super::*;
    use serde_json::json;

    fn gf(v: Value) -> Result<Alert, PagerError> {
        parse(Some(SRC), v.to_string().as_bytes())
    }

    #[test]
    fn state_stands_in_for_a_missing_status() {
        let a = gf(json!({"orgId": 1, "groupKey": "g", "state": "ok", "title": "t", "alerts": []}))
            .unwrap();
        assert_eq!(a.state, AlertState::Resolved);
        let e = gf(json!({"orgId": 1, "groupKey": "g", "state": "paused", "alerts": []}))
            .unwrap_err()
            .problem;
        assert_eq!(e, "Grafana payload without status");
    }

    #[test]
    fn values_are_shown() {
        let a = gf(json!({
            "orgId": 1, "groupKey": "g", "status": "firing", "title": "",
            "alerts": [{"labels": {"alertname": "Hot"}, "values": {"B": 1.5, "C": 1}}]
        }))
        .unwrap();
        assert_eq!(a.title, "Hot");
        assert!(
            a.details.contains("- alertname=Hot · B=1.5, C=1"),
            "{}",
            a.details
        );
    }
}
