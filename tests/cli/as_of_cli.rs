//! `incident show --at TIME` and `incident screen --at TIME` on the built
//! binary: the incident as it stood then, for scripts and the post-mortem.

use crate::common::{fails, ok};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// INC-1 at fixed times on 2025-03-14: declared 03:00, payments failing
/// 03:05, notes at 03:10 and 03:20, mitigated 03:30 (and the break it
/// calls), a note at 03:40.
fn write_incident(dir: &Path) {
    let lines = [
        r#"{"schema":1,"id":"INC-1","created_at":"2025-03-14T03:00:00Z","created_by":{"user":"alice"}}"#,
        r#"{"at":"2025-03-14T03:00:00Z","by":{"user":"alice"},"op":"declare","title":"Checkout errors","severity":"SEV2"}"#,
        r#"{"at":"2025-03-14T03:01:00Z","by":{"user":"bob"},"op":"claim_role","role":"commander"}"#,
        r#"{"at":"2025-03-14T03:05:00Z","by":{"user":"carol"},"op":"set_system","name":"payments","status":"failing"}"#,
        r#"{"at":"2025-03-14T03:10:00Z","by":{"user":"carol"},"op":"log","kind":"note","text":"payments p99 at 4s"}"#,
        r#"{"at":"2025-03-14T03:20:00Z","by":{"user":"carol"},"op":"log","kind":"note","text":"rolling back payments to v41"}"#,
        r#"{"at":"2025-03-14T03:30:00Z","by":{"user":"bob"},"op":"set_status","status":"mitigated","force":true}"#,
        r#"{"at":"2025-03-14T03:40:00Z","by":{"user":"carol"},"op":"log","kind":"note","text":"error rate back to baseline"}"#,
    ];
    std::fs::create_dir_all(dir).unwrap();
    let mut f = std::fs::File::create(dir.join("INC-1.jsonl")).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
}

#[test]
fn show_at_a_time_prints_the_incident_as_it_stood_then() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let out = ok(tmp.path(), &["show", "-i", "1", "--at", "03:15"]);
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        "AS OF 2025-03-14 03:15:00 UTC · #4 of 8 · read-only (without --at: as it stands now)"
    );
    assert!(out.contains("· investigating"), "{out}");
    assert!(out.contains("Action log (4 entries)"), "{out}");
    assert!(out.contains("payments p99 at 4s"), "{out}");
    assert!(!out.contains("rolling back"), "{out}");
    // How long ago it was declared, told from then.
    assert!(
        out.contains("declared 2025-03-14 03:00 UTC by alice (15m ago)"),
        "{out}"
    );

    // The same moment by entry, and the plain show is still now.
    let by_entry = ok(tmp.path(), &["show", "-i", "1", "--at", "#4"]);
    assert!(
        by_entry.starts_with("AS OF 2025-03-14 03:10:00 UTC · #4 of 8"),
        "{by_entry}"
    );
    let now = ok(tmp.path(), &["show", "-i", "1"]);
    assert!(!now.contains("AS OF") && now.contains("error rate back to baseline"));
}

#[test]
fn show_at_json_is_the_incident_then_with_when() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let out = ok(
        tmp.path(),
        &["show", "-i", "1", "--json", "--at", "2025-03-14T03:30:00Z"],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["as_of"]["at"], "2025-03-14T03:30:00Z");
    assert_eq!(v["as_of"]["entry"], 7, "the status change wrote #6 and #7");
    assert_eq!(v["as_of"]["entries"], 8);
    assert_eq!(v["status"], "mitigated");
    assert_eq!(v["log"].as_array().unwrap().len(), 7);
    assert_eq!(v["systems"]["payments"]["status"], "failing");
    let earlier = ok(tmp.path(), &["show", "-i", "1", "--json", "--at", "#3"]);
    let v: Value = serde_json::from_str(&earlier).unwrap();
    assert_eq!(v["status"], "investigating");
    assert_eq!(v["log"].as_array().unwrap().len(), 3);
}

#[test]
fn a_bad_or_early_time_says_what_to_type_and_when_it_was_declared() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let e = fails(tmp.path(), &["show", "-i", "1", "--at", "yesterday"], 2);
    assert!(
        e.contains("--at: 'yesterday' is not an entry or a time")
            && e.contains("#123 (an entry), 03:40")
            && e.contains("-30m"),
        "{e}"
    );
    let e = fails(
        tmp.path(),
        &["show", "-i", "1", "--at", "2025-03-14T02:00:00Z"],
        2,
    );
    assert!(
        e.contains("before the incident was declared (2025-03-14 03:00:00 UTC)"),
        "{e}"
    );
    let e = fails(tmp.path(), &["screen", "-i", "1", "--at", "#40"], 2);
    assert!(e.contains("There is no entry #40: the log has 8"), "{e}");
}

#[test]
fn screen_at_draws_the_live_view_as_it_stood_then() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let out = ok(
        tmp.path(),
        &["screen", "-i", "1", "--at", "03:20", "--size", "80x24"],
    );
    assert_eq!(out.lines().count(), 24, "{out}");
    assert!(
        out.contains("AS OF 2025-03-14 03:20 · #5 of 8 · read-only — Esc returns to now"),
        "{out}"
    );
    assert!(
        out.contains("investigating") && out.contains("payments FAILING"),
        "{out}"
    );
    assert!(out.contains("rolling back payments to v41"), "{out}");
    assert!(!out.contains("error rate back to baseline"), "{out}");
    let now = ok(tmp.path(), &["screen", "-i", "1", "--size", "80x24"]);
    assert!(
        !now.contains("AS OF") && now.contains("error rate back to baseline"),
        "{now}"
    );
}
