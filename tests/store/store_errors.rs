//! Files the tool must not write to, and the messages that say why; the
//! permissions of what it creates.

use crate::common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Run `incident log` on a file that must not be written to: it fails with
/// status 1, the file is byte-for-byte unchanged, and the message (returned)
/// names the file.
fn log_is_refused(dir: &Path, id: &str, path: &Path) -> String {
    let before = std::fs::read(path).unwrap();
    let err = fails(dir, &["log", "-i", id, "this must not land"], 1);
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "the file was changed by a refused write"
    );
    assert!(
        err.contains(&path.display().to_string()),
        "message does not name {}: {err}",
        path.display()
    );
    err
}

#[test]
fn a_corrupt_line_in_the_middle_is_named_and_never_written_over() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    // Column 30 is the second comma.
    let corrupt = r#"{"at":"2026-11-26T14:02:00Z",,"by":{"user":"bob"}}"#;
    assert_eq!(&corrupt[29..30], ",");
    write_lines(
        &path,
        &[
            header_line("INC-1", 1),
            declare_line("Checkout errors"),
            note_line(1, "before"),
            corrupt.to_string(),
            note_line(3, "after"),
        ],
    );

    let err = log_is_refused(dir, "INC-1", &path);
    assert!(err.contains("line 4"), "no line number: {err}");
    assert!(err.contains("column 30"), "no column: {err}");
    let err = fails(dir, &["status", "-i", "INC-1", "mitigated"], 1);
    assert!(err.contains("line 4, column 30"), "{err}");
    assert!(
        !err.contains("line 1 column"),
        "no contradicting position from the parser: {err}"
    );

    // A listing still works and says which file is broken.
    let o = run(dir, &["list", "--all", "--json"]);
    assert!(o.status.success(), "{}", describe(&["list"], &o));
    assert!(
        stderr(&o).contains(&path.display().to_string()) && stderr(&o).contains("line 4"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_unknown_operation_is_named_and_never_written_over() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    write_lines(
        &path,
        &[
            header_line("INC-1", 1),
            declare_line("Checkout errors"),
            r#"{"at":"2026-11-26T14:01:00Z","by":{"user":"bob"},"op":"frobnicate","target":"db"}"#
                .to_string(),
            note_line(2, "after"),
        ],
    );
    let err = log_is_refused(dir, "INC-1", &path);
    assert!(err.contains("line 3"), "no line number: {err}");
    assert!(err.contains("unknown operation"), "{err}");
    assert!(err.contains("frobnicate"), "does not say which: {err}");
}

#[test]
fn a_newer_schema_is_shown_read_only_and_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    write_lines(
        &path,
        &[
            header_line("INC-1", 99),
            declare_line("From the future"),
            // An operation only the newer version knows.
            r#"{"at":"2026-11-26T14:01:00Z","by":{"user":"bob"},"op":"frobnicate","target":"db"}"#
                .to_string(),
            // A known operation with a value only the newer version knows.
            r#"{"at":"2026-11-26T14:01:30Z","by":{"user":"bob"},"op":"log","kind":"retro","text":"x"}"#
                .to_string(),
            note_line(2, "still readable"),
        ],
    );

    let o = run(dir, &["show", "--json", "-i", "INC-1"]);
    assert!(o.status.success(), "{}", describe(&["show"], &o));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(shown["title"], "From the future");
    assert_eq!(texts(&shown)[1..], ["still readable"]);
    let note = stderr(&o);
    assert!(note.contains("99") && note.contains("upgrade"), "{note}");
    assert!(
        note.contains("2 lines written by a newer version"),
        "{note}"
    );

    let err = log_is_refused(dir, "INC-1", &path);
    assert!(err.contains("99"), "does not say which version: {err}");
    assert!(err.to_lowercase().contains("upgrade"), "{err}");
    let before = std::fs::read(&path).unwrap();
    fails(dir, &["status", "-i", "INC-1", "resolved"], 1);
    fails(dir, &["role", "set", "-i", "INC-1", "ic", "carol"], 1);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_symlinked_incident_file_is_never_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    let dir = tmp.path().join("incidents");
    std::fs::create_dir(&dir).unwrap();
    let real = file_of(&elsewhere, &declare(&elsewhere, "Somebody else's"));
    let link = file_of(&dir, "INC-1");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let before = std::fs::read(&real).unwrap();

    let err = fails(&dir, &["show", "-i", "INC-1"], 1);
    assert!(err.contains("symbolic link"), "{err}");
    assert!(err.contains(&link.display().to_string()), "{err}");
    let err = log_is_refused(&dir, "INC-1", &link);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        std::fs::read(&real).unwrap(),
        before,
        "the target was written"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_empty_file_gets_a_clear_error_and_is_not_reused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-3");
    std::fs::write(&path, b"").unwrap();

    for args in [&["show", "-i", "INC-3"][..], &["log", "-i", "3", "hello"]] {
        let err = fails(dir, args, 1);
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("empty"), "{err}");
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"",
        "the empty file was written"
    );
    // A new declaration does not take over the damaged id.
    assert_eq!(declare(dir, "Next one"), "INC-4");
    assert_eq!(std::fs::read(&path).unwrap(), b"");
}

#[test]
fn created_files_and_directories_are_group_shared() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shared");
    let id = declare(&dir, "Permissions");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
    assert_eq!(
        mode(&dir) & 0o7777,
        0o2770,
        "directory mode {:o}",
        mode(&dir)
    );
    let path = file_of(&dir, &id);
    assert_eq!(mode(&path) & 0o7777, 0o660, "file mode {:o}", mode(&path));
    ok(&dir, &["log", "-i", &id, "still shared"]);
    assert_eq!(mode(&path) & 0o7777, 0o660, "file mode after an append");
    // The second incident in an existing directory too.
    let second = declare(&dir, "Permissions again");
    assert_eq!(mode(&file_of(&dir, &second)) & 0o7777, 0o660);
    assert_eq!(mode(&dir) & 0o7777, 0o2770);
}

#[test]
fn a_copied_file_whose_header_names_another_incident_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Original");
    std::fs::copy(file_of(dir, &id), file_of(dir, "INC-2")).unwrap();
    let err = fails(dir, &["show", "-i", "INC-2"], 1);
    assert!(
        err.contains("INC-2.jsonl") && err.contains("says this is INC-1"),
        "{err}"
    );
    // The original is still the one active incident listed, once.
    let o = run(dir, &["list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

/// An incident the tool itself has written to, so `incident log` may append
/// through its checkpoint without re-reading the file.
fn incident_with_checkpoint(dir: &Path) -> (String, std::path::PathBuf) {
    let id = declare(dir, "Checkout errors");
    ok(dir, &["log", "-i", &id, "first"]);
    ok(dir, &["log", "-i", &id, "second"]);
    assert!(
        dir.join(format!(".{id}.checkpoint")).is_file(),
        "a write leaves a checkpoint"
    );
    (id.clone(), file_of(dir, &id))
}

#[test]
fn a_line_added_by_hand_after_the_last_write_still_stops_a_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (id, path) = incident_with_checkpoint(dir);
    let lines = assert_all_lines_json(&path).len();
    append_raw(&path, b"{\"at\":oops}\n");
    let err = log_is_refused(dir, &id, &path);
    assert!(err.contains(&format!("line {}", lines + 1)), "{err}");
}

#[test]
fn an_edit_in_place_that_keeps_the_size_still_stops_a_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (id, path) = incident_with_checkpoint(dir);
    // File times come from a coarse clock: let it tick past the last write
    // so the edit is a change a careful writer can see.
    std::thread::sleep(std::time::Duration::from_millis(30));
    let text = std::fs::read_to_string(&path).unwrap();
    let third = text.match_indices('\n').nth(1).unwrap().0 + 1;
    assert_eq!(&text[third..third + 1], "{");
    let mut bytes = text.into_bytes();
    bytes[third] = b'[';
    // Written in place (same inode, same size), as some editors do.
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.write_all_at(&bytes, 0).unwrap();
    drop(f);
    let err = log_is_refused(dir, &id, &path);
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn a_checkpoint_from_a_replaced_file_is_not_trusted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (id, path) = incident_with_checkpoint(dir);
    // Replaced by a copy with a corrupt last line (a new inode, as `cp` or
    // an editor's save-by-rename leaves it).
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"at\":oops}\n");
    let copy = dir.join("copy.tmp");
    std::fs::write(&copy, &text).unwrap();
    std::fs::rename(&copy, &path).unwrap();
    log_is_refused(dir, &id, &path);
}

#[test]
fn quick_and_full_writes_keep_one_ordered_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (id, _) = incident_with_checkpoint(dir);
    // A write that needs the full state, then more log lines, some without
    // -i (the active incident found from its checkpoint).
    ok(dir, &["status", "-i", &id, "mitigated"]);
    ok(dir, &["log", "-i", &id, "third"]);
    ok(dir, &["log", "fourth"]);
    let shown = show_json(dir, &id);
    let texts = texts(&shown);
    let notes: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        .filter(|t| ["first", "second", "third", "fourth"].contains(t))
        .collect();
    assert_eq!(notes, ["first", "second", "third", "fourth"]);
    let times: Vec<&str> = log_of(&shown)
        .iter()
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    assert!(times.is_sorted(), "times go backwards: {times:?}");

    // Resolved, it is no longer the one `incident log` picks by default.
    ok(dir, &["status", "-i", &id, "resolved"]);
    let err = fails(dir, &["log", "fifth"], 2);
    assert!(err.contains("no active incident"), "{err}");
}

/// Someone in the group plants a link where the tool writes its side files
/// (the checkpoint beside each incident): the tool never writes through it.
#[test]
fn a_link_planted_at_the_checkpoint_is_never_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let (id, _) = incident_with_checkpoint(&dir);
    let victim = tmp.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let note = dir.join(format!(".{id}.checkpoint"));
    std::fs::remove_file(&note).unwrap();
    std::os::unix::fs::symlink(&victim, &note).unwrap();
    let dangling = tmp.path().join("created-by-a-link");

    ok(&dir, &["log", "-i", &id, "third"]);
    std::fs::remove_file(&note).unwrap();
    std::os::unix::fs::symlink(&dangling, &note).unwrap();
    ok(&dir, &["log", "-i", &id, "fourth"]);

    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(!dangling.exists(), "a dangling link was followed");
    assert!(std::fs::symlink_metadata(&note).unwrap().is_symlink());
    let texts = texts(&show_json(&dir, &id));
    assert_eq!(&texts[texts.len() - 2..], ["third", "fourth"]);
}

/// A copy that has had the incident open for a while (a live view) has not
/// re-read what someone edited in place since: its own writes must not
/// vouch for the edit, so `incident log` still finds it.
#[test]
fn a_long_open_copy_never_vouches_for_an_edit_it_has_not_read() {
    use incident::model::{Actor, LogKind};
    use incident::ops::Op;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (id, path) = incident_with_checkpoint(dir);
    let mut open_view = incident::store::Store::new(dir).open(&id).unwrap();

    // Edited in place, same size: the header now claims a newer schema.
    std::thread::sleep(std::time::Duration::from_millis(30));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("{\"schema\":1,"), "{text}");
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.write_all_at(b"{\"schema\":2,", 0).unwrap();
    drop(f);

    open_view
        .commit(
            &Actor::named("alice"),
            Op::Log {
                kind: LogKind::Note,
                text: "from the open view".into(),
            },
        )
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = fails(dir, &["log", "-i", &id, "must not land"], 1);
    assert!(err.contains("schema 2"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "written anyway");
}
