//! Duplicates and false alarms on the built binary: `incident merge INC-3
//! --into INC-1` and `incident cancel REASON` close an incident with links
//! both ways, shown by `show` and `list`, and neither counts as resolved
//! in the post-mortem.

use crate::common::*;
use std::path::Path;

fn page(dir: &Path, group: &str) -> String {
    page_starting(dir, group, "2026-11-26T03:00:00Z")
}

/// Group `group` firing, its alert started at `starts` (a new start is a
/// new firing; the same one again is a redelivery).
fn page_starting(dir: &Path, group: &str, starts: &str) -> String {
    let payload = serde_json::json!({
        "version": "4", "groupKey": group, "status": "firing",
        "commonLabels": {"alertname": format!("Alert {group}"), "severity": "critical", "service": "payments"},
        "alerts": [{"status": "firing", "startsAt": starts, "labels": {"alertname": format!("Alert {group}")}}]
    });
    let o = run_with_stdin(
        dir,
        &["--name", "pager", "page"],
        payload.to_string().as_bytes(),
    );
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    paged_id(&o)
}

#[test]
fn merge_closes_the_duplicate_links_both_ways_and_its_alerts_go_to_the_other() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = page(dir, "a");
    let dup = page(dir, "b");
    assert_ne!(first, dup);

    let out = ok(dir, &["merge", &dup, "--into", &first]);
    assert_eq!(
        out.trim(),
        format!("{dup} closed as a duplicate of {first}")
    );

    let closed = show_json(dir, &dup);
    assert_eq!(closed["closed"]["kind"], "duplicate");
    assert_eq!(closed["closed"]["into"], first.as_str());
    assert_eq!(closed["status"], "investigating", "not resolved");
    let kept = show_json(dir, &first);
    assert_eq!(kept["related"][0]["relation"], "has_duplicate");
    assert_eq!(kept["related"][0]["incident"], dup.as_str());
    assert!(
        ok(dir, &["show", "-i", &dup])
            .lines()
            .next()
            .unwrap()
            .ends_with(&format!("duplicate of {first}")),
        "show says how it ended"
    );
    assert!(ok(dir, &["show", "-i", &first]).contains(&format!("has duplicate {dup}")));

    // No longer active: list leaves it out; --all says what it is.
    let active = ok(dir, &["list"]);
    assert!(
        active.contains(&first) && !active.contains(&dup),
        "{active}"
    );
    let all = ok(dir, &["list", "--all"]);
    let row = all.lines().find(|l| l.starts_with(&dup)).unwrap();
    assert!(row.contains(&format!("dup of {first}")), "{row}");
    let json = ok(dir, &["list", "--all", "--json"]);
    assert!(json.contains("\"closed\""), "{json}");

    // The duplicate's alert firing again joins the incident it was merged into.
    assert_eq!(page_starting(dir, "b", "2026-11-26T04:00:00Z"), first);

    // Not counted as resolved in the post-mortem.
    let pm: serde_json::Value =
        serde_json::from_str(&ok(dir, &["export", "-i", &dup, "--format", "json"])).unwrap();
    assert!(pm["resolved_at"].is_null(), "{pm}");
    assert_eq!(pm["closed"]["as"], "duplicate");
    let md = ok(dir, &["export", "-i", &dup]);
    assert!(
        md.contains(&format!("**Closed as a duplicate of {first}**")),
        "{md}"
    );
    assert!(
        !md.contains("RESOLVED") && !md.contains("resolved 20"),
        "{md}"
    );
}

#[test]
fn only_the_commander_merges_or_cancels_and_bad_targets_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let one = declare(dir, "Checkout errors");
    let two = declare(dir, "Checkout 500s");
    ok(dir, &["--name", "alice", "role", "claim", "-i", &two, "ic"]);
    let e = fails(dir, &["--name", "bob", "merge", &two, "--into", &one], 1);
    assert!(e.contains("only the commander (alice)"), "{e}");
    let e = fails(dir, &["--name", "bob", "cancel", "-i", &two, "oops"], 1);
    assert!(e.contains("only the commander (alice)"), "{e}");
    assert!(show_json(dir, &two)["closed"].is_null(), "nothing written");
    assert_eq!(
        show_json(dir, &one)["related"].as_array().map(Vec::len),
        Some(0),
        "no link left behind by a refused merge"
    );

    let e = fails(dir, &["merge", &two, "--into", "checkout"], 2);
    assert!(e.contains("checkout"), "{e}");
    let e = fails(dir, &["merge", &two, "--into", "INC-99"], 2);
    assert!(e.contains("INC-99"), "{e}");
    let e = fails(dir, &["--name", "alice", "merge", &two, "--into", &two], 2);
    assert!(e.contains("itself"), "{e}");

    // Into an incident that is itself closed: refused, naming where to go.
    ok(
        dir,
        &["--name", "alice", "cancel", "-i", &one, "false", "alarm"],
    );
    let three = declare(dir, "Checkout again");
    let e = fails(dir, &["merge", &three, "--into", &one], 1);
    assert!(
        e.contains(&format!("{one} is closed as a false alarm, not active")),
        "{e}"
    );
}

#[test]
fn cancel_closes_a_false_alarm_that_is_never_counted_as_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Disk full on db-1");
    ok(dir, &["status", "-i", &id, "mitigated"]);
    let out = ok(
        dir,
        &[
            "cancel", "-i", &id, "the", "disk", "check", "misread", "tmpfs",
        ],
    );
    assert_eq!(out.trim(), format!("{id} closed as a false alarm"));
    let shown = show_json(dir, &id);
    assert_eq!(shown["closed"]["kind"], "false_alarm");
    assert_eq!(shown["closed"]["reason"], "the disk check misread tmpfs");
    assert!(
        texts(&shown)
            .iter()
            .any(|t| t == "closed as a false alarm: the disk check misread tmpfs")
    );
    assert!(ok(dir, &["list"]).contains("No active incidents"));
    // `incident active` (login banners) no longer names it.
    fails(dir, &["active"], 1);

    // Closed: the response does not go on here.
    let e = fails(dir, &["status", "-i", &id, "resolved"], 1);
    assert!(e.contains("closed as a false alarm"), "{e}");
    // Notes are still taken.
    ok(dir, &["log", "-i", &id, "tmpfs excluded from the check"]);

    let md = ok(dir, &["export", "-i", &id]);
    assert!(md.contains("**Closed as a false alarm**"), "{md}");
    assert!(md.contains("Not resolved"), "{md}");
    assert!(!md.contains("resolved 20"), "{md}");

    // Bad usage: no reason.
    fails(dir, &["cancel", "-i", &id], 2);
    // Twice: refused, saying how it was closed.
    let e = fails(dir, &["cancel", "-i", &id, "again"], 1);
    assert!(e.contains("closed as a false alarm"), "{e}");
}
