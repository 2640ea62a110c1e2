//! `incident stats`: counts and medians across the incidents in the
//! directory, without duplicates and cancelled incidents.

use crate::common::*;
use std::path::Path;

/// An incident whose milestones are all set by hand, minutes after the
/// top of the hour three hours ago.
fn incident_with(dir: &Path, title: &str, sev: &str, minutes: [(&str, i64); 4]) -> String {
    let base = chrono::Utc::now() - chrono::Duration::hours(3);
    let base = base - chrono::Duration::seconds(base.timestamp() % 3600);
    let id = ok(
        dir,
        &[
            "--name",
            "alice",
            "declare",
            "--severity",
            sev,
            "--title",
            title,
        ],
    )
    .trim()
    .to_string();
    ok(dir, &["--name", "alice", "role", "claim", "ic", "-i", &id]);
    for (milestone, m) in minutes {
        let at = (base + chrono::Duration::minutes(m))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        ok(
            dir,
            &["--name", "alice", "milestone", "-i", &id, milestone, &at],
        );
    }
    id
}

#[test]
fn stats_count_by_severity_and_take_medians_leaving_out_duplicates_and_cancelled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let a = incident_with(
        dir,
        "Checkout errors",
        "SEV1",
        [
            ("impact_started", 0),
            ("detected", 4),
            ("acknowledged", 6),
            ("mitigated", 30),
        ],
    );
    incident_with(
        dir,
        "Search slow",
        "SEV2",
        [
            ("impact_started", 10),
            ("detected", 20),
            ("acknowledged", 21),
            ("mitigated", 50),
        ],
    );
    incident_with(
        dir,
        "Login errors",
        "SEV2",
        [
            ("impact_started", 0),
            ("detected", 6),
            ("acknowledged", 10),
            ("mitigated", 20),
        ],
    );
    // A duplicate and a false alarm, whose times would drag the medians.
    let dup = incident_with(
        dir,
        "Checkout errors again",
        "SEV1",
        [
            ("impact_started", 0),
            ("detected", 59),
            ("acknowledged", 59),
            ("mitigated", 59),
        ],
    );
    ok(dir, &["--name", "alice", "merge", &dup, "--into", &a]);
    let cancelled = incident_with(
        dir,
        "Disk alert on a test box",
        "SEV3",
        [
            ("impact_started", 0),
            ("detected", 59),
            ("acknowledged", 59),
            ("mitigated", 59),
        ],
    );
    ok(
        dir,
        &[
            "--name",
            "alice",
            "cancel",
            "-i",
            &cancelled,
            "test box, not production",
        ],
    );

    let out = ok(dir, &["stats"]);
    assert!(
        out.starts_with("3 incidents counted, 3 still open (left out: 1 duplicate, 1 cancelled)\n"),
        "{out}"
    );
    assert!(
        out.contains("By severity: SEV1 1 · SEV2 2 · SEV3 0 · SEV4 0"),
        "{out}"
    );
    // Detect: 4, 10, 6 → 6m. Acknowledge: 2, 1, 4 → 2m. Mitigate: 30,
    // 40, 20 → 30m.
    assert!(out.contains("to detect       6m (3 incidents)"), "{out}");
    assert!(out.contains("to acknowledge  2m (3 incidents)"), "{out}");
    assert!(out.contains("to mitigate     30m (3 incidents)"), "{out}");
    assert!(out.contains("to resolve      not known"), "{out}");

    let json: serde_json::Value = serde_json::from_str(&ok(dir, &["stats", "--json"])).unwrap();
    assert_eq!(json["counted"], 3);
    assert_eq!(json["left_out"]["duplicates"], 1);
    assert_eq!(json["left_out"]["cancelled"], 1);
    assert_eq!(json["to_detect"]["median_secs"], 360);
    assert_eq!(json["to_mitigate"]["median_secs"], 1800);
    assert_eq!(json["to_resolve"]["median_secs"], serde_json::Value::Null);
    assert_eq!(json["by_severity"][1]["severity"], "SEV2");
    assert_eq!(json["by_severity"][1]["incidents"], 2);
}

#[test]
fn stats_on_an_empty_directory_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(tmp.path(), &["stats"]);
    assert!(
        out.starts_with("0 incidents counted, 0 still open\n"),
        "{out}"
    );
    assert!(out.contains("to detect       not known"), "{out}");
}
