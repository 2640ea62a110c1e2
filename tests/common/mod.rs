//! Helpers shared by the integration tests: run the built `incident` binary
//! against a private directory and read what it left behind.
#![allow(dead_code)] // Each test file uses a different subset.

pub mod index_checks;
pub mod packages;
pub mod pager_times;
pub mod receiver;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_incident");

/// A command for the binary on `dir`, isolated from the caller's
/// environment (no INCIDENT_DIR / INCIDENT_POLL leaking in), stdin closed.
pub fn cmd(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--dir")
        .arg(dir)
        .env_remove("INCIDENT_DIR")
        .env_remove("INCIDENT_POLL")
        .env_remove("INCIDENT_ID")
        .env_remove("SUDO_USER")
        .stdin(Stdio::null());
    c
}

/// The incident `incident page` filed to, from the verdict it prints
/// (`declared INC-3`, `joined INC-1`, `logged INC-1`, `logged INC-1
/// (redelivery)`); empty when ignored.
pub fn paged_id(o: &Output) -> String {
    verdict_id(&stdout(o))
}

/// The incident in a verdict line of `incident page`.
pub fn verdict_id(out: &str) -> String {
    let line = out.lines().next().unwrap_or("").trim();
    match line.split_once(' ') {
        Some(("declared" | "joined" | "logged", rest)) => {
            rest.split_whitespace().next().unwrap_or("").to_string()
        }
        _ => String::new(),
    }
}

/// Run to completion with `input` on standard input, capturing everything.
pub fn run_with_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = cmd(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Run to completion and capture everything.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    cmd(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Describe a finished run for assertion messages.
pub fn describe(args: &[&str], o: &Output) -> String {
    format!(
        "incident {}\nexit: {:?}\nstdout: {}\nstderr: {}",
        args.join(" "),
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

/// Run and require exit 0; returns stdout.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    assert!(
        o.status.success(),
        "expected success:\n{}",
        describe(args, &o)
    );
    stdout(&o)
}

/// Run and require exit `code`; returns stderr.
pub fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let o = run(dir, args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "wrong exit status:\n{}",
        describe(args, &o)
    );
    stderr(&o)
}

/// Declare an incident; returns the id printed on stdout.
pub fn declare(dir: &Path, title: &str) -> String {
    let out = ok(dir, &["declare", "--title", title, "--no-open"]);
    let id = out.trim().to_string();
    assert!(id.starts_with("INC-"), "declare printed {out:?}");
    id
}

/// `incident show --json -i ID`, parsed.
pub fn show_json(dir: &Path, id: &str) -> Value {
    let args = ["show", "--json", "-i", id];
    let out = ok(dir, &args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("show --json is not JSON ({e}): {out}"))
}

/// The log entries of a `show --json` document.
pub fn log_of(shown: &Value) -> &Vec<Value> {
    shown["log"]
        .as_array()
        .unwrap_or_else(|| panic!("no log array in {shown}"))
}

/// The texts of the log entries of a `show --json` document.
pub fn texts(shown: &Value) -> Vec<String> {
    log_of(shown)
        .iter()
        .map(|e| e["text"].as_str().expect("text is a string").to_string())
        .collect()
}

/// The incident file of `id` in `dir`.
pub fn file_of(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.jsonl"))
}

/// Every line of the file is complete (the file ends with a newline) and
/// parses as a JSON object. Returns the parsed lines.
pub fn assert_all_lines_json(path: &Path) -> Vec<Value> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.ends_with(b"\n"),
        "{} does not end with a newline: ...{:?}",
        path.display(),
        String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(80)..])
    );
    let text = String::from_utf8(bytes).expect("incident files are UTF-8");
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "{} line {}: not JSON ({e}): {line:?}",
                    path.display(),
                    i + 1
                )
            });
            assert!(v.is_object(), "line {} is not an object: {line}", i + 1);
            v
        })
        .collect()
}

/// Append raw bytes to a file (simulating another writer, or damage).
pub fn append_raw(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    f.write_all(bytes).unwrap();
}

/// A hand-written header line (line 1 of an incident file).
pub fn header_line(id: &str, schema: u32) -> String {
    format!(
        r#"{{"schema":{schema},"id":"{id}","created_at":"2026-11-26T14:00:00Z","created_by":{{"user":"alice"}}}}"#
    )
}

/// A hand-written declaration record (line 2 of an incident file).
pub fn declare_line(title: &str) -> String {
    format!(
        r#"{{"at":"2026-11-26T14:00:00Z","by":{{"user":"alice"}},"op":"declare","title":"{title}","severity":"SEV2"}}"#
    )
}

/// A hand-written log record.
pub fn note_line(minute: u32, text: &str) -> String {
    format!(
        r#"{{"at":"2026-11-26T14:{minute:02}:00Z","by":{{"user":"bob"}},"op":"log","kind":"note","text":"{text}"}}"#
    )
}

/// Write an incident file by hand from whole lines (each gets a newline).
pub fn write_lines(path: &Path, lines: &[String]) {
    let mut s = lines.join("\n");
    s.push('\n');
    std::fs::write(path, s).unwrap();
}

/// The rows of a drawn screen shown highlighted (reversed, as the default
/// theme shows the selection), as text.
pub fn highlighted_rows(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    let text = incident::tui::headless::to_text(buf);
    text.lines()
        .enumerate()
        .filter(|(y, _)| {
            (0..buf.area.width).any(|x| {
                buf[(x, *y as u16)]
                    .modifier
                    .contains(ratatui::style::Modifier::REVERSED)
            })
        })
        .map(|(_, l)| l.to_string())
        .collect()
}

/// The moment every in-memory fixture starts: 14:00 UTC on 26 November.
pub fn fixture_t0() -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 26, 14, 0, 0)
        .unwrap()
}

/// An incident built in memory for the panes' tests, one judged operation
/// at a time: "Checkout errors", SEV2, declared by alice at `t0`.
pub struct Fixture {
    pub incident: incident::model::Incident,
    pub t0: chrono::DateTime<chrono::Utc>,
}

impl Fixture {
    pub fn declared(id: &str, t0: chrono::DateTime<chrono::Utc>) -> Fixture {
        use incident::model::{Actor, Severity};
        use incident::ops::{self, Op, Record};
        let decl = Record {
            at: t0,
            by: Actor::named("alice"),
            op: Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        };
        Fixture {
            incident: ops::genesis(id, &decl).unwrap(),
            t0,
        }
    }

    /// `who` does `op` `min` minutes after the start; a refusal fails
    /// the test.
    pub fn apply(&mut self, min: i64, who: &str, op: incident::ops::Op) {
        apply_to(&mut self.incident, self.t0, min, who, op);
    }
}

/// `who` does `op` to `inc`, `min` minutes after `t0`, judged by the
/// rules; a refusal fails the test.
pub fn apply_to(
    inc: &mut incident::model::Incident,
    t0: chrono::DateTime<chrono::Utc>,
    min: i64,
    who: &str,
    op: incident::ops::Op,
) {
    let r = incident::ops::Record {
        at: t0 + chrono::Duration::minutes(min),
        by: incident::model::Actor::named(who),
        op,
    };
    incident::ops::apply(inc, &r).unwrap_or_else(|e| panic!("{e}"));
}
