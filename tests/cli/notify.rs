//! Updates that leave the box: `incident update` records the update, says
//! so, then sends it to every `[[notify]]` target (a real HTTP receiver on
//! loopback stands in for each service), recording how it went.

use crate::common::receiver::Receiver;
use crate::common::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// A team file whose targets all point at `rx` (paths /slack, /mm, ...).
fn team(dir: &Path, rx: &Receiver, targets: &[(&str, &str)]) {
    let mut toml = String::new();
    for (i, (kind, extra)) in targets.iter().enumerate() {
        let secret = dir.join(format!("secret-{i}"));
        if *kind == "statuspage" {
            std::fs::write(&secret, "sp-key\n").unwrap();
            toml += &format!(
                "[[notify]]\nkind = \"statuspage\"\npage_id = \"pg1\"\napi_key_file = \"{}\"\napi_url = \"{}/sp\"\n{extra}\n",
                secret.display(),
                rx.url
            );
        } else {
            std::fs::write(&secret, format!("{}/{kind}\n", rx.url)).unwrap();
            toml += &format!(
                "[[notify]]\nkind = \"{kind}\"\nurl_file = \"{}\"\n{extra}\n",
                secret.display()
            );
        }
    }
    std::fs::write(dir.join("incident.toml"), toml).unwrap();
}

fn delivery(dir: &Path, id: &str, update: u64, target: &str) -> serde_json::Value {
    let shown = show_json(dir, id);
    shown["notices"]["deliveries"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["update"] == update && d["target"] == target)
        .cloned()
        .unwrap_or_else(|| panic!("no delivery of U{update} to {target} in {shown}"))
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_update_goes_to_slack_with_the_incidents_id_severity_and_status() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx, &[("slack", "")]);
    let id = declare(d.path(), "Checkout errors");
    let o = run(d.path(), &["update", "-i", &id, "Rolled back payments"]);
    assert!(o.status.success(), "{}", describe(&["update"], &o));
    assert!(stderr(&o).contains("sent U1 to slack#0"), "{}", stderr(&o));
    let got = rx.at("/slack");
    assert_eq!(got.len(), 1, "{got:?}");
    let text = got[0].body["text"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("{id} SEV"))
            && text.contains("investigating — Rolled back payments"),
        "{text}"
    );
    assert!(delivery(d.path(), &id, 1, "slack#0")["sent_at"].is_string());
    // A second update sends only itself.
    ok(d.path(), &["update", "-i", &id, "Monitoring"]);
    assert_eq!(rx.at("/slack").len(), 2);
}

#[test]
fn each_kind_gets_its_own_shape_and_statuspage_is_created_then_updated() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(
        d.path(),
        &rx,
        &[
            ("mattermost", ""),
            ("teams", ""),
            ("webhook", ""),
            ("statuspage", ""),
        ],
    );
    let id = declare(d.path(), "Checkout errors");
    ok(d.path(), &["update", "-i", &id, "Internal only"]);
    // Statuspage takes only external updates.
    assert!(rx.at("/sp/pages/pg1/incidents").is_empty());
    ok(
        d.path(),
        &["update", "-i", &id, "--external", "We are investigating"],
    );

    let mm = rx.at("/mattermost");
    assert_eq!(mm.len(), 2);
    assert!(
        mm[0].body["text"]
            .as_str()
            .unwrap()
            .ends_with("— Internal only")
    );

    let teams = rx.at("/teams");
    let card = &teams[0].body["attachments"][0];
    assert_eq!(teams[0].body["type"], "message");
    assert_eq!(
        card["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(card["content"]["type"], "AdaptiveCard");
    assert!(
        card["content"]["body"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Internal only")
    );

    let hook = rx.at("/webhook");
    assert_eq!(hook[1].body["update"]["number"], 2);
    assert_eq!(hook[1].body["update"]["external"], true);
    assert_eq!(hook[1].body["incident"]["id"], id.as_str());
    assert_eq!(hook[1].body["incident"]["title"], "Checkout errors");
    assert_eq!(
        hook[1].header("Idempotency-Key"),
        Some(format!("{id}-U2-webhook#2").as_str())
    );

    let created = rx.at("/sp/pages/pg1/incidents");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].method, "POST");
    assert_eq!(created[0].header("Authorization"), Some("OAuth sp-key"));
    assert_eq!(created[0].body["incident"]["name"], "Checkout errors");
    assert_eq!(created[0].body["incident"]["status"], "investigating");
    // The page's incident id is kept: the next external update changes it.
    ok(d.path(), &["status", "-i", &id, "mitigated", "--force"]);
    ok(d.path(), &["update", "-i", &id, "--external", "Fix is out"]);
    let patched = rx.at("/sp/pages/pg1/incidents/sp1");
    assert_eq!(patched.len(), 1, "{:?}", rx.got());
    assert_eq!(patched[0].method, "PATCH");
    assert_eq!(patched[0].body["incident"]["status"], "monitoring");
    assert_eq!(
        patched[0].body["incident"]["body"]
            .as_str()
            .map(|b| b.ends_with("Fix is out")),
        Some(true)
    );
    assert_eq!(rx.at("/sp/pages/pg1/incidents").len(), 1);
}

#[test]
fn a_failed_send_is_recorded_and_retried_by_the_listener_once() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx, &[("slack", "")]);
    let id = declare(d.path(), "Checkout errors");
    rx.fail_next(1);
    let o = run(d.path(), &["update", "-i", &id, "Rolled back"]);
    assert!(
        o.status.success(),
        "the update is recorded even when Slack is down"
    );
    assert!(stderr(&o).contains("HTTP 500"), "{}", stderr(&o));
    let failed = delivery(d.path(), &id, 1, "slack#0");
    assert_eq!(failed["failures"], 1);
    assert!(failed["last_error"].as_str().unwrap().contains("HTTP 500"));
    // Nobody else is running: the listener retries after the backoff.
    let mut listen = cmd(d.path())
        .args(["listen", "--addr", "127.0.0.1:0"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the retry", || rx.at("/slack").len() >= 2);
    wait_for("the delivery recorded", || {
        delivery(d.path(), &id, 1, "slack#0")["sent_at"].is_string()
    });
    std::thread::sleep(Duration::from_secs(3));
    let _ = listen.kill();
    let _ = listen.wait();
    assert_eq!(
        rx.at("/slack").len(),
        2,
        "sent once after the failure, never again"
    );
}

#[test]
fn two_senders_racing_deliver_each_update_exactly_once() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx, &[("slack", "")]);
    let id = declare(d.path(), "Checkout errors");
    // Record updates without sending them: no team file yet.
    let toml = std::fs::read_to_string(d.path().join("incident.toml")).unwrap();
    std::fs::remove_file(d.path().join("incident.toml")).unwrap();
    for n in 1..=5 {
        ok(d.path(), &["update", "-i", &id, &format!("update {n}")]);
    }
    std::fs::write(d.path().join("incident.toml"), toml).unwrap();
    let spawn = || {
        cmd(d.path())
            .args(["listen", "--addr", "127.0.0.1:0"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    wait_for("all five sent", || rx.at("/slack").len() >= 5);
    std::thread::sleep(Duration::from_secs(3));
    for p in [&mut a, &mut b] {
        let _ = p.kill();
        let _ = p.wait();
    }
    let mut texts: Vec<String> = rx
        .at("/slack")
        .iter()
        .map(|g| {
            g.body["text"]
                .as_str()
                .unwrap()
                .rsplit("— ")
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    texts.sort();
    assert_eq!(
        texts,
        ["update 1", "update 2", "update 3", "update 4", "update 5"]
    );
}

#[test]
fn a_drills_updates_are_never_sent_and_say_so() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx, &[("slack", "")]);
    let mut runner = cmd(d.path())
        .args(["drill", "bad-deploy", "--no-open"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(runner.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let id = first.trim().to_string();
    ok(d.path(), &["update", "-i", &id, "Drill update"]);
    let _ = runner.kill();
    let _ = runner.wait();
    assert!(rx.got().is_empty(), "{:?}", rx.got());
    assert_eq!(delivery(d.path(), &id, 1, "slack#0")["skipped"], "drill");
}

#[test]
fn an_unreadable_url_file_fails_loudly_and_the_update_is_kept() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("incident.toml"),
        "[[notify]]\nkind = \"slack\"\nurl_file = \"/nonexistent/slack-url\"\n",
    )
    .unwrap();
    let id = declare(d.path(), "Checkout errors");
    let o = run(d.path(), &["update", "-i", &id, "Rolled back"]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("cannot read /nonexistent/slack-url"),
        "{}",
        stderr(&o)
    );
    let shown = show_json(d.path(), &id);
    assert_eq!(shown["document"]["updates"][0]["text"], "Rolled back");
}

#[test]
fn an_inline_url_is_refused_naming_url_file() {
    let d = tempfile::tempdir().unwrap();
    let id = declare(d.path(), "Checkout errors");
    std::fs::write(
        d.path().join("incident.toml"),
        "[[notify]]\nkind = \"slack\"\nurl = \"https://hooks.slack.com/x\"\n",
    )
    .unwrap();
    let o = run(d.path(), &["update", "-i", &id, "Rolled back"]);
    assert!(stderr(&o).contains("url_file"), "{}", stderr(&o));
}

fn pagerduty_page(dir: &Path) -> String {
    let payload = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pager/pagerduty-v3-triggered.json"),
    )
    .unwrap();
    let mut child = cmd(dir)
        .arg("page")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &payload).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    paged_id(&o)
}

fn pagerduty_team(dir: &Path, rx: &Receiver, on: bool) {
    std::fs::write(dir.join("pd-key"), "R0UTING\n").unwrap();
    std::fs::write(
        dir.join("incident.toml"),
        format!(
            "[pagerduty]\nresolve_on_resolve = {on}\nrouting_key_file = \"{}\"\nevents_url = \"{}/enqueue\"\n",
            dir.join("pd-key").display(),
            rx.url
        ),
    )
    .unwrap();
}

#[test]
fn resolving_a_pagerduty_incident_sends_the_events_api_resolve_once() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    pagerduty_team(d.path(), &rx, true);
    let id = pagerduty_page(d.path());
    // The Events API's key for the alert (the page's incident_key), not
    // PagerDuty's incident id: the resolve must name what the Events API
    // knows.
    let key = show_json(d.path(), &id)["notices"]["pagerduty_key"]
        .as_str()
        .expect("the page's key is kept")
        .to_string();
    assert_eq!(key, "checkout-5xx-rate");
    assert!(rx.got().is_empty(), "nothing is sent before it resolves");
    ok(d.path(), &["status", "-i", &id, "resolved", "--force"]);
    let got = rx.at("/enqueue");
    assert_eq!(got.len(), 1, "{:?}", rx.got());
    assert_eq!(got[0].body["routing_key"], "R0UTING");
    assert_eq!(got[0].body["event_action"], "resolve");
    assert_eq!(got[0].body["dedup_key"], key.as_str());
    assert!(delivery(d.path(), &id, 0, "pagerduty")["sent_at"].is_string());
}

#[test]
fn without_resolve_on_resolve_or_a_pagerduty_page_nothing_is_resolved() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    pagerduty_team(d.path(), &rx, false);
    let paged = pagerduty_page(d.path());
    ok(d.path(), &["status", "-i", &paged, "resolved", "--force"]);
    pagerduty_team(d.path(), &rx, true);
    let declared = declare(d.path(), "Not from a page");
    ok(
        d.path(),
        &["status", "-i", &declared, "resolved", "--force"],
    );
    assert!(rx.got().is_empty(), "{:?}", rx.got());
}

/// An incident file whose first update failed to reach Slack `n` times.
fn failed_times(dir: &Path, n: u32) -> String {
    let id = "INC-1";
    let mut lines = vec![
        header_line(id, 1),
        declare_line("Checkout errors"),
        r#"{"at":"2026-11-26T14:01:00Z","by":{"user":"alice"},"op":"post_update","text":"Investigating","external":false}"#.to_string(),
    ];
    for i in 1..=n {
        let m = 1 + i * 5;
        lines.push(format!(r#"{{"at":"2026-11-26T14:{m:02}:00Z","by":{{"user":"alice"}},"op":"claim_delivery","update":1,"target":"slack#0","attempt":{i}}}"#));
        lines.push(format!(r#"{{"at":"2026-11-26T14:{m:02}:01Z","by":{{"user":"alice"}},"op":"delivery_failed","update":1,"target":"slack#0","error":"HTTP 500","next_try_at":"2026-11-26T14:{m:02}:06Z"}}"#));
    }
    write_lines(&file_of(dir, id), &lines);
    id.to_string()
}

#[test]
fn a_delivery_that_keeps_failing_is_shown_by_incident_show() {
    let d = tempfile::tempdir().unwrap();
    let id = failed_times(d.path(), 2);
    let shown = ok(d.path(), &["show", "-i", &id]);
    assert!(!shown.contains("NOT GOING OUT"), "{shown}");
    assert!(
        shown.contains("U1 to slack#0") && shown.contains("failed 2x: HTTP 500, retrying"),
        "{shown}"
    );
    let id = failed_times(d.path(), 3);
    let shown = ok(d.path(), &["show", "-i", &id]);
    assert!(
        shown.contains("UPDATES NOT GOING OUT: U1 to slack#0 failed 3x: HTTP 500"),
        "{shown}"
    );
    let json = show_json(d.path(), &id);
    assert_eq!(json["notices"]["deliveries"][0]["failures"], 3);
}
