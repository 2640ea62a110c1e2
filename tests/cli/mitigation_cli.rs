//! Stopping the bleeding end to end: mitigations, tasks, the deploy freeze
//! (and its exit codes for deploy scripts), the lifecycle.

use crate::common::*;
use serde_json::Value;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn as_<'a>(who: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    [&["--name", who][..], args].concat()
}

fn list(dir: &std::path::Path) -> Value {
    serde_json::from_str(&ok(dir, &["mitigation", "list", "--json"])).unwrap()
}

#[test]
fn mitigations_are_ordered_quick_and_low_risk_first_and_failed_ones_stay() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Checkout errors");
    ok(dir, &as_("alice", &["role", "claim", "ic"]));
    let m1 = ok(
        dir,
        &[
            "mitigation",
            "add",
            "--risk",
            "high",
            "--speed",
            "slow",
            "Rewrite",
            "the",
            "pool",
            "logic",
        ],
    );
    assert_eq!(m1.trim(), "M1");
    ok(
        dir,
        &[
            "mitigation",
            "add",
            "--kind",
            "freeze_deploys",
            "--risk",
            "low",
            "Freeze",
            "deploys",
        ],
    );
    ok(
        dir,
        &[
            "mitigation",
            "add",
            "--risk",
            "medium",
            "Raise",
            "pool",
            "size",
        ],
    );
    let order: Vec<u64> = list(dir)["mitigations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_u64().unwrap())
        .collect();
    assert_eq!(order, [2, 3, 1]);

    ok(dir, &as_("carol", &["mitigation", "start", "M2"]));
    ok(
        dir,
        &as_(
            "carol",
            &[
                "mitigation",
                "failed",
                "M2",
                "deploys",
                "were",
                "not",
                "the",
                "cause",
            ],
        ),
    );
    let v = list(dir);
    let ms = v["mitigations"].as_array().unwrap();
    assert_eq!(
        ms.last().unwrap()["id"],
        2,
        "failed ones stay, after the open ones"
    );
    assert_eq!(ms.last().unwrap()["status"], "failed");
    assert_eq!(ms.last().unwrap()["result"], "deploys were not the cause");
    let table = ok(dir, &["mitigation", "list"]);
    assert!(
        table.contains("M2") && table.contains("failed") && table.contains("carol"),
        "{table}"
    );
}

#[test]
fn a_destructive_mitigation_waits_for_the_commanders_go() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Payments down");
    ok(dir, &as_("alice", &["role", "claim", "ic"]));
    ok(
        dir,
        &[
            "mitigation",
            "add",
            "--kind",
            "restart",
            "Restart",
            "payments",
        ],
    );

    // Without --wait: the request goes out, the mitigation does not start.
    let o = run(dir, &as_("carol", &["mitigation", "start", "M1"]));
    assert_eq!(o.status.code(), Some(1));
    // The request it created is printed as every create prints its id.
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "R1");
    assert!(
        stderr(&o).contains("asked the commander for go as R1"),
        "{}",
        stderr(&o)
    );
    assert_eq!(list(dir)["mitigations"][0]["status"], "proposed");

    // With --wait: it starts once the commander says go (same request).
    let child = cmd(dir)
        .args(as_("carol", &["mitigation", "start", "M1", "--wait"]))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    ok(dir, &as_("alice", &["answer", "R1", "go"]));
    let start = Instant::now();
    let mut child = child;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "start --wait did not finish"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    let shown = show_json(dir, &id);
    assert_eq!(shown["mitigations"][0]["status"], "in_progress");
    assert_eq!(shown["requests"].as_array().unwrap().len(), 1, "asked once");
}

#[test]
fn suggestions_follow_failing_systems_and_the_team_playbook() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Search down");
    assert!(ok(dir, &["mitigation", "suggest"]).contains("No suggestions"));
    ok(dir, &["system", "set", "search", "failing"]);
    let s: Value = serde_json::from_str(&ok(dir, &["mitigation", "suggest", "--json"])).unwrap();
    let texts: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&"Roll back search to the last known good deploy"),
        "{texts:?}"
    );
    assert!(texts.contains(&"Restart search"), "{texts:?}");

    std::fs::write(
        dir.join("playbooks.toml"),
        "[[play]]\nsystem = \"search\"\ntext = \"Serve search from the cache tier\"\nkind = \"failover\"\nrisk = \"low\"\n",
    )
    .unwrap();
    let s = ok(dir, &["mitigation", "suggest"]);
    assert!(s.contains("Serve search from the cache tier"), "{s}");
    std::fs::write(
        dir.join("playbooks.toml"),
        "[[play]]\ntext = \"x\"\nrisk = \"extreme\"\n",
    )
    .unwrap();
    let err = fails(dir, &["mitigation", "suggest"], 2);
    assert!(
        err.contains("playbooks.toml") && err.contains("risk") && err.contains("extreme"),
        "{err}"
    );
}

#[test]
fn tasks_put_a_name_on_the_hard_path() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "x");
    assert_eq!(
        ok(dir, &["task", "add", "Find", "the", "root", "cause"]).trim(),
        "T1"
    );
    assert!(ok(dir, &["task", "list"]).contains("NO OWNER"));
    ok(dir, &as_("dave", &["task", "take", "T1"]));
    let err = fails(dir, &as_("erin", &["task", "done", "T1"]), 1);
    assert!(err.contains("belongs to dave"), "{err}");
    ok(
        dir,
        &as_(
            "dave",
            &["task", "done", "T1", "pool", "default", "changed"],
        ),
    );
    let tasks: Value = serde_json::from_str(&ok(dir, &["task", "list", "--json"])).unwrap();
    assert_eq!(
        (tasks[0]["done"].as_bool(), tasks[0]["owner"].as_str()),
        (Some(true), Some("dave"))
    );
}

#[test]
fn freeze_status_gates_deploy_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = run(dir, &["freeze", "status"]);
    assert_eq!(o.status.code(), Some(0), "no incidents, no freeze");
    let id = declare(dir, "Checkout errors");
    ok(dir, &as_("alice", &["role", "claim", "ic"]));
    assert_eq!(run(dir, &["freeze", "status"]).status.code(), Some(0));

    ok(
        dir,
        &as_("carol", &["freeze", "on", "suspect", "bad", "deploy"]),
    );
    let o = run(dir, &["freeze", "status"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(&id)
            && out.contains("frozen since")
            && out.contains("carol")
            && out.contains("suspect bad deploy"),
        "{out}"
    );
    let screen = ok(dir, &["screen", "--size", "100x30"]);
    assert!(screen.contains("DEPLOYS FROZEN"), "{screen}");

    let err = fails(dir, &as_("carol", &["freeze", "off"]), 1);
    assert!(err.contains("only the commander (alice)"), "{err}");
    ok(dir, &as_("alice", &["freeze", "off"]));
    assert_eq!(run(dir, &["freeze", "status"]).status.code(), Some(0));

    // Resolving asks about the freeze; resolved anyway, it is lifted and
    // no longer blocks deploys.
    ok(dir, &as_("alice", &["freeze", "on"]));
    assert_eq!(run(dir, &["freeze", "status"]).status.code(), Some(1));
    let err = fails(dir, &as_("alice", &["status", "resolved"]), 1);
    assert!(err.contains("still open: deploys frozen"), "{err}");
    ok(dir, &as_("alice", &["status", "resolved", "--force"]));
    assert_eq!(run(dir, &["freeze", "status"]).status.code(), Some(0));
}

#[test]
fn resolving_closes_the_incident_and_reopening_brings_it_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Flaky DNS");
    ok(dir, &["status", "mitigated"]);
    assert!(show_json(dir, &id)["impact_ceased_at"].is_string());
    ok(dir, &["status", "resolved"]);
    assert!(ok(dir, &["list"]).contains("No active incidents"));
    assert!(ok(dir, &["list", "--all"]).contains(&id));
    // Still readable and writable for the follow-up.
    ok(dir, &["log", "-i", &id, "post-mortem scheduled"]);
    ok(dir, &["status", "-i", &id, "investigating"]);
    let shown = show_json(dir, &id);
    assert!(shown["resolved_at"].is_null());
    assert!(texts(&shown).iter().any(|t| t.starts_with("reopened")));
    assert!(ok(dir, &["list"]).contains(&id));
}
