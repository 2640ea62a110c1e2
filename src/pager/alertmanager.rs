//! Prometheus Alertmanager webhooks, version 4: `{"version": "4",
//! "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels",
//! "commonLabels", "commonAnnotations", "externalURL", "alerts": [{"status",
//! "labels", "annotations", "startsAt", "endsAt", "generatorURL",
//! "fingerprint"}]}`.
//!
//! One payload is one notification for a group of alerts; Grafana's
//! webhook has the same shape with more fields, and shares [`Group`].
//!
//! - de-duplication key: `groupKey` (required), the same for every
//!   notification of the group: firing, re-firing with more alerts,
//!   resolved.
//! - title: `commonAnnotations.summary` (or the `summary` every alert
//!   shares), else `commonLabels.alertname`, else the distinct alertnames
//!   of the alerts (at most three, then "…"), each name with " (N alerts)"
//!   when there are several; else "Alertmanager alert group".
//! - severity: the `severity` label (`commonLabels`, else the first alert's
//!   labels) through [`super::severity_word`]: `critical`/`page`/`sev1`/`p1`
//!   is SEV1, `error`/`high`/`major` SEV2, `warning`/`medium` SEV3,
//!   `info`/`low`/`minor` SEV4; else [`super::DEFAULT_SEVERITY`].
//! - state: `status` (required) `firing` is triggered, `resolved` is
//!   resolved, anything else [`AlertState::Other`]. A firing group whose
//!   `notification_reason` is "repeat interval elapsed" (Alertmanager 0.32
//!   and later) is [`AlertState::Other`] "still firing (...)": a reminder,
//!   not a re-trigger.
//! - service: the label `service`, else `app`, else
//!   `app_kubernetes_io_name`, else a `job` that is not an instrument, else
//!   the `host`, `hostname`, `target` or `instance` label (a URL's host, no
//!   port); looked up in `commonLabels`, then `routeLabels`, then the first
//!   alert's labels. An instrument is a `job` naming what noticed, not what
//!   failed: an exporter or prober (`node`, `node-exporter`, `blackbox`,
//!   `blackbox-icmp`, `probe-*`, `ping`, `telegraf`, `pushgateway`, `snmp`,
//!   `federate`, or a Kubernetes exporter).
//!   Kubernetes exporters (a `job` of kube-state-metrics, cAdvisor or the
//!   kubelet) come first of all: their alerts are about a workload, so the
//!   `deployment`, else `statefulset`, else `daemonset`, else `pod` label
//!   is the service, as `NAMESPACE/NAME` when a `namespace` label is there
//!   (`shop/checkout`); a node's alert (`node` label) names the node. With
//!   none of those the rules above apply. When the alerts name several
//!   systems, the details list them ("failing: a, b, c").
//! - links: `runbook_url`/`dashboard_url` annotations (common, then per
//!   alert), `externalURL`, each alert's `generatorURL`.
//! - alert count: `alerts` (required, a list) plus `truncatedAlerts`.
//! - times: the group started at the earliest `startsAt` of its alerts;
//!   a notification says nothing of when it was sent.
//!
//! A `version` other than "4" is refused; a missing one is accepted.

use super::{
    Alert, AlertState, Details, Links, MAX_LISTED, MAX_TITLE, PagerError, Source, at, count_at,
    dedup_key, one_line, severity_word, str_at, system_name, text_at, time_at, title,
};
use serde_json::Value;

const SRC: Source = Source::Alertmanager;

/// Annotations that hold links, and the label each gets.
const ANNOTATION_LINKS: [(&str, &str); 4] = [
    ("runbook_url", "runbook"),
    ("runbook", "runbook"),
    ("dashboard_url", "dashboard"),
    ("dashboard", "dashboard"),
];

/// Labels naming the affected service, best first.
const SERVICE_LABELS: [&str; 3] = ["service", "app", "app_kubernetes_io_name"];

/// Labels naming the machine or endpoint that failed, best first.
const HOST_LABELS: [&str; 4] = ["host", "hostname", "target", "instance"];

/// Labels naming a Kubernetes workload, best first.
const WORKLOAD_LABELS: [&str; 4] = ["deployment", "statefulset", "daemonset", "pod"];

/// What notifies that a group is still firing, unchanged: Alertmanager's
/// `notification_reason` for a repeat.
const REPEAT_REASON: &str = "repeat interval elapsed";

/// Whether a `job` is an exporter that reports on Kubernetes objects
/// (kube-state-metrics, cAdvisor, the kubelet) rather than on itself.
fn kubernetes_exporter(job: &str) -> bool {
    let job = compact(job);
    job.contains("kubestatemetrics") || job.contains("cadvisor") || job.contains("kubelet")
}

/// Lowercase letters and digits only: `Node Exporter` is `nodeexporter`.
fn compact(s: &str) -> String {
    s.trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Whether a `job` names the instrument that noticed, not what failed: an
/// exporter (`node-exporter`, `mysqld_exporter`, `node`), a prober
/// (`blackbox`, `blackbox-icmp`, `probe-http`, `ping`), an agent or a
/// relay (`telegraf`, `pushgateway`, `snmp`, `federate`), or a Kubernetes
/// exporter (`kube-state-metrics`, `cadvisor`, `kubelet`).
fn instrument(job: &str) -> bool {
    let c = compact(job);
    let lower = job.trim().to_ascii_lowercase();
    let first = lower
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    kubernetes_exporter(job)
        || first == "node"
        || first == "nodes"
        || [
            "exporter",
            "blackbox",
            "probe",
            "prober",
            "icmp",
            "ping",
            "telegraf",
            "pushgateway",
            "snmp",
            "federate",
        ]
        .iter()
        .any(|w| c.contains(w))
}

/// The host of an `instance`, `target` or `host` label: a URL's host, and
/// no `:port` (`db-1:9100` is db-1, `[2001:db8::1]:9100` is 2001:db8::1,
/// `https://shop.example/health` is shop.example).
fn host_of(raw: &str) -> &str {
    let raw = raw.trim();
    let raw = match raw.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?', '#']).next().unwrap_or(rest),
        None => raw,
    };
    let raw = raw.rsplit('@').next().unwrap_or(raw);
    match raw.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None if raw.matches(':').count() == 1 => raw.split(':').next().unwrap_or(raw),
        None => raw,
    }
}

/// The workload a Kubernetes exporter's alert is about (see the module
/// documentation), if its labels name one.
fn workload_in(labels: &Value) -> Option<String> {
    let label = |k: &str| str_at(labels, &[k]);
    if let Some(name) = WORKLOAD_LABELS.iter().find_map(|k| label(k)) {
        let full = match label("namespace") {
            Some(ns) => format!("{}/{}", ns.trim(), name.trim()),
            None => name.to_string(),
        };
        return system_name(&full);
    }
    label("node").and_then(system_name)
}

/// The affected service: a Kubernetes workload first (from the common
/// labels, else the first alert's, which hold every label), then the
/// other rules on the common labels, the route's labels, then the first
/// alert's.
fn service_of(
    common: Option<&Value>,
    route: Option<&Value>,
    first: Option<&Value>,
) -> Option<String> {
    let from_kubernetes = |labels: &Value| {
        str_at(labels, &["job"])
            .is_some_and(kubernetes_exporter)
            .then(|| workload_in(labels))
            .flatten()
    };
    [common, first]
        .into_iter()
        .flatten()
        .find_map(from_kubernetes)
        .or_else(|| {
            [common, route, first]
                .into_iter()
                .flatten()
                .find_map(service_in)
        })
}

/// The affected service named by one set of labels (see the module
/// documentation for the rule).
fn service_in(labels: &Value) -> Option<String> {
    let label = |k: &str| str_at(labels, &[k]);
    if let Some(v) = SERVICE_LABELS.iter().find_map(|k| label(k)) {
        return system_name(v);
    }
    if let Some(job) = label("job")
        && !instrument(job)
    {
        return system_name(job);
    }
    host_in(labels)
}

/// The machine or endpoint one set of labels names, if any.
fn host_in(labels: &Value) -> Option<String> {
    HOST_LABELS
        .iter()
        .find_map(|k| str_at(labels, &[k]))
        .and_then(|h| system_name(host_of(h)))
}

pub(super) fn parse(v: &Value) -> Result<Alert, PagerError> {
    match at(v, &["version"]) {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.trim() == "4" || s.trim().is_empty() => {}
        Some(Value::Number(n)) if n.as_u64() == Some(4) => {}
        Some(other) => {
            let shown = match other {
                Value::String(s) => one_line(s, 20).unwrap_or_default(),
                Value::Number(n) => n.to_string(),
                _ => "of the wrong type".into(),
            };
            let hint = if shown == "1" {
                " (version 1 is Grafana's webhook: use --source grafana)"
            } else {
                ""
            };
            return Err(PagerError::new(format!(
                "Alertmanager webhook version {shown}: only version 4 is known{hint}"
            )));
        }
    }
    let g = Group::read(v, SRC, str_at(v, &["status"]).map(str::to_string))?;
    let title = g.title();
    let mut links = Links::default();
    g.common_links(&mut links);
    links.push("alertmanager", str_at(v, &["externalURL"]));
    g.alert_links(&mut links, &[("generatorURL", "graph")]);
    Ok(g.into_alert(title, links, None, |_| None))
}

/// An Alertmanager-shaped notification: a group of alerts.
pub(super) struct Group<'a> {
    pub v: &'a Value,
    pub source: Source,
    /// The group's status, as given (firing, resolved).
    pub status: String,
    pub alerts: &'a [Value],
    /// Alerts carried plus alerts left out (`truncatedAlerts`).
    pub count: usize,
    pub truncated: usize,
}

impl<'a> Group<'a> {
    /// Reads what every such payload needs: `groupKey`, a status (as found
    /// by the caller) and `alerts`.
    pub fn read(v: &'a Value, source: Source, status: Option<String>) -> Result<Self, PagerError> {
        if text_at(v, &["groupKey"]).is_none() {
            return Err(PagerError::missing(source, "groupKey"));
        }
        let status = status
            .and_then(|s| one_line(&s, 40))
            .ok_or_else(|| PagerError::missing(source, "status"))?;
        let alerts = at(v, &["alerts"])
            .and_then(Value::as_array)
            .ok_or_else(|| PagerError::missing(source, "alerts"))?;
        let truncated = count_at(v, &["truncatedAlerts"]);
        Ok(Group {
            v,
            source,
            status,
            alerts,
            count: alerts.len().saturating_add(truncated),
            truncated,
        })
    }

    fn first(&self) -> Option<&'a Value> {
        self.alerts.first()
    }

    /// A label: from `commonLabels`, else from the first alert.
    pub fn label(&self, key: &str) -> Option<&'a str> {
        str_at(self.v, &["commonLabels", key])
            .or_else(|| self.first().and_then(|a| str_at(a, &["labels", key])))
    }

    /// The title, from what the alerts say (see the module documentation):
    /// the common summary (or the summary every alert shares), else the
    /// alertname, with " (N alerts)" when there are several: the common
    /// one, else each distinct one (at most three, then "…").
    pub fn title(&self) -> String {
        let counted = |name: Option<&str>| {
            let name = name?;
            if self.count <= 1 {
                return Some(name.to_string());
            }
            let suffix = format!(" ({} alerts)", self.count);
            let room = MAX_TITLE.saturating_sub(suffix.chars().count());
            one_line(name, room).map(|n| format!("{n}{suffix}"))
        };
        // The distinct values of one field across the alerts, in order.
        let distinct = |path: &[&str]| {
            let mut seen: Vec<&str> = Vec::new();
            for a in self.alerts {
                if let Some(v) = str_at(a, path).map(str::trim)
                    && !seen.contains(&v)
                {
                    seen.push(v);
                }
            }
            seen
        };
        let summaries = distinct(&["annotations", "summary"]);
        let shared_summary = (summaries.len() == 1
            && self
                .alerts
                .iter()
                .all(|a| str_at(a, &["annotations", "summary"]).is_some()))
        .then(|| summaries[0]);
        let names = distinct(&["labels", "alertname"]);
        let names = match names.len() {
            0 => None,
            1..=3 => Some(names.join(", ")),
            _ => Some(format!("{}, …", names[..3].join(", "))),
        };
        title(
            [
                str_at(self.v, &["commonAnnotations", "summary"]).map(str::to_string),
                counted(str_at(self.v, &["commonLabels", "alertname"])),
                shared_summary.map(str::to_string),
                counted(names.as_deref()),
            ],
            format!("{} alert group", self.source.label()),
        )
    }

    /// The systems the alerts name one by one, in order, each once.
    fn systems(&self) -> Vec<String> {
        let mut systems: Vec<String> = Vec::new();
        for a in self.alerts {
            if let Some(s) = at(a, &["labels"]).and_then(|l| service_of(None, None, Some(l)))
                && !systems.contains(&s)
            {
                systems.push(s);
            }
        }
        systems
    }

    /// The systems the alerts name one by one, when they name several
    /// (a probe's unreachable hosts): "failing: a, b, c".
    fn failing_line(&self) -> Option<String> {
        let systems = self.systems();
        if systems.len() < 2 {
            return None;
        }
        let more = systems.len().saturating_sub(MAX_LISTED);
        let mut line = format!(
            "failing: {}",
            systems[..systems.len().min(MAX_LISTED)].join(", ")
        );
        if more > 0 {
            line.push_str(&format!(" and {more} more"));
        }
        Some(line)
    }

    /// Links from the common annotations.
    pub fn common_links(&self, links: &mut Links) {
        for (key, label) in ANNOTATION_LINKS {
            links.push(label, str_at(self.v, &["commonAnnotations", key]));
        }
    }

    /// Links from each alert: its annotations, then `fields` (alert field,
    /// label), until the links are full.
    pub fn alert_links(&self, links: &mut Links, fields: &[(&str, &str)]) {
        for alert in self.alerts {
            if links.0.len() >= super::MAX_LINKS {
                break;
            }
            for (key, label) in ANNOTATION_LINKS {
                links.push(label, str_at(alert, &["annotations", key]));
            }
            for (field, label) in fields {
                links.push(label, str_at(alert, &[field]));
            }
        }
    }

    /// The alert: severity, state, service and details from the group.
    /// `org` is added to the first line; `extra` gives more text for an
    /// alert's line (Grafana's values).
    pub fn into_alert(
        self,
        title: String,
        links: Links,
        org: Option<String>,
        extra: impl Fn(&Value) -> Option<String>,
    ) -> Alert {
        let severity = self
            .label("severity")
            .and_then(severity_word)
            .unwrap_or(super::DEFAULT_SEVERITY);
        let state = match self.status.to_ascii_lowercase().as_str() {
            "firing" => AlertState::Triggered,
            "resolved" => AlertState::Resolved,
            _ => AlertState::Other {
                what: self.status.clone(),
            },
        };
        let service = service_of(
            at(self.v, &["commonLabels"]),
            at(self.v, &["routeLabels"]),
            self.first().and_then(|a| at(a, &["labels"])),
        );
        // A reminder that the group still fires is no new trigger.
        let state = match (&state, str_at(self.v, &["notification_reason"])) {
            (AlertState::Triggered, Some(r)) if r.trim().eq_ignore_ascii_case(REPEAT_REASON) => {
                AlertState::Other {
                    what: format!("still firing ({REPEAT_REASON})"),
                }
            }
            _ => state,
        };
        let details = self.details(org, &extra);
        let services = Some(self.systems())
            .filter(|s| s.len() > 1)
            .unwrap_or_default();
        Alert {
            source: self.source,
            dedup_key: dedup_key(&text_at(self.v, &["groupKey"]).unwrap_or_default()),
            title,
            severity,
            state,
            service,
            links: links.0,
            details,
            alert_count: self.count,
            events_key: None,
            started_at: self.started_at(),
            occurred_at: None,
            delivery_id: self.delivery_id(),
            restates: false,
            services,
        }
    }

    /// The notification's delivery id: its group key, status and
    /// `notification_reason`, and each alert's fingerprint (else its
    /// labels), status and `startsAt` (and `endsAt` once resolved: a
    /// firing alert's end is only a lease that every notification renews).
    /// Alertmanager's repeat of an unchanged group is the same notification
    /// again; a reminder saying "repeat interval elapsed" is one more
    /// notification, once.
    fn delivery_id(&self) -> Option<String> {
        let group = text_at(self.v, &["groupKey"])?;
        let reason = str_at(self.v, &["notification_reason"])
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let mut alerts: Vec<String> = self
            .alerts
            .iter()
            .map(|a| {
                let who = text_at(a, &["fingerprint"]).unwrap_or_else(|| {
                    at(a, &["labels"]).map(Value::to_string).unwrap_or_default()
                });
                let status = str_at(a, &["status"])
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let ends = if status == "resolved" {
                    text_at(a, &["endsAt"]).unwrap_or_default()
                } else {
                    String::new()
                };
                let starts = text_at(a, &["startsAt"]).unwrap_or_default();
                serde_json::json!([who, status, starts, ends]).to_string()
            })
            .collect();
        alerts.sort();
        let status = self.status.to_ascii_lowercase();
        let mut parts = vec![group.as_str(), status.as_str(), reason.as_str()];
        let truncated = self.truncated.to_string();
        parts.push(&truncated);
        parts.extend(alerts.iter().map(String::as_str));
        Some(super::delivery_id(self.source, &parts))
    }

    /// When the group started: the earliest `startsAt` of the alerts it
    /// carries (one that is not a time is passed over).
    fn started_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.alerts
            .iter()
            .filter_map(|a| time_at(a, &["startsAt"]))
            .min()
    }

    fn details(&self, org: Option<String>, extra: &dyn Fn(&Value) -> Option<String>) -> String {
        let mut d = Details::default();
        let noun = if self.count == 1 { "alert" } else { "alerts" };
        let mut head = format!("{}: {} {noun}", self.status, self.count);
        if let Some(r) = str_at(self.v, &["receiver"]) {
            head.push_str(&format!(
                " · receiver {}",
                one_line(r, 60).unwrap_or_default()
            ));
        }
        if let Some(org) = org {
            head.push_str(&format!(" · {org}"));
        }
        d.push(&head);
        if let Some(line) = self.failing_line() {
            d.push(&line);
        }
        let common = at(self.v, &["commonLabels"]).and_then(Value::as_object);
        if let Some(common) = common.filter(|c| !c.is_empty()) {
            d.push(&format!("labels: {}", pairs(common.iter(), 8)));
        }
        let mut listed = 0usize;
        for alert in self.alerts.iter().take(MAX_LISTED) {
            if !d.push(&self.alert_line(alert, common, extra)) {
                break;
            }
            listed += 1;
        }
        let more = self.count.saturating_sub(listed);
        if more > 0 {
            let mut line = format!("and {more} more");
            if self.truncated > 0 {
                line.push_str(&format!(
                    " ({} not included in the payload)",
                    self.truncated
                ));
            }
            d.close(&line);
        }
        d.finish()
    }

    /// "- [resolved] instance=a:9100 · what it says · values".
    fn alert_line(
        &self,
        alert: &Value,
        common: Option<&serde_json::Map<String, Value>>,
        extra: &dyn Fn(&Value) -> Option<String>,
    ) -> String {
        let mut parts = Vec::new();
        let mut mark = String::new();
        if let Some(s) = str_at(alert, &["status"])
            && !s.eq_ignore_ascii_case(&self.status)
        {
            mark = format!("[{}] ", one_line(s, 20).unwrap_or_default());
        }
        if let Some(labels) = at(alert, &["labels"]).and_then(Value::as_object) {
            let own = labels
                .iter()
                .filter(|(k, v)| common.and_then(|c| c.get(*k)) != Some(*v));
            let own = pairs(own, 4);
            if !own.is_empty() {
                parts.push(own);
            } else if let Some(name) = str_at(alert, &["labels", "alertname"]) {
                parts.push(name.to_string());
            }
        }
        if let Some(text) = str_at(alert, &["annotations", "description"])
            .or_else(|| str_at(alert, &["annotations", "summary"]))
        {
            parts.push(text.to_string());
        }
        if let Some(more) = extra(alert) {
            parts.push(more);
        }
        if parts.is_empty() {
            parts.push("(no labels)".into());
        }
        format!("- {mark}{}", parts.join(" · "))
    }
}

/// "k=v, k=v" for at most `max` string-valued pairs, each shortened.
pub(super) fn pairs<'v>(
    items: impl Iterator<Item = (&'v String, &'v Value)>,
    max: usize,
) -> String {
    items
        .filter_map(|(k, v)| {
            let v = match v {
                Value::String(s) => one_line(s, 60)?,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some(format!("{}={v}", one_line(k, 40)?))
        })
        .take(max)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use crate::model::Severity;
    use serde_json::json;

    fn am(v: Value) -> Result<Alert, PagerError> {
        parse(Some(SRC), v.to_string().as_bytes())
    }

    #[test]
    fn unknown_versions_are_refused() {
        let e = am(json!({"version": "5", "groupKey": "g", "status": "firing", "alerts": []}))
            .unwrap_err()
            .problem;
        assert!(e.contains("version 5"), "{e}");
        let e = am(json!({"version": "1", "groupKey": "g", "status": "firing", "alerts": []}))
            .unwrap_err()
            .problem;
        assert!(e.contains("--source grafana"), "{e}");
        assert!(am(json!({"groupKey": "g", "status": "firing", "alerts": []})).is_ok());
        assert!(
            am(json!({"version": 4, "groupKey": "g", "status": "firing", "alerts": []})).is_ok()
        );
    }

    #[test]
    fn required_fields_are_named() {
        for (v, field) in [
            (
                json!({"version": "4", "status": "firing", "alerts": []}),
                "groupKey",
            ),
            (
                json!({"version": "4", "groupKey": "", "status": "firing", "alerts": []}),
                "groupKey",
            ),
            (
                json!({"version": "4", "groupKey": "g", "status": null, "alerts": []}),
                "status",
            ),
            (
                json!({"version": "4", "groupKey": "g", "status": "firing", "alerts": null}),
                "alerts",
            ),
            (
                json!({"version": "4", "groupKey": "g", "status": "firing", "alerts": {}}),
                "alerts",
            ),
        ] {
            assert_eq!(
                am(v).unwrap_err().problem,
                format!("Alertmanager payload without {field}")
            );
        }
    }

    #[test]
    fn the_service_is_what_fails_not_the_exporter_that_noticed() {
        let svc = |labels: Value| service_in(&labels);
        assert_eq!(
            svc(json!({"service": "payments", "job": "api"})).as_deref(),
            Some("payments")
        );
        assert_eq!(
            svc(json!({"app": "Checkout API", "job": "kubernetes-pods"})).as_deref(),
            Some("checkout-api")
        );
        assert_eq!(
            svc(json!({"job": "payments-api"})).as_deref(),
            Some("payments-api")
        );
        assert_eq!(
            svc(json!({"job": "Node Exporter", "instance": "db-1:9100"})).as_deref(),
            Some("db-1")
        );
        assert_eq!(
            svc(json!({"job": "blackbox", "instance": "[2001:db8::1]:9115"})).as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(
            svc(json!({"job": "mysqld-exporter", "instance": "db-2"})).as_deref(),
            Some("db-2")
        );
        assert_eq!(svc(json!({"job": "node"})), None);
        assert_eq!(svc(json!({"cluster": "eu-1"})), None);
    }

    #[test]
    fn title_falls_back_through_the_alerts() {
        let a = am(json!({
            "version": "4", "groupKey": "g", "status": "firing", "truncatedAlerts": "2",
            "commonLabels": {"cluster": "eu-1"},
            "alerts": [
                {"labels": {"alertname": "DiskFull", "severity": "warning", "job": "node", "cluster": "eu-1"}, "annotations": {}},
                {"labels": {"alertname": "DiskSlow", "cluster": "eu-1"}}
            ]
        }))
        .unwrap();
        assert_eq!(a.title, "DiskFull, DiskSlow (4 alerts)");
        assert_eq!(a.alert_count, 4);
        assert_eq!(a.severity, Severity::Sev3);
        assert_eq!(a.service, None, "job node is the exporter, and no instance");
        assert!(
            a.details.contains("and 2 more (2 not included"),
            "{}",
            a.details
        );
    }

    #[test]
    fn empty_group_still_has_a_title() {
        let a = am(json!({"groupKey": "g", "status": "resolved", "alerts": []})).unwrap();
        assert_eq!(a.title, "Alertmanager alert group");
        assert_eq!(a.alert_count, 0);
        assert_eq!(a.state, AlertState::Resolved);
    }

    #[test]
    fn odd_statuses_are_other() {
        let a = am(json!({"groupKey": "g", "status": "silenced", "alerts": []})).unwrap();
        assert_eq!(
            a.state,
            AlertState::Other {
                what: "silenced".into()
            }
        );
    }

    #[test]
    fn kubernetes_alerts_name_the_workload_not_the_exporter() {
        let svc = |labels: Value| service_of(Some(&labels), None, None);
        // kube-prometheus labels: the exporter's own service, the workload's.
        assert_eq!(
            svc(
                json!({"job": "kube-state-metrics", "service": "prom-kube-state-metrics",
                "namespace": "shop", "deployment": "checkout"})
            )
            .as_deref(),
            Some("shop/checkout")
        );
        assert_eq!(
            svc(
                json!({"job": "kube-state-metrics", "namespace": "db", "statefulset": "postgres",
                "pod": "postgres-0"})
            )
            .as_deref(),
            Some("db/postgres")
        );
        assert_eq!(
            svc(
                json!({"job": "kubelet", "metrics_path": "/metrics/cadvisor", "service": "kubelet",
                "namespace": "shop", "pod": "cart-7d9f8-x2k4q", "container": "cart"})
            )
            .as_deref(),
            Some("shop/cart-7d9f8-x2k4q")
        );
        assert_eq!(
            svc(json!({"job": "cAdvisor", "daemonset": "fluentd"})).as_deref(),
            Some("fluentd")
        );
        assert_eq!(
            svc(json!({"job": "kubelet", "node": "node-3", "instance": "10.0.0.3:10250"}))
                .as_deref(),
            Some("node-3")
        );
        // About the exporter itself: the usual rules.
        assert_eq!(
            svc(json!({"job": "kube-state-metrics", "service": "kube-state-metrics"})).as_deref(),
            Some("kube-state-metrics")
        );
        // Other jobs keep their service, even with a pod label.
        assert_eq!(
            svc(json!({"job": "api", "service": "payments", "pod": "payments-1"})).as_deref(),
            Some("payments")
        );
        // The workload is on the alerts, not in the common labels.
        let common = json!({"job": "kube-state-metrics", "service": "ksm", "namespace": "shop"});
        let first = json!({"job": "kube-state-metrics", "service": "ksm", "namespace": "shop",
            "deployment": "search"});
        assert_eq!(
            service_of(Some(&common), None, Some(&first)).as_deref(),
            Some("shop/search")
        );
    }

    #[test]
    fn severities_are_read_in_any_case() {
        for (word, sev) in [
            ("Warning", Severity::Sev3),
            ("CRITICAL", Severity::Sev1),
            ("Info", Severity::Sev4),
        ] {
            let a = am(json!({"groupKey": "g", "status": "firing",
                "commonLabels": {"severity": word}, "alerts": []}))
            .unwrap();
            assert_eq!(a.severity, sev, "{word}");
        }
    }
}
