//! Every create prints its id on standard output, for scripts to use.

use crate::common::*;

#[test]
fn every_create_prints_its_id() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    assert!(id.starts_with("INC-"), "{id}");
    let said = |args: &[&str]| ok(dir, args).trim().to_string();
    assert_eq!(said(&["assume", "the cache is warm"]), "A1");
    assert_eq!(said(&["assume", "dns is fine"]), "A2");
    assert_eq!(said(&["mitigation", "add", "Roll back payments"]), "M1");
    assert_eq!(said(&["task", "add", "Find the root cause"]), "T1");
    assert_eq!(said(&["followup", "add", "Alert on pool saturation"]), "F1");
    assert_eq!(said(&["announce", "restart db-2"]), "R1");
    let file = dir.join("gc.log");
    std::fs::write(&file, "[GC pause 4.2s]\n").unwrap();
    assert_eq!(
        said(&["snippet", "add", "GC log", file.to_str().unwrap()]),
        "S1"
    );
    assert_eq!(
        said(&["snippet", "add", "GC again", file.to_str().unwrap()]),
        "S2"
    );
    // A write that creates nothing says nothing on standard output.
    assert_eq!(said(&["impact", "EU card payments"]), "");
}

#[test]
fn the_command_line_takes_the_bars_evidence_words() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    // `system set` takes the evidence as its last words, as `:sys` does.
    ok(
        dir,
        &["system", "set", "payments", "failing", "pool", "exhausted"],
    );
    let shown = show_json(dir, &id);
    let text = shown.to_string();
    assert!(text.contains("pool exhausted"), "{text}");
    // Both at once is a mistake, not a silent choice.
    fails(
        dir,
        &["system", "set", "payments", "ok", "fine", "--evidence", "x"],
        2,
    );
}

#[test]
fn the_shell_completes_what_the_bar_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Checkout errors");
    ok(dir, &["mitigation", "add", "Roll back payments"]);
    ok(dir, &["assume", "the cache is warm"]);
    let tab = |words: &[&str]| {
        let o = std::process::Command::new(BIN)
            .arg("--")
            .arg("incident")
            .args(words)
            .env("COMPLETE", "fish")
            .env("INCIDENT_DIR", dir)
            .output()
            .unwrap();
        stdout(&o)
    };
    // The same marks on the definitions as Tab in the bar reads.
    // (An empty word lists the options after the values.)
    let start = tab(&["mitigation", "start", ""]);
    assert_eq!(start.lines().next(), Some("M1"), "{start}");
    assert!(!start.lines().any(|l| l == "A1"), "{start}");
    assert_eq!(tab(&["verify", "A"]), "A1\n");
}
