//! Hostile text through every surface: what one responder types is shown
//! on every other responder's terminal, so no control byte may reach a
//! terminal raw, nothing may panic, and columns must hold.

use crate::common::*;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::process::Stdio;

/// Strings that try to do something to a terminal or a layout.
fn corpus() -> Vec<String> {
    vec![
        "\u{1b}[2J\u{1b}[H cleared your screen".into(),
        "\u{1b}]0;owned title\u{7} set your title".into(),
        "\u{1b}]52;c;ZWNobyBoaQ==\u{7} wrote your clipboard".into(),
        "\u{1b}P+q544e\u{1b}\\ asked your terminal".into(),
        "\u{9b}31m C1 CSI \u{9d}0;x\u{9c}".into(),
        "bidi \u{202e}gnirts desrever\u{202c} \u{2066}isolate\u{2069}".into(),
        "zero\u{200b}width and 👨\u{200d}👩\u{200d}👧 family".into(),
        "tab\there\rcarriage\u{7f}del\u{1}soh".into(),
        "世界 wide 🚒🚒🚒 mixed ascii".into(),
        "line one\nline two\u{2028}separator".into(),
    ]
}

/// No byte that a terminal would act on: C0 (except newline), DEL, ESC,
/// and the C1 range as UTF-8.
fn assert_clean(what: &str, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        assert!(
            *b == b'\n' || (*b >= 0x20 && *b != 0x7f),
            "{what}: control byte {b:#04x} at {i}: {:?}",
            String::from_utf8_lossy(&bytes[i.saturating_sub(20)..(i + 20).min(bytes.len())])
        );
    }
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        assert!(
            !('\u{80}'..='\u{9f}').contains(&c),
            "{what}: C1 control {c:?}"
        );
        assert!(
            !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
            "{what}: bidi control {c:?}"
        );
    }
}

#[test]
fn every_surface_shows_hostile_text_harmlessly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Hostile text");
    for (i, s) in corpus().iter().enumerate() {
        ok(dir, &["--name", &format!("user{i}"), "log", s]);
        ok(dir, &["assume", s]);
        ok(dir, &["mitigation", "add", s]);
        let mut child = cmd(dir)
            .args(["snippet", "add", &format!("snippet {i}"), "-"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        // (Through standard input even a NUL can arrive.)
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{s}\u{0}nul").as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }
    ok(
        dir,
        &[
            "system",
            "set",
            "checkout",
            "failing",
            "--evidence",
            &corpus()[0],
        ],
    );

    for size in ["80x24", "120x40", "200x60", "40x10"] {
        let screen = run(dir, &["screen", "--size", size]);
        assert!(screen.status.success());
        assert_clean(&format!("screen {size}"), &screen.stdout);
        let (w, _) = size.split_once('x').unwrap();
        let w: usize = w.parse().unwrap();
        for line in String::from_utf8_lossy(&screen.stdout).lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= w,
                "wider than {w}: {line:?}"
            );
        }
    }
    for args in [
        &["show"][..],
        &["list", "--all"],
        &["export"],
        &["bleeding"],
        &["system", "list"],
        &["mitigation", "list"],
        &["doc", "show"],
        &["active"],
    ] {
        let o = run(dir, args);
        assert!(o.status.code().is_some(), "{args:?} was killed");
        assert_clean(&format!("{args:?}"), &o.stdout);
        assert_clean(&format!("{args:?} stderr"), &o.stderr);
    }
    // tail: the last entries, plain.
    let mut tail = cmd(dir)
        .args(["tail", "-n", "40"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    tail.kill().unwrap();
    let out = tail.wait_with_output().unwrap();
    assert_clean("tail", &out.stdout);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("␛[2J"),
        "shown as placeholders"
    );
    let _ = id;
}

#[test]
fn a_megabyte_line_in_a_file_renders_without_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    let huge = "\u{1b}[31m".to_string() + &"x".repeat(1 << 20);
    // Written by hand (the tool refuses text this long), escaped as JSON.
    let line = serde_json::json!({
        "at": "2026-11-26T14:01:00Z", "by": {"user": "mallory"}, "op": "log", "kind": "note", "text": huge
    });
    write_lines(
        &path,
        &[
            header_line("INC-1", 1),
            declare_line("Huge"),
            line.to_string(),
        ],
    );
    for args in [
        &["screen", "--size", "80x24"][..],
        &["show"],
        &["export"],
        &["list"],
    ] {
        let o = run(dir, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_clean(&format!("{args:?}"), &o.stdout);
    }
    // Writing one is refused with a clear message, not stored.
    let err = fails(dir, &["log", &"y".repeat(70_000)], 2);
    assert!(err.contains("too long"), "{err}");
}

#[test]
fn invalid_utf8_in_files_and_arguments_is_an_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    write_lines(&path, &[header_line("INC-1", 1), declare_line("Bytes")]);
    append_raw(&path, b"{\"at\":\"2026-11-26T14:01:00Z\",\"by\":{\"user\":\"b\"},\"op\":\"log\",\"kind\":\"note\",\"text\":\"\xff\xfe\x1b[2J\"}\n");
    let o = run(dir, &["show"]);
    assert_eq!(o.status.code(), Some(1));
    assert_clean("show stderr", &o.stderr);
    assert!(stderr(&o).contains("line 3"), "{}", stderr(&o));

    let bad = std::ffi::OsStr::from_bytes(b"\xff\xfe not utf-8");
    let o = cmd(dir)
        .arg("declare")
        .arg("--title")
        .arg(bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_clean("declare stderr", &o.stderr);
}

#[test]
fn hostile_pager_payloads_become_harmless_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let payload = serde_json::json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"X\u{1b}[2J\"}",
        "status": "firing",
        "receiver": "r",
        "groupLabels": {},
        "commonLabels": {"alertname": "X\u{1b}]0;owned\u{7}", "severity": "critical", "service": "pay\u{202e}ments"},
        "commonAnnotations": {"summary": "\u{1b}[31mred alert\u{9b}2J", "runbook_url": "javascript:alert(1)"},
        "externalURL": "http://am.example",
        "alerts": [{"status": "firing", "labels": {"alertname": "X"}, "annotations": {}, "startsAt": "2026-11-26T03:00:00Z"}],
        "truncatedAlerts": 0
    });
    let o = run_with_stdin(dir, &["page"], payload.to_string().as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_clean("page stdout", &o.stdout);
    assert_clean("page stderr", &o.stderr);
    let screen = run(dir, &["screen", "--size", "100x30"]);
    assert_clean("screen", &screen.stdout);
    let md = run(dir, &["export"]);
    assert_clean("export", &md.stdout);
    assert!(
        !String::from_utf8_lossy(&md.stdout).contains("javascript:"),
        "only http(s) links are kept"
    );
}
