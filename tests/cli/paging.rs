//! Launched by the pager: `incident page`, de-duplication, `incident
//! active`, and the webhook listener on loopback.

use crate::common::pager_times::*;
use crate::common::*;
use crate::listener::{listen, post};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

const FIXTURES: &str = "/work/shared/fixtures/pager";

pub fn fixture(name: &str) -> Vec<u8> {
    // The repository carries its own copies; fall back to the shared ones.
    let local = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager")
        .join(name);
    std::fs::read(&local)
        .or_else(|_| std::fs::read(Path::new(FIXTURES).join(name)))
        .unwrap()
}

/// A fixture with its times moved so that `anchor` (one of the times in
/// `pager_times`) was `minutes` ago.
pub fn recent(name: &str, anchor: &str, minutes: i64) -> Vec<u8> {
    let v: serde_json::Value = serde_json::from_slice(&fixture(name)).unwrap();
    anchored(v, anchor, minutes_ago(minutes))
        .to_string()
        .into_bytes()
}

pub fn page(dir: &Path, payload: &[u8], args: &[&str]) -> std::process::Output {
    let mut child = cmd(dir)
        .arg("page")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(payload).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_page_declares_and_a_refired_alert_joins_the_same_incident() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = page(dir, &fixture("alertmanager-v4-firing.json"), &[]);
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    assert_eq!(stdout(&o).trim(), "declared INC-1", "says what it did");
    let id = paged_id(&o);
    assert_eq!(id, "INC-1");
    assert!(
        stderr(&o).contains("incident open INC-1"),
        "a join hint: {}",
        stderr(&o)
    );
    let shown = show_json(dir, &id);
    assert_eq!(shown["severity"], "SEV1", "critical maps to SEV1");
    assert_eq!(shown["systems"]["payments"]["status"], "failing");
    assert!(
        shown["document"]["appendix"][0]["text"]
            .as_str()
            .unwrap()
            .contains("runbook"),
        "links kept: {}",
        shown["document"]
    );

    // The same notification again is a redelivery; the alert firing again
    // (more alerts in its group) and its resolution land in INC-1.
    let o = page(dir, &fixture("alertmanager-v4-firing.json"), &[]);
    assert_eq!(stdout(&o).trim(), format!("logged {id} (redelivery)"));
    let o = page(dir, &fixture("alertmanager-v4-refiring.json"), &[]);
    assert_eq!(stdout(&o).trim(), format!("joined {id}"));
    let o = page(
        dir,
        &fixture("alertmanager-v4-resolved.json"),
        &["--source", "alertmanager"],
    );
    assert_eq!(stdout(&o).trim(), format!("logged {id}"));
    let shown = show_json(dir, &id);
    assert_eq!(
        shown["status"], "investigating",
        "a resolved alert does not resolve the incident"
    );
    let texts = texts(&shown);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("re-triggered in Alertmanager")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("resolved in Alertmanager") && t.contains(":status mitigated")),
        "{texts:?}"
    );
    assert_eq!(
        ok(dir, &["list", "--all", "--json"])
            .matches("\"id\"")
            .count(),
        1,
        "one incident only"
    );
}

#[test]
fn pagerduty_acknowledgement_is_logged_with_who() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = paged_id(&page(
        dir,
        &recent("pagerduty-v3-triggered.json", PD_CREATED, 5),
        &[],
    ))
    .trim()
    .to_string();
    // Acknowledged at once: nothing to say about its time.
    let mut ack: serde_json::Value =
        serde_json::from_slice(&recent("pagerduty-v3-acknowledged.json", PD_CREATED, 5)).unwrap();
    ack["event"]["occurred_at"] = serde_json::json!(chrono::Utc::now().to_rfc3339());
    let o = page(dir, ack.to_string().as_bytes(), &["--source", "pagerduty"]);
    assert_eq!(paged_id(&o), id);
    let texts = texts(&show_json(dir, &id));
    assert!(
        texts
            .iter()
            .any(|t| t == "acknowledged in PagerDuty by Dana Oncall"),
        "{texts:?}"
    );
}

#[test]
fn unknown_payloads_are_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for bad in [
        &b"not json at all"[..],
        b"{\"hello\": \"world\"}",
        b"[]",
        b"",
    ] {
        let o = page(dir, bad, &[]);
        assert_eq!(o.status.code(), Some(2), "{}", describe(&["page"], &o));
        let err = stderr(&o);
        assert!(
            err.contains("PagerDuty")
                && err.contains("Alertmanager")
                && err.contains("Opsgenie")
                && err.contains("Grafana"),
            "{err}"
        );
    }
    let o = page(
        dir,
        &fixture("opsgenie-create.json"),
        &["--source", "pagerduty"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0),
        0,
        "nothing written"
    );
}

#[test]
fn active_prints_a_line_per_incident_or_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = run(dir, &["active"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    page(dir, &fixture("grafana-firing.json"), &[]);
    let o = run(dir, &["active"]);
    assert_eq!(o.status.code(), Some(0));
    let line = stdout(&o);
    assert!(
        line.starts_with("ACTIVE INCIDENT INC-1") && line.contains("join: incident open INC-1"),
        "{line}"
    );
    let short = stdout(&run(dir, &["active", "--short"]));
    assert!(short.starts_with("INC-1 SEV"), "{short}");
}

fn sign(secret: &[u8], body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[test]
fn the_listener_files_pages_and_refuses_bad_requests() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let secret = tmp.path().join("pd-secret");
    std::fs::write(&secret, "s3cret\n").unwrap();
    let l = listen(
        &dir,
        &[
            "--pagerduty-secret-file",
            secret.to_str().unwrap(),
            "--max-body",
            "100000",
        ],
    );

    let am = fixture("alertmanager-v4-firing.json");
    let (code, body) = post(l.port, "/alertmanager", &[], &am);
    assert_eq!(code, 201, "{body}");
    assert!(
        body.contains("declared") && body.contains("INC-1"),
        "{body}"
    );
    let (code, body) = post(l.port, "/alertmanager", &[], &am);
    assert_eq!(
        (
            code,
            body.contains("\"logged\""),
            body.contains("\"redelivery\":true")
        ),
        (200, true, true),
        "the same notification again is a redelivery: {body}"
    );

    // PagerDuty: signed is accepted; unsigned or badly signed is refused.
    let pd = fixture("pagerduty-v3-triggered.json");
    let (code, _) = post(l.port, "/pagerduty", &[], &pd);
    assert_eq!(code, 401);
    let (code, _) = post(
        l.port,
        "/pagerduty",
        &[("X-PagerDuty-Signature", "v1=deadbeef")],
        &pd,
    );
    assert_eq!(code, 401);
    let (code, body) = post(
        l.port,
        "/pagerduty",
        &[("X-PagerDuty-Signature", &sign(b"s3cret", &pd))],
        &pd,
    );
    assert_eq!(code, 201, "{body}");

    // Garbage and oversized bodies: 4xx, nothing written.
    let before = ok(&dir, &["list", "--all", "--json"]);
    let (code, body) = post(l.port, "/grafana", &[], b"{\"nope\": 1}");
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("Grafana"), "says what it accepts: {body}");
    let (code, _) = post(l.port, "/opsgenie", &[], &vec![b' '; 200_000]);
    assert_eq!(code, 413);
    assert_eq!(ok(&dir, &["list", "--all", "--json"]), before);
}

#[test]
fn off_loopback_the_listener_wants_a_token() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["listen", "--addr", "0.0.0.0:0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--token-file"), "{}", stderr(&o));

    let token = tmp.path().join("token");
    std::fs::write(&token, "letmein").unwrap();
    let dir = tmp.path().join("incidents");
    let l = listen(&dir, &["--token-file", token.to_str().unwrap()]);
    let gf = fixture("grafana-firing.json");
    let (code, _) = post(l.port, "/grafana", &[], &gf);
    assert_eq!(code, 401);
    let (code, _) = post(l.port, "/grafana", &[("Authorization", "Bearer nope")], &gf);
    assert_eq!(code, 401);
    let (code, body) = post(
        l.port,
        "/grafana",
        &[("Authorization", "Bearer letmein")],
        &gf,
    );
    assert_eq!(code, 201, "{body}");
}

#[test]
fn the_same_key_from_another_source_is_another_alert() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let am = fixture("alertmanager-v4-firing.json");
    let first = paged_id(&page(dir, &am, &[]));
    // The same group key, but sent by Grafana: not the same alert.
    let v: serde_json::Value = serde_json::from_slice(&fixture("grafana-firing.json")).unwrap();
    let mut v = v;
    let am_v: serde_json::Value = serde_json::from_slice(&am).unwrap();
    v["groupKey"] = am_v["groupKey"].clone();
    let second = paged_id(&page(
        dir,
        v.to_string().as_bytes(),
        &["--source", "grafana"],
    ))
    .trim()
    .to_string();
    assert_ne!(first, second);
}

// ---------------------------------------------------------------------------
// The pager's own times: detected is when the alert started, acknowledged
// is when it was acknowledged there, whenever the webhooks arrive.

fn json_of(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

/// A fixture with every time moved so that `anchor` is `at`.
fn story(name: &str, anchor: &str, at: chrono::DateTime<chrono::Utc>) -> serde_json::Value {
    anchored(json_of(&fixture(name)), anchor, at)
}

/// Page with `v`; the incident it went to.
fn paged_with(dir: &Path, v: &serde_json::Value) -> String {
    let o = page(dir, v.to_string().as_bytes(), &[]);
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    paged_id(&o)
}

fn detection_time(dir: &Path, id: &str, field: &str) -> chrono::DateTime<chrono::Utc> {
    time_in(&show_json(dir, id), &["detection", field])
}

/// The export's Detection section.
fn detection_section(dir: &Path, id: &str) -> String {
    let md = ok(dir, &["export", "-i", id]);
    let start = md.find("## Detection").expect("a Detection section");
    let end = start + md[start..].find("\n## Action items").unwrap();
    md[start..end].to_string()
}

fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `incident stats --json`: the median seconds of `figure`, if known.
fn median(dir: &Path, figure: &str) -> Option<i64> {
    let s: serde_json::Value = serde_json::from_str(&ok(dir, &["stats", "--json"])).unwrap();
    s[figure]["median_secs"].as_i64()
}

#[test]
fn pagerduty_page_late_ack_retrigger_and_resolve_keep_the_pagers_times() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // PagerDuty created the incident 10 minutes before its webhook arrived.
    let created = minutes_ago(10);
    let id = paged_with(
        dir,
        &story("pagerduty-v3-triggered.json", PD_CREATED, created),
    );
    assert_eq!(detection_time(dir, &id, "at"), created, "detected");
    assert!(detection_time(dir, &id, "arrived_at") >= created + chrono::Duration::minutes(10));
    let section = detection_section(dir, &id);
    assert!(
        section.contains(&format!(
            "- **Fired:** {} (the alert started ",
            stamp(created)
        )) && section.contains("; the page arrived ")
            && section.contains("10 minutes later)"),
        "{section}"
    );
    assert!(
        section.contains("- **Acknowledged:** not at the pager"),
        "{section}"
    );
    assert_eq!(median(dir, "to_acknowledge"), None);

    // Acknowledged at PagerDuty 78 seconds after it was created; the
    // webhook arrives about 8 minutes later.
    let ack = story("pagerduty-v3-acknowledged.json", PD_CREATED, created);
    let acked = time_in(&ack, &["event", "occurred_at"]);
    assert_eq!(paged_with(dir, &ack), id);
    assert_eq!(detection_time(dir, &id, "acknowledged_at"), acked);
    assert_eq!(time_in(&show_json(dir, &id), &["pager_ack", "at"]), acked);
    let milestones = ok(dir, &["milestone", "-i", &id]);
    assert!(milestones.contains("acknowledge 1m "), "{milestones}");
    assert_eq!(median(dir, "to_acknowledge"), Some(78), "not 0s");
    let section = detection_section(dir, &id);
    assert!(
        section.contains(&format!(
            "- **Acknowledged:** {} by Dana Oncall (acknowledged at the pager ",
            stamp(acked)
        )) && section.contains("; the acknowledgement arrived ")
            && section.contains("8 minutes later)"),
        "{section}"
    );

    // The alert re-triggers: reopened (created when it was), and a trigger
    // claiming it started a minute ago. Detected does not move later.
    assert_eq!(
        paged_with(
            dir,
            &story("pagerduty-v3-reopened.json", PD_CREATED, created)
        ),
        id
    );
    let mut later = story("pagerduty-v3-triggered.json", PD_CREATED, created);
    later["event"]["data"]["created_at"] = serde_json::json!(minutes_ago(1).to_rfc3339());
    assert_eq!(paged_with(dir, &later), id);
    assert_eq!(detection_time(dir, &id, "at"), created);
    assert_eq!(detection_time(dir, &id, "acknowledged_at"), acked);

    // Resolved at PagerDuty, then by the commander.
    assert_eq!(
        paged_with(
            dir,
            &story("pagerduty-v3-resolved.json", PD_CREATED, created)
        ),
        id
    );
    ok(dir, &["--name", "alice", "role", "claim", "ic", "-i", &id]);
    ok(
        dir,
        &[
            "--name", "alice", "status", "-i", &id, "resolved", "--force",
        ],
    );
    assert_eq!(detection_time(dir, &id, "at"), created);
    assert_eq!(median(dir, "to_acknowledge"), Some(78));
    let to_resolve = median(dir, "to_resolve").expect("resolved");
    assert!(
        to_resolve >= 600,
        "measured from when the alert started: {to_resolve}s"
    );
    let section = detection_section(dir, &id);
    assert!(
        section.contains(&format!(
            "- **Fired:** {} (the alert started ",
            stamp(created)
        )) && section.contains(&format!(
            "- **Acknowledged:** {} by Dana Oncall",
            stamp(acked)
        )),
        "{section}"
    );
    let md = ok(dir, &["export", "-i", &id]);
    assert!(
        md.contains("(to mitigate and resolve: from detection, the alert's start;"),
        "{md}"
    );
    // The time to detect is from when impact started to the alert's start.
    let impact = (created - chrono::Duration::minutes(3)).to_rfc3339();
    ok(
        dir,
        &[
            "--name",
            "alice",
            "milestone",
            "-i",
            &id,
            "impact_started",
            &impact,
        ],
    );
    assert_eq!(median(dir, "to_detect"), Some(180));
}

#[test]
fn alertmanager_detected_is_the_alerts_start_through_refires_and_the_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // The alert started 7 minutes before Alertmanager's notification arrived.
    let started = minutes_ago(7);
    let id = paged_with(
        dir,
        &story("alertmanager-v4-firing.json", AM_STARTED, started),
    );
    assert_eq!(detection_time(dir, &id, "at"), started);
    let text = texts(&show_json(dir, &id))
        .into_iter()
        .find(|t| t.starts_with("paged by Alertmanager"))
        .unwrap();
    assert!(
        text.ends_with(&format!(
            "(the alert started {}, 7 minutes before the page)",
            started.format("%H:%M:%S UTC")
        )),
        "{text}"
    );
    let detected_line = ok(dir, &["milestone", "-i", &id])
        .lines()
        .find(|l| l.starts_with("detected"))
        .unwrap()
        .to_string();
    assert!(
        detected_line.contains(&started.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
        "{detected_line}"
    );
    let check_export = || {
        let section = detection_section(dir, &id);
        assert!(
            section.contains(&format!(
                "- **Fired:** {} (the alert started ",
                stamp(started)
            )) && section.contains("7 minutes later)"),
            "{section}"
        );
    };
    check_export();
    // Re-fired with one more alert, and again claiming every alert started
    // a minute ago: detected stays.
    let refire = story("alertmanager-v4-refiring.json", AM_STARTED, started);
    assert_eq!(paged_with(dir, &refire), id);
    let mut later = json_of(&fixture("alertmanager-v4-firing.json"));
    for a in later["alerts"].as_array_mut().unwrap() {
        a["startsAt"] = serde_json::json!(minutes_ago(1).to_rfc3339());
    }
    assert_eq!(paged_with(dir, &later), id);
    assert_eq!(detection_time(dir, &id, "at"), started);
    check_export();
    // Resolved: still detected when it started.
    let resolved = story("alertmanager-v4-resolved.json", AM_STARTED, started);
    assert_eq!(paged_with(dir, &resolved), id);
    assert_eq!(detection_time(dir, &id, "at"), started);
    check_export();
}

#[test]
fn opsgenie_and_grafana_give_their_own_times_too() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Opsgenie: created 6 minutes ago, acknowledged 3m42s after that.
    let created = minutes_ago(6);
    let id = paged_with(dir, &story("opsgenie-create.json", OG_CREATED, created));
    assert_eq!(detection_time(dir, &id, "at"), created);
    let ack = story("opsgenie-acknowledge.json", OG_CREATED, created);
    assert_eq!(paged_with(dir, &ack), id);
    let acked = detection_time(dir, &id, "acknowledged_at");
    assert_eq!((acked - created).num_milliseconds(), 222_233);
    assert_eq!(median(dir, "to_acknowledge"), Some(222));
    // Grafana: the alert's startsAt.
    let started = minutes_ago(4);
    let id = paged_with(dir, &story("grafana-firing.json", GF_STARTED, started));
    assert_eq!(detection_time(dir, &id, "at"), started);
}

#[test]
fn pager_times_in_the_future_or_long_past_are_not_believed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut future = json_of(&fixture("alertmanager-v4-firing.json"));
    for a in future["alerts"].as_array_mut().unwrap() {
        a["startsAt"] = serde_json::json!("2031-01-01T00:00:00Z");
    }
    let o = page(dir, future.to_string().as_bytes(), &[]);
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    let note =
        "the alert's start time 2031-01-01 00:00:00 UTC is in the future; using the arrival time";
    assert!(stderr(&o).contains(note), "told at once: {}", stderr(&o));
    let id = paged_id(&o);
    assert_eq!(
        detection_time(dir, &id, "at"),
        detection_time(dir, &id, "arrived_at"),
        "the arrival time, not 2031"
    );
    let texts = texts(&show_json(dir, &id));
    assert!(texts.iter().any(|t| t.contains(note)), "logged: {texts:?}");
    let section = detection_section(dir, &id);
    assert!(
        section.contains(&format!("- **Note:** {note}")),
        "{section}"
    );
    assert!(!section.contains("2031-01-01 00:00 UTC"), "{section}");

    // A month old: stale, not believed either.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let old = story(
        "pagerduty-v3-triggered.json",
        PD_CREATED,
        minutes_ago(30 * 24 * 60),
    );
    let id = paged_with(dir, &old);
    assert_eq!(
        detection_time(dir, &id, "at"),
        detection_time(dir, &id, "arrived_at")
    );
    let section = detection_section(dir, &id);
    assert!(
        section.contains("is more than 7 days before the page arrived; using the arrival time"),
        "{section}"
    );
    // An acknowledgement claiming to come from the future counts from its
    // arrival.
    let mut ack = json_of(&fixture("pagerduty-v3-acknowledged.json"));
    ack["event"]["occurred_at"] = serde_json::json!("2031-01-01T00:00:00Z");
    assert_eq!(paged_with(dir, &ack), id);
    let shown = show_json(dir, &id);
    assert_ne!(
        shown["detection"]["acknowledged_at"],
        "2031-01-01T00:00:00Z"
    );
    assert!(
        detection_section(dir, &id).contains(
            "the acknowledgement's time 2031-01-01 00:00:00 UTC is in the future; using the arrival time"
        ),
        "{}",
        detection_section(dir, &id)
    );
}

fn grafana_sign(secret: &[u8], body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[test]
fn the_listener_checks_grafana_signatures_and_takes_jsm() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let secret = tmp.path().join("grafana-secret");
    std::fs::write(&secret, "g-s3cret\n").unwrap();
    let l = listen(&dir, &["--grafana-secret-file", secret.to_str().unwrap()]);
    // Grafana: unsigned or badly signed is refused, signed is filed.
    let gf = fixture("grafana-firing.json");
    let (code, body) = post(l.port, "/grafana", &[], &gf);
    assert_eq!(code, 401, "{body}");
    assert!(body.contains("X-Grafana-Alerting-Signature"), "{body}");
    let (code, _) = post(
        l.port,
        "/grafana",
        &[("X-Grafana-Alerting-Signature", &grafana_sign(b"other", &gf))],
        &gf,
    );
    assert_eq!(code, 401);
    let (code, body) = post(
        l.port,
        "/grafana",
        &[(
            "X-Grafana-Alerting-Signature",
            &grafana_sign(b"g-s3cret", &gf),
        )],
        &gf,
    );
    assert_eq!(code, 201, "{body}");
    // Jira Service Management alerts (Opsgenie's shape) on /jsm.
    let jsm = fixture("jsm-create.json");
    let (code, body) = post(l.port, "/jsm", &[], &jsm);
    assert_eq!(code, 201, "{body}");
    let shown = ok(&dir, &["list", "--all", "--json"]);
    assert!(shown.contains("test alert"), "{shown}");
}

/// The log entries of an incident, as text.
fn log_texts(dir: &Path, id: &str) -> Vec<String> {
    texts(&show_json(dir, id))
}

/// Page `name` and expect `verdict`; then the very same payload again is
/// a redelivery: answered, exit 0, and nothing more in the log.
fn page_twice(dir: &Path, name: &str, verdict: &str) {
    let o = page(dir, &fixture(name), &[]);
    assert!(o.status.success(), "{name}: {}", describe(&["page"], &o));
    assert_eq!(stdout(&o).trim(), verdict, "{name}");
    let id = paged_id(&o);
    let before = log_texts(dir, &id);
    let o = page(dir, &fixture(name), &["--json"]);
    assert!(o.status.success(), "{name}: {}", describe(&["page"], &o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(
        (
            v["outcome"].as_str(),
            v["incident"].as_str(),
            &v["redelivery"]
        ),
        (
            Some("logged"),
            Some(id.as_str()),
            &serde_json::Value::Bool(true)
        ),
        "{name}: {v}"
    );
    assert!(
        stderr(&o).contains("nothing was written again"),
        "{name}: {}",
        stderr(&o)
    );
    let o = page(dir, &fixture(name), &[]);
    assert_eq!(
        stdout(&o).trim(),
        format!("logged {id} (redelivery)"),
        "{name}"
    );
    assert_eq!(log_texts(dir, &id), before, "{name}: nothing logged twice");
}

#[test]
fn the_same_pagerduty_trigger_and_acknowledgement_paged_twice_are_logged_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    page_twice(dir, "pagerduty-v3-triggered.json", "declared INC-1");
    page_twice(dir, "pagerduty-v3-acknowledged.json", "logged INC-1");
    let texts = log_texts(dir, "INC-1");
    assert!(
        !texts.iter().any(|t| t.starts_with("re-triggered in")),
        "a redelivered trigger is no re-trigger: {texts:?}"
    );
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.starts_with("acknowledged in PagerDuty"))
            .count(),
        1,
        "{texts:?}"
    );
    // A new event about the same PagerDuty incident still counts.
    let o = page(dir, &fixture("pagerduty-v3-reopened.json"), &[]);
    assert_eq!(stdout(&o).trim(), "joined INC-1");
}

#[test]
fn the_same_opsgenie_and_grafana_notifications_paged_twice_are_logged_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    page_twice(dir, "opsgenie-create.json", "declared INC-1");
    page_twice(dir, "opsgenie-acknowledge.json", "logged INC-1");
    page_twice(dir, "grafana-firing.json", "declared INC-2");
    page_twice(dir, "grafana-resolved.json", "logged INC-2");
}

/// Alertmanager resends an unchanged group every repeat interval; an older
/// one says nothing more, 0.32 and later add "repeat interval elapsed".
/// The plain repeat is the notification again (a redelivery); the reminder
/// is logged once as "still firing", and its own repeats are redeliveries.
#[test]
fn alertmanager_repeats_of_an_unchanged_group_are_redeliveries_and_a_reminder_is_logged_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    page_twice(dir, "alertmanager-v4-blackbox-icmp.json", "declared INC-1");
    page_twice(
        dir,
        "alertmanager-v4-blackbox-icmp-repeat.json",
        "logged INC-1",
    );
    let texts = log_texts(dir, "INC-1");
    assert_eq!(
        texts.iter().filter(|t| t.contains("still firing")).count(),
        1,
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.starts_with("re-triggered in")),
        "{texts:?}"
    );
}
