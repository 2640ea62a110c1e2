//! Corrections on the built binary: `incident correct N` / `retract N` by
//! the entry's author only, append-only; `show`, `tail`, the export and the
//! document's timeline use the corrected text and say so; the numbers to
//! type are printed by `tail` and `run`.

use crate::common::*;
use std::io::BufRead;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn as_user(dir: &Path, who: &str, args: &[&str]) -> std::process::Output {
    cmd(dir).args(["--name", who]).args(args).output().unwrap()
}

fn ok_as(dir: &Path, who: &str, args: &[&str]) -> String {
    let o = as_user(dir, who, args);
    assert!(o.status.success(), "{}", describe(args, &o));
    stdout(&o)
}

/// The lines `incident tail -n N` prints before it waits for more.
fn tail_lines(dir: &Path, n: usize) -> Vec<String> {
    let mut child = cmd(dir)
        .args(["tail", "-n", &n.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        while out.read_line(&mut line).is_ok_and(|n| n > 0) {
            if tx.send(std::mem::take(&mut line)).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut lines = Vec::new();
    while lines.len() < n {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => lines.push(l.trim_end().to_string()),
            Err(e) => panic!("tail printed {lines:?}, then {e}"),
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    lines
}

#[test]
fn the_author_corrects_and_retracts_and_every_surface_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok_as(
        dir,
        "carol",
        &["log", "checkout", "pods", "crash", "looping"],
    );
    ok_as(
        dir,
        "carol",
        &["log", "--kind", "decision", "roll back checkout"],
    );
    // The numbers to type are in tail: #2 and #3.
    let lines = tail_lines(dir, 2);
    assert!(
        lines[0].starts_with("#2 ") && lines[0].ends_with("checkout pods crash looping"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("#3 "), "{lines:?}");

    let out = ok_as(
        dir,
        "carol",
        &["correct", "2", "payments", "pods", "crash", "looping"],
    );
    assert_eq!(
        out.trim(),
        format!(
            "{id} #2 [corrected] payments pods crash looping — was: checkout pods crash looping"
        )
    );
    let out = ok_as(dir, "carol", &["retract", "#3", "wrong", "service"]);
    assert_eq!(
        out.trim(),
        format!("{id} #3 [retracted: wrong service] — was: roll back checkout")
    );

    // show and tail: the entries as amended, and the amendments logged.
    let shown = ok(dir, &["show"]);
    assert!(
        shown
            .contains("[corrected] payments pods crash looping — was: checkout pods crash looping"),
        "{shown}"
    );
    assert!(
        shown.contains("[retracted: wrong service] — was: roll back checkout"),
        "{shown}"
    );
    let lines = tail_lines(dir, 2);
    assert!(
        lines[0].ends_with("corrected #2: payments pods crash looping"),
        "{lines:?}"
    );
    assert!(
        lines[1].ends_with("retracted #3: wrong service"),
        "{lines:?}"
    );
    // JSON carries both texts and who amended it, when.
    let log = log_of(&show_json(dir, &id)).clone();
    assert_eq!(log[1]["text"], "checkout pods crash looping");
    assert_eq!(log[1]["corrected"]["text"], "payments pods crash looping");
    assert_eq!(log[1]["corrected"]["by"], "carol");
    assert_eq!(log[2]["retracted"]["text"], "wrong service");

    // On the timeline and in the post-mortem: the corrected text, and that
    // it was corrected, never the wrong form; a retracted entry leaves the
    // timeline. The post-mortem's appendix keeps the whole record.
    ok(dir, &["pin", "2"]);
    ok(dir, &["pin", "3"]);
    let doc = ok(dir, &["doc", "show"]);
    assert!(
        doc.contains("carol: payments pods crash looping (corrected)"),
        "{doc}"
    );
    assert!(!doc.contains("roll back checkout"), "{doc}");
    let md = ok(dir, &["export"]);
    let timeline = &md[md.find("## Timeline").unwrap()..md.find("## Milestones").unwrap()];
    assert!(
        timeline.contains("carol: payments pods crash looping (corrected)"),
        "{timeline}"
    );
    assert!(
        !timeline.contains("checkout pods") && !timeline.contains("roll back checkout"),
        "{timeline}"
    );
    assert!(
        md.contains("payments pods crash looping — corrected by carol at "),
        "{md}"
    );
    assert!(
        md.contains("roll back checkout — **retracted** by carol at ")
            && md.contains(": wrong service"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["export", "--format", "json"])).unwrap();
    let timeline = json["timeline"].as_array().expect("a timeline");
    let corrected = timeline
        .iter()
        .find(|e| e["text"] == "payments pods crash looping")
        .unwrap_or_else(|| panic!("{timeline:?}"));
    assert_eq!(corrected["amended"]["how"], "corrected");
    assert_eq!(corrected["amended"]["was"], "checkout pods crash looping");

    // Nothing was removed: every line ever written is still in the file.
    let file = std::fs::read_to_string(file_of(dir, &id)).unwrap();
    assert!(
        file.contains(r#""text":"checkout pods crash looping""#),
        "{file}"
    );
    assert!(file.contains(r#""text":"roll back checkout""#), "{file}");
}

#[test]
fn only_the_author_and_never_what_the_tool_wrote() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Checkout errors");
    ok_as(dir, "alice", &["role", "claim", "commander"]);
    ok_as(dir, "carol", &["log", "db looks fine"]);
    // Not even the commander retracts carol's word.
    let o = as_user(dir, "alice", &["retract", "3", "not", "true"]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&[], &o));
    let err = stderr(&o);
    assert!(
        err.contains("#3 was written by carol: only carol can correct or retract it")
            && err.contains("(`incident log TEXT`)"),
        "{err}"
    );
    assert!(!err.contains("`:"), "the command line's own form: {err}");
    // The role change (#2) is the tool's record, even for its author.
    let o = as_user(dir, "alice", &["correct", "2", "bob", "is", "commander"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("#2 (role_change) was written by the tool itself"),
        "{}",
        stderr(&o)
    );
    // Bad input is named.
    let err = fails(dir, &["correct", "x2", "text"], 2);
    assert!(err.contains("x2"), "{err}");
    let o = as_user(dir, "carol", &["correct", "99", "text"]);
    assert!(
        stderr(&o).contains("log entry #99 does not exist"),
        "{}",
        stderr(&o)
    );
    let o = as_user(dir, "carol", &["correct", "3"]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&[], &o));
    // The file holds only what was accepted.
    let shown = show_json(dir, "INC-1");
    assert!(log_of(&shown)[2].get("corrected").is_none(), "{shown}");
}

#[test]
fn run_prints_the_number_of_the_entry_it_wrote() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok(dir, &["log", "about to check the pool"]);
    let o = run(dir, &["run", "--", "true"]);
    assert!(o.status.success(), "{}", describe(&["run"], &o));
    let err = stderr(&o);
    let n = log_of(&show_json(dir, &id)).len();
    assert!(
        err.contains(&format!("{id} #{n}: ran: true")),
        "the ran: entry is the newest, #{n}: {err}"
    );
    // And that number is what --run takes.
    ok(dir, &["system", "set", "db", "ok", "--run", &n.to_string()]);
}
