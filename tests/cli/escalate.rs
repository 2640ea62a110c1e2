//! Calling for help: `incident escalate TEAM [MESSAGE]` pages a team of
//! the team file's `[[responders]]` (a real HTTP receiver on loopback
//! stands in for PagerDuty, Opsgenie and a webhook), once, retried; the
//! incident ending resolves the page; the team's acknowledgement comes
//! back through the listener.

use super::listener::{listen, post};
use crate::common::receiver::Receiver;
use crate::common::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// A team file with db-team on PagerDuty, net on Opsgenie and vendor on a
/// webhook, all at `rx`.
fn team(dir: &Path, rx: &Receiver) {
    std::fs::write(dir.join("pd-key"), "R0UTING\n").unwrap();
    std::fs::write(dir.join("og-key"), "G3NIE\n").unwrap();
    std::fs::write(dir.join("hook-url"), format!("{}/hook\n", rx.url)).unwrap();
    std::fs::write(
        dir.join("incident.toml"),
        format!(
            "public_url = \"https://incident.example.com\"\n\n[[responders]]\nname = \"db-team\"\nkind = \"pagerduty\"\nrouting_key_file = \"{}\"\nevents_url = \"{}/enqueue\"\n\n[[responders]]\nname = \"net\"\nkind = \"opsgenie\"\napi_key_file = \"{}\"\napi_url = \"{}/og\"\n\n[[responders]]\nname = \"vendor\"\nkind = \"webhook\"\nurl_file = \"{}\"\n",
            dir.join("pd-key").display(),
            rx.url,
            dir.join("og-key").display(),
            rx.url,
            dir.join("hook-url").display(),
        ),
    )
    .unwrap();
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn delivery(dir: &Path, id: &str, update: u64, team: &str) -> serde_json::Value {
    let shown = show_json(dir, id);
    shown["notices"]["deliveries"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["update"] == update && d["target"] == format!("page:{team}"))
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

#[test]
fn escalating_to_pagerduty_sends_the_events_api_v2_trigger_once() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx);
    let id = declare(d.path(), "Checkout errors");
    let out = ok(
        d.path(),
        &[
            "escalate", "-i", &id, "db-team", "replica", "lag", "climbing",
        ],
    );
    assert!(
        out.contains("called db-team for help (pagerduty): replica lag climbing"),
        "{out}"
    );
    let got = rx.at("/enqueue");
    assert_eq!(got.len(), 1, "{:?}", rx.got());
    let b = &got[0].body;
    // The documented shape: every field of PagerDuty's own example event
    // (tests/fixtures/pager/pagerduty-events-v2-enqueue.json, from
    // developer.pagerduty.com "Send an Alert Event") is there, as the
    // same kind of value.
    let documented: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/pager/pagerduty-events-v2-enqueue.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for (k, v) in documented.as_object().unwrap() {
        assert_eq!(
            std::mem::discriminant(v),
            std::mem::discriminant(&b[k]),
            "{k} in {b}"
        );
    }
    for k in documented["payload"].as_object().unwrap().keys() {
        assert!(b["payload"][k].is_string(), "payload.{k} in {b}");
    }
    assert_eq!(b["routing_key"], "R0UTING");
    assert_eq!(b["event_action"], "trigger");
    assert_eq!(b["dedup_key"], format!("incident/{id}/db-team"));
    let summary = b["payload"]["summary"].as_str().unwrap();
    assert_eq!(
        summary,
        format!("{id} SEV2: Checkout errors — replica lag climbing")
    );
    assert_eq!(
        b["payload"]["severity"], "error",
        "SEV2 is PagerDuty's error"
    );
    assert_eq!(
        b["links"][0]["href"],
        format!("https://incident.example.com/{id}")
    );
    assert!(delivery(d.path(), &id, 1, "db-team")["sent_at"].is_string());
    let shown = ok(d.path(), &["show", "-i", &id]);
    assert!(shown.contains("Called for help"), "{shown}");
    assert!(
        shown.contains("db-team paged") && shown.contains("not acked yet"),
        "{shown}"
    );
    assert!(shown.contains("the page to db-team went out"), "{shown}");
    // Nothing more goes out while nothing changes.
    let l = listen(d.path(), &[]);
    std::thread::sleep(Duration::from_secs(3));
    drop(l);
    assert_eq!(rx.at("/enqueue").len(), 1);
}

#[test]
fn a_refused_page_is_retried_and_two_racing_senders_send_it_exactly_once() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx);
    let id = declare(d.path(), "Checkout errors");
    rx.fail_next_with(1, "429 Too Many Requests");
    let o = run(d.path(), &["escalate", "-i", &id, "db-team"]);
    assert!(o.status.success(), "the call is recorded even when refused");
    assert!(stderr(&o).contains("HTTP 429"), "{}", stderr(&o));
    assert_eq!(delivery(d.path(), &id, 1, "db-team")["failures"], 1);
    // Two senders (two boxes' listeners) race for the retry.
    let (a, b) = (listen(d.path(), &[]), listen(d.path(), &[]));
    wait_for("the retry", || {
        delivery(d.path(), &id, 1, "db-team")["sent_at"].is_string()
    });
    std::thread::sleep(Duration::from_secs(4));
    drop((a, b));
    let got = rx.at("/enqueue");
    assert_eq!(got.len(), 2, "one refused, one retry: {got:?}");
    assert_eq!(got[0].body["dedup_key"], got[1].body["dedup_key"]);
    // And after a 500, the same.
    rx.fail_next(1);
    let o = run(d.path(), &["escalate", "-i", &id, "net", "DNS"]);
    assert!(stderr(&o).contains("HTTP 500"), "{}", stderr(&o));
    let l = listen(d.path(), &[]);
    wait_for("the retry", || {
        delivery(d.path(), &id, 2, "net")["sent_at"].is_string()
    });
    std::thread::sleep(Duration::from_secs(3));
    drop(l);
    let og = rx.at("/og/v2/alerts");
    assert_eq!(og.len(), 2, "{og:?}");
    assert_eq!(og[1].body["alias"], format!("incident/{id}/net"));
    assert_eq!(og[1].header("Authorization"), Some("GenieKey G3NIE"));
}

#[test]
fn resolving_sends_each_paged_team_its_resolve_once() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx);
    let id = declare(d.path(), "Checkout errors");
    ok(d.path(), &["escalate", "-i", &id, "db-team"]);
    ok(
        d.path(),
        &["escalate", "-i", &id, "db-team", "still", "need", "you"],
    );
    ok(d.path(), &["escalate", "-i", &id, "net"]);
    assert_eq!(rx.at("/enqueue").len(), 2);
    ok(d.path(), &["status", "-i", &id, "resolved", "--force"]);
    let resolves: Vec<_> = rx
        .at("/enqueue")
        .into_iter()
        .filter(|g| g.body["event_action"] == "resolve")
        .collect();
    assert_eq!(resolves.len(), 1, "one resolve per team: {resolves:?}");
    assert_eq!(
        resolves[0].body["dedup_key"],
        format!("incident/{id}/db-team")
    );
    assert_eq!(resolves[0].body["routing_key"], "R0UTING");
    let close = format!("/og/v2/alerts/incident%2F{id}%2Fnet/close?identifierType=alias");
    assert_eq!(rx.at(&close).len(), 1, "{:?}", rx.got());
    // The webhook team was never paged: it is told nothing.
    assert!(rx.at("/hook").is_empty());
    let l = listen(d.path(), &[]);
    std::thread::sleep(Duration::from_secs(3));
    drop(l);
    assert_eq!(rx.at("/enqueue").len(), 3, "nothing sent twice");
    // Once it is over, nobody is called.
    let e = fails(d.path(), &["escalate", "-i", &id, "db-team"], 1);
    assert!(e.contains("resolved"), "{e}");
}

#[test]
fn cancelling_or_merging_resolves_the_page_too() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx);
    let one = declare(d.path(), "Checkout errors");
    ok(
        d.path(),
        &["escalate", "-i", &one, "vendor", "CDN", "down?"],
    );
    let hook = rx.at("/hook");
    assert_eq!(hook.len(), 1);
    assert_eq!(hook[0].body["event"], "escalated");
    assert_eq!(hook[0].body["team"], "vendor");
    assert_eq!(hook[0].body["message"], "CDN down?");
    ok(d.path(), &["cancel", "-i", &one, "it", "was", "a", "test"]);
    let hook = rx.at("/hook");
    assert_eq!(hook.len(), 2, "{hook:?}");
    assert_eq!(hook[1].body["event"], "resolved");
    assert_eq!(hook[1].body["key"], format!("incident/{one}/vendor"));

    let a = declare(d.path(), "Payments slow");
    let b = declare(d.path(), "Payments slow again");
    ok(d.path(), &["escalate", "-i", &b, "db-team"]);
    ok(d.path(), &["merge", &b, "--into", &a]);
    let resolves: Vec<_> = rx
        .at("/enqueue")
        .into_iter()
        .filter(|g| g.body["event_action"] == "resolve")
        .collect();
    assert_eq!(resolves.len(), 1, "{:?}", rx.got());
    assert_eq!(
        resolves[0].body["dedup_key"],
        format!("incident/{b}/db-team")
    );
}

/// PagerDuty's V3 webhook for the incident our page made: its
/// `incident_key` is our dedup key.
fn pagerduty_event(kind: &str, key: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/pager/pagerduty-v3-{kind}.json")),
    )
    .unwrap();
    text.replace("checkout-5xx-rate", key).into_bytes()
}

#[test]
fn the_teams_acknowledgement_comes_back_through_the_listener() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx);
    let id = declare(d.path(), "Checkout errors");
    ok(d.path(), &["escalate", "-i", &id, "db-team"]);
    let key = format!("incident/{id}/db-team");
    ok(d.path(), &["escalate", "-i", &id, "net"]);
    let l = listen(d.path(), &[]);
    // Opsgenie's acknowledgement names our alias.
    let og = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pager/opsgenie-acknowledge.json"),
    )
    .unwrap()
    .replace("db-replication-lag-primary", &format!("incident/{id}/net"));
    let (status, body) = post(l.port, "/opsgenie", &[], og.as_bytes());
    assert!((200..300).contains(&status), "{status} {body}");
    assert!(body.contains("logged"), "{body}");
    // PagerDuty tells the listener of the incident our own page opened:
    // not a new incident.
    let (status, body) = post(
        l.port,
        "/pagerduty",
        &[],
        &pagerduty_event("triggered", &key),
    );
    assert!((200..300).contains(&status), "{status} {body}");
    assert!(body.contains("ignored"), "{body}");
    // Then Dana acknowledges it.
    let (status, body) = post(
        l.port,
        "/pagerduty",
        &[],
        &pagerduty_event("acknowledged", &key),
    );
    assert!((200..300).contains(&status), "{status} {body}");
    assert!(body.contains("logged") && body.contains(&id), "{body}");
    drop(l);
    let listed = ok(d.path(), &["list", "--all"]);
    assert_eq!(
        listed.matches("INC-").count(),
        1,
        "nothing declared: {listed}"
    );
    let shown = show_json(d.path(), &id);
    let ack = &shown["notices"]["escalations"][0]["ack"];
    assert_eq!(ack["by"], "Dana Oncall", "{shown}");
    assert_eq!(ack["source"], "PagerDuty");
    let og_ack = &shown["notices"]["escalations"][1]["ack"];
    assert_eq!(og_ack["source"], "Opsgenie", "{shown}");
    assert_eq!(og_ack["by"], "dana@example.com", "{shown}");
    assert!(
        shown["called_for_help"][0]
            .as_str()
            .unwrap()
            .contains("acked"),
        "{shown}"
    );
    let text = ok(d.path(), &["show", "-i", &id]);
    assert!(
        text.contains("db-team acknowledged the call for help in PagerDuty by Dana Oncall"),
        "{text}"
    );
    assert!(text.contains("by Dana Oncall (PagerDuty)"), "{text}");
    // Someone new gets it in the handover brief.
    let brief = ok(d.path(), &["--name", "erin", "catchup", "-i", &id]);
    assert!(
        brief.contains("Teams called for help") && brief.contains("db-team paged"),
        "{brief}"
    );
}

#[test]
fn an_unknown_team_or_a_missing_key_file_is_refused_naming_the_fix() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx);
    let id = declare(d.path(), "Checkout errors");
    let e = fails(d.path(), &["escalate", "-i", &id, "dba"], 1);
    assert!(
        e.contains("no responder team 'dba'")
            && e.contains("db-team, net, vendor): name one of them, or add it to")
            && e.contains("incident.toml")
            && e.contains("[[responders]]"),
        "{e}"
    );
    std::fs::remove_file(d.path().join("pd-key")).unwrap();
    let e = fails(d.path(), &["escalate", "-i", &id, "db-team"], 1);
    let key = d.path().join("pd-key").display().to_string();
    assert!(
        e.contains("db-team cannot be paged") && e.contains(&key),
        "{e}"
    );
    assert!(
        show_json(d.path(), &id)["notices"]["escalations"].is_null(),
        "nothing written"
    );
    assert!(rx.got().is_empty());
    // No team named: the teams that can be called, and how.
    let e = fails(d.path(), &["escalate", "-i", &id], 1);
    assert!(
        e.contains("say which team to call (`incident escalate TEAM MESSAGE`): the teams are db-team, net, vendor"),
        "{e}"
    );
    // No teams at all: said so, with where to add one.
    std::fs::remove_file(d.path().join("incident.toml")).unwrap();
    let e = fails(d.path(), &["escalate", "-i", &id, "db-team"], 1);
    assert!(e.contains("none are set up"), "{e}");
    let e = fails(d.path(), &["escalate", "-i", &id], 1);
    assert!(
        e.contains("none are set up yet; add one to")
            && e.contains("incident.toml as a [[responders]] entry"),
        "{e}"
    );
}

#[test]
fn the_shell_completes_the_teams_of_the_team_file() {
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx);
    declare(d.path(), "Checkout errors");
    let o = std::process::Command::new(BIN)
        .args(["--", "incident", "escalate", "n"])
        .env("COMPLETE", "fish")
        .env("INCIDENT_DIR", d.path())
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "net\n");
}

#[test]
fn a_page_about_a_call_for_help_this_directory_has_no_record_of_declares_nothing() {
    // Another war room (staging beside production, one PagerDuty service)
    // called db-team for its INC-7: the team's pager tells this listener.
    let d = tempfile::tempdir().unwrap();
    for kind in ["triggered", "acknowledged"] {
        let o = crate::paging::page(
            d.path(),
            &pagerduty_event(kind, "incident/INC-7/db-team"),
            &[],
        );
        assert!(o.status.success(), "{}", describe(&["page"], &o));
        assert!(
            stdout(&o).starts_with("ignored: "),
            "{kind}: {}",
            stdout(&o)
        );
    }
    // Here INC-1 exists, but never called db-team.
    let id = declare(d.path(), "Checkout errors");
    let o = crate::paging::page(
        d.path(),
        &pagerduty_event("acknowledged", &format!("incident/{id}/db-team")),
        &[],
    );
    assert!(stdout(&o).starts_with("ignored: "), "{}", stdout(&o));
    let listed = ok(d.path(), &["list", "--all"]);
    assert_eq!(listed.matches("INC-").count(), 1, "{listed}");
}

#[test]
fn a_call_this_process_did_not_send_says_what_became_of_its_page() {
    use std::io::Read;
    let d = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    team(d.path(), &rx);
    // A drill pages nobody: the call is recorded, and says so.
    let mut drill = cmd(d.path())
        .args(["drill", "bad-deploy", "--speed", "1", "--no-open"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = drill.stdout.take().unwrap();
    let (mut first, mut byte) = (Vec::new(), [0u8; 1]);
    while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let id = String::from_utf8(first).unwrap();
    let o = run(d.path(), &["escalate", "-i", &id, "db-team", "need a DBA"]);
    let _ = drill.kill();
    let _ = drill.wait();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("page 1 to db-team: not sent:"),
        "not silent about a page that goes nowhere: {}",
        stderr(&o)
    );
    assert!(rx.at("/enqueue").is_empty(), "a drill pages nobody");
}
