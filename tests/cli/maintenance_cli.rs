//! Maintenance windows on the built binary: `incident maintenance
//! add|list|end`, pages held back by a window (from `incident page` and
//! from the listener over loopback HTTP), windows ending by themselves,
//! and the windows shown in `list` and the login hint.

use crate::common::*;
use crate::listener::{get, listen, post};
use crate::paging::{fixture, page};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

fn windows(dir: &Path, all: bool) -> Vec<Value> {
    let mut args = vec!["maintenance", "list", "--json"];
    if all {
        args.push("--all");
    }
    let v: Value = serde_json::from_str(&ok(dir, &args)).unwrap();
    v.as_array().unwrap().clone()
}

fn incident_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".jsonl"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn windows_are_added_listed_and_ended_and_bad_input_says_what_to_type() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert_eq!(
        ok(
            dir,
            &[
                "maintenance",
                "add",
                "Payments-DB",
                "--for",
                "2h",
                "database",
                "upgrade"
            ]
        )
        .trim(),
        "W1"
    );
    let o = run(
        dir,
        &[
            "maintenance",
            "add",
            "checkout",
            "--until",
            "23:59",
            "cert",
            "rotation",
        ],
    );
    assert!(o.status.success(), "{}", describe(&["maintenance"], &o));
    assert_eq!(stdout(&o).trim(), "W2");
    assert!(
        stderr(&o).contains("checkout is in maintenance until"),
        "{}",
        stderr(&o)
    );

    let ws = windows(dir, false);
    assert_eq!(ws.len(), 2, "{ws:?}");
    assert_eq!(ws[0]["window"], "W1");
    assert_eq!(ws[0]["service"], "payments-db", "stored lowercase");
    assert_eq!(ws[0]["reason"], "database upgrade");
    assert_eq!(ws[0]["active"], true);
    assert_eq!(ws[0]["suppressed"], 0);
    let text = ok(dir, &["maintenance", "list"]);
    assert!(
        text.contains("W1 payments-db until") && text.contains("database upgrade"),
        "{text}"
    );

    // Refusals, each naming what to type (exit 2), nothing written.
    for (args, says) in [
        (
            vec!["add", "payments db", "--for", "1h", "x"],
            "incident maintenance add payments-db",
        ),
        (
            vec!["add", "db", "--for", "2 hours", "x"],
            "use 90s, 45m, 2h",
        ),
        (
            vec!["add", "db", "--for", "1h", "--until", "23:00", "x"],
            "not both",
        ),
        (vec!["add", "db", "upgrade"], "--for 2h"),
        (
            vec!["add", "db", "--until", "2020-01-01T00:00Z", "x"],
            "in the past",
        ),
        (vec!["add", "db", "--for", "1h"], "say why"),
        (
            vec!["add", "payments-db", "--for", "1h", "again"],
            "incident maintenance end W1",
        ),
        (vec!["end", "W9"], "there is no maintenance window W9"),
        (vec!["end", "nine"], "incident maintenance end W1"),
    ] {
        let mut full = vec!["maintenance"];
        full.extend(args.iter().copied());
        let e = fails(dir, &full, 2);
        assert!(e.contains(says), "{full:?}: {e}");
    }
    assert_eq!(windows(dir, true).len(), 2, "refusals write nothing");

    // Ended early: logged who and when; then not active, and not again.
    let o = run(dir, &["--name", "dana", "maintenance", "end", "w1"]);
    assert!(
        o.status.success(),
        "{}",
        describe(&["maintenance", "end"], &o)
    );
    assert!(stdout(&o).contains("W1 ended"), "{}", stdout(&o));
    let ws = windows(dir, false);
    assert_eq!(ws.len(), 1);
    assert_eq!(ws[0]["window"], "W2");
    let all = windows(dir, true);
    assert_eq!(all[0]["ended"]["by"], "dana", "{all:?}");
    assert_eq!(all[0]["active"], false);
    assert!(fails(dir, &["maintenance", "end", "W1"], 2).contains("ended already"));
    assert!(ok(dir, &["maintenance", "list", "--all"]).contains("ended early"));

    // The windows' file is never taken for an incident, by this copy or
    // by one that lists `*.jsonl`.
    assert_eq!(incident_files(dir), Vec::<String>::new());
    assert!(ok(dir, &["list", "--all"]).contains("No incidents here"));
    // Ids are never reused.
    assert_eq!(
        ok(
            dir,
            &["maintenance", "add", "payments-db", "--for", "1h", "again"]
        )
        .trim(),
        "W3"
    );
}

#[test]
fn a_page_in_a_window_declares_nothing_and_after_it_ends_declares() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let am = fixture("alertmanager-v4-firing.json");
    let added = Instant::now();
    ok(
        dir,
        &[
            "maintenance",
            "add",
            "payments",
            "--for",
            "3s",
            "failover",
            "drill",
        ],
    );
    let o = page(dir, &am, &[]);
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    assert!(
        stdout(&o).starts_with("suppressed by W1 until "),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("payments is in maintenance")
            && stderr(&o).contains("incident maintenance end W1"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        incident_files(dir),
        Vec::<String>::new(),
        "nothing declared"
    );
    let o = page(dir, &am, &["--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (
            v["outcome"].as_str(),
            v["window"].as_str(),
            v["suppressed"].as_u64()
        ),
        (Some("suppressed"), Some("W1"), Some(2)),
        "{v}"
    );
    // The list and the login hint show it, with what it held back.
    let list = ok(dir, &["list"]);
    assert!(
        list.contains("MAINTENANCE payments until") && list.contains("suppressed 2 pages"),
        "{list}"
    );
    let o = run(dir, &["active"]);
    assert_eq!(o.status.code(), Some(1), "no incident: exit 1 as before");
    assert!(
        stdout(&o).contains("MAINTENANCE payments") && stdout(&o).contains("failover drill"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        stdout(&run(dir, &["active", "--short"])),
        "",
        "--short: incidents only"
    );
    let w = &windows(dir, false)[0];
    assert_eq!(
        w["last"]["title"], "p99 latency of payments above 2s",
        "{w}"
    );
    assert_eq!(w["last"]["source"], "Alertmanager", "{w}");

    // It ends by itself: nothing swept it, and the same page declares.
    let left = Duration::from_millis(3300).saturating_sub(added.elapsed());
    std::thread::sleep(left);
    assert!(windows(dir, false).is_empty());
    let o = page(dir, &am, &[]);
    assert_eq!(stdout(&o).trim(), "declared INC-1", "{}", stderr(&o));
    assert!(!ok(dir, &["list"]).contains("MAINTENANCE"));
    let all = windows(dir, true);
    assert_eq!(all[0]["suppressed"], 2, "the count stays: {all:?}");
}

#[test]
fn each_pager_is_held_back_by_its_service_and_follow_ups_still_reach_their_incident() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // PagerDuty's incident is open before the window starts.
    let o = page(dir, &fixture("pagerduty-v3-triggered.json"), &[]);
    assert_eq!(stdout(&o).trim(), "declared INC-1", "{}", stderr(&o));
    ok(
        dir,
        &[
            "maintenance",
            "add",
            "checkout-api",
            "--for",
            "1h",
            "deploy",
        ],
    );
    ok(
        dir,
        &[
            "maintenance",
            "add",
            "CHECKOUT-WEB",
            "--for",
            "1h",
            "deploy",
        ],
    );
    ok(
        dir,
        &["maintenance", "add", "orders-db", "--for", "1h", "vacuum"],
    );
    // Its acknowledgement still goes to INC-1.
    let o = page(dir, &fixture("pagerduty-v3-acknowledged.json"), &[]);
    assert_eq!(stdout(&o).trim(), "logged INC-1", "{}", stderr(&o));
    // So does PagerDuty restating it (its priority changed): no new firing.
    let o = page(dir, &fixture("pagerduty-v3-priority-updated.json"), &[]);
    assert_eq!(stdout(&o).trim(), "joined INC-1", "{}", stderr(&o));
    // A new trigger for the service in maintenance declares nothing.
    for name in ["grafana-multi.json", "opsgenie-create.json"] {
        let o = page(dir, &fixture(name), &[]);
        assert!(o.status.success(), "{name}: {}", describe(&["page"], &o));
        assert!(
            stdout(&o).starts_with("suppressed by W"),
            "{name}: {}",
            stdout(&o)
        );
    }
    let pd = fixture("pagerduty-v3-triggered.json");
    let mut other: Value = serde_json::from_slice(&pd).unwrap();
    other["event"]["id"] = "01NEWEVENT".into();
    other["event"]["data"]["id"] = "Q0OTHER".into();
    // A new problem (its own dedup key): the old one's key would join INC-1.
    other["event"]["data"]["incident_key"] = "checkout-latency".into();
    let o = page(dir, other.to_string().as_bytes(), &[]);
    assert!(stdout(&o).starts_with("suppressed by W1"), "{}", stdout(&o));
    let ws = windows(dir, false);
    let counts: Vec<(String, u64)> = ws
        .iter()
        .map(|w| {
            (
                w["service"].as_str().unwrap().to_string(),
                w["suppressed"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("checkout-api".to_string(), 1),
            ("checkout-web".to_string(), 1),
            ("orders-db".to_string(), 1)
        ]
    );
    assert_eq!(incident_files(dir), ["INC-1.jsonl"]);
    // And its resolve.
    let o = page(dir, &fixture("pagerduty-v3-resolved.json"), &[]);
    assert_eq!(stdout(&o).trim(), "logged INC-1", "{}", stderr(&o));
}

#[test]
fn three_pages_at_once_in_a_window_are_all_counted_and_declare_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    ok(
        &dir,
        &["maintenance", "add", "payments", "--for", "1h", "upgrade"],
    );
    let am = fixture("alertmanager-v4-firing.json");
    let outs: Vec<std::process::Output> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3).map(|_| s.spawn(|| page(&dir, &am, &[]))).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for o in &outs {
        assert!(o.status.success(), "{}", describe(&["page"], o));
        assert!(stdout(o).starts_with("suppressed by W1"), "{}", stdout(o));
    }
    assert_eq!(windows(&dir, false)[0]["suppressed"], 3);
    assert!(ok(&dir, &["list"]).contains("suppressed 3 pages"));
    assert_eq!(incident_files(&dir), Vec::<String>::new());
}

#[test]
fn the_listener_answers_2xx_for_held_back_pages_and_counts_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    std::fs::create_dir(&dir).unwrap();
    ok(
        &dir,
        &["maintenance", "add", "payments", "--for", "1h", "upgrade"],
    );
    ok(
        &dir,
        &[
            "maintenance",
            "add",
            "checkout-api",
            "--for",
            "1h",
            "deploy",
        ],
    );
    ok(
        &dir,
        &[
            "maintenance",
            "add",
            "checkout-web",
            "--for",
            "1h",
            "deploy",
        ],
    );
    let l = listen(&dir, &[]);
    let am = fixture("alertmanager-v4-firing.json");
    let answers: Vec<(u16, String)> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3)
            .map(|_| s.spawn(|| post(l.port, "/alertmanager", &[], &am)))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (code, body) in &answers {
        assert_eq!(*code, 200, "{body}");
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["outcome"], "suppressed", "{v}");
        assert_eq!(v["window"], "W1", "{v}");
    }
    let (code, body) = post(
        l.port,
        "/pagerduty",
        &[],
        &fixture("pagerduty-v3-triggered.json"),
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"suppressed\""), "{body}");
    let (code, body) = post(l.port, "/grafana", &[], &fixture("grafana-multi.json"));
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"window\":\"W3\""), "{body}");
    let counts: Vec<u64> = windows(&dir, false)
        .iter()
        .map(|w| w["suppressed"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [3, 1, 1]);
    assert_eq!(incident_files(&dir), Vec::<String>::new());
    // The onlookers' index says which services are in maintenance.
    let index = get(l.port, "/", &[]);
    assert_eq!(index.status, 200, "{}", index.body);
    assert!(
        index.body.contains("In maintenance")
            && index.body.contains("W1 payments")
            && index.body.contains("<td>3</td>"),
        "{}",
        index.body
    );
    // After the window is ended, the same page declares (201).
    ok(&dir, &["maintenance", "end", "W1"]);
    let (code, body) = post(l.port, "/alertmanager", &[], &am);
    assert_eq!(code, 201, "{body}");
    assert!(!get(l.port, "/", &[]).body.contains("W1 payments"));
}

#[test]
fn a_drill_plays_its_own_page_and_a_real_page_beside_it_is_held_back() {
    use std::io::Read;
    use std::process::Stdio;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(
        dir,
        &["maintenance", "add", "checkout", "--for", "1h", "canary"],
    );
    let mut child = cmd(dir)
        .args(["drill", "bad-deploy", "--speed", "1000", "--no-open"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let drill = String::from_utf8(first).unwrap();
    // The scenario's page is the drill's script, not a pager's: it plays.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let shown = show_json(dir, &drill);
        // The page's key and the failing system it names are two writes
        // (checkout is there, "unknown", from the drill's declaration): a
        // read between them on a busy machine sees the key alone.
        let status = &shown["systems"]["checkout"]["status"];
        if shown["pager_keys"]
            .as_array()
            .is_some_and(|k| !k.is_empty())
            && *status == "failing"
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the drill's page never played: keys {}, checkout {status}",
            shown["pager_keys"]
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A real page for the service in the same directory is held back.
    let payload = r#"{"version":"4","groupKey":"real:{alertname=\"CheckoutErrorRate\"}","status":"firing","receiver":"incident",
      "groupLabels":{"alertname":"CheckoutErrorRate"},"commonLabels":{"alertname":"CheckoutErrorRate","severity":"critical","service":"checkout"},
      "commonAnnotations":{"summary":"checkout 5xx rate above 5% for 5 minutes"},"externalURL":"http://am:9093",
      "alerts":[{"status":"firing","labels":{"alertname":"CheckoutErrorRate","service":"checkout"},"annotations":{},
      "startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"x"}]}"#;
    let o = page(dir, payload.as_bytes(), &[]);
    assert!(stdout(&o).starts_with("suppressed by W1"), "{}", stdout(&o));
    assert_eq!(incident_files(dir), [format!("{drill}.jsonl")]);
    assert_eq!(
        windows(dir, false)[0]["suppressed"],
        1,
        "the drill's page is not counted"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn windows_that_cannot_be_read_never_lose_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(
        dir,
        &["maintenance", "add", "payments", "--for", "1h", "upgrade"],
    );
    std::fs::write(dir.join(".maintenance/windows.json"), b"{not json").unwrap();
    let o = page(dir, &fixture("alertmanager-v4-firing.json"), &[]);
    assert_eq!(stdout(&o).trim(), "declared INC-1", "{}", stderr(&o));
    assert!(
        stderr(&o).contains("maintenance windows could not be checked"),
        "{}",
        stderr(&o)
    );
    let e = fails(dir, &["maintenance", "list"], 1);
    assert!(
        e.contains("windows.json") && e.contains("move it aside"),
        "{e}"
    );
    let hint = stdout(&run(dir, &["active"]));
    assert!(
        hint.contains("MAINTENANCE windows cannot be read"),
        "{hint}"
    );
}

#[test]
fn windows_added_at_once_get_their_own_ids_and_none_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let ids: Vec<String> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|i| {
                let dir = &dir;
                s.spawn(move || {
                    let service = format!("svc-{i}");
                    ok(
                        dir,
                        &["maintenance", "add", &service, "--for", "1h", "upgrade"],
                    )
                    .trim()
                    .to_string()
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(sorted, ["W1", "W2", "W3", "W4"], "{ids:?}");
    assert_eq!(windows(&dir, false).len(), 4);
}

#[test]
fn a_group_naming_a_service_in_no_window_is_taken_in_as_usual() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // One Alertmanager group (by alertname): its first alert is db's,
    // the second payments'.
    let mut group: Value = serde_json::from_slice(&fixture("alertmanager-v4-firing.json")).unwrap();
    for k in ["service", "team"] {
        group["commonLabels"].as_object_mut().unwrap().remove(k);
    }
    group["groupKey"] = "{}:{alertname=\"LatencyHigh\"}".into();
    group["alerts"][0]["labels"]["service"] = "db".into();
    let group = group.to_string();
    ok(dir, &["maintenance", "add", "db", "--for", "1h", "upgrade"]);
    let o = page(dir, group.as_bytes(), &[]);
    assert_eq!(stdout(&o).trim(), "declared INC-1", "{}", stderr(&o));
    assert!(
        stderr(&o).contains("db is in maintenance (W1), but this page also names payments"),
        "{}",
        stderr(&o)
    );
    assert_eq!(windows(dir, false)[0]["suppressed"], 0);
    // With payments in a window too, the group is held back.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["maintenance", "add", "db", "--for", "1h", "upgrade"]);
    ok(
        dir,
        &["maintenance", "add", "payments", "--for", "1h", "move"],
    );
    let o = page(dir, group.as_bytes(), &[]);
    assert!(stdout(&o).starts_with("suppressed by W1"), "{}", stdout(&o));
    assert_eq!(incident_files(dir), Vec::<String>::new());
}

#[test]
fn the_screen_names_a_window_holding_back_pages_for_a_system_bleeding_here() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["declare", "--title", "db slow"]);
    ok(dir, &["system", "set", "db", "failing"]);
    ok(dir, &["maintenance", "add", "db", "--for", "1h", "upgrade"]);
    // What `incident screen` (and an assistant's `state`) draws is what a
    // view that just opened shows.
    let screen = ok(dir, &["screen", "--size", "160x30"]);
    assert!(
        screen.contains("MAINTENANCE db until") && screen.contains("(W1, 0 pages held back"),
        "{screen}"
    );
}

#[test]
fn the_acknowledgement_of_a_page_held_back_declares_nothing_either() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(
        dir,
        &[
            "maintenance",
            "add",
            "checkout-api",
            "--for",
            "1h",
            "deploy",
        ],
    );
    let o = page(dir, &fixture("pagerduty-v3-triggered.json"), &[]);
    assert!(stdout(&o).starts_with("suppressed by W1"), "{}", stdout(&o));
    // The on-call silences it at PagerDuty: its acknowledgement comes.
    let o = page(dir, &fixture("pagerduty-v3-acknowledged.json"), &[]);
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    assert!(stdout(&o).starts_with("suppressed by W1"), "{}", stdout(&o));
    assert_eq!(
        incident_files(dir),
        Vec::<String>::new(),
        "nothing declared"
    );
    assert_eq!(windows(dir, false)[0]["suppressed"], 2);
}

#[test]
fn a_page_for_an_alert_an_active_incident_has_goes_to_it_in_a_window() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = fixture("alertmanager-v4-firing.json");
    let o = page(dir, &first, &[]);
    assert_eq!(stdout(&o).trim(), "declared INC-1", "{}", stderr(&o));
    let group: Value = serde_json::from_slice(&first).unwrap();
    let service = group["commonLabels"]["service"]
        .as_str()
        .unwrap()
        .to_string();
    ok(
        dir,
        &["maintenance", "add", &service, "--for", "1h", "migration"],
    );
    // The same group fires again with one more alert: the room already
    // works this, so it joins INC-1 rather than vanishing into the window.
    let mut again = group.clone();
    let mut extra = again["alerts"][0].clone();
    extra["fingerprint"] = "0000000000000042".into();
    extra["labels"]["instance"] = "10.0.0.42:9090".into();
    again["alerts"].as_array_mut().unwrap().push(extra);
    let o = page(dir, again.to_string().as_bytes(), &[]);
    assert_eq!(stdout(&o).trim(), "joined INC-1", "{}", stderr(&o));
    assert_eq!(windows(dir, false)[0]["suppressed"], 0);
    // A new problem for that service is still held back.
    let mut other = group.clone();
    other["groupKey"] = "{}:{alertname=\"DiskFull\"}".into();
    other["commonLabels"]["alertname"] = "DiskFull".into();
    for a in other["alerts"].as_array_mut().unwrap() {
        a["labels"]["alertname"] = "DiskFull".into();
        a["fingerprint"] = "00000000000000ff".into();
    }
    let o = page(dir, other.to_string().as_bytes(), &[]);
    assert!(stdout(&o).starts_with("suppressed by W1"), "{}", stdout(&o));
    assert_eq!(incident_files(dir), vec!["INC-1.jsonl".to_string()]);
}
