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
