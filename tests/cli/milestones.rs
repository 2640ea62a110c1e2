//! Milestones: recorded from the page and the status changes, set by hand
//! when the truth is known later, and the durations between them.

use crate::common::*;
use std::path::Path;

fn page(dir: &Path, fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager")
        .join(fixture);
    verdict_id(&ok(
        dir,
        &["--name", "pager", "page", path.to_str().unwrap()],
    ))
}

#[test]
fn the_page_records_detection_and_impact_started_is_set_later() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = page(dir, "pagerduty-v3-triggered.json");
    let again = page(dir, "pagerduty-v3-acknowledged.json");
    assert_eq!(again, id, "the ack joins the incident");
    let out = ok(dir, &["milestone"]);
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {out}"))
            .to_string()
    };
    assert!(line("detected").contains("(recorded)"), "{out}");
    assert!(line("acknowledged").contains("(recorded)"), "{out}");
    assert!(line("declared").contains("(recorded)"), "{out}");
    assert_eq!(line("impact_started").trim_end(), "impact_started  -");
    assert!(line("mitigated").ends_with('-'), "{out}");

    // The truth, found in the load balancer's log an hour later: impact
    // began 7 minutes before the page.
    let shown = show_json(dir, &id);
    let detected: chrono::DateTime<chrono::Utc> =
        shown["detection"]["at"].as_str().unwrap().parse().unwrap();
    let started = (detected - chrono::Duration::minutes(7)).format("%Y-%m-%dT%H:%M:%SZ");
    ok(
        dir,
        &[
            "--name",
            "alice",
            "milestone",
            "impact_started",
            &started.to_string(),
            "--note",
            "first 5xx in the LB log",
        ],
    );
    let out = ok(dir, &["milestone"]);
    assert!(
        out.contains("set by alice: first 5xx in the LB log") && out.contains("time to detect 7m"),
        "{out}"
    );
    let entry = log_of(&show_json(dir, &id)).last().unwrap().clone();
    assert_eq!(entry["kind"], "milestone");
    assert_eq!(entry["milestone"], true, "on the timeline");
}

#[test]
fn bad_milestones_are_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok(dir, &["--name", "alice", "role", "claim", "ic"]);
    let before = std::fs::read(file_of(dir, &id)).unwrap();
    let e = fails(dir, &["milestone", "impact_started", "half past five"], 2);
    assert!(e.contains("not a time") && e.contains("05:38"), "{e}");
    let e = fails(dir, &["milestone", "lunch", "05:38"], 2);
    assert!(e.contains("impact_started"), "{e}");
    let e = fails(
        dir,
        &[
            "--name",
            "alice",
            "milestone",
            "impact_started",
            "2099-01-01T00:00Z",
        ],
        1,
    );
    assert!(e.contains("in the future"), "{e}");
    let e = fails(
        dir,
        &[
            "--name",
            "alice",
            "milestone",
            "impact_started",
            "2020-01-01T00:00Z",
        ],
        1,
    );
    assert!(e.contains("more than a week before"), "{e}");
    assert_eq!(std::fs::read(file_of(dir, &id)).unwrap(), before);
    // Once communications is staffed, someone neither commanding nor
    // communicating may not.
    ok(dir, &["--name", "carol", "role", "claim", "comms"]);
    let before = std::fs::read(file_of(dir, &id)).unwrap();
    let e = fails(dir, &["--name", "zed", "milestone", "detected", "00:00"], 1);
    assert!(e.contains("set milestones"), "{e}");
    assert_eq!(std::fs::read(file_of(dir, &id)).unwrap(), before);
}

#[test]
fn the_export_tells_detection_from_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = page(dir, "pagerduty-v3-triggered.json");
    page(dir, "pagerduty-v3-acknowledged.json");
    let md = ok(dir, &["export", "-i", &id]);
    let start = md.find("## Detection").expect("a Detection section");
    let section = &md[start..start + md[start..].find("\n## Action items").unwrap()];
    assert!(section.contains("- **Source:** PagerDuty"), "{section}");
    assert!(
        section.contains("- **Alert:** Checkout API 5xx rate above 5% for 5 minutes"),
        "{section}"
    );
    assert!(section.contains("- **Service:** checkout-api"), "{section}");
    assert!(section.contains("- **Fired:** "), "{section}");
    assert!(section.contains("by Dana Oncall"), "{section}");
    assert!(!section.contains("To be written"), "{section}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["export", "-i", &id, "--format", "json"])).unwrap();
    assert_eq!(json["detection"]["acknowledged_by"], "Dana Oncall");
    assert_eq!(json["detection"]["service"], "checkout-api");
}
