//! The incident document, comms updates and the export, end to end.

use crate::common::*;
use std::io::Write;
use std::process::Stdio;

fn as_<'a>(who: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    [&["--name", who][..], args].concat()
}

fn doc(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&ok(dir, &["doc", "show", "--json"])).unwrap()
}

#[test]
fn sections_are_written_and_a_crossing_save_is_refused_with_both_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Checkout errors");
    ok(dir, &as_("bob", &["role", "claim", "comms"]));
    ok(
        dir,
        &as_(
            "bob",
            &["doc", "set", "summary", "Checkout", "returns", "5xx"],
        ),
    );
    let d = doc(dir);
    assert_eq!(d["sections"]["summary"]["text"], "Checkout returns 5xx");
    assert_eq!(d["sections"]["summary"]["version"], 1);

    // Someone who started from version 0 is refused, and told what is there.
    let err = fails(
        dir,
        &as_(
            "bob",
            &["doc", "set", "summary", "--base", "0", "Payments", "down"],
        ),
        1,
    );
    assert!(
        err.contains("changed while you were editing") && err.contains("version 1"),
        "{err}"
    );
    assert_eq!(
        doc(dir)["sections"]["summary"]["text"],
        "Checkout returns 5xx",
        "nothing overwritten"
    );

    // Others append rather than rewrite.
    let err = fails(dir, &as_("carol", &["doc", "set", "impact", "x"]), 1);
    assert!(err.contains("only communications (bob)"), "{err}");
    ok(
        dir,
        &as_("carol", &["doc", "append", "impact", "EU", "cards"]),
    );
    let mut child = cmd(dir)
        .args(as_("carol", &["doc", "append", "next_steps", "-"]))
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"- roll back\n- page the DBA\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let d = doc(dir);
    assert_eq!(d["sections"]["impact"]["text"], "EU cards");
    assert_eq!(
        d["sections"]["next_steps"]["text"],
        "- roll back\n- page the DBA"
    );
    let text = ok(dir, &["doc", "show"]);
    assert!(
        text.contains("## Summary (v1)") && text.contains("Checkout returns 5xx"),
        "{text}"
    );
    assert!(
        text.contains("## Executive summary (v0)") && text.contains("For leadership"),
        "prompts show in empty sections: {text}"
    );
    assert!(fails(dir, &["doc", "set", "summery", "x"], 2).contains("summary, status"));
}

#[test]
fn timeline_snippets_and_updates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Search latency");
    ok(dir, &["log", "p99 went from 200ms to 4s at 13:55"]);
    ok(dir, &["pin", "#2"]);
    let o = run(
        dir,
        &["run", "--", "sh", "-c", "echo cluster health: yellow"],
    );
    assert!(o.status.success());
    let seq = log_of(&show_json(dir, &id)).last().unwrap()["seq"]
        .as_u64()
        .unwrap()
        .to_string();
    ok(dir, &["snippet", "add", "cluster health", "--entry", &seq]);
    let file = dir.join("gc.log");
    std::fs::write(&file, "[GC pause 4.2s]\n[GC pause 3.9s]\n").unwrap();
    ok(dir, &["snippet", "add", "GC log", file.to_str().unwrap()]);
    let d = doc(dir);
    assert_eq!(d["pinned"], serde_json::json!([2]));
    assert!(
        d["appendix"][0]["text"]
            .as_str()
            .unwrap()
            .contains("cluster health: yellow")
    );
    assert_eq!(
        d["appendix"][1]["text"],
        "[GC pause 4.2s]\n[GC pause 3.9s]\n"
    );
    let text = ok(dir, &["doc", "show"]);
    assert!(
        text.contains("p99 went from 200ms to 4s"),
        "pinned entry on the timeline: {text}"
    );

    let next = ok(
        dir,
        &[
            "update",
            "--every",
            "15",
            "Investigating",
            "search",
            "latency",
        ],
    );
    assert!(next.starts_with("next update due "), "{next}");
    let d = doc(dir);
    assert_eq!(d["update_every"], 15);
    assert_eq!(d["updates"][0]["text"], "Investigating search latency");
    assert_eq!(d["updates"][0]["external"], false);
    ok(
        dir,
        &["update", "--external", "Search is slow; we are on it"],
    );
    assert_eq!(doc(dir)["updates"][1]["external"], true);
    assert!(fails(dir, &["update"], 2).contains("say the update"));
}

#[test]
fn declare_uses_a_team_template_or_says_which_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("templates/database.toml"), "[next_steps]\ntext = \"- [ ] check replication lag\"\n[summary]\nprompt = \"Which cluster, which queries?\"\n").unwrap();
    let id = ok(
        dir,
        &["declare", "--title", "DB slow", "--template", "database"],
    )
    .trim()
    .to_string();
    let d = doc(dir);
    assert_eq!(d["template"], "database");
    assert_eq!(
        d["sections"]["next_steps"]["text"],
        "- [ ] check replication lag"
    );
    assert_eq!(d["prompts"]["summary"], "Which cluster, which queries?");
    assert_eq!(
        log_of(&show_json(dir, &id)).len(),
        1,
        "the template adds no log noise"
    );

    let err = fails(
        dir,
        &[
            "declare",
            "--title",
            "Other",
            "--template",
            "network",
            "--force",
        ],
        2,
    );
    assert!(
        err.contains("no such template") && err.contains("available: database"),
        "{err}"
    );
    std::fs::write(dir.join("templates/bad.toml"), "[summery]\ntext = \"x\"\n").unwrap();
    let err = fails(
        dir,
        &[
            "declare",
            "--title",
            "Third",
            "--template",
            "bad",
            "--force",
        ],
        2,
    );
    assert!(err.contains("bad.toml") && err.contains("summery"), "{err}");
    assert_eq!(
        ok(dir, &["list", "--all", "--json"])
            .matches("\"id\"")
            .count(),
        1,
        "nothing declared by the failures"
    );
}

#[test]
fn export_writes_a_post_mortem_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Checkout errors");
    ok(
        dir,
        &[
            "doc", "set", "summary", "Checkout", "failed", "for", "EU", "cards",
        ],
    );
    ok(dir, &["status", "mitigated"]);
    let md = ok(dir, &["export"]);
    assert!(md.starts_with("# Checkout errors"), "{md}");
    assert!(
        md.contains("## Timeline") && md.contains("Checkout failed for EU cards"),
        "{md}"
    );
    let out = dir.join("pm.md");
    ok(dir, &["export", "-o", out.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().trim_end(),
        md.trim_end()
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["export", "--format", "json"])).unwrap();
    assert_eq!(json["title"], "Checkout errors");
    assert!(fails(dir, &["export", "--format", "pdf"], 2).contains("markdown"));
}
