//! Follow-ups: the action items for after the incident.

use crate::common::*;

#[test]
fn followups_are_added_given_and_done_and_open_tasks_carry_over_at_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok(dir, &["--name", "alice", "role", "claim", "ic"]);
    let f1 = ok(
        dir,
        &[
            "--name",
            "carol",
            "followup",
            "add",
            "--type",
            "prevent",
            "--owner",
            "bob",
            "Alert",
            "on",
            "pool",
            "saturation",
        ],
    );
    assert_eq!(f1.trim(), "F1");
    ok(
        dir,
        &[
            "--name", "carol", "task", "add", "Find", "why", "the", "pool", "leaked",
        ],
    );
    // Only its owner (or the commander) moves bob's follow-up on.
    let e = fails(dir, &["--name", "carol", "followup", "done", "F1"], 1);
    assert!(e.contains("belongs to bob"), "{e}");
    ok(dir, &["--name", "alice", "followup", "give", "F1", "dave"]);
    ok(dir, &["--name", "dave", "followup", "done", "1"]);
    let e = fails(dir, &["--name", "dave", "followup", "done", "F1"], 1);
    assert!(e.contains("F1 is already done"), "{e}");
    let e = fails(dir, &["followup", "done", "F9"], 1);
    assert!(
        e.contains("no follow-up F9") && e.contains("`incident followup list`"),
        "{e}"
    );
    let e = fails(dir, &["followup", "add", "--type", "blame", "x"], 2);
    assert!(e.contains("prevent, mitigate, process, other"), "{e}");

    // Resolving carries the open task over, on the record.
    ok(dir, &["--name", "alice", "status", "resolved", "--force"]);
    let listed = ok(dir, &["followup", "list", "-i", &id]);
    assert!(
        listed.contains("F1   prevent  done  dave")
            && listed
                .contains("F2   other    open  NO OWNER     Find why the pool leaked (from T1)"),
        "{listed}"
    );
    assert!(
        texts(&show_json(dir, &id)).iter().any(|t| t
            == "T1 still open at resolve: carried over as follow-up F2: Find why the pool leaked"),
    );
    // Reopened and resolved again: not carried twice.
    ok(
        dir,
        &["--name", "alice", "status", "-i", &id, "investigating"],
    );
    ok(dir, &["--name", "alice", "status", "resolved", "--force"]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["followup", "list", "-i", &id, "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
}
