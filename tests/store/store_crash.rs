//! Writers that die mid-append: nothing acknowledged is lost, and a partial
//! last line never stops anyone from reading or writing.

use crate::common::*;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// What a writer killed in the middle of a line leaves behind.
const TORN: &[u8] = br#"{"at":"2026-"#;

/// A torn line longer than any record the tests append, so the next writer
/// must cut it, not merely write over its start.
fn long_torn() -> Vec<u8> {
    let mut line =
        br#"{"at":"2026-11-26T14:02:00Z","by":{"user":"mallory"},"op":"log","kind":"note","text":""#
            .to_vec();
    line.extend(std::iter::repeat_n(b'x', 400));
    line
}

#[test]
fn writers_killed_mid_append_lose_nothing_acknowledged() {
    const ITERATIONS: u64 = 200;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Killed writers");
    let path = file_of(dir, &id);
    let started = Instant::now();

    // A small LCG so the kill delays spread over 0..15 ms without a rand
    // crate: before, during and after the append of a process that takes
    // a few milliseconds to start.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut acknowledged = Vec::new();
    let mut killed = 0;
    let mut torn = 0;
    for i in 0..ITERATIONS {
        let text = format!("crash {i}");
        let mut child = cmd(dir)
            .args(["log", "-i", &id, &text])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = Duration::from_micros((state >> 33) % 15_001);
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL; harmless if it already exited.
        let status = child.wait().unwrap();
        if status.success() {
            acknowledged.push(text);
        } else {
            assert_eq!(
                status.signal(),
                Some(9),
                "iteration {i}: the writer failed on its own: {status:?}"
            );
            killed += 1;
        }
        if i % 5 == 2 {
            append_raw(&path, TORN);
            torn += 1;
        } else if i % 10 == 4 {
            append_raw(&path, &long_torn());
            torn += 1;
        }
        // Readers are never stopped by what a dead writer left.
        let shown = show_json(dir, &id);
        for t in &texts(&shown)[1..] {
            let n: u64 = t
                .strip_prefix("crash ")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("iteration {i}: unexpected entry {t:?}"));
            assert!(n <= i, "iteration {i}: entry {t:?} from the future");
        }
    }
    eprintln!(
        "{ITERATIONS} iterations: {} acknowledged, {killed} killed, {torn} torn lines, {:.1?}",
        acknowledged.len(),
        started.elapsed()
    );

    ok(dir, &["log", "-i", &id, "after the crashes"]);
    let lines = assert_all_lines_json(&path);
    assert_eq!(lines[0]["schema"], 1, "header intact: {}", lines[0]);
    let shown = show_json(dir, &id);
    let all = texts(&shown);
    assert_eq!(all.last().unwrap(), "after the crashes");
    assert_eq!(
        lines.len(),
        all.len() + 2,
        "one line per entry plus the header and the document template"
    );
    for t in &acknowledged {
        let copies = all.iter().filter(|x| *x == t).count();
        assert_eq!(copies, 1, "acknowledged {t:?} appears {copies} times");
    }
    // Everything present, acknowledged or not, is whole and in order.
    let numbers: Vec<u64> = all[1..all.len() - 1]
        .iter()
        .map(|t| t.strip_prefix("crash ").unwrap().parse().unwrap())
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
}

#[test]
fn a_partial_last_line_is_ignored_then_cut_by_the_next_writer() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    write_lines(
        &path,
        &[
            header_line("INC-1", 1),
            declare_line("Torn tail"),
            note_line(1, "first"),
        ],
    );
    append_raw(&path, &long_torn());

    let shown = show_json(dir, "INC-1");
    assert_eq!(shown["title"], "Torn tail");
    assert_eq!(texts(&shown)[1..], ["first"], "the partial line is ignored");
    let listed = ok(dir, &["list", "--json"]);
    assert!(listed.contains("Torn tail"), "{listed}");

    ok(dir, &["log", "-i", "INC-1", "second"]);
    let lines = assert_all_lines_json(&path);
    assert_eq!(lines.len(), 4, "header, declaration, first, second");
    assert_eq!(lines[3]["text"], "second");
    let raw = std::fs::read_to_string(&path).unwrap();
    assert!(!raw.contains("mallory"), "the torn line survived:\n{raw}");
    assert_eq!(texts(&show_json(dir, "INC-1"))[1..], ["first", "second"]);
}
