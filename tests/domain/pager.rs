//! Pager payloads: every fixture under tests/fixtures/pager maps to the
//! expected alert (or the expected refusal), hostile and odd input is made
//! safe, and no input panics.

use incident::model::Severity;
use incident::pager::{self, Alert, AlertState, PagerError, Source};
use serde_json::{Value, json};
use std::path::PathBuf;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pager")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

/// Parsed with detection, checked against parsing with the right source.
fn parsed(name: &str) -> Alert {
    let bytes = fixture(name);
    let a = pager::parse(None, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        pager::parse(Some(a.source), &bytes).as_ref(),
        Ok(&a),
        "{name}: detected and given source disagree"
    );
    assert_safe(&a);
    a
}

fn parse_value(source: Option<Source>, v: &Value) -> Result<Alert, PagerError> {
    pager::parse(source, v.to_string().as_bytes())
}

/// A character that must never reach a terminal raw.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

fn assert_line(what: &str, s: &str) {
    assert!(
        !s.chars().any(unsafe_char),
        "{what} holds a raw control character: {s:?}"
    );
}

/// What every alert promises, whatever the input.
fn assert_safe(a: &Alert) {
    assert!(!a.title.trim().is_empty(), "empty title");
    assert!(
        a.title.chars().count() <= 200,
        "title too long: {}",
        a.title
    );
    assert_line("title", &a.title);
    assert!(!a.dedup_key.is_empty(), "empty dedup key");
    assert_line("dedup key", &a.dedup_key);
    assert!(
        a.details.len() <= 4000,
        "details: {} bytes",
        a.details.len()
    );
    for line in a.details.lines() {
        assert_line("details", line);
    }
    if let Some(s) = &a.service {
        incident::ops::check_system_name(s).unwrap_or_else(|e| panic!("service {s:?}: {e}"));
    }
    for (label, url) in &a.links {
        assert_line("link label", label);
        assert_line("link", url);
        let lower = url.to_ascii_lowercase();
        assert!(
            lower.starts_with("https://") || lower.starts_with("http://"),
            "{url}"
        );
        assert!(!url.contains(char::is_whitespace), "{url}");
    }
    match &a.state {
        AlertState::Acknowledged { by: Some(by) } => assert_line("acknowledged by", by),
        AlertState::Other { what } => assert_line("other state", what),
        _ => {}
    }
    serde_json::to_string(a).expect("an alert serializes");
}

fn links(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(l, u)| (l.to_string(), u.to_string()))
        .collect()
}

fn acked(by: &str) -> AlertState {
    AlertState::Acknowledged {
        by: Some(by.into()),
    }
}

fn other(what: &str) -> AlertState {
    AlertState::Other { what: what.into() }
}

// ---------------------------------------------------------------------------
// Fixtures

const PD_KEY: &str = "Q1ABCDEXAMPLE";
const PD_TITLE: &str = "Checkout API 5xx rate above 5% for 5 minutes";
const PD_INCIDENT: &str = "https://acme.pagerduty.example/incidents/Q1ABCDEXAMPLE";
const PD_BRIDGE: &str = "https://meet.example/checkout-bridge";
const PD_SERVICE: &str = "https://acme.pagerduty.example/services/PSVC001";
const AM_KEY: &str = "{}/{severity=\"critical\"}:{alertname=\"PaymentsLatencyHigh\"}";
const AM_TITLE: &str = "p99 latency of payments above 2s";
const AM_URL: &str = "http://alertmanager.example:9093";
const AM_GRAPH: &str =
    "http://prometheus.example:9090/graph?g0.expr=histogram_quantile%280.99%2C+payments%29";
const AM_RUNBOOK: &str = "https://runbooks.example/payments-latency";
const GF_KEY: &str = "{}:{alertname=\"QueueBacklog\"}";
const GF_RULE: &str = "https://grafana.example/alerting/grafana/abc123/view";
const GF_SILENCE: &str =
    "https://grafana.example/alerting/silence/new?matcher=alertname%3DQueueBacklog";
const ZP_KEY: &str = "Q3B15VLMF3ASBD";
const ZP_TITLE: &str = "Critical: Checkout API High Latency";
const ZP_INCIDENT: &str = "https://harsh0303.pagerduty.com/incidents/Q3B15VLMF3ASBD";
const BB_KEY: &str = "{}/{severity=~\"^(?:^(critical|major|minor|warning|informational)$)$\"}:{alertname=\"ICMP ping failed\"}";
const BB_GRAPH: &str = "http://9ed35ff90bf8:9090/graph?g0.expr=probe_success%7Bjob%3D%22blackbox-icmp%22%7D+%3D%3D+0&g0.tab=1";
const OG_KEY: &str = "db-replication-lag-primary";
const OG_TITLE: &str = "Primary database replication lag above 300s";

struct Expect {
    file: &'static str,
    source: Source,
    key: &'static str,
    title: &'static str,
    severity: Severity,
    state: AlertState,
    service: Option<&'static str>,
    links: Vec<(String, String)>,
    count: usize,
}

fn expectations() -> Vec<Expect> {
    use Severity::*;
    use Source::*;
    let pd_full = links(&[
        ("incident", PD_INCIDENT),
        ("conference bridge", PD_BRIDGE),
        ("service", PD_SERVICE),
    ]);
    let am = links(&[
        ("runbook", AM_RUNBOOK),
        ("alertmanager", AM_URL),
        ("graph", AM_GRAPH),
    ]);
    let gf = links(&[
        ("grafana", "https://grafana.example/"),
        ("rule", GF_RULE),
        ("silence", GF_SILENCE),
    ]);
    vec![
        Expect {
            file: "pagerduty-v3-triggered.json",
            source: PagerDuty,
            key: PD_KEY,
            title: PD_TITLE,
            severity: Sev1,
            state: AlertState::Triggered,
            service: Some("checkout-api"),
            links: pd_full.clone(),
            count: 1,
        },
        Expect {
            // No priority on this sample: urgency high is SEV2.
            file: "pagerduty-v3-acknowledged.json",
            source: PagerDuty,
            key: PD_KEY,
            title: PD_TITLE,
            severity: Sev2,
            state: acked("Dana Oncall"),
            service: Some("checkout-api"),
            links: links(&[("incident", PD_INCIDENT), ("service", PD_SERVICE)]),
            count: 1,
        },
        Expect {
            file: "pagerduty-v3-resolved.json",
            source: PagerDuty,
            key: PD_KEY,
            title: PD_TITLE,
            severity: Sev1,
            state: AlertState::Resolved,
            service: Some("checkout-api"),
            links: pd_full.clone(),
            count: 1,
        },
        Expect {
            file: "pagerduty-v3-reopened.json",
            source: PagerDuty,
            key: PD_KEY,
            title: PD_TITLE,
            severity: Sev1,
            state: AlertState::Triggered,
            service: Some("checkout-api"),
            links: pd_full.clone(),
            count: 1,
        },
        Expect {
            file: "pagerduty-v3-priority-updated.json",
            source: PagerDuty,
            key: PD_KEY,
            title: PD_TITLE,
            severity: Sev2,
            // Still triggered: a live page, seen before or not.
            state: AlertState::Triggered,
            service: Some("checkout-api"),
            links: pd_full.clone(),
            count: 1,
        },
        Expect {
            // A note: data is the note, the incident is a reference.
            file: "pagerduty-v3-annotated.json",
            source: PagerDuty,
            key: PD_KEY,
            title: PD_TITLE,
            severity: Sev3,
            state: other(
                "note by Dana Oncall: \"Rolled back checkout-api to v2024.11.3; error rate falling.\"",
            ),
            service: None,
            links: links(&[("incident", PD_INCIDENT)]),
            count: 1,
        },
        Expect {
            file: "pagerduty-v3-low-urgency.json",
            source: PagerDuty,
            key: "Q2LOWEXAMPLE",
            title: "Outbound mail queue deeper than usual",
            severity: Sev3,
            state: AlertState::Triggered,
            service: Some("my-mail-service"),
            links: links(&[
                (
                    "incident",
                    "https://acme.pagerduty.example/incidents/Q2LOWEXAMPLE",
                ),
                (
                    "service",
                    "https://acme.pagerduty.example/service-directory/PSVC002",
                ),
            ]),
            count: 1,
        },
        Expect {
            // Escape sequences and bidi overrides everywhere; a
            // javascript: bridge and an incident URL with an escape are
            // dropped; a service name with an escape is not used.
            file: "pagerduty-v3-hostile.json",
            source: PagerDuty,
            key: "Q3HOSTILEEXM",
            title: "␛]0;pwned␇␛[2JDisk full on �elif.txt�␤second line��31m",
            severity: Sev2,
            state: AlertState::Triggered,
            service: None,
            links: links(&[("service", PD_SERVICE)]),
            count: 1,
        },
        Expect {
            file: "alertmanager-v4-firing.json",
            source: Alertmanager,
            key: AM_KEY,
            title: AM_TITLE,
            severity: Sev1,
            state: AlertState::Triggered,
            service: Some("payments"),
            links: am.clone(),
            count: 2,
        },
        Expect {
            file: "alertmanager-v4-refiring.json",
            source: Alertmanager,
            key: AM_KEY,
            title: AM_TITLE,
            severity: Sev1,
            state: AlertState::Triggered,
            service: Some("payments"),
            links: am.clone(),
            count: 3,
        },
        Expect {
            file: "alertmanager-v4-resolved.json",
            source: Alertmanager,
            key: AM_KEY,
            title: AM_TITLE,
            severity: Sev1,
            state: AlertState::Resolved,
            service: Some("payments"),
            links: links(&[("alertmanager", AM_URL), ("graph", AM_GRAPH)]),
            count: 1,
        },
        Expect {
            // No common summary or alertname: the first alert's summary,
            // counted; severity and service from the first alert's labels,
            // the service being the host the node exporter watches (not
            // the exporter); an ftp generatorURL is dropped.
            file: "alertmanager-v4-by-cluster.json",
            source: Alertmanager,
            key: "{}/{team=\"storage\"}:{cluster=\"eu-west-1\"}",
            // Three different alerts: named by their alertnames, not the first one's summary.
            title: "HostDiskFull, HostDiskSlow, ReplicaLagging (3 alerts)",
            severity: Sev3,
            state: AlertState::Triggered,
            service: Some("db-1"),
            links: links(&[
                ("alertmanager", "https://alertmanager.example"),
                ("runbook", "https://runbooks.example/disk-full"),
                (
                    "dashboard",
                    "https://grafana.example/d/node/node?var-instance=db-1",
                ),
                (
                    "graph",
                    "https://prometheus.example/graph?g0.expr=node_filesystem_avail_bytes",
                ),
                (
                    "graph",
                    "https://prometheus.example/graph?g0.expr=node_disk_io_time_seconds_total",
                ),
            ]),
            count: 3,
        },
        Expect {
            file: "grafana-firing.json",
            source: Grafana,
            key: GF_KEY,
            title: "emails queue backlog above 50k",
            severity: Sev3,
            state: AlertState::Triggered,
            service: None,
            links: gf.clone(),
            count: 1,
        },
        Expect {
            file: "grafana-resolved.json",
            source: Grafana,
            key: GF_KEY,
            title: "emails queue backlog above 50k",
            severity: Sev3,
            state: AlertState::Resolved,
            service: None,
            links: gf.clone(),
            count: 1,
        },
        Expect {
            file: "grafana-multi.json",
            source: Grafana,
            key: "{}/{team=\"blue\"}:{}",
            // What the alerts say, not the rendered `title`.
            title: "High memory usage, High CPU usage (2 alerts)",
            severity: Sev3,
            state: AlertState::Triggered,
            service: Some("checkout-web"),
            links: links(&[
                ("grafana", "https://grafana.example/"),
                ("runbook", "https://runbooks.example/memory"),
                (
                    "rule",
                    "https://grafana.example/alerting/grafana/1afz29v7z/view",
                ),
                ("dashboard", "https://grafana.example/d/mem/memory"),
                ("panel", "https://grafana.example/d/mem/memory?viewPanel=2"),
                (
                    "silence",
                    "https://grafana.example/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DHigh+memory+usage",
                ),
                ("runbook", "https://runbooks.example/cpu"),
                (
                    "rule",
                    "https://grafana.example/alerting/grafana/d1rdpdv7k/view",
                ),
                (
                    "silence",
                    "https://grafana.example/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DHigh+CPU+usage",
                ),
            ]),
            count: 2,
        },
        Expect {
            // No priority on this sample (Opsgenie's default is P3).
            file: "opsgenie-create.json",
            source: Opsgenie,
            key: OG_KEY,
            title: OG_TITLE,
            severity: Sev3,
            state: AlertState::Triggered,
            service: Some("orders-db"),
            links: vec![],
            count: 1,
        },
        Expect {
            file: "opsgenie-acknowledge.json",
            source: Opsgenie,
            key: OG_KEY,
            title: OG_TITLE,
            severity: Sev3,
            state: acked("dana@example.com"),
            service: Some("orders-db"),
            links: vec![],
            count: 1,
        },
        Expect {
            file: "opsgenie-close.json",
            source: Opsgenie,
            key: OG_KEY,
            title: OG_TITLE,
            severity: Sev3,
            state: AlertState::Resolved,
            service: Some("orders-db"),
            links: vec![],
            count: 1,
        },
        Expect {
            file: "opsgenie-addnote.json",
            source: Opsgenie,
            key: OG_KEY,
            title: OG_TITLE,
            severity: Sev3,
            state: other("note by dana@example.com: \"Failover to replica 2 started\""),
            service: Some("orders-db"),
            links: vec![],
            count: 1,
        },
        Expect {
            file: "opsgenie-create-p1.json",
            source: Opsgenie,
            key: "search-api-error-rate",
            title: "Search API error rate above 20%",
            severity: Sev1,
            state: AlertState::Triggered,
            service: Some("search-api"),
            links: links(&[
                ("dashboard", "https://app.datadoghq.example/dash/search"),
                ("runbook", "https://runbooks.example/search-errors"),
            ]),
            count: 1,
        },
        Expect {
            // kube-prometheus: the exporter's own service and pod ride
            // along; the deployment is what fails. "Warning" is SEV3.
            file: "alertmanager-v4-kube-state-metrics.json",
            source: Alertmanager,
            key: "{}/{namespace=~\"shop\"}:{alertname=\"KubeDeploymentReplicasMismatch\"}",
            title: "Deployment has not matched the expected number of replicas.",
            severity: Sev3,
            state: AlertState::Triggered,
            service: Some("shop/checkout"),
            links: links(&[
                (
                    "runbook",
                    "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubedeploymentreplicasmismatch",
                ),
                ("alertmanager", AM_URL),
                (
                    "graph",
                    "http://prometheus.example:9090/graph?g0.expr=kube_deployment_spec_replicas",
                ),
            ]),
            count: 1,
        },
        // Real payloads from public sources: see tests/fixtures/pager/SOURCES.md.
        Expect {
            file: "pagerduty-v3-escalated.json",
            source: PagerDuty,
            key: ZP_KEY,
            title: ZP_TITLE,
            severity: Sev1,
            // Unseen or not, an escalated incident still triggered is a page.
            state: AlertState::Triggered,
            service: Some("default-service"),
            links: links(&[
                ("incident", ZP_INCIDENT),
                (
                    "service",
                    "https://harsh0303.pagerduty.com/services/PLVTM9H",
                ),
            ]),
            count: 1,
        },
        Expect {
            file: "pagerduty-v3-annotated-zulip.json",
            source: PagerDuty,
            key: ZP_KEY,
            title: ZP_TITLE,
            severity: Sev3,
            state: other(
                "note by Harsh Santwani: \"Running KILL on long-running queries from the reporting-service.\"",
            ),
            service: None,
            links: links(&[("incident", ZP_INCIDENT)]),
            count: 1,
        },
        Expect {
            file: "opsgenie-addnote-docs.json",
            source: Opsgenie,
            key: "aliastest",
            title: "test alert",
            severity: Sev3,
            state: other("note by fili@ifountain.com: \"note to test alert\""),
            service: None,
            links: vec![],
            count: 1,
        },
        Expect {
            // Jira Service Management sends Opsgenie's shape: detected as
            // Opsgenie, filed as JSM when given --source jsm or on /jsm.
            file: "jsm-create.json",
            source: Opsgenie,
            key: "aliastest",
            title: "test alert",
            severity: Sev3,
            state: AlertState::Triggered,
            service: None,
            links: vec![],
            count: 1,
        },
        Expect {
            file: "alertmanager-v4-blackbox-icmp.json",
            source: Alertmanager,
            key: BB_KEY,
            title: "ICMP ping failed (3 alerts)",
            severity: Sev2,
            state: AlertState::Triggered,
            // The host that does not answer, not the prober's job.
            service: Some("172.29.254.30"),
            links: links(&[("alertmanager", "http://:9093"), ("graph", BB_GRAPH)]),
            count: 3,
        },
        Expect {
            file: "alertmanager-v4-blackbox-icmp-repeat.json",
            source: Alertmanager,
            key: BB_KEY,
            title: "ICMP ping failed (3 alerts)",
            severity: Sev2,
            state: other("still firing (repeat interval elapsed)"),
            service: Some("172.29.254.30"),
            links: links(&[("alertmanager", "http://:9093"), ("graph", BB_GRAPH)]),
            count: 3,
        },
        Expect {
            file: "grafana-firing-3-zulip.json",
            source: Grafana,
            key: "{}/{test=\"true\"}:{}",
            // Not the rendered title "[FIRING:3]  (true)".
            title: "Test alert, Second webhook test (3 alerts)",
            severity: Sev3,
            state: AlertState::Triggered,
            service: Some("rabbitmq"),
            links: links(&[
                ("runbook", "https://example.com/"),
                ("grafana", "https://grafana.example.com/"),
                (
                    "rule",
                    "https://grafana.example.com/alerting/grafana/zTjxv_C7k/view",
                ),
                (
                    "silence",
                    "https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DTest+alert&matcher=deploy%3Dprod&matcher=instance%3Dbadhost.example.com&matcher=job%3Drabbitmq&matcher=test%3Dtrue",
                ),
                (
                    "silence",
                    "https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DTest+alert&matcher=deploy%3Dprod&matcher=instance%3Dotherhost.example.com&matcher=job%3Drabbitmq&matcher=test%3Dtrue",
                ),
                (
                    "rule",
                    "https://grafana.example.com/alerting/grafana/_0rkK_C7z/view",
                ),
                (
                    "silence",
                    "https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DSecond+webhook+test&matcher=test%3Dtrue",
                ),
            ]),
            count: 3,
        },
    ]
}

/// Fixtures that are refused, and what the refusal must say.
const REFUSED: &[(&str, &[&str])] = &[
    (
        "pagerduty-v3-service-updated.json",
        &["service.updated", "not an incident"],
    ),
    (
        "pagerduty-v2-webhook.json",
        &["V2 webhook", "messages", "add a V3 webhook subscription"],
    ),
    (
        "pagerduty-events-v2-enqueue.json",
        &[
            "does not look like any of them",
            "routing_key",
            "Events API",
        ],
    ),
];

#[test]
fn every_fixture_maps_as_expected() {
    for e in expectations() {
        let a = parsed(e.file);
        let f = e.file;
        assert_eq!(a.source, e.source, "{f}");
        assert_eq!(a.dedup_key, e.key, "{f}");
        assert_eq!(a.title, e.title, "{f}");
        assert_eq!(a.severity, e.severity, "{f}");
        assert_eq!(a.state, e.state, "{f}");
        assert_eq!(a.service.as_deref(), e.service, "{f}");
        assert_eq!(a.links, e.links, "{f}");
        assert_eq!(a.alert_count, e.count, "{f}");
        assert!(!a.details.is_empty(), "{f}");
    }
}

#[test]
fn refused_fixtures_say_why() {
    for (file, needles) in REFUSED {
        let err = pager::parse(None, &fixture(file)).unwrap_err().to_string();
        for n in *needles {
            assert!(err.contains(n), "{file}: {err}");
        }
        assert!(err.contains("incident page accepts PagerDuty V3"), "{err}");
    }
}

#[test]
fn every_fixture_file_has_an_expectation() {
    let known: Vec<&str> = expectations()
        .iter()
        .map(|e| e.file)
        .chain(REFUSED.iter().map(|(f, _)| *f))
        .collect();
    let mut count = 0;
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "SOURCES.md" {
            continue; // Where each fixture came from.
        }
        assert!(known.contains(&name.as_str()), "no expectation for {name}");
        count += 1;
    }
    assert_eq!(count, known.len(), "a fixture in the table is missing");
}

#[test]
fn shared_samples_are_all_there() {
    for f in [
        "alertmanager-v4-firing.json",
        "alertmanager-v4-resolved.json",
        "grafana-firing.json",
        "opsgenie-create.json",
        "pagerduty-v3-acknowledged.json",
        "pagerduty-v3-triggered.json",
    ] {
        parsed(f);
    }
}

#[test]
fn lifecycles_share_the_dedup_key() {
    for group in [
        &[
            "pagerduty-v3-triggered.json",
            "pagerduty-v3-acknowledged.json",
            "pagerduty-v3-annotated.json",
            "pagerduty-v3-priority-updated.json",
            "pagerduty-v3-resolved.json",
            "pagerduty-v3-reopened.json",
        ][..],
        &[
            "alertmanager-v4-firing.json",
            "alertmanager-v4-refiring.json",
            "alertmanager-v4-resolved.json",
        ],
        &["grafana-firing.json", "grafana-resolved.json"],
        &[
            "opsgenie-create.json",
            "opsgenie-acknowledge.json",
            "opsgenie-addnote.json",
            "opsgenie-close.json",
        ],
    ] {
        let keys: Vec<String> = group.iter().map(|f| parsed(f).dedup_key).collect();
        assert!(keys.windows(2).all(|w| w[0] == w[1]), "{group:?}: {keys:?}");
    }
    // Different incidents do not.
    assert_ne!(
        parsed("pagerduty-v3-triggered.json").dedup_key,
        parsed("pagerduty-v3-low-urgency.json").dedup_key
    );
}

#[test]
fn details_summarise_what_fired() {
    let a = parsed("alertmanager-v4-firing.json");
    assert!(a.details.starts_with("firing: 2 alerts"), "{}", a.details);
    assert!(
        a.details.contains("instance=payments-1:9100"),
        "{}",
        a.details
    );
    assert!(
        a.details.contains("payments-2 p99 is 2.9s"),
        "{}",
        a.details
    );
    let a = parsed("alertmanager-v4-refiring.json");
    assert!(
        a.details.contains("- [resolved] instance=payments-1:9100"),
        "{}",
        a.details
    );
    let a = parsed("pagerduty-v3-triggered.json");
    assert!(
        a.details.contains("incident key: checkout-5xx-rate"),
        "{}",
        a.details
    );
    assert!(a.details.contains("priority P1"), "{}", a.details);
    let a = parsed("opsgenie-create-p1.json");
    assert!(
        a.details.contains("description: Error rate 23.4%"),
        "{}",
        a.details
    );
    let a = parsed("grafana-firing.json");
    assert!(a.details.contains("B=52311"), "{}", a.details);
    let a = parsed("pagerduty-v3-annotated.json");
    assert!(a.details.contains("note: Rolled back"), "{}", a.details);
}

// ---------------------------------------------------------------------------
// Hand-written edge cases

#[test]
fn unicode_titles_survive() {
    let title = "Überlastung: 数据库 复制延迟 🔥 — ведро переполнено";
    let mut pd = fixture_json("pagerduty-v3-triggered.json");
    pd["event"]["data"]["title"] = json!(title);
    let mut am = fixture_json("alertmanager-v4-firing.json");
    am["commonAnnotations"]["summary"] = json!(title);
    let mut og = fixture_json("opsgenie-create.json");
    og["alert"]["message"] = json!(title);
    let mut gf = fixture_json("grafana-firing.json");
    gf["commonAnnotations"]["summary"] = json!(title);
    for v in [pd, am, og, gf] {
        let a = parse_value(None, &v).unwrap();
        assert_eq!(a.title, title);
        assert_safe(&a);
    }
    // Cut by characters, not bytes.
    let mut pd = fixture_json("pagerduty-v3-triggered.json");
    pd["event"]["data"]["title"] = json!("数".repeat(500));
    let a = parse_value(None, &pd).unwrap();
    assert_eq!(a.title.chars().count(), 200);
    assert!(a.title.ends_with('…'));
}

#[test]
fn escapes_and_bidi_never_survive() {
    let evil = "\u{1b}[2J\u{1b}]8;;https://evil.example\u{7}click\u{1b}]8;;\u{7}\u{202e}gnp.exe\u{2066}\r\n\u{9b}1m\u{0}";
    let mut pd = fixture_json("pagerduty-v3-triggered.json");
    pd["event"]["data"]["title"] = json!(evil);
    pd["event"]["data"]["incident_key"] = json!(evil);
    pd["event"]["data"]["id"] = json!(format!("Q{evil}"));
    let mut am = fixture_json("alertmanager-v4-firing.json");
    am["commonAnnotations"]["summary"] = json!(evil);
    am["alerts"][0]["annotations"]["description"] = json!(evil);
    am["alerts"][0]["labels"]["instance"] = json!(evil);
    am["commonLabels"]["service"] = json!(evil);
    am["groupKey"] = json!(evil);
    let mut og = fixture_json("opsgenie-acknowledge.json");
    og["alert"]["message"] = json!(evil);
    og["alert"]["username"] = json!(evil);
    og["alert"]["tags"] = json!([evil, format!("service:{evil}")]);
    og["alert"]["details"] =
        json!({ evil: "https://ok.example/x", "k": format!("https://x.example/{evil}") });
    let mut gf = fixture_json("grafana-firing.json");
    gf["commonAnnotations"]["summary"] = json!(evil);
    gf["alerts"][0]["silenceURL"] = json!(format!("https://grafana.example/{evil}"));
    for v in [pd, am, og, gf] {
        let a = parse_value(None, &v).unwrap();
        assert_safe(&a);
        assert!(a.title.contains('␛'), "made visible: {}", a.title);
        assert!(!a.links.iter().any(|(_, u)| u.contains("evil")));
    }
}

#[test]
fn empty_and_null_fields_count_as_missing() {
    // PagerDuty: no title, service, priority or links.
    let mut pd = fixture_json("pagerduty-v3-triggered.json");
    let data = &mut pd["event"]["data"];
    data["title"] = json!("");
    data["service"] = Value::Null;
    data["priority"] = json!({"summary": ""});
    data["urgency"] = Value::Null;
    data["html_url"] = json!("");
    data["conference_bridge"] = json!({"conference_url": null});
    data["assignees"] = Value::Null;
    let a = parse_value(None, &pd).unwrap();
    assert_eq!(a.title, "PagerDuty incident #4127");
    assert_eq!(a.severity, pager::DEFAULT_SEVERITY);
    assert_eq!(a.service, None);
    assert!(a.links.is_empty(), "{:?}", a.links);
    assert_safe(&a);
    // Acknowledged by nobody known.
    let mut ack = fixture_json("pagerduty-v3-acknowledged.json");
    ack["event"]["agent"] = Value::Null;
    assert_eq!(
        parse_value(None, &ack).unwrap().state,
        AlertState::Acknowledged { by: None }
    );

    // Alertmanager: nulls and empties everywhere but the required fields.
    let am = json!({
        "version": "4", "groupKey": "g", "status": "firing", "truncatedAlerts": null,
        "receiver": "", "groupLabels": null, "commonLabels": null, "commonAnnotations": "",
        "externalURL": null,
        "alerts": [null, {}, {"labels": null, "annotations": {"summary": ""}, "generatorURL": ""}, 7]
    });
    let a = parse_value(None, &am).unwrap();
    assert_eq!(a.title, "Alertmanager alert group");
    assert_eq!(a.alert_count, 4);
    assert_eq!(a.severity, pager::DEFAULT_SEVERITY);
    assert_eq!(a.service, None);
    assert!(a.links.is_empty());
    assert_safe(&a);

    // Opsgenie: an empty message falls back to the tiny id; an empty
    // entity falls back to a service tag; null tags are nothing.
    let mut og = fixture_json("opsgenie-create.json");
    og["alert"]["message"] = json!("   ");
    og["alert"]["entity"] = json!("");
    og["alert"]["priority"] = Value::Null;
    let a = parse_value(None, &og).unwrap();
    assert_eq!(a.title, "Opsgenie alert #218");
    assert_eq!(a.service, None);
    og["alert"]["tags"] = json!(["team:storage", "service:orders db"]);
    assert_eq!(
        parse_value(None, &og).unwrap().service.as_deref(),
        Some("orders-db")
    );

    // Grafana: an empty title falls back to Alertmanager's rules; empty
    // dashboard and panel URLs are no links.
    let mut gf = fixture_json("grafana-firing.json");
    gf["title"] = Value::Null;
    let a = parse_value(None, &gf).unwrap();
    assert_eq!(a.title, "emails queue backlog above 50k");
    assert!(
        !a.links
            .iter()
            .any(|(l, _)| l == "dashboard" || l == "panel")
    );
}

/// An Alertmanager notification with `n` alerts carried.
fn big_group(n: usize, truncated: usize, description: &str) -> Value {
    let alerts: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "status": "firing",
                "labels": {"alertname": "PodCrashLooping", "severity": "critical", "namespace": "shop", "pod": format!("checkout-{i:03}")},
                "annotations": {"summary": "Pod is crash looping", "description": format!("{description} pod checkout-{i:03}")},
                "startsAt": "2026-11-26T03:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": format!("https://prometheus.example/graph?g0.expr=pod{i}"),
                "fingerprint": format!("{i:016x}")
            })
        })
        .collect();
    json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"PodCrashLooping\"}",
        "truncatedAlerts": truncated,
        "status": "firing",
        "receiver": "shop",
        "groupLabels": {"alertname": "PodCrashLooping"},
        "commonLabels": {"alertname": "PodCrashLooping", "severity": "critical", "namespace": "shop"},
        "commonAnnotations": {"summary": "Pod is crash looping"},
        "externalURL": "https://alertmanager.example",
        "alerts": alerts
    })
}

#[test]
fn a_large_group_is_summarised_within_bounds() {
    let a = parse_value(None, &big_group(60, 40, "restarting")).unwrap();
    assert_safe(&a);
    assert_eq!(a.alert_count, 100);
    assert!(a.details.len() <= 4000, "{}", a.details.len());
    let listed = a.details.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(listed, 10, "{}", a.details);
    assert!(
        a.details
            .contains("and 90 more (40 not included in the payload)"),
        "{}",
        a.details
    );
    assert!(a.details.contains("pod=checkout-009"));
    assert!(!a.details.contains("pod=checkout-010"));
    assert!(a.links.len() <= pager::MAX_LINKS);
    assert_eq!(a.title, "Pod is crash looping");
    // Without a common summary, the title counts them all.
    let mut v = big_group(60, 40, "restarting");
    v["commonAnnotations"] = json!({});
    let a = parse_value(None, &v).unwrap();
    assert_eq!(a.title, "PodCrashLooping (100 alerts)");

    // Long descriptions: fewer listed, still bounded, still "and N more".
    let a = parse_value(None, &big_group(60, 40, &"very long text ".repeat(500))).unwrap();
    assert!(a.details.len() <= 4000, "{}", a.details.len());
    let listed = a.details.lines().filter(|l| l.starts_with("- ")).count();
    assert!((1..=10).contains(&listed), "{listed}");
    assert!(
        a.details.contains(&format!("and {} more", 100 - listed)),
        "{}",
        a.details
    );
    assert_safe(&a);

    // A silly truncatedAlerts does not overflow.
    let mut v = big_group(1, 0, "x");
    v["truncatedAlerts"] = json!(u64::MAX);
    let a = parse_value(None, &v).unwrap();
    assert!(a.alert_count >= 1);
    assert_safe(&a);
    v["truncatedAlerts"] = json!(-5);
    assert_eq!(parse_value(None, &v).unwrap().alert_count, 1);
}

#[test]
fn a_wrong_source_says_what_it_looks_like() {
    for e in expectations() {
        let bytes = fixture(e.file);
        // Jira Service Management sends Opsgenie's payloads: either fits.
        let same = |s: Source| s == e.source || (e.source == Source::Opsgenie && s == Source::Jsm);
        for wrong in Source::ALL.into_iter().filter(|s| !same(*s)) {
            let err = pager::parse(Some(wrong), &bytes).unwrap_err();
            assert!(
                err.problem.contains("looks like")
                    && err
                        .problem
                        .contains(&format!("--source {}", e.source.as_str())),
                "{} as {wrong}: {err}",
                e.file
            );
        }
    }
    let err = pager::parse(
        Some(Source::PagerDuty),
        &fixture("alertmanager-v4-firing.json"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with(
            "given as a PagerDuty V3 webhook but this looks like a Prometheus Alertmanager webhook"
        ),
        "{err}"
    );
    // Given a source for something that looks like nothing: what is missing,
    // and what is there.
    let err = parse_value(Some(Source::Opsgenie), &json!({"text": "hi"})).unwrap_err();
    assert_eq!(
        err.problem,
        "Opsgenie payload without action (top-level keys: text)"
    );
    let err = parse_value(Some(Source::Grafana), &json!([1])).unwrap_err();
    assert!(err.problem.contains("JSON array, not an object"), "{err}");
}

#[test]
fn not_json_is_refused() {
    for bytes in [
        &b""[..],
        b"   \n",
        b"{",
        b"<html><body>502 Bad Gateway</body></html>",
        b"\xff\xfe\x00{",
        b"{\"event\": }",
        b"event_type=incident.triggered",
    ] {
        for source in [None, Some(Source::PagerDuty)] {
            let err = pager::parse(source, bytes).unwrap_err();
            assert!(err.problem.starts_with("not JSON"), "{bytes:?}: {err}");
            assert!(err.to_string().contains("as JSON"), "{err}");
        }
    }
    // A byte order mark is not a reason to refuse.
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend(fixture("opsgenie-create.json"));
    assert_eq!(
        pager::parse(None, &with_bom).unwrap().dedup_key,
        "db-replication-lag-primary"
    );
}

#[test]
fn unknown_shapes_are_refused_with_their_keys() {
    let err = parse_value(
        None,
        &json!({"text": "disk full", "channel": "#ops", "username": "bot"}),
    )
    .unwrap_err();
    assert_eq!(
        err.problem,
        "JSON with top-level keys channel, text, username does not look like any of them"
    );
    let many: serde_json::Map<String, Value> =
        (0..30).map(|i| (format!("key{i:02}"), json!(i))).collect();
    let err = parse_value(None, &Value::Object(many)).unwrap_err();
    assert!(err.problem.contains("key07, and 22 more"), "{err}");
    assert!(!err.problem.contains("key08"), "{err}");
    for v in [
        json!({}),
        json!([]),
        json!("text"),
        json!(42),
        json!(null),
        json!(true),
    ] {
        let err = parse_value(None, &v).unwrap_err();
        assert!(
            err.problem.contains("does not look like any of them"),
            "{err}"
        );
    }
    let err = parse_value(None, &json!({"\u{1b}]0;x\u{7}": 1, "\u{202e}k": 2})).unwrap_err();
    assert_line("error", &err.to_string());
}

#[test]
fn missing_required_fields_are_named() {
    let mut pd = fixture_json("pagerduty-v3-triggered.json");
    pd["event"]["data"]["id"] = Value::Null;
    assert_eq!(
        parse_value(None, &pd).unwrap_err().problem,
        "PagerDuty payload without event.data.id"
    );
    let mut pd = fixture_json("pagerduty-v3-triggered.json");
    pd["event"]["event_type"] = json!("");
    assert_eq!(
        parse_value(None, &pd).unwrap_err().problem,
        "PagerDuty payload without event.event_type"
    );
    let mut note = fixture_json("pagerduty-v3-annotated.json");
    note["event"]["data"]["incident"]["id"] = json!("");
    assert_eq!(
        parse_value(None, &note).unwrap_err().problem,
        "PagerDuty payload without event.data.incident.id"
    );
    let mut am = fixture_json("alertmanager-v4-firing.json");
    am.as_object_mut().unwrap().remove("groupKey");
    assert_eq!(
        parse_value(None, &am).unwrap_err().problem,
        "Alertmanager payload without groupKey"
    );
    let mut am = fixture_json("alertmanager-v4-firing.json");
    am["status"] = json!("");
    assert_eq!(
        parse_value(None, &am).unwrap_err().problem,
        "Alertmanager payload without status"
    );
    let mut gf = fixture_json("grafana-firing.json");
    gf["alerts"] = Value::Null;
    assert_eq!(
        parse_value(None, &gf).unwrap_err().problem,
        "Grafana payload without alerts"
    );
    let mut og = fixture_json("opsgenie-create.json");
    og["alert"]["alias"] = json!("");
    og["alert"]["alertId"] = Value::Null;
    assert_eq!(
        parse_value(None, &og).unwrap_err().problem,
        "Opsgenie payload without alert.alias (or alert.alertId)"
    );
    let mut og = fixture_json("opsgenie-create.json");
    og["action"] = Value::Null;
    assert_eq!(
        parse_value(None, &og).unwrap_err().problem,
        "Opsgenie payload without action"
    );
    // The full message names the accepted formats.
    let msg = parse_value(None, &og).unwrap_err().to_string();
    assert!(
        msg.ends_with("incident page accepts PagerDuty V3 webhooks, Prometheus Alertmanager webhooks (version 4), Opsgenie and Jira Service Management webhooks and Grafana alerting webhooks, as JSON"),
        "{msg}"
    );
}

#[test]
fn huge_and_deep_input_is_bounded() {
    let mut pd = fixture_json("pagerduty-v3-triggered.json");
    pd["event"]["data"]["title"] = json!("A".repeat(1 << 20));
    pd["event"]["data"]["service"]["summary"] = json!("s".repeat(10_000));
    pd["event"]["data"]["incident_key"] = json!("k".repeat(100_000));
    let a = parse_value(None, &pd).unwrap();
    assert_eq!(a.title.chars().count(), 200);
    assert_eq!(a.service.as_deref().map(str::len), Some(64));
    assert_safe(&a);
    let mut am = fixture_json("alertmanager-v4-firing.json");
    am["groupKey"] = json!("g".repeat(100_000));
    let a = parse_value(None, &am).unwrap();
    assert!(a.dedup_key.chars().count() < 600, "{}", a.dedup_key.len());
    // Nesting beyond serde_json's limit is "not JSON", not a crash.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(pager::parse(None, deep.as_bytes()).is_err());
    let deep_obj = format!(
        "{{\"event\": {{\"event_type\": \"incident.triggered\", \"data\": {}1{}}}}}",
        "{\"id\":".repeat(5000),
        "}".repeat(5000)
    );
    assert!(pager::parse(None, deep_obj.as_bytes()).is_err());
}

// ---------------------------------------------------------------------------
// Fuzz-ish: nothing panics, and whatever parses keeps the promises.

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Parses as every source and detected; returns how many parsed.
fn try_all(bytes: &[u8]) -> usize {
    let mut ok = 0;
    for source in [None].into_iter().chain(Source::ALL.into_iter().map(Some)) {
        if let Ok(a) = pager::parse(source, bytes) {
            assert_safe(&a);
            ok += 1;
        }
    }
    ok
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Bytes that make JSON likely to get somewhere.
    const ALPHABET: &[u8] = b"{}[]\":,0123456789.-eE truefalsnul\\u\x1b\xe2\x80\xae\xff";
    for i in 0..2000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if i % 2 == 0 {
                    rng.next() as u8
                } else {
                    ALPHABET[rng.below(ALPHABET.len())]
                }
            })
            .collect();
        try_all(&bytes);
    }
}

/// A random JSON value, sometimes nasty.
fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 7 } else { 10 }) {
        0 => Value::Null,
        1 => json!(""),
        2 => json!("   "),
        3 => json!("\u{1b}[31m\u{202e}x\n"),
        4 => json!(rng.next() as i64),
        5 => json!("y".repeat(rng.below(5000))),
        6 => json!(rng.below(2) == 0),
        7 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        8 => json!(-1.5e300),
        _ => {
            let keys = [
                "id",
                "summary",
                "labels",
                "alertname",
                "severity",
                "status",
                "alias",
            ];
            Value::Object(
                (0..rng.below(4))
                    .map(|_| {
                        (
                            keys[rng.below(keys.len())].to_string(),
                            random_value(rng, depth + 1),
                        )
                    })
                    .collect(),
            )
        }
    }
}

/// Replaces one random node of `v` (picked by walking down) with `with`.
fn mutate(v: &mut Value, rng: &mut Rng, with: Value) {
    let stop = rng.below(4) == 0;
    match v {
        Value::Object(m) if !m.is_empty() && !stop => {
            let i = rng.below(m.len());
            let k = m.keys().nth(i).cloned().unwrap();
            mutate(m.get_mut(&k).unwrap(), rng, with);
        }
        Value::Array(a) if !a.is_empty() && !stop => {
            let i = rng.below(a.len());
            mutate(&mut a[i], rng, with);
        }
        _ => *v = with,
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let (mut tried, mut parsed) = (0, 0);
    for name in &names {
        let original = fixture(name);
        let value: Value = serde_json::from_slice(&original).unwrap();
        for _ in 0..60 {
            // Structural: a few nodes replaced with odd values.
            let mut v = value.clone();
            for _ in 0..1 + rng.below(4) {
                let with = random_value(&mut rng, 0);
                mutate(&mut v, &mut rng, with);
            }
            parsed += try_all(v.to_string().as_bytes());
            tried += 1;
            // Byte-level: flips, cuts and splices.
            let mut b = original.clone();
            match rng.below(4) {
                0 => {
                    for _ in 0..1 + rng.below(8) {
                        let i = rng.below(b.len());
                        b[i] = rng.next() as u8;
                    }
                }
                1 => b.truncate(rng.below(b.len())),
                2 => {
                    let at = rng.below(b.len());
                    b.splice(at..at, b"\x1b[2J\xe2\x80\xae\"".iter().copied());
                }
                _ => {
                    let (x, y) = (rng.below(b.len()), rng.below(b.len()));
                    let (lo, hi) = (x.min(y), x.max(y));
                    b.drain(lo..hi);
                }
            }
            parsed += try_all(&b);
            tried += 1;
        }
    }
    // The mutations must reach the mapping, not only the JSON parser.
    assert!(parsed * 10 > tried, "only {parsed} of {tried} parsed");
}

// ---------------------------------------------------------------------------
// The pager's own times

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

#[test]
fn each_format_gives_the_alerts_start_and_the_events_own_time() {
    type Times = (Option<&'static str>, Option<&'static str>);
    let cases: [(&str, Times); 9] = [
        // The earliest startsAt of the group; a notification has no time of its own.
        (
            "alertmanager-v4-firing.json",
            (Some("2026-11-26T02:58:10Z"), None),
        ),
        (
            "alertmanager-v4-refiring.json",
            (Some("2026-11-26T02:58:10Z"), None),
        ),
        ("grafana-firing.json", (Some("2026-11-26T03:05:00Z"), None)),
        // PagerDuty: the incident's created_at; the event's occurred_at.
        (
            "pagerduty-v3-triggered.json",
            (
                Some("2026-11-26T03:12:44Z"),
                Some("2026-11-26T03:12:44.512Z"),
            ),
        ),
        (
            "pagerduty-v3-acknowledged.json",
            (
                Some("2026-11-26T03:12:44Z"),
                Some("2026-11-26T03:14:02.101Z"),
            ),
        ),
        (
            "pagerduty-v3-reopened.json",
            (Some("2026-11-26T03:12:44Z"), Some("2026-11-26T04:20:00Z")),
        ),
        // Opsgenie: createdAt in milliseconds, updatedAt in nanoseconds.
        (
            "opsgenie-create.json",
            (
                Some("2025-11-26T03:13:10.112Z"),
                Some("2025-11-26T03:13:10.112Z"),
            ),
        ),
        (
            "opsgenie-acknowledge.json",
            (
                Some("2025-11-26T03:13:10.112Z"),
                Some("2025-11-26T03:16:52.345Z"),
            ),
        ),
        // A note names its incident by reference, without created_at.
        (
            "pagerduty-v3-annotated.json",
            (None, Some("2026-11-26T03:20:31.777Z")),
        ),
    ];
    for (file, (started, occurred)) in cases {
        let a = parsed(file);
        assert_eq!(a.started_at, started.map(utc), "{file}: started_at");
        assert_eq!(a.occurred_at, occurred.map(utc), "{file}: occurred_at");
    }
    // The shared copies carry the same times.
    let shared = std::path::Path::new("/work/shared/fixtures/pager");
    for (file, started) in [
        ("alertmanager-v4-firing.json", "2026-11-26T02:58:10Z"),
        ("grafana-firing.json", "2026-11-26T03:05:00Z"),
        ("pagerduty-v3-triggered.json", "2026-11-26T03:12:44Z"),
        ("pagerduty-v3-acknowledged.json", "2026-11-26T03:12:44Z"),
        ("opsgenie-create.json", "2025-11-26T03:13:10.112Z"),
    ] {
        let Ok(bytes) = std::fs::read(shared.join(file)) else {
            continue; // Not on this machine.
        };
        let a = pager::parse(None, &bytes).unwrap();
        assert_eq!(a.started_at, Some(utc(started)), "shared {file}");
    }
}

#[test]
fn times_that_are_not_times_are_left_out_not_guessed() {
    let am = |starts: Value| {
        parse_value(
            Some(Source::Alertmanager),
            &json!({"groupKey": "g", "status": "firing", "alerts": [
                {"labels": {"alertname": "A"}, "startsAt": starts},
                {"labels": {"alertname": "A"}, "startsAt": "2026-11-26T03:00:00+02:00"}
            ]}),
        )
        .unwrap()
        .started_at
    };
    // An offset is honoured; what is not a time is passed over.
    assert_eq!(am(json!("yesterday")), Some(utc("2026-11-26T01:00:00Z")));
    assert_eq!(am(json!(null)), Some(utc("2026-11-26T01:00:00Z")));
    assert_eq!(
        am(json!("2026-11-26T00:30:00Z")),
        Some(utc("2026-11-26T00:30:00Z"))
    );
    // Epoch seconds and milliseconds both read as 2026-11-26 03:00.
    let og = |created: Value| {
        parse_value(
            Some(Source::Opsgenie),
            &json!({"action": "Create", "alert": {"alias": "a", "createdAt": created}}),
        )
        .unwrap()
        .started_at
    };
    assert_eq!(og(json!(1795662000)), Some(utc("2026-11-26T03:00:00Z")));
    assert_eq!(
        og(json!(1795662000000_i64)),
        Some(utc("2026-11-26T03:00:00Z"))
    );
    assert_eq!(og(json!("soon")), None);
    assert_eq!(og(json!(true)), None);
    assert_eq!(og(json!(u64::MAX)), None);
}

#[test]
fn real_payloads_from_the_field() {
    // Jira Service Management: the same payload, filed under its own name.
    let jsm = pager::parse(Some(Source::Jsm), &fixture("jsm-create.json")).unwrap();
    assert_eq!(jsm.source, Source::Jsm);
    assert_eq!(jsm.title, "test alert");
    assert!(
        jsm.details
            .starts_with("Jira Service Management alert #23 · Create"),
        "{}",
        jsm.details
    );
    assert_eq!("JSM".parse::<Source>().unwrap(), Source::Jsm);
    // The blackbox probe names every host that does not answer.
    let bb = parsed("alertmanager-v4-blackbox-icmp.json");
    assert!(
        bb.details
            .contains("failing: 172.29.254.30, 172.29.254.50, 172.29.254.66"),
        "{}",
        bb.details
    );
    // A follow-up of PagerDuty's incident never joins by service alone.
    assert!(!parsed("pagerduty-v3-escalated.json").joins_by_service());
    assert!(parsed("opsgenie-acknowledge.json").joins_by_service());
    // The integration's key travels for matching and for the resolve.
    assert_eq!(
        parsed("pagerduty-v3-escalated.json").events_key.as_deref(),
        Some("d387d7bd2e0a4294a5307339dfe1669a")
    );
    // An escalation of an incident that is already resolved is no page.
    let mut done = fixture_json("pagerduty-v3-escalated.json");
    done["event"]["data"]["status"] = json!("resolved");
    assert_eq!(
        parse_value(None, &done).unwrap().state,
        other("incident.escalated")
    );
    // An acknowledged incident whose priority changed is still a page.
    let mut acked = fixture_json("pagerduty-v3-priority-updated.json");
    acked["event"]["data"]["status"] = json!("acknowledged");
    assert_eq!(
        parse_value(None, &acked).unwrap().state,
        AlertState::Triggered
    );
    // A V2 webhook gets the same refusal with or without --source.
    let v2 = fixture("pagerduty-v2-webhook.json");
    let given = pager::parse(Some(Source::PagerDuty), &v2).unwrap_err();
    assert_eq!(given, pager::parse(None, &v2).unwrap_err());
    assert!(given.problem.contains("V3 webhook subscription"), "{given}");
}

#[test]
fn the_failing_system_is_what_failed() {
    let am = |labels: Value| {
        parse_value(
            Some(Source::Alertmanager),
            &json!({"groupKey": "g", "status": "firing", "commonLabels": labels, "alerts": [{"labels": labels}]}),
        )
        .unwrap()
        .service
    };
    // A host-only alert names its host.
    assert_eq!(
        am(json!({"alertname": "HostDown", "host": "web-3"})).as_deref(),
        Some("web-3")
    );
    // Exporters and probers are instruments: the instance/target is named.
    for job in [
        "node-exporter",
        "blackbox-icmp",
        "blackbox",
        "node",
        "probe-http",
    ] {
        assert_eq!(
            am(json!({"alertname": "X", "job": job, "instance": "db-1.example:9100"})).as_deref(),
            Some("db-1.example"),
            "{job}"
        );
    }
    assert_eq!(
        am(json!({"alertname": "X", "job": "blackbox-http", "instance": "https://shop.example:8443/health"}))
            .as_deref(),
        Some("shop.example")
    );
    assert_eq!(
        am(json!({"alertname": "X", "job": "kube-state-metrics", "target": "api.example"}))
            .as_deref(),
        Some("api.example")
    );
    // A job that is the service keeps its name; a service label wins.
    assert_eq!(
        am(json!({"alertname": "X", "job": "payments-api", "instance": "10.0.0.1:8080"}))
            .as_deref(),
        Some("payments-api")
    );
    assert_eq!(
        am(json!({"alertname": "X", "service": "checkout", "job": "node-exporter", "instance": "h:9100"}))
            .as_deref(),
        Some("checkout")
    );
    // routeLabels may name the service when the alerts' labels do not.
    let routed = parse_value(
        Some(Source::Alertmanager),
        &json!({"groupKey": "g", "status": "firing", "routeLabels": {"service": "Search API"},
            "commonLabels": {"alertname": "X", "job": "blackbox"}, "alerts": []}),
    )
    .unwrap();
    assert_eq!(routed.service.as_deref(), Some("search-api"));
}

/// The delivery id tells a redelivery from a new event: the same payload
/// gives the same id; what a sender changes between deliveries of one
/// notification (the order of alerts, a firing alert's `endsAt` lease)
/// does not change it; a new start, a new event or a reminder does.
#[test]
fn delivery_ids_tell_a_redelivery_from_a_new_event() {
    let id = |a: &Alert| a.delivery_id.clone().expect("a delivery id");
    let am = id(&parsed("alertmanager-v4-firing.json"));
    assert!(am.starts_with("alertmanager:"), "{am}");
    assert_eq!(am, id(&parsed("alertmanager-v4-firing.json")));

    let mut v = fixture_json("alertmanager-v4-refiring.json");
    let first = id(&parse_value(None, &v).unwrap());
    v["alerts"].as_array_mut().unwrap().reverse();
    for a in v["alerts"].as_array_mut().unwrap() {
        if a["status"] == "firing" {
            a["endsAt"] = json!("2026-11-26T04:00:00Z");
        }
    }
    assert_eq!(id(&parse_value(None, &v).unwrap()), first, "the same one");
    v["alerts"][0]["startsAt"] = json!("2026-11-26T05:00:00Z");
    assert_ne!(id(&parse_value(None, &v).unwrap()), first, "a new start");

    assert_ne!(
        id(&parsed("alertmanager-v4-blackbox-icmp.json")),
        id(&parsed("alertmanager-v4-blackbox-icmp-repeat.json")),
        "a reminder is one more notification"
    );
    assert_ne!(am, id(&parsed("alertmanager-v4-refiring.json")));
    assert_ne!(am, id(&parsed("alertmanager-v4-resolved.json")));
    assert!(id(&parsed("grafana-firing.json")).starts_with("grafana:"));

    let pd = id(&parsed("pagerduty-v3-triggered.json"));
    assert!(pd.starts_with("pagerduty:"), "{pd}");
    assert_ne!(pd, id(&parsed("pagerduty-v3-acknowledged.json")));
    let mut v = fixture_json("pagerduty-v3-triggered.json");
    v["event"].as_object_mut().unwrap().remove("id");
    assert_eq!(parse_value(None, &v).unwrap().delivery_id, None);

    let og = id(&parsed("opsgenie-create.json"));
    assert_ne!(og, id(&parsed("opsgenie-addnote.json")), "another action");
    assert_ne!(og, id(&parsed("opsgenie-acknowledge.json")));
    let mut v = fixture_json("opsgenie-acknowledge.json");
    v["alert"]["updatedAt"] = json!(1764127099000000000u64);
    assert_ne!(
        id(&parse_value(None, &v).unwrap()),
        id(&parsed("opsgenie-acknowledge.json")),
        "acknowledged again, later"
    );
    let jsm = parse_value(Some(Source::Jsm), &fixture_json("jsm-create.json")).unwrap();
    assert!(id(&jsm).starts_with("jsm:"), "{jsm:?}");
}
