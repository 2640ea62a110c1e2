//! Handover and clearance between two people (two display names on one
//! account), end to end on the built binary; `incident run`.

use crate::common::*;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

pub(crate) fn as_(who: &str, dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut full = vec!["--name", who];
    full.extend_from_slice(args);
    run(dir, &full)
}

pub(crate) fn ok_as(who: &str, dir: &std::path::Path, args: &[&str]) -> String {
    let o = as_(who, dir, args);
    assert!(o.status.success(), "{}", describe(args, &o));
    stdout(&o)
}

/// Start `incident --name WHO args` in the background.
pub(crate) fn spawn_as(who: &str, dir: &std::path::Path, args: &[&str]) -> std::process::Child {
    cmd(dir)
        .arg("--name")
        .arg(who)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait for a child with a bound; returns (status code, stdout, stderr).
pub(crate) fn finish(mut child: std::process::Child, within: Duration) -> (i32, String, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code().unwrap_or(-1), out, err);
        }
        if start.elapsed() > within {
            let _ = child.kill();
            panic!("process did not finish within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) fn setup() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let id = declare(tmp.path(), "Checkout errors");
    ok_as("alice", tmp.path(), &["role", "claim", "commander"]);
    (tmp, id)
}

/// Wait until request `id` shows up pending in the file.
pub(crate) fn wait_pending(dir: &std::path::Path, inc: &str, req: u64) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        let shown = show_json(dir, inc);
        if shown["requests"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["id"] == req && r["state"] == "pending"))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("R{req} never became pending");
}

#[test]
fn handover_moves_command_only_when_accepted() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    ok_as("alice", dir, &["role", "handover", "commander", "bob"]);
    let shown = show_json(dir, &id);
    assert_eq!(
        shown["roles"]["commander"]["user"], "alice",
        "alice keeps it until bob accepts"
    );
    assert_eq!(shown["offers"]["commander"]["to"], "bob");
    // Someone else cannot take it.
    let o = as_("carol", dir, &["role", "accept", "commander"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("offered to bob, not to you"),
        "{}",
        stderr(&o)
    );
    ok_as("bob", dir, &["role", "accept", "commander"]);
    let shown = show_json(dir, &id);
    assert_eq!(shown["roles"]["commander"]["user"], "bob");
    let texts = texts(&shown);
    assert!(
        texts
            .iter()
            .any(|t| t == "alice offered commander to bob; alice keeps it until bob accepts")
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("bob accepted commander from alice (was alice)"))
    );
    // Only the commander changes the status now, and the refusal says who.
    let o = as_("alice", dir, &["status", "mitigated"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("only the commander (bob)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn announce_wait_exits_0_on_go_and_1_on_hold() {
    let (tmp, id) = setup();
    let dir = tmp.path();

    let waiting = spawn_as("carol", dir, &["announce", "--wait", "restart", "db-2"]);
    wait_pending(dir, &id, 1);
    ok_as("alice", dir, &["answer", "R1", "go"]);
    let (code, out, _) = finish(waiting, Duration::from_secs(10));
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "R1", "prints the request id");

    let waiting = spawn_as(
        "carol",
        dir,
        &["announce", "--wait", "drop", "the", "cache"],
    );
    wait_pending(dir, &id, 2);
    let o = as_("carol", dir, &["answer", "2", "go"]);
    assert_eq!(o.status.code(), Some(1), "only the commander answers");
    ok_as(
        "alice",
        dir,
        &["answer", "2", "hold", "replica", "lag", "first"],
    );
    let (code, _, err) = finish(waiting, Duration::from_secs(10));
    assert_eq!(code, 1);
    assert!(
        err.contains("hold") && err.contains("replica lag first"),
        "{err}"
    );

    let shown = show_json(dir, &id);
    let reqs = shown["requests"].as_array().unwrap();
    assert_eq!(reqs[0]["state"], "go");
    assert_eq!(
        (reqs[1]["id"].as_u64(), reqs[1]["by"].as_str()),
        (Some(2), Some("carol"))
    );
    assert_eq!(reqs[1]["text"], "drop the cache");
    assert_eq!(reqs[1]["state"], "hold");
    assert_eq!(reqs[1]["reason"], "replica lag first");
}

#[test]
fn announce_wait_times_out_with_2_and_the_commanders_own_needs_no_answer() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    let o = as_(
        "carol",
        dir,
        &["announce", "--wait", "--timeout", "1", "reboot", "web-3"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", describe(&["announce"], &o));
    assert!(stderr(&o).contains("no answer"), "{}", stderr(&o));
    let o = as_(
        "alice",
        dir,
        &[
            "announce",
            "--wait",
            "--timeout",
            "1",
            "fail",
            "over",
            "search",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", describe(&["announce"], &o));
    let shown = show_json(dir, &id);
    assert_eq!(shown["requests"][1]["state"], "announced");
}

#[test]
fn run_records_the_command_its_outcome_and_output() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    let o = as_(
        "carol",
        dir,
        &[
            "run",
            "--no-clear",
            "--",
            "sh",
            "-c",
            "echo checking replicas; echo \u{1b}[31mred; exit 3",
        ],
    );
    assert_eq!(o.status.code(), Some(3), "exits with the command's status");
    assert!(
        stdout(&o).contains("checking replicas"),
        "output passes through"
    );
    let shown = show_json(dir, &id);
    let log = log_of(&shown);
    // With --no-clear: everyone is told, and no request is left waiting.
    let about = &log[log.len() - 2];
    assert_eq!(about["kind"], "announcement");
    assert!(
        about["text"]
            .as_str()
            .unwrap()
            .contains("about to run: sh -c"),
        "{about}"
    );
    assert!(
        shown["requests"].as_array().unwrap().is_empty(),
        "{}",
        shown["requests"]
    );
    let ran = log.last().unwrap();
    assert_eq!(ran["kind"], "ran");
    assert_eq!(ran["by"], "carol");
    assert!(
        ran["text"]
            .as_str()
            .unwrap()
            .starts_with("ran: sh -c 'echo checking replicas;"),
        "{ran}"
    );
    assert!(
        ran["text"].as_str().unwrap().contains("  FAILED exit 3  ("),
        "{ran}"
    );
    assert!(
        ran["text"].as_str().unwrap().ends_with("· ran without go"),
        "{ran}"
    );
    let ev = &ran["evidence"];
    assert_eq!(ev["exit"], 3);
    assert!(ev["duration_ms"].as_u64().is_some() && ev["started_at"].is_string());
    let output = ev["output"].as_str().unwrap();
    assert!(
        output.contains("checking replicas") && output.contains("␛[31mred"),
        "sanitized: {output:?}"
    );
    assert!(!output.contains('\u{1b}'));
}

#[test]
fn run_clear_waits_for_go_and_never_runs_on_hold() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    let marker = dir.join("ran-it");
    let script = format!("touch {}", marker.display());
    let running = spawn_as("carol", dir, &["run", "--clear", "--", "sh", "-c", &script]);
    wait_pending(dir, &id, 1);
    assert!(!marker.exists(), "nothing runs before the commander's go");
    ok_as("alice", dir, &["answer", "R1", "hold", "not", "yet"]);
    let (code, _, err) = finish(running, Duration::from_secs(10));
    assert_eq!(code, 1, "{err}");
    assert!(!marker.exists());

    let running = spawn_as("carol", dir, &["run", "--clear", "--", "sh", "-c", &script]);
    wait_pending(dir, &id, 2);
    ok_as("alice", dir, &["answer", "R2", "go"]);
    let (code, _, err) = finish(running, Duration::from_secs(10));
    assert_eq!(code, 0, "{err}");
    assert!(marker.exists());
    assert_eq!(log_of(&show_json(dir, &id)).last().unwrap()["request"], 2);
}

#[test]
fn a_similar_active_incident_is_pointed_out() {
    let (tmp, _) = setup();
    let dir = tmp.path();
    let o = run(dir, &["declare", "--title", "checkout 5xx errors"]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("INC-1") && stderr(&o).contains("already active"),
        "{}",
        stderr(&o)
    );
    let o = run(
        dir,
        &["declare", "--title", "Checkout errors again", "--force"],
    );
    assert!(o.status.success());
    assert!(!stderr(&o).contains("already active"));
    let o = run(dir, &["declare", "--title", "Search latency"]);
    assert!(!stderr(&o).contains("already active"));
}

#[test]
fn a_bad_display_name_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let o = as_("bad name", tmp.path(), &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--name"), "{}", stderr(&o));
}

#[test]
fn team_default_roles_come_from_the_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("incident.toml"),
        "roles = [\"scribe\", \"ops_lead\"]\n",
    )
    .unwrap();
    let id = declare(dir, "With roles");
    let shown = show_json(dir, &id);
    assert_eq!(
        shown["extra_roles"],
        serde_json::json!(["scribe", "ops_lead"])
    );
    let screen = ok(dir, &["screen", "--size", "100x30"]);
    assert!(
        screen.contains("Scribe") && screen.contains("Ops lead"),
        "{screen}"
    );

    std::fs::write(dir.join("incident.toml"), "roles = [\"chef\"]\n").unwrap();
    let o = run(dir, &["declare", "--title", "Another", "--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("incident.toml") && stderr(&o).contains("chef"),
        "{}",
        stderr(&o)
    );
}

/// A handover to a name nobody has seen is probably a typo: it goes
/// through (the next shift may not have joined yet) with a note saying so.
#[test]
fn a_handover_to_a_name_nobody_has_seen_comes_with_a_note() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    ok_as(
        "bob",
        dir,
        &["log", "-i", &id, "bob here, looking at the pool"],
    );
    let o = as_("alice", dir, &["role", "handover", "commander", "bobb"]);
    assert!(o.status.success(), "{}", describe(&["role"], &o));
    assert!(
        stderr(&o).contains("Offered commander to bobb, who has not opened or written to this incident: check the name"),
        "{}",
        stderr(&o)
    );
    assert_eq!(show_json(dir, &id)["offers"]["commander"]["to"], "bobb");
    ok_as("alice", dir, &["role", "withdraw", "commander"]);
    let o = as_("alice", dir, &["role", "handover", "commander", "bob"]);
    assert!(o.status.success(), "{}", describe(&["role"], &o));
    assert!(!stderr(&o).contains("has not opened"), "{}", stderr(&o));
}
