//! `incident mcp` with a real MCP client: the official Python SDK (`mcp`
//! from PyPI) runs tests/mcp/client.py against the built binary - the
//! tools offered (none of the people's), the state, a note, a proposal
//! refused before the commander's go and run after it. Then every surface
//! shows who wrote it: "assistant (for carol)".
//!
//! Never skipped: where `python3` cannot import the SDK, the test makes a
//! virtual environment under the target directory and installs it from
//! PyPI (Debian's python3-venv first, as root), or fails naming the
//! commands that would.

use crate::clearance::{ok_as, setup};
use crate::common::*;
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CLIENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mcp/client.py");

/// A Python with the SDK: the system's when it has it, else a virtual
/// environment the test makes (and keeps) under the target directory.
fn sdk() -> std::path::PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mcp-sdk");
    packages::python_with("the MCP client test", "mcp", "mcp>=1.2", &venv)
}

/// The lines `incident tail -n N` prints before it waits for more.
fn tail_lines(dir: &Path, n: usize) -> Vec<String> {
    let mut child = cmd(dir)
        .args(["tail", "-n", &n.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let lines = (0..n)
        .map(|_| {
            rx.recv_timeout(Duration::from_secs(10))
                .expect("a line from tail")
        })
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    lines
}

#[test]
fn an_assistant_reads_notes_proposes_waits_for_go_and_runs_over_mcp() {
    let python = sdk();
    let (tmp, id) = setup();
    let dir = tmp.path();
    let client = Command::new(&python)
        .arg(CLIENT)
        .arg(BIN)
        .arg(dir)
        .arg(&id)
        .arg("alice")
        .env_remove("INCIDENT_DIR")
        .env_remove("INCIDENT_ID")
        .env_remove("INCIDENT_NAME")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let (out, err) = (stdout(&client), stderr(&client));
    assert!(
        client.status.success() && out.trim_end().ends_with("ok"),
        "the MCP client failed:\n{out}\n{err}"
    );

    // The log as people read it: every entry of the assistant signed so.
    let lines = tail_lines(dir, 4);
    for (line, what) in lines
        .iter()
        .zip(["  error rate", "? about to: run: sh", "", "$ ran: sh"])
    {
        if what.is_empty() {
            assert!(line.contains("go for assistant (for carol): R1"), "{line}");
        } else {
            assert!(
                line.contains(&format!("assistant (for carol) {what}")),
                "{lines:#?}"
            );
        }
    }
    // Sanitized: the escape the assistant sent is shown, not obeyed.
    assert!(
        lines[0].contains("␛[2J") && !lines[0].contains('\u{1b}'),
        "{}",
        lines[0]
    );
    let shown = show_json(dir, &id);
    let log = log_of(&shown);
    let by = |i: usize| log[i]["by"].as_str().unwrap().to_string();
    assert_eq!(by(log.len() - 1), "assistant (for carol)");
    assert_eq!(shown["requests"][0]["by"], "assistant (for carol)");
    assert_eq!(shown["requests"][0]["state"], "go");
    let show = ok(dir, &["show", "-i", &id]);
    assert!(
        show.contains("assistant (for carol) $ ran: sh -c"),
        "{show}"
    );
    let export = ok(dir, &["export", "-i", &id]);
    assert!(
        export.contains("assistant (for carol) (ran): ran: sh -c")
            && export.contains("cleared by alice's go (R1)"),
        "{export}"
    );
    let screen = ok(dir, &["screen", "-i", &id, "--size", "100x30"]);
    assert!(screen.contains("AI:carol $ ran: sh -c"), "{screen}");

    // The people's verbs stay the people's: the commander's go came from
    // the command line, and nothing the assistant wrote holds a role.
    assert_eq!(shown["roles"]["commander"]["user"], "alice", "{shown:#}");
    ok_as("alice", dir, &["log", "done with the assistant"]);
}
