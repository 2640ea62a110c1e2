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
    let id = stdout(&o).trim().to_string();
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

    // The same alert again, and its resolution, land in INC-1.
    let o = page(dir, &fixture("alertmanager-v4-firing.json"), &[]);
    assert_eq!(stdout(&o).trim(), id);
    let o = page(
        dir,
        &fixture("alertmanager-v4-resolved.json"),
        &["--source", "alertmanager"],
    );
    assert_eq!(stdout(&o).trim(), id);
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
    let id = stdout(&page(
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
    assert_eq!(stdout(&o).trim(), id);
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
    assert_eq!((code, body.contains("appended")), (200, true), "{body}");

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
    let first = stdout(&page(dir, &am, &[])).trim().to_string();
    // The same group key, but sent by Grafana: not the same alert.
    let v: serde_json::Value = serde_json::from_slice(&fixture("grafana-firing.json")).unwrap();
    let mut v = v;
    let am_v: serde_json::Value = serde_json::from_slice(&am).unwrap();
    v["groupKey"] = am_v["groupKey"].clone();
    let second = stdout(&page(
        dir,
        v.to_string().as_bytes(),
        &["--source", "grafana"],
    ))
    .trim()
    .to_string();
    assert_ne!(first, second);
}
