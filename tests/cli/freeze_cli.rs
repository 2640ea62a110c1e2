//! The freeze for deploy scripts elsewhere: `incident freeze status --json`
//! and the listener's `GET /freeze` give the same object, and drills never
//! freeze.

use crate::common::*;
use crate::listener::*;
use serde_json::{Value, json};
use std::io::Read;
use std::path::Path;
use std::process::Stdio;

fn as_<'a>(who: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    [&["--name", who][..], args].concat()
}

/// `freeze status --json`: its exit status and the object.
fn status_json(dir: &Path) -> (i32, Value) {
    let o = run(dir, &["freeze", "status", "--json"]);
    let v = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    (o.status.code().unwrap(), v)
}

#[test]
fn freeze_status_json_says_who_why_since_and_which_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // None yet.
    assert_eq!(status_json(dir), (0, json!({ "frozen": false })));

    // Frozen by one incident.
    let id = declare(dir, "Checkout errors");
    ok(dir, &as_("alice", &["role", "claim", "ic"]));
    ok(dir, &as_("carol", &["freeze", "on", "bad", "deploy"]));
    let (code, v) = status_json(dir);
    assert_eq!(code, 1, "deploy scripts stop: {v}");
    assert_eq!(v["frozen"], true);
    assert_eq!(v["who"], "carol");
    assert_eq!(v["why"], "bad deploy");
    assert_eq!(v["incidents"], json!([id]));
    let since: chrono::DateTime<chrono::Utc> = v["since"].as_str().unwrap().parse().unwrap();
    assert!((chrono::Utc::now() - since).num_seconds().abs() < 60, "{v}");
    assert_eq!(v["freezes"][0]["kept"], false);
    // The text answer is the same freeze, in the banner's words.
    let text = stdout(&run(dir, &["freeze", "status"]));
    assert_eq!(
        text.trim(),
        format!(
            "{id} deploys frozen {}",
            v["freezes"][0]["notice"].as_str().unwrap()
        )
    );

    // Kept past the resolution: still frozen, and it says so.
    ok(dir, &as_("alice", &["status", "resolved", "--keep-freeze"]));
    let (code, v) = status_json(dir);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["incidents"], json!([id]));
    assert_eq!(v["freezes"][0]["kept"], true);
    assert!(
        v["freezes"][0]["notice"]
            .as_str()
            .unwrap()
            .ends_with("(kept after the incident was resolved)"),
        "{v}"
    );

    // Lifted: none again.
    ok(dir, &as_("alice", &["freeze", "off", "-i", &id]));
    assert_eq!(status_json(dir), (0, json!({ "frozen": false })));

    // A drill's freeze holds only inside the drill.
    let mut child = cmd(dir)
        .args([
            "--name",
            "alice",
            "drill",
            "bad-deploy",
            "--speed",
            "1",
            "--no-open",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let drill = String::from_utf8(first).unwrap();
    assert!(drill.starts_with("INC-"), "{drill}");
    ok(
        dir,
        &as_("alice", &["freeze", "on", "-i", &drill, "drill", "freeze"]),
    );
    assert_eq!(
        show_json(dir, &drill)["freeze"]["by"],
        "alice",
        "the drill holds it"
    );
    let answer = status_json(dir);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(answer, (0, json!({ "frozen": false })));

    // --json belongs to status.
    let err = fails(dir, &["freeze", "on", "--json"], 2);
    assert!(
        err.contains("--json goes with `incident freeze status`"),
        "{err}"
    );
}

#[test]
fn the_listener_serves_the_freeze_to_deploy_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let token = tmp.path().join("token");
    std::fs::write(&token, "letmein-7f3a").unwrap();
    let l = listen(&dir, &["--token-file", token.to_str().unwrap()]);
    let auth = [("Authorization", "Bearer letmein-7f3a")];

    // Nothing frozen: 200, and the object says so.
    let a = get(l.port, "/freeze", &auth);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_str::<Value>(&a.body).unwrap(),
        json!({ "frozen": false })
    );

    // Frozen: 423 Locked, with what `freeze status --json` prints.
    let id = declare(&dir, "Checkout errors");
    ok(&dir, &as_("carol", &["freeze", "on", "bad", "deploy"]));
    let a = get(l.port, "/freeze", &auth);
    assert_eq!(a.status, 423, "{}", a.body);
    assert_eq!(a.header("content-type"), Some("application/json"));
    let served: Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!(served["frozen"], true);
    assert_eq!(served["who"], "carol");
    assert_eq!(served["why"], "bad deploy");
    assert_eq!(served["incidents"], json!([id]));
    assert_eq!(served, status_json(&dir).1, "one object, both ways");

    // The webhook token guards it, as it guards the webhooks.
    for wrong in [&[][..], &[("Authorization", "Bearer guess")][..]] {
        let a = get(l.port, "/freeze", wrong);
        assert_eq!(a.status, 401, "{}", a.body);
        assert!(
            a.body.contains("missing or wrong bearer token"),
            "{}",
            a.body
        );
        assert!(!a.body.contains("carol"), "nothing leaks: {}", a.body);
    }

    // Lifted: 200 again.
    ok(&dir, &as_("carol", &["freeze", "off"]));
    let a = get(l.port, "/freeze", &auth);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        serde_json::from_str::<Value>(&a.body).unwrap(),
        json!({ "frozen": false })
    );
}

#[test]
fn on_loopback_without_a_token_the_freeze_is_open_as_the_webhooks_are() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let l = listen(&dir, &[]);
    declare(&dir, "Checkout errors");
    ok(&dir, &as_("carol", &["freeze", "on"]));
    let a = get(l.port, "/freeze", &[]);
    assert_eq!(a.status, 423, "{}", a.body);
    let served: Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!(served["who"], "carol");
    assert_eq!(served["why"], Value::Null, "no reason given");
}

#[test]
fn with_two_freezes_the_longest_standing_says_who_and_why_and_both_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = declare(dir, "Checkout errors");
    let second = declare(dir, "Payments latency");
    ok(
        dir,
        &as_("carol", &["freeze", "on", "-i", &first, "bad", "deploy"]),
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    ok(
        dir,
        &as_("dave", &["freeze", "on", "-i", &second, "db", "upgrade"]),
    );
    let (code, v) = status_json(dir);
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        (&v["who"], &v["why"]),
        (&json!("carol"), &json!("bad deploy")),
        "{v}"
    );
    let mut held: Vec<&str> = v["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    held.sort();
    let mut both = vec![first.as_str(), second.as_str()];
    both.sort();
    assert_eq!(held, both, "{v}");
    assert_eq!(v["freezes"].as_array().unwrap().len(), 2, "{v}");
    // Lifting one leaves the other.
    ok(dir, &as_("carol", &["freeze", "off", "-i", &first]));
    let (code, v) = status_json(dir);
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        (&v["who"], &v["incidents"]),
        (&json!("dave"), &json!([second])),
        "{v}"
    );
}
