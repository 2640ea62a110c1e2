//! Pages that fit the picture, through `incident page` on the built
//! binary: a worse re-trigger raises the severity, a resolved incident's
//! alert opens a linked recurrence, an acknowledgement nobody has goes to
//! its service's incident (or declares one marked acknowledged), the
//! runbook, dashboard and bridge links are on the main screen, and
//! Kubernetes alerts name the workload.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

fn page_as(dir: &Path, payload: &Value, name: &str) -> std::process::Output {
    run_with_stdin(
        dir,
        &["--name", name, "page"],
        payload.to_string().as_bytes(),
    )
}

/// Page and require success; returns (the incident it went to, stderr).
fn paged(dir: &Path, payload: &Value) -> (String, String) {
    let o = page_as(dir, payload, "pager");
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    (paged_id(&o), stderr(&o))
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The PagerDuty acknowledgement, acknowledged just now (the incident it
/// acknowledges was created 78 seconds before).
fn fresh_ack() -> Value {
    crate::common::pager_times::anchored(
        fixture("pagerduty-v3-acknowledged.json"),
        "2026-11-26T03:14:02.101Z",
        crate::common::pager_times::minutes_ago(0),
    )
}

/// An Alertmanager notification for group `key` at `severity`.
fn alertmanager(key: &str, status: &str, severity: &str, labels: Value) -> Value {
    let mut common = json!({"alertname": "PaymentsLatencyHigh", "severity": severity});
    for (k, v) in labels.as_object().unwrap() {
        common[k] = v.clone();
    }
    json!({
        "version": "4", "groupKey": key, "status": status, "receiver": "incident",
        "commonLabels": common.clone(),
        "commonAnnotations": {
            "summary": "p99 latency of payments above 2s",
            "runbook_url": "https://runbooks.example/payments-latency",
            "dashboard_url": "https://grafana.example/d/payments"
        },
        "externalURL": "http://alertmanager.example:9093",
        "alerts": [{"status": status, "labels": common,
            "generatorURL": "http://prometheus.example/graph?g0.expr=up"}]
    })
}

#[test]
fn a_worse_retrigger_raises_the_severity_and_a_milder_one_never_lowers_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let labels = json!({"service": "payments"});
    let (id, _) = paged(
        dir,
        &alertmanager("g1", "firing", "Warning", labels.clone()),
    );
    assert_eq!(show_json(dir, &id)["severity"], "SEV3", "Warning is SEV3");

    let (again, err) = paged(
        dir,
        &alertmanager("g1", "firing", "CRITICAL", labels.clone()),
    );
    assert_eq!(again, id, "the same alert joins the same incident");
    assert!(err.contains("severity raised SEV3 → SEV1"), "{err}");
    let shown = show_json(dir, &id);
    assert_eq!(shown["severity"], "SEV1");
    assert!(
        texts(&shown)
            .iter()
            .any(|t| t == "severity SEV3 → SEV1: Alertmanager re-triggered the alert at SEV1"),
        "{:?}",
        texts(&shown)
    );

    let (_, err) = paged(dir, &alertmanager("g1", "firing", "info", labels));
    assert!(!err.contains("severity raised"), "{err}");
    assert_eq!(show_json(dir, &id)["severity"], "SEV1", "never lowered");
}

#[test]
fn a_resolved_incidents_alert_opens_a_recurrence_linked_both_ways() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let labels = json!({"service": "payments"});
    let (first, _) = paged(
        dir,
        &alertmanager("g2", "firing", "critical", labels.clone()),
    );
    ok(dir, &["status", "-i", &first, "resolved", "--force"]);
    // The same notification again is a redelivery, not a recurrence.
    let o = page_as(
        dir,
        &alertmanager("g2", "firing", "critical", labels.clone()),
        "pager",
    );
    assert_eq!(stdout(&o).trim(), format!("logged {first} (redelivery)"));

    // The alert firing again starts anew.
    let mut refired = alertmanager("g2", "firing", "critical", labels.clone());
    refired["alerts"][0]["startsAt"] = json!("2026-11-26T04:00:00Z");
    let (second, err) = paged(dir, &refired);
    assert_ne!(
        second, first,
        "a resolved incident is not reopened by a page"
    );
    assert!(err.contains(&format!("recurrence of {first}")), "{err}");
    let new = show_json(dir, &second);
    assert_eq!(new["related"][0]["relation"], "recurrence_of");
    assert_eq!(new["related"][0]["incident"], first.as_str());
    let old = show_json(dir, &first);
    assert_eq!(old["related"][0]["relation"], "recurred_as");
    assert_eq!(old["related"][0]["incident"], second.as_str());
    assert_eq!(old["status"], "resolved", "the old one stays resolved");
    assert!(
        ok(dir, &["show", "-i", &second]).contains(&format!("recurrence of {first}")),
        "show names the old one"
    );
    assert!(
        ok(dir, &["show", "-i", &first]).contains(&format!("recurred as {second}")),
        "the old one shows the link"
    );
    // Resolved again, it fires a third time: a recurrence of the latest.
    ok(dir, &["status", "-i", &second, "resolved", "--force"]);
    refired["alerts"][0]["startsAt"] = json!("2026-11-26T05:00:00Z");
    let (third, _) = paged(dir, &refired);
    assert_eq!(
        show_json(dir, &third)["related"][0]["incident"],
        second.as_str()
    );
}

#[test]
fn an_acknowledgement_nobody_has_is_declared_as_acknowledged_not_as_a_fresh_trigger() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (id, err) = paged(dir, &fresh_ack());
    assert!(id.starts_with("INC-"), "{id}");
    assert!(
        err.contains("acknowledged there by Dana Oncall"),
        "says what it was: {err}"
    );
    let shown = show_json(dir, &id);
    let texts = texts(&shown);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("acknowledged in PagerDuty by Dana Oncall")),
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.starts_with("paged by")),
        "never as if freshly triggered: {texts:?}"
    );
    assert_eq!(shown["pager_ack"]["by"], "Dana Oncall");
    // The system is as the pager reported it, with who acknowledged it,
    // and not verified.
    assert_eq!(
        shown["systems"]["checkout-api"]["reported_by"],
        "acknowledged in PagerDuty by Dana Oncall"
    );
    assert!(shown["systems"]["checkout-api"]["evidence"].is_null());
    assert!(ok(dir, &["show", "-i", &id]).contains("acknowledged in PagerDuty by Dana Oncall"));
    // The trigger arriving late joins it, as a re-trigger: the ack is no
    // longer where the page stands (the trial's header kept saying
    // "acknowledged in PagerDuty by Dana Oncall" through a re-fire and a
    // resolve).
    let (again, _) = paged(dir, &fixture("pagerduty-v3-triggered.json"));
    assert_eq!(again, id);
    let shown = show_json(dir, &id);
    assert_eq!(shown["pager_ack"]["state"], "re-triggered", "{shown}");
    let screen = ok(dir, &["screen", "-i", &id, "--size", "120x35"]);
    // The line under the header says where the page stands (the log
    // below keeps the ack as history).
    let links = screen.lines().nth(1).unwrap_or_default();
    assert!(links.contains("re-triggered in PagerDuty at"), "{screen}");
    assert!(!links.contains("acknowledged in PagerDuty by"), "{screen}");
    let (resolved, _) = paged(dir, &fixture("pagerduty-v3-resolved.json"));
    assert_eq!(resolved, id);
    assert_eq!(show_json(dir, &id)["pager_ack"]["state"], "resolved");
    let screen = ok(dir, &["screen", "-i", &id, "--size", "120x35"]);
    let links = screen.lines().nth(1).unwrap_or_default();
    assert!(links.contains("resolved in PagerDuty at"), "{screen}");
}

#[test]
fn an_acknowledgement_nobody_has_goes_to_the_active_incident_for_its_service() {
    // Opsgenie names no incident of ours: its ack belongs where its
    // entity is bleeding.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let other = declare(dir, "Search slow");
    ok(dir, &["system", "set", "-i", &other, "search", "failing"]);
    let mine = declare(dir, "Orders replication");
    ok(dir, &["system", "set", "-i", &mine, "orders-db", "failing"]);
    let (id, err) = paged(dir, &fixture("opsgenie-acknowledge.json"));
    assert_eq!(id, mine, "{err}");
    assert!(err.contains("orders-db is failing"), "{err}");
    assert_eq!(
        ok(dir, &["list", "--all", "--json"])
            .matches("\"id\"")
            .count(),
        2,
        "nothing declared"
    );
}

#[test]
fn a_pagerduty_ack_is_never_borrowed_by_another_incident_on_its_service() {
    // PagerDuty's ack names its own incident: one we have not seen is not
    // the war room of whatever incident has checkout-api failing.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mine = declare(dir, "Checkout broken");
    ok(
        dir,
        &["system", "set", "-i", &mine, "checkout-api", "failing"],
    );
    let (id, err) = paged(dir, &fresh_ack());
    assert_ne!(id, mine, "{err}");
    let shown = show_json(dir, &mine);
    assert!(
        !texts(&shown)
            .iter()
            .any(|t| t.contains("acknowledged in PagerDuty")),
        "{shown}"
    );
    assert!(shown["pager_ack"].is_null(), "{shown}");
    // Its resolution finds its own incident, not mine.
    let (resolved, _) = paged(dir, &fixture("pagerduty-v3-resolved.json"));
    assert_eq!(resolved, id);
}

#[test]
fn runbook_dashboard_and_bridge_links_are_on_the_main_screen() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (am, _) = paged(
        dir,
        &alertmanager("g3", "firing", "critical", json!({"service": "payments"})),
    );
    let shown = show_json(dir, &am);
    let links: Vec<(String, String)> = shown["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["label"].as_str().unwrap().to_string(),
                l["url"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "runbook".to_string(),
                "https://runbooks.example/payments-latency".to_string()
            ),
            (
                "dashboard".to_string(),
                "https://grafana.example/d/payments".to_string()
            )
        ],
        "graphs and the alertmanager stay in the appendix"
    );
    let screen = ok(dir, &["screen", "-i", &am, "--size", "120x30"]);
    assert!(
        screen.contains("runbook https://runbooks.example/payments-latency")
            && screen.contains("dashboard https://grafana.example/d/payments"),
        "{screen}"
    );

    let (pd, _) = paged(dir, &fixture("pagerduty-v3-triggered.json"));
    let screen = ok(dir, &["screen", "-i", &pd, "--size", "80x24"]);
    assert!(
        screen.contains("bridge https://meet.example/checkout-bridge"),
        "{screen}"
    );
}

#[test]
fn kubernetes_alerts_mark_the_workload_failing_not_the_exporter() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (id, _) = paged(
        dir,
        &alertmanager(
            "g4",
            "firing",
            "Warning",
            json!({"job": "kube-state-metrics", "service": "prom-kube-state-metrics",
                "namespace": "shop", "deployment": "checkout",
                "instance": "10.1.2.3:8080"}),
        ),
    );
    let shown = show_json(dir, &id);
    assert_eq!(shown["systems"]["shop/checkout"]["status"], "failing");
    let systems: Vec<&String> = shown["systems"].as_object().unwrap().keys().collect();
    assert_eq!(systems, ["shop/checkout"], "not the exporter");
    assert_eq!(shown["severity"], "SEV3");
}

#[test]
fn pagerduty_matches_by_incident_id_and_incident_key_never_by_service() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let trigger = crate::common::pager_times::anchored(
        fixture("pagerduty-v3-triggered.json"),
        "2026-11-26T03:12:44Z",
        crate::common::pager_times::minutes_ago(30),
    );
    let (first, _) = paged(dir, &trigger);
    ok(dir, &["status", "-i", &first, "resolved", "--force"]);
    // PagerDuty opens a new incident (a new id) for the same integration
    // key after the first was resolved: the same alert fired again.
    let mut again = trigger.clone();
    again["event"]["id"] = json!("01DEN3WQ8K7T6EXAMPLEEVTA");
    again["event"]["data"]["id"] = json!("Q2NEWINCIDENT");
    again["event"]["data"]["number"] = json!(4242);
    let (second, err) = paged(dir, &again);
    assert_ne!(second, first);
    assert!(err.contains(&format!("recurrence of {first}")), "{err}");
    // A different PagerDuty incident with another key, on the same
    // service, is its own incident, not a recurrence.
    let mut other = trigger;
    other["event"]["id"] = json!("01DEN3WQ8K7T6EXAMPLEEVTB");
    other["event"]["data"]["id"] = json!("Q3OTHER");
    other["event"]["data"]["incident_key"] = json!("checkout-latency-p99");
    let (third, err) = paged(dir, &other);
    assert!(third != first && third != second, "{err}");
    assert!(!err.contains("recurrence"), "{err}");
}

#[test]
fn a_priority_change_after_the_room_resolved_is_logged_there_not_a_recurrence() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let trigger = crate::common::pager_times::anchored(
        fixture("pagerduty-v3-triggered.json"),
        "2026-11-26T03:12:44Z",
        crate::common::pager_times::minutes_ago(30),
    );
    let (first, _) = paged(dir, &trigger);
    ok(dir, &["status", "-i", &first, "resolved", "--force"]);
    // PagerDuty's incident is still open there; someone raises its
    // priority. Nothing fired again.
    let (id, err) = paged(dir, &fixture("pagerduty-v3-priority-updated.json"));
    assert_eq!(id, first, "{err}");
    assert!(!err.contains("recurrence"), "{err}");
    assert!(
        texts(&show_json(dir, &first))
            .iter()
            .any(|t| t.starts_with("still open (escalated or its priority changed) in PagerDuty")),
        "{}",
        ok(dir, &["show", "-i", &first])
    );
    assert_eq!(
        ok(dir, &["list", "--all", "--json"])
            .matches("\"id\"")
            .count(),
        1,
        "nothing declared"
    );
}
