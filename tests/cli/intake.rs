//! The front door under real deliveries: one incident per alert however
//! many copies arrive at once (three `incident page` processes started
//! together; a storm of webhooks from several clients), a 2xx verdict for
//! every well-formed event, one journal line per request, and late
//! follow-ups logged on the incident they belong to.

use crate::common::*;
use crate::listener::{listen, listen_journaled, post};
use crate::paging::{fixture, page};
use std::path::Path;
use std::process::Stdio;

fn fixture_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// Ids of every incident in `dir`, resolved ones too.
fn all_ids(dir: &Path) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(&ok(dir, &["list", "--all", "--json"])).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// The same payload three times at once is one delivery: one incident,
/// one page on record, the copies answered as redeliveries.
#[test]
fn three_pages_of_one_alert_started_together_make_one_incident() {
    for name in ["pagerduty-v3-triggered.json", "alertmanager-v4-firing.json"] {
        let path = fixture_path(name);
        for round in 0..5 {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            let children: Vec<_> = (0..3)
                .map(|_| {
                    cmd(dir)
                        .args(["page", &path])
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            let mut verdicts: Vec<String> = children
                .into_iter()
                .map(|c| {
                    let o = c.wait_with_output().unwrap();
                    assert!(o.status.success(), "{}", describe(&["page"], &o));
                    stdout(&o).trim().to_string()
                })
                .collect();
            verdicts.sort();
            assert_eq!(
                verdicts,
                [
                    "declared INC-1",
                    "logged INC-1 (redelivery)",
                    "logged INC-1 (redelivery)"
                ],
                "{name}, round {round}"
            );
            assert_eq!(all_ids(dir), ["INC-1"], "{name}, round {round}");
            let pages = texts(&show_json(dir, "INC-1"))
                .iter()
                .filter(|t| t.starts_with("paged by") || t.starts_with("re-triggered in"))
                .count();
            assert_eq!(pages, 1, "the delivery is on record once: {name}");
        }
    }
}

/// The Alertmanager fixture as group `g` of a storm: its own group key and
/// alert name, so each group is a different alert.
fn group_payload(g: usize) -> Vec<u8> {
    let mut v: serde_json::Value =
        serde_json::from_slice(&fixture("alertmanager-v4-firing.json")).unwrap();
    v["groupKey"] = format!("{{}}:{{alertname=\"Storm{g}\"}}").into();
    v["commonLabels"]["alertname"] = format!("Storm{g}").into();
    v.to_string().into_bytes()
}

#[test]
fn a_storm_of_webhooks_from_several_clients_makes_one_incident_per_alert_group() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let l = listen(&dir, &[]);
    let (groups, clients, each) = (10, 6, 20);
    let port = l.port;
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            std::thread::spawn(move || {
                (0..each)
                    .map(|n| {
                        // Every client walks the groups from its own start, so
                        // first deliveries of a group race each other.
                        let g = (n + c) % groups;
                        let (code, body) = post(port, "/alertmanager", &[], &group_payload(g));
                        (g, code, body)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut by_group: std::collections::BTreeMap<usize, std::collections::BTreeSet<String>> =
        Default::default();
    let mut declared = 0;
    for t in threads {
        for (g, code, body) in t.join().unwrap() {
            assert!(code == 200 || code == 201, "{code} {body}");
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            if v["outcome"] == "declared" {
                declared += 1;
            } else {
                // Every copy after the first is the same notification.
                assert_eq!(v["outcome"], "logged", "{body}");
                assert_eq!(v["redelivery"], true, "{body}");
            }
            by_group
                .entry(g)
                .or_default()
                .insert(v["incident"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(declared, groups, "one declaration per alert group");
    assert!(
        by_group.values().all(|ids| ids.len() == 1),
        "every group's deliveries went to one incident: {by_group:?}"
    );
    assert_eq!(all_ids(&dir).len(), groups);
    for id in all_ids(&dir) {
        let pages = texts(&show_json(&dir, &id))
            .iter()
            .filter(|t| t.starts_with("paged by") || t.starts_with("re-triggered in"))
            .count();
        assert_eq!(pages, 1, "{id}: the same notification is logged once");
    }
}

#[test]
fn a_well_formed_event_it_does_not_act_on_is_answered_2xx_with_the_same_verdict_as_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let l = listen(&dir, &[]);
    let payload = fixture("pagerduty-v3-service-updated.json");
    let (code, body) = post(l.port, "/pagerduty", &[], &payload);
    assert_eq!(
        code, 200,
        "not a 400, which makes PagerDuty drop it: {body}"
    );
    let http: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(http["outcome"], "ignored");
    let why = http["why"].as_str().unwrap();
    assert!(why.contains("service.updated"), "{why}");

    let o = page(&dir, &payload, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&["page"], &o));
    assert_eq!(stdout(&o).trim(), format!("ignored: {why}"));
    let o = page(&dir, &payload, &["--json"]);
    let cli: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(cli, http, "the same verdict on both surfaces");
    assert!(all_ids(&dir).is_empty(), "nothing declared");

    // A page sent to the wrong route is told where it belongs, in HTTP's
    // words: no command-line option.
    let (code, body) = post(l.port, "/pagerduty", &[], &fixture("opsgenie-create.json"));
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("send it to /opsgenie"), "{body}");
    assert!(!body.contains("--source"), "{body}");
}

#[test]
fn page_says_what_it_did_and_json_says_it_for_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = page(dir, &fixture("opsgenie-create.json"), &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (
            v["outcome"].as_str(),
            v["incident"].as_str(),
            v["source"].as_str()
        ),
        (Some("declared"), Some("INC-1"), Some("opsgenie"))
    );
    let o = page(dir, &fixture("opsgenie-acknowledge.json"), &[]);
    assert_eq!(stdout(&o).trim(), "logged INC-1");
    let o = page(dir, &fixture("grafana-resolved.json"), &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with("ignored: Grafana says") && out.contains("no incident has that alert"),
        "never silent: {out}"
    );
}

/// Resolve `id` as its commander.
fn resolve(dir: &Path, id: &str) {
    ok(dir, &["--name", "alice", "role", "claim", "ic", "-i", id]);
    ok(
        dir,
        &["--name", "alice", "status", "-i", id, "resolved", "--force"],
    );
}

#[test]
fn a_late_pagerduty_ack_is_logged_on_the_resolved_incident_and_only_a_new_trigger_recurs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = paged_id(&page(dir, &fixture("pagerduty-v3-triggered.json"), &[]));
    resolve(dir, &id);
    let o = page(dir, &fixture("pagerduty-v3-acknowledged.json"), &[]);
    assert_eq!(stdout(&o).trim(), format!("logged {id}"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("recurrence"), "{}", stderr(&o));
    let o = page(dir, &fixture("pagerduty-v3-resolved.json"), &[]);
    assert_eq!(stdout(&o).trim(), format!("logged {id}"));
    assert_eq!(all_ids(dir), vec![id.clone()], "no phantom incident");
    let shown = show_json(dir, &id);
    assert_eq!(shown["status"], "resolved", "still resolved");
    let texts = texts(&shown);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("acknowledged in PagerDuty by Dana Oncall")),
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("stays open until")),
        "a resolved incident is not told it stays open: {texts:?}"
    );
    // A late retry of the first trigger is a redelivery, not a recurrence.
    let o = page(dir, &fixture("pagerduty-v3-triggered.json"), &[]);
    assert_eq!(stdout(&o).trim(), format!("logged {id} (redelivery)"));
    assert_eq!(all_ids(dir), vec![id.clone()], "no phantom incident");
    // The alert firing again (a new event) is a recurrence.
    let mut again: serde_json::Value =
        serde_json::from_slice(&fixture("pagerduty-v3-triggered.json")).unwrap();
    again["event"]["id"] = "01DEN3WQ8K7T6EXAMPLEEVT9".into();
    let o = page(dir, again.to_string().as_bytes(), &[]);
    assert_eq!(stdout(&o).trim(), "declared INC-2");
    assert!(
        stderr(&o).contains(&format!("recurrence of {id}")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn late_opsgenie_acks_notes_and_closes_are_logged_on_the_resolved_incident() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = paged_id(&page(dir, &fixture("opsgenie-create.json"), &[]));
    resolve(dir, &id);
    for late in [
        "opsgenie-acknowledge.json",
        "opsgenie-addnote.json",
        "opsgenie-close.json",
    ] {
        let o = page(dir, &fixture(late), &[]);
        assert_eq!(stdout(&o).trim(), format!("logged {id}"), "{late}");
    }
    assert_eq!(all_ids(dir), vec![id.clone()], "no phantom incident");
    let logged = texts(&show_json(dir, &id));
    assert!(
        logged
            .iter()
            .any(|t| t.starts_with("acknowledged in Opsgenie")),
        "{logged:?}"
    );
    // Closed as a false alarm, a late ack is still logged there, as a note.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = paged_id(&page(dir, &fixture("opsgenie-create.json"), &[]));
    ok(dir, &["--name", "alice", "role", "claim", "ic", "-i", &id]);
    ok(dir, &["--name", "alice", "cancel", "-i", &id, "test alert"]);
    let o = page(dir, &fixture("opsgenie-acknowledge.json"), &[]);
    assert_eq!(stdout(&o).trim(), format!("logged {id}"), "{}", stderr(&o));
    // Delivered again: noted once.
    let o = page(dir, &fixture("opsgenie-acknowledge.json"), &[]);
    assert_eq!(stdout(&o).trim(), format!("logged {id} (redelivery)"));
    assert_eq!(
        texts(&show_json(dir, &id))
            .iter()
            .filter(|t| t.starts_with("acknowledged in Opsgenie")
                && t.contains("after the incident was closed"))
            .count(),
        1,
        "{:?}",
        texts(&show_json(dir, &id))
    );
}

#[test]
fn the_listener_writes_one_line_per_request_and_never_a_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let token = tmp.path().join("token");
    std::fs::write(&token, "letmein-7f3a").unwrap();
    let journal = tmp.path().join("journal");
    let l = listen_journaled(
        &dir,
        &[
            "--token-file",
            token.to_str().unwrap(),
            "--max-body",
            "100000",
        ],
        &journal,
    );
    let auth = [("Authorization", "Bearer letmein-7f3a")];
    let am = fixture("alertmanager-v4-firing.json");
    assert_eq!(post(l.port, "/alertmanager", &auth, &am).0, 201);
    assert_eq!(post(l.port, "/alertmanager", &auth, &am).0, 200);
    assert_eq!(
        post(
            l.port,
            "/alertmanager",
            &[("Authorization", "Bearer guess")],
            &am
        )
        .0,
        401
    );
    let svc = fixture("pagerduty-v3-service-updated.json");
    assert_eq!(post(l.port, "/pagerduty", &auth, &svc).0, 200);
    assert_eq!(post(l.port, "/grafana", &auth, b"{\"nope\": 1}").0, 400);
    assert_eq!(
        post(l.port, "/opsgenie", &auth, &vec![b' '; 200_000]).0,
        413
    );
    // Lines are written as the answers go out; give the last a moment.
    let want = 6;
    let start = std::time::Instant::now();
    let lines = loop {
        let text = std::fs::read_to_string(&journal).unwrap();
        let lines: Vec<String> = text
            .lines()
            .filter(|l| l.contains(" POST "))
            .map(str::to_string)
            .collect();
        if lines.len() >= want || start.elapsed() > std::time::Duration::from_secs(5) {
            break lines;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(lines.len(), want, "{lines:#?}");
    let expect = [
        "POST /alertmanager source=alertmanager event=firing outcome=declared status=201 incident=INC-1",
        "POST /alertmanager source=alertmanager event=firing outcome=redelivery status=200 incident=INC-1",
        "POST /alertmanager source=alertmanager event=- outcome=unauthorised status=401 incident=-",
        "POST /pagerduty source=pagerduty event=service.updated outcome=ignored status=200 incident=-",
        "POST /grafana source=grafana event=- outcome=malformed status=400 incident=-",
        "POST /opsgenie source=opsgenie event=- outcome=too_large status=413 incident=-",
    ];
    for (line, want) in lines.iter().zip(expect) {
        let (time, rest) = line.split_once(' ').unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(time).is_ok(),
            "starts with the time: {line}"
        );
        assert_eq!(rest, want);
    }
    let all = std::fs::read_to_string(&journal).unwrap();
    for secret in ["letmein-7f3a", "guess", "p99 latency", "nope", "Bearer"] {
        assert!(!all.contains(secret), "{secret:?} in the journal: {all}");
    }
}

/// PagerDuty delivers at least once: a retry carries the same event (its
/// `event.id`) and the same `X-Webhook-Id`. Over a real socket, each retry
/// is answered 2xx as a redelivery and the log holds each event once; an
/// event with no id of its own is known by the header.
#[test]
fn pagerduty_retries_over_the_socket_are_answered_and_logged_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let journal = tmp.path().join("journal");
    let l = listen_journaled(&dir, &[], &journal);
    let trigger = fixture("pagerduty-v3-triggered.json");
    let ack = fixture("pagerduty-v3-acknowledged.json");
    let hook = [("X-Webhook-Id", "0d2b2d4b-5e6b-4d3c-9c1f-7a1f2d3e4b5c")];
    let mut answers = Vec::new();
    for payload in [&trigger, &trigger, &ack, &ack, &ack] {
        let (code, body) = post(l.port, "/pagerduty", &hook, payload);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        answers.push((code, v["outcome"].clone(), v["redelivery"].clone()));
    }
    let no = serde_json::Value::Null;
    let yes = serde_json::Value::Bool(true);
    assert_eq!(
        answers,
        [
            (201, "declared".into(), no.clone()),
            (200, "logged".into(), yes.clone()),
            (200, "logged".into(), no.clone()),
            (200, "logged".into(), yes.clone()),
            (200, "logged".into(), yes.clone()),
        ]
    );
    let texts = texts(&show_json(&dir, "INC-1"));
    assert!(
        !texts.iter().any(|t| t.starts_with("re-triggered in")),
        "{texts:?}"
    );
    let acks = texts
        .iter()
        .filter(|t| t.starts_with("acknowledged in PagerDuty"))
        .count();
    assert_eq!(acks, 1, "{texts:?}");

    // An event without an id of its own: the header tells a retry from a
    // new delivery.
    let mut v: serde_json::Value =
        serde_json::from_slice(&fixture("pagerduty-v3-reopened.json")).unwrap();
    v["event"].as_object_mut().unwrap().remove("id");
    let reopened = v.to_string().into_bytes();
    let first = [("X-Webhook-Id", "aaaaaaaa-0000-4000-8000-000000000001")];
    let other = [("X-Webhook-Id", "aaaaaaaa-0000-4000-8000-000000000002")];
    let said = |h: &[(&str, &str)]| {
        let (code, body) = post(l.port, "/pagerduty", h, &reopened);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        (code, v["outcome"].clone(), v["redelivery"].clone())
    };
    assert_eq!(said(&first), (200, "joined".into(), no.clone()));
    assert_eq!(said(&first), (200, "logged".into(), yes.clone()));
    assert_eq!(
        said(&other),
        (200, "joined".into(), no.clone()),
        "another delivery of the same event body is another event"
    );

    // The journal names each redelivery, and says no more than before.
    let start = std::time::Instant::now();
    let lines = loop {
        let text = std::fs::read_to_string(&journal).unwrap();
        let lines: Vec<String> = text
            .lines()
            .filter(|l| l.contains(" POST "))
            .map(str::to_string)
            .collect();
        if lines.len() >= 8 || start.elapsed() > std::time::Duration::from_secs(5) {
            break lines;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("outcome=redelivery"))
            .count(),
        4,
        "{lines:#?}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("0d2b2d4b") || l.contains("aaaaaaaa")),
        "no header in the journal: {lines:#?}"
    );
}

/// A second page, under another alert, for a service already failing in an
/// active incident declares anew but says where it is failing and how to
/// merge.
#[test]
fn a_second_alert_for_a_service_failing_in_an_active_incident_says_so_and_offers_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = page(dir, &fixture("pagerduty-v3-triggered.json"), &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let mut v: serde_json::Value =
        serde_json::from_slice(&fixture("pagerduty-v3-triggered.json")).unwrap();
    v["event"]["id"] = "01DEN3WQ8K7T6EXAMPLEEVT9".into();
    v["event"]["data"]["id"] = "Q9OTHEREXAMPLE".into();
    v["event"]["data"]["incident_key"] = "checkout-latency".into();
    v["event"]["data"]["title"] = "Checkout latency p99 above 2s".into();
    let o = page(dir, v.to_string().as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        said.contains(
            "checkout-api is already failing in INC-1 (SEV1): if this is the same problem, merge: incident merge INC-2 --into INC-1"
        ),
        "{said}"
    );
    // The first page says nothing of the kind.
    let first_said = format!("{}{}", stdout(&first), stderr(&first));
    assert!(!first_said.contains("already failing"), "{first_said}");
}
