//! `incident catchup` on the built binary: what changed since you left
//! (your last write, or your last view open), since a time you give, or
//! the handover brief when you were never in; as text and as JSON.

use crate::common::*;
use chrono::{DateTime, Duration, Utc};
use std::path::Path;

fn at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn record(t: DateTime<Utc>, who: &str, op: &str) -> String {
    format!(r#"{{"at":"{}","by":{{"user":"{who}"}},{op}}}"#, at(t))
}

/// INC-1, declared by alice 90 minutes ago. bob wrote a note 47 minutes
/// ago and left; since then: alice took command, payments failed,
/// a decision, an update, and carol asked for go.
fn night(dir: &Path, now: DateTime<Utc>) -> DateTime<Utc> {
    let m = |min: i64| now - Duration::minutes(min);
    let left = m(47);
    let header = format!(
        r#"{{"schema":1,"id":"INC-1","created_at":"{}","created_by":{{"user":"alice"}}}}"#,
        at(m(90))
    );
    write_lines(
        &file_of(dir, "INC-1"),
        &[
            header,
            record(
                m(90),
                "alice",
                r#""op":"declare","title":"Checkout errors","severity":"SEV2""#,
            ),
            record(
                m(60),
                "bob",
                r#""op":"log","kind":"decision","text":"an old decision""#,
            ),
            record(
                left,
                "bob",
                r#""op":"log","kind":"note","text":"off to sleep""#,
            ),
            record(m(40), "alice", r#""op":"claim_role","role":"commander""#),
            record(
                m(30),
                "carol",
                r#""op":"set_system","name":"payments","status":"failing","evidence":{"text":"curl /health 503"}"#,
            ),
            record(
                m(20),
                "alice",
                r#""op":"log","kind":"decision","text":"fail over to eu-west""#,
            ),
            record(
                m(15),
                "dave",
                r#""op":"post_update","text":"We are failing over","external":true"#,
            ),
            record(m(5), "carol", r#""op":"announce","text":"drain eu-east""#),
        ],
    );
    left
}

#[test]
fn catchup_says_what_changed_since_your_last_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let now = Utc::now();
    let left = night(dir, now);
    let out = ok(dir, &["--name", "bob", "catchup", "-i", "1"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("INC-1 \"Checkout errors\" (times UTC)"));
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "Since you left at {} (47m ago) · 5 entries",
                left.format("%H:%M")
            )
            .as_str()
        ),
        "{out}"
    );
    for want in [
        "Roles\n  ",
        "alice claimed commander",
        "Systems that changed\n  payments failing (carol ",
        "checked: curl /health 503",
        "Decisions\n  ",
        "alice  fail over to eu-west",
        "Updates sent\n  ",
        "dave  external: We are failing over",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    // From before bob left: not news. carol's request is alice's to answer.
    assert!(!out.contains("an old decision"), "{out}");
    assert!(!out.contains("Waiting for you"), "{out}");
    // The commander hears of the request waiting for her.
    let out = ok(dir, &["--name", "alice", "catchup"]);
    assert!(
        out.contains("Waiting for you\n  R1 carol: drain eu-east — waiting for your go since"),
        "{out}"
    );
}

#[test]
fn a_view_open_later_than_the_last_write_counts_as_being_in() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let now = Utc::now();
    night(dir, now);
    // bob's view was open until 10 minutes ago: only the request is news.
    let seen = now - Duration::minutes(10);
    // (Its sign of life, in the incident's presence folder.)
    std::fs::create_dir_all(dir.join(".here/INC-1")).unwrap();
    std::fs::write(
        dir.join(".here/INC-1/bob.seen"),
        format!(r#"{{"who":"bob","at":"{}"}}"#, at(seen)),
    )
    .unwrap();
    let out = ok(dir, &["--name", "bob", "catchup"]);
    assert!(
        out.contains(&format!(
            "Since you left at {} (10m ago) · 1 entry",
            seen.format("%H:%M")
        )),
        "{out}"
    );
    assert!(out.contains("Nothing changed"), "{out}");
}

#[test]
fn since_a_time_given_and_as_json_with_its_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let now = Utc::now();
    night(dir, now);
    let since = at(now - Duration::minutes(25));
    let out = ok(
        dir,
        &["--name", "bob", "catchup", "--since", &since, "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["kind"], "catchup");
    assert_eq!(v["left"], false);
    assert_eq!(v["since"], since);
    assert_eq!(v["id"], "INC-1");
    assert_eq!(v["decisions"][0]["text"], "fail over to eu-west");
    assert_eq!(v["updates"][0]["by"], "dave");
    assert_eq!(
        v["systems"].as_array().map(Vec::len),
        Some(0),
        "set 30m ago"
    );
    let text = ok(dir, &["--name", "bob", "catchup", "--since", &since]);
    assert!(text.lines().nth(1).unwrap().starts_with("Since "), "{text}");
}

#[test]
fn someone_never_in_gets_the_handover_brief_and_says_so_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    night(dir, Utc::now());
    let out = ok(dir, &["--name", "erin", "catchup"]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("You have not been in INC-1 before: here is its handover brief (times UTC)")
    );
    assert_eq!(
        lines.next(),
        Some("Handover brief — INC-1 · SEV2 · investigating · 1h30m in")
    );
    for want in [
        "Who holds which role\n  Commander      alice (since ",
        "  Comms          - (empty)",
        "What is bleeding\n  payments failing",
        "Suspected source (graph's guess): payments (failing)",
        "What is waiting\n  R1 carol: drain eu-east — waiting for alice's go since",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let v: serde_json::Value =
        serde_json::from_str(&ok(dir, &["--name", "erin", "catchup", "--json"])).unwrap();
    assert_eq!(v["kind"], "brief");
    assert_eq!(v["roles"][0]["user"], "alice");
}

#[test]
fn a_time_that_is_not_one_or_is_still_to_come_is_refused_saying_what_to_give() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    night(dir, Utc::now());
    let err = fails(dir, &["catchup", "--since", "half past three"], 2);
    assert!(
        err.contains("--since") && err.contains("05:38") && err.contains("2026-12-01T05:38Z"),
        "{err}"
    );
    let err = fails(dir, &["catchup", "--since", "2999-01-01T00:00Z"], 2);
    assert!(err.contains("in the future"), "{err}");
}
