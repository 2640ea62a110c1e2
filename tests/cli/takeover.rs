//! `incident role takeover`: taking a role from a holder who has gone.

use crate::common::*;

#[test]
fn a_role_is_taken_over_only_once_its_holder_has_been_away_long_enough() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok(dir, &["--name", "bob", "role", "claim", "ic"]);
    ok(dir, &["--name", "carol", "announce", "restart payments-1"]);

    // The default is 5 minutes; bob claimed just now and has no view open.
    let e = fails(dir, &["--name", "carol", "role", "takeover", "ic"], 1);
    assert!(
        e.contains("bob has been away <1m")
            && e.contains("`incident role takeover commander` in 5m")
            && e.contains("hand it over"),
        "{e}"
    );
    assert_eq!(show_json(dir, &id)["roles"]["commander"]["user"], "bob");
    let shown = ok(dir, &["show"]);
    assert!(shown.contains("bob  (away <1m: no view open)"), "{shown}");

    // The team says: as soon as they have no view open.
    std::fs::write(dir.join("incident.toml"), "takeover_after = 0\n").unwrap();
    let out = ok(dir, &["--name", "carol", "role", "takeover", "commander"]);
    assert!(
        out.contains("carol took over commander from bob, away <1m"),
        "{out}"
    );
    let shown = show_json(dir, &id);
    assert_eq!(shown["roles"]["commander"]["user"], "carol");
    let entry = log_of(&shown).last().unwrap();
    assert_eq!(entry["kind"], "takeover");
    assert_eq!(entry["milestone"], true);
    // bob's unanswered request is now carol's to answer. carol has made
    // an act of authority from this account already (the takeover), so
    // her go is not marked as from an unfamiliar account.
    assert!(entry["unfamiliar"].is_string(), "{entry}");
    ok(dir, &["--name", "carol", "answer", "R1", "go"]);
    let go = log_of(&show_json(dir, &id)).last().unwrap().clone();
    assert!(go["unfamiliar"].is_null(), "{go}");
    assert!(!go["text"].as_str().unwrap().contains("(as "), "{go}");

    // Nothing to take from an empty role, or from yourself.
    let e = fails(dir, &["--name", "dave", "role", "takeover", "comms"], 1);
    assert!(
        e.contains("nobody holds communications") && e.contains("claim"),
        "{e}"
    );
    let e = fails(dir, &["--name", "carol", "role", "takeover", "ic"], 1);
    assert!(e.contains("held by you"), "{e}");
}

#[test]
fn a_bad_takeover_setting_is_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok(dir, &["--name", "bob", "role", "claim", "ic"]);
    std::fs::write(dir.join("incident.toml"), "takeover_after = 100000\n").unwrap();
    let before = std::fs::read(file_of(dir, &id)).unwrap();
    let e = fails(dir, &["--name", "carol", "role", "takeover", "ic"], 1);
    assert!(
        e.contains("takeover_after") && e.contains("incident.toml"),
        "{e}"
    );
    assert_eq!(std::fs::read(file_of(dir, &id)).unwrap(), before);
}

#[test]
fn a_request_waiting_a_minute_on_an_away_commander_says_so_and_names_the_takeover() {
    use std::io::BufRead;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    std::fs::write(dir.join("incident.toml"), "takeover_after = 0\n").unwrap();
    ok(dir, &["--name", "bob", "role", "claim", "ic"]);
    // carol asks and waits; bob never answers (his session dropped).
    let mut child = cmd(dir)
        .args([
            "--name",
            "carol",
            "announce",
            "--wait",
            "--timeout",
            "120",
            "restart payments-1",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let started = std::time::Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    // Keep reading, so the child's stderr stays open while it waits.
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let said = rx
        .iter()
        .find(|l| l.contains("no view open"))
        .expect("the wait says the commander is away");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(55),
        "said after a minute, not at once"
    );
    assert!(
        said.contains("the commander (bob) has no view open, away 1m")
            && said.contains("`incident role takeover commander`"),
        "{said}"
    );
    // dave takes over and clears it: carol's wait ends with the go.
    ok(dir, &["--name", "dave", "role", "takeover", "ic"]);
    let moved = rx
        .iter()
        .find(|l| l.contains("command changed hands"))
        .expect("the wait follows the takeover");
    assert!(
        moved.contains("now waiting for the commander (dave)"),
        "{moved}"
    );
    ok(dir, &["--name", "dave", "answer", "R1", "go"]);
    let status = child.wait().unwrap();
    assert!(status.success(), "the go ends the wait: {status:?}");
    assert_eq!(show_json(dir, &id)["requests"][0]["answered_by"], "dave");
}

#[test]
fn closing_an_incident_lifts_its_freeze_and_a_kept_freeze_is_lifted_without_an_id() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = declare(dir, "Checkout errors");
    ok(dir, &["--name", "alice", "role", "claim", "ic"]);
    ok(
        dir,
        &["--name", "alice", "freeze", "on", "rollback in flight"],
    );
    ok(dir, &["--name", "alice", "cancel", "not", "an", "outage"]);
    // Nobody works a closed incident: its freeze does not outlive it.
    let o = run(dir, &["freeze", "status"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        texts(&show_json(dir, &first))
            .iter()
            .any(|t| t == "freeze lifted: incident closed")
    );

    // A freeze kept past resolving is the only one: `freeze off` finds it.
    let second = declare(dir, "Search latency");
    ok(
        dir,
        &["--name", "alice", "role", "claim", "-i", &second, "ic"],
    );
    ok(dir, &["--name", "alice", "freeze", "-i", &second, "on"]);
    ok(
        dir,
        &[
            "--name",
            "alice",
            "status",
            "-i",
            &second,
            "resolved",
            "--force",
            "--keep-freeze",
        ],
    );
    assert_eq!(run(dir, &["freeze", "status"]).status.code(), Some(1));
    ok(dir, &["--name", "alice", "freeze", "off"]);
    assert_eq!(run(dir, &["freeze", "status"]).status.code(), Some(0));
}
