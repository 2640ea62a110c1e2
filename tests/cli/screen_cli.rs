//! `incident screen` on the built binary: one frame as plain text.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_incident");

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env_remove("INCIDENT_DIR")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

#[test]
fn escape_sequences_never_reach_the_output_and_columns_hold() {
    let tmp = tempfile::tempdir().unwrap();
    // A title is one plain line: escape sequences in it are refused.
    let o = run(
        tmp.path(),
        &["declare", "--title", "t\u{1b}]0;owned\u{7}itle"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("one plain line"));
    assert!(
        run(tmp.path(), &["declare", "--title", "Checkout errors"])
            .status
            .success()
    );
    let evil = "x\u{1b}[2J\u{1b}[31mred\u{1b}P+q\u{1b}\\ \u{9b}6n 世界 \u{202e}gnirts\tend";
    assert!(run(tmp.path(), &["log", evil]).status.success());
    let out = run(tmp.path(), &["screen", "--size", "100x30"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.bytes().any(|b| b == 0x1b || b == 0x07),
        "no ESC or BEL byte:\n{text}"
    );
    assert!(!text.contains('\u{9b}') && !text.contains('\u{202e}'));
    assert!(
        text.contains("␛[31mred"),
        "shown as visible placeholders:\n{text}"
    );
    let row = text.lines().find(|l| l.contains("red")).unwrap();
    assert_eq!(
        unicode_width::UnicodeWidthStr::width(row),
        100,
        "border stays in the last column: {row}"
    );
    assert_eq!(text.lines().count(), 30);
}

#[test]
fn size_and_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["screen"]);
    assert_eq!(out.status.code(), Some(2), "no incident to show");
    assert!(String::from_utf8_lossy(&out.stderr).contains("declare"));
    assert!(
        run(tmp.path(), &["declare", "--title", "Disk full"])
            .status
            .success()
    );
    let out = run(tmp.path(), &["screen"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 40, "default size is 120x40");
    assert!(text.lines().next().unwrap().contains("Disk full"));
    let out = run(tmp.path(), &["screen", "--size", "wide"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WIDTHxHEIGHT"));
}

#[test]
fn the_demo_draws_one_frame_that_says_demo_and_touches_no_real_incident() {
    let tmp = tempfile::tempdir().unwrap();
    for size in ["80x24", "120x35", "200x50"] {
        let out = crate::common::ok(tmp.path(), &["--demo", "screen", "--size", size]);
        let header = out.lines().next().unwrap();
        assert!(header.starts_with(" DEMO  INC-1 "), "{size}: {header}");
        assert!(out.contains("What is bleeding"), "{size}:\n{out}");
        assert!(out.contains("Break"), "{size}:\n{out}");
    }
    // The demo lives in a scratch directory, not in --dir.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    // A real incident's frame does not say DEMO.
    crate::common::declare(tmp.path(), "Checkout errors");
    let real = crate::common::ok(tmp.path(), &["screen", "--size", "80x24"]);
    assert!(!real.contains("DEMO"), "{real}");
}

#[test]
fn the_demo_refuses_other_commands_and_says_what_it_does() {
    let tmp = tempfile::tempdir().unwrap();
    let err = crate::common::fails(tmp.path(), &["--demo", "list"], 2);
    assert!(
        err.contains("--demo opens the sample incident") && err.contains("--demo screen"),
        "{err}"
    );
    let err = crate::common::fails(tmp.path(), &["--demo", "screen", "-i", "INC-3"], 2);
    assert!(err.contains("leave out -i"), "{err}");
}

/// The frame names the other active incidents as a live view does (worst
/// first, `:merge` offered toward the worse one only).
#[test]
fn the_frame_names_the_other_active_incidents_worst_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (title, sev) in [
        ("Checkout errors", "sev2"),
        ("Search slow", "sev3"),
        ("Payments down", "sev1"),
    ] {
        let o = run(dir, &["declare", "-t", title, "-s", sev, "--no-open"]);
        assert!(o.status.success(), "{o:?}");
    }
    let o = run(dir, &["screen", "-i", "INC-1", "--size", "160x40"]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{o:?}");
    let line = text
        .lines()
        .find(|l| l.contains("Others:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains(
            "INC-3 SEV1 investigating :merge INC-3 · INC-2 SEV3 investigating on it: :merge INC-1"
        ),
        "{line}"
    );
}
