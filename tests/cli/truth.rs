//! What the room says stays true as the incident moves on ([19]): the
//! impact reads as history once impact ceased, on every surface; a task
//! carried over leaves the open list; the brief tells what stopped the
//! bleeding; the catch-up lists every kind of change since a time.

use crate::common::*;
use std::path::Path;

fn by(dir: &Path, who: &str, args: &[&str]) -> String {
    let mut all = vec!["--name", who];
    all.extend_from_slice(args);
    ok(dir, &all)
}

fn screen(dir: &Path, id: &str) -> String {
    ok(
        dir,
        &["--name", "dave", "screen", "-i", id, "--size", "160x48"],
    )
}

/// A SEV1 with a commander (alice), comms (bob), payments failing and
/// the impact estimated.
fn sev1(dir: &Path) -> String {
    let id = by(
        dir,
        "alice",
        &[
            "declare",
            "--title",
            "Checkout errors",
            "--severity",
            "SEV1",
            "--no-open",
        ],
    );
    let id = id.trim().to_string();
    by(dir, "alice", &["role", "claim", "commander", "-i", &id]);
    by(dir, "bob", &["role", "claim", "communications", "-i", &id]);
    by(
        dir,
        "carol",
        &[
            "system",
            "set",
            "payments",
            "failing",
            "--evidence",
            "5xx at 14%",
            "-i",
            &id,
        ],
    );
    by(
        dir,
        "bob",
        &["impact", "-i", &id, "all card checkouts failing, ~14%"],
    );
    id
}

#[test]
fn impact_is_news_while_it_lasts_and_history_once_it_ceased_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = sev1(dir);
    let now = "Impact: all card checkouts failing, ~14%";
    assert!(by(dir, "dave", &["bleeding", "-i", &id]).contains(now));
    assert!(screen(dir, &id).contains("│Impact all card checkouts failing, ~14%"));

    by(
        dir,
        "carol",
        &["mitigation", "add", "-i", &id, "roll back payments"],
    );
    by(dir, "alice", &["mitigation", "start", "M1", "-i", &id]);
    by(
        dir,
        "alice",
        &[
            "mitigation",
            "done",
            "M1",
            "-i",
            &id,
            "error rate back to 0.1%",
        ],
    );
    by(
        dir,
        "carol",
        &[
            "system",
            "set",
            "payments",
            "ok",
            "--evidence",
            "5xx at 0.1%",
            "-i",
            &id,
        ],
    );
    by(dir, "alice", &["status", "mitigated", "-i", &id]);

    let was = "all card checkouts failing, ~14% until ";
    let bleeding = by(dir, "dave", &["bleeding", "-i", &id]);
    assert!(
        bleeding.contains(&format!("Impact was: {was}")),
        "{bleeding}"
    );
    assert!(!bleeding.contains(now), "{bleeding}");
    let shown = screen(dir, &id);
    assert!(shown.contains(&format!("│Impact was {was}")), "{shown}");
    assert!(!shown.contains("│Impact all card"), "{shown}");
    // A newcomer's brief: what stopped the bleeding, and the impact as it was.
    let brief = by(dir, "erin", &["catchup", "-i", &id]);
    assert!(
        brief.contains(
            "What stopped the bleeding\n  M1 done: roll back payments — error rate back to 0.1%"
        ),
        "{brief}"
    );
    assert!(brief.contains("impact stopped at "), "{brief}");
    assert!(brief.contains(&format!("Impact was: {was}")), "{brief}");

    // Communications restates it: current again, and said to be a restatement.
    by(
        dir,
        "bob",
        &[
            "impact",
            "-i",
            &id,
            "1,200 checkouts failed; none failing now",
        ],
    );
    let bleeding = by(dir, "dave", &["bleeding", "-i", &id]);
    assert!(
        bleeding.contains("Impact (restated): 1,200 checkouts failed; none failing now"),
        "{bleeding}"
    );
    // Reopened: the restatement is news again until it ceases again.
    by(dir, "alice", &["status", "investigating", "-i", &id]);
    let bleeding = by(dir, "dave", &["bleeding", "-i", &id]);
    assert!(
        bleeding.contains("Impact: 1,200 checkouts failed"),
        "{bleeding}"
    );
    by(dir, "alice", &["status", "resolved", "--force", "-i", &id]);
    let bleeding = by(dir, "dave", &["bleeding", "-i", &id]);
    assert!(
        bleeding.contains("Impact was: 1,200 checkouts failed; none failing now until "),
        "{bleeding}"
    );
}

#[test]
fn a_task_carried_over_at_resolve_leaves_the_open_list() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = sev1(dir);
    by(
        dir,
        "alice",
        &["task", "add", "-i", &id, "find why the pool was exhausted"],
    );
    let before = screen(dir, &id);
    assert!(before.contains("NO OWNER"), "{before}");
    by(
        dir,
        "carol",
        &[
            "system",
            "set",
            "payments",
            "ok",
            "--evidence",
            "5xx at 0.1%",
            "-i",
            &id,
        ],
    );
    by(dir, "alice", &["status", "resolved", "--force", "-i", &id]);
    let listed = by(dir, "dave", &["task", "list", "-i", &id]);
    assert!(listed.contains("T1   → F1"), "{listed}");
    assert!(!listed.contains("NO OWNER"), "{listed}");
    let after = screen(dir, &id);
    assert!(!after.contains("NO OWNER"), "{after}");
    assert!(after.contains("follow-up F1"), "{after}");
}

#[test]
fn the_catch_up_lists_every_kind_of_change_since_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = sev1(dir);
    let other = by(
        dir,
        "alice",
        &["declare", "--title", "Payments 5xx", "--no-open"],
    );
    let other = other.trim().to_string();
    // Anything from now on is news (entries carry seconds; wait for the next).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let since = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    by(
        dir,
        "alice",
        &["freeze", "on", "-i", &id, "rolling back payments"],
    );
    by(
        dir,
        "bob",
        &["impact", "-i", &id, "EU card checkouts failing, ~9%"],
    );
    by(dir, "alice", &["merge", &other, "--into", &id]);
    let r = by(dir, "carol", &["announce", "-i", &id, "restart payments-1"]);
    by(
        dir,
        "alice",
        &[
            "answer",
            r.trim(),
            "hold",
            "-i",
            &id,
            "wait for the rollback",
        ],
    );
    by(dir, "alice", &["severity", "SEV2", "-i", &id]);
    by(
        dir,
        "alice",
        &[
            "log",
            "--kind",
            "decision",
            "-i",
            &id,
            "roll back before digging",
        ],
    );
    let out = by(dir, "erin", &["catchup", "-i", &id, "--since", &since]);
    for want in [
        "Deploy freeze\n  ",
        "deploys FROZEN",
        "Impact\n  ",
        "EU card checkouts failing, ~9%",
        "now: Impact: EU card checkouts failing, ~9%",
        "Holds\n  ",
        "wait for the rollback",
        "Merges and linked incidents\n  ",
        &format!("{other} was merged into this incident"),
        "SEV1 → SEV2",
        "roll back before digging",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    // From before the time asked: not news.
    assert!(!out.contains("all card checkouts failing, ~14%"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&by(
        dir,
        "erin",
        &["catchup", "-i", &id, "--since", &since, "--json"],
    ))
    .unwrap();
    for key in ["freeze", "impact", "holds", "merges"] {
        assert_eq!(json[key].as_array().map(Vec::len), Some(1), "{key}: {json}");
    }
}
