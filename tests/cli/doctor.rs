//! `incident doctor`: a clear report of what is wrong, and a repair that
//! keeps the original.

use crate::common::*;

#[test]
fn doctor_reports_and_repairs_without_losing_the_original() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    write_lines(
        &path,
        &[
            header_line("INC-1", 1),
            declare_line("Checkout errors"),
            note_line(1, "before"),
            r#"{"at":"2026-11-26T14:02:00Z",,"by":{"user":"bob"}}"#.to_string(),
            note_line(3, "after"),
        ],
    );
    append_raw(&path, br#"{"at":"2026-11-26T14:0"#);
    let original = std::fs::read(&path).unwrap();

    // The error points at the doctor with the right id.
    let err = fails(dir, &["log", "-i", "1", "x"], 1);
    assert!(err.contains("incident doctor -i INC-1 --repair"), "{err}");

    let o = run(dir, &["doctor"]);
    assert_eq!(o.status.code(), Some(1));
    let report = stdout(&o);
    assert!(report.contains("INC-1: 4 of 5 lines usable"), "{report}");
    assert!(report.contains("line 4, column 30"), "{report}");
    assert!(report.contains("unfinished write"), "{report}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        original,
        "diagnosing changes nothing"
    );

    assert!(fails(dir, &["doctor", "--repair"], 2).contains("-i ID"));
    let out = ok(dir, &["doctor", "-i", "INC-1", "--repair"]);
    assert!(out.contains("kept 4 lines, dropped 2"), "{out}");
    let kept: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("INC-1.jsonl.broken-")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read(kept[0].path()).unwrap(),
        original,
        "the original is kept byte for byte"
    );

    // The incident works again, with everything that parsed.
    let shown = show_json(dir, "INC-1");
    assert_eq!(texts(&shown)[1..], ["before", "after"]);
    ok(dir, &["log", "-i", "1", "back in business"]);
    assert!(ok(dir, &["doctor"]).contains("INC-1: healthy"));
}

#[test]
fn doctor_will_not_rewrite_a_newer_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    write_lines(
        &path,
        &[header_line("INC-1", 99), declare_line("From the future")],
    );
    let before = std::fs::read(&path).unwrap();
    let err = fails(dir, &["doctor", "-i", "1", "--repair"], 1);
    assert!(err.contains("upgrade"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// A writer waiting for the lock while the file is moved aside and a new
/// one put in its place (what `--repair` does) writes to the new file,
/// never into the one moved aside.
#[test]
fn a_writer_waiting_while_the_file_is_replaced_writes_to_the_new_one() {
    use incident::model::{Actor, LogKind};
    use incident::ops::Op;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    let path = file_of(dir, &id);
    let mut writer = incident::store::Store::new(dir).open(&id).unwrap();

    // Hold the lock, as a repair in progress does.
    let held = std::fs::OpenOptions::new().read(true).open(&path).unwrap();
    held.lock().unwrap();
    let waiting = std::thread::spawn(move || {
        writer
            .commit(
                &Actor::named("bob"),
                Op::Log {
                    kind: LogKind::Note,
                    text: "written while repaired".into(),
                },
            )
            .map(|_| ())
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    let aside = dir.join("moved-aside.jsonl.old");
    std::fs::rename(&path, &aside).unwrap();
    std::fs::copy(&aside, dir.join("new.tmp")).unwrap();
    std::fs::rename(dir.join("new.tmp"), &path).unwrap();
    let before_aside = std::fs::read(&aside).unwrap();
    held.unlock().unwrap();

    waiting.join().unwrap().expect("the write lands");
    assert!(
        std::fs::read(&aside).unwrap() == before_aside,
        "written into the file moved aside"
    );
    assert_eq!(
        texts(&show_json(dir, &id)).last().unwrap(),
        "written while repaired"
    );
}

/// What a stale cache on a network file system leaves behind: a hole of
/// NUL bytes, a line written over the start of another, and a writer that
/// had not seen the line before its own (entries lost in between).
#[test]
fn doctor_names_holes_overlaps_and_time_going_backwards() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    let overlapped = format!("{}{}", &note_line(2, "lost")[..40], note_line(3, "over"));
    write_lines(
        &path,
        &[
            header_line("INC-1", 1),
            declare_line("Checkout errors"),
            note_line(5, "later"),
            note_line(2, "earlier, by a writer that never saw the one above"),
        ],
    );
    // Healthy lines, but time goes backwards: not healthy.
    let o = run(dir, &["doctor"]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&["doctor"], &o));
    let text = stdout(&o);
    assert!(
        text.contains("line 4: written at") && text.contains("had not seen line 3"),
        "{text}"
    );
    assert!(text.contains("entries may be missing"), "{text}");
    assert!(!text.contains("--repair"), "a repair cannot help: {text}");

    append_raw(&path, &[0u8; 37]);
    append_raw(
        &path,
        format!("{}\n{overlapped}\n", note_line(6, "after a hole")).as_bytes(),
    );
    let text = stdout(&run(dir, &["doctor"]));
    assert!(
        text.contains("line 5, column 1: a run of 37 NUL bytes"),
        "{text}"
    );
    assert!(
        text.contains("line 6, column 41: two records run together"),
        "{text}"
    );
    assert!(text.contains("--repair"), "{text}");
}
