//! The command line end to end, as a responder or a script uses it.

use crate::common::*;
use incident::store::watch::{Change, WatchMode, watch_dir};
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long anything "live" may take to show up.
const BOUND: Duration = Duration::from_secs(5);

fn me() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .expect("the test user has a name")
        .name
}

fn last_entry(dir: &Path, id: &str) -> Value {
    log_of(&show_json(dir, id)).last().unwrap().clone()
}

fn list_json(dir: &Path, all: bool) -> Vec<Value> {
    let args: &[&str] = if all {
        &["list", "--all", "--json"]
    } else {
        &["list", "--json"]
    };
    let v: Value = serde_json::from_str(&ok(dir, args)).unwrap();
    v.as_array().expect("list --json is an array").clone()
}

fn ids(listed: &[Value]) -> Vec<&str> {
    listed.iter().map(|i| i["id"].as_str().unwrap()).collect()
}

#[test]
fn declare_log_roles_status_and_severity_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let user = me();

    let out = ok(
        dir,
        &[
            "declare",
            "--title",
            "Checkout errors",
            "--severity",
            "SEV2",
            "--no-open",
        ],
    );
    assert_eq!(out, "INC-1\n", "a script gets the bare id");

    let table = ok(dir, &["list"]);
    let row = table
        .lines()
        .find(|l| l.starts_with("INC-1"))
        .unwrap_or_else(|| panic!("INC-1 not listed:\n{table}"));
    for word in ["SEV2", "investigating", "Checkout errors"] {
        assert!(row.contains(word), "{word} missing from {row:?}");
    }
    let listed = list_json(dir, false);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], "INC-1");
    assert_eq!(listed[0]["title"], "Checkout errors");
    assert_eq!(listed[0]["severity"], "SEV2");
    assert_eq!(listed[0]["status"], "investigating");
    assert_eq!(listed[0]["commander"], Value::Null);
    assert_eq!(listed[0]["declared_by"], user.as_str());
    assert_eq!(listed[0]["entries"], 1);

    // Every kind a person may write; several words are joined.
    ok(dir, &["log", "-i", "INC-1", "payments", "p99", "is", "8s"]);
    ok(
        dir,
        &[
            "log",
            "-i",
            "INC-1",
            "--kind",
            "action",
            "rolled back payments",
        ],
    );
    ok(
        dir,
        &["log", "-i", "INC-1", "-k", "decision", "freeze deploys"],
    );
    ok(
        dir,
        &[
            "log",
            "-i",
            "INC-1",
            "--kind",
            "announcement",
            "restarting db-2",
        ],
    );

    let shown = show_json(dir, "INC-1");
    assert_eq!(shown["id"], "INC-1");
    assert_eq!(shown["title"], "Checkout errors");
    assert_eq!(shown["severity"], "SEV2");
    assert_eq!(shown["status"], "investigating");
    assert_eq!(shown["roles"], serde_json::json!({}));
    let log = log_of(&shown);
    let got: Vec<(u64, &str, &str, &str)> = log
        .iter()
        .map(|e| {
            (
                e["seq"].as_u64().unwrap(),
                e["kind"].as_str().unwrap(),
                e["text"].as_str().unwrap(),
                e["by"].as_str().unwrap(),
            )
        })
        .collect();
    let u = user.as_str();
    assert_eq!(
        got,
        [
            (1, "declared", "declared SEV2 \"Checkout errors\"", u),
            (2, "note", "payments p99 is 8s", u),
            (3, "action", "rolled back payments", u),
            (4, "decision", "freeze deploys", u),
            (5, "announcement", "restarting db-2", u),
        ]
    );
    let times: Vec<chrono::DateTime<chrono::Utc>> = log
        .iter()
        .map(|e| e["at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert!((chrono::Utc::now() - times[0]).num_seconds().abs() < 60);

    // Roles: with no commander, anyone may assign one.
    ok(dir, &["role", "set", "commander", "alice"]);
    let shown = show_json(dir, "INC-1");
    assert_eq!(shown["roles"]["commander"]["user"], "alice");
    let since: chrono::DateTime<chrono::Utc> = shown["roles"]["commander"]["since"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let entry = log_of(&shown).last().unwrap();
    assert_eq!(entry["kind"], "role_change");
    assert_eq!(
        entry["text"],
        format!("alice is now commander (set by {u})")
    );
    assert_eq!(
        entry["at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap(),
        since
    );

    // Now only alice assigns; command itself moves by handover.
    let err = fails(dir, &["role", "set", "comms", "carol"], 1);
    assert!(err.contains("only the commander (alice)"), "{err}");
    ok(dir, &["--name", "alice", "role", "set", "comms", "carol"]);
    ok(dir, &["--name", "alice", "role", "handover", "ic", "bob"]);
    assert_eq!(show_json(dir, "INC-1")["offers"]["commander"]["to"], "bob");
    ok(dir, &["--name", "bob", "role", "accept", "commander"]);
    // bob has never acted from this OS account before: the account and
    // machine are shown beside the name, so a borrowed name stands out.
    let entry = last_entry(dir, "INC-1");
    let account = entry["unfamiliar"].as_str().expect("the account is named");
    let user = String::from_utf8(
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        account.starts_with(&format!("{} on ", user.trim())),
        "{account}"
    );
    assert_eq!(
        entry["text"],
        format!("bob accepted commander from alice (was alice) — bob (as {account})")
    );
    ok(dir, &["--name", "bob", "role", "stepdown", "commander"]);
    let shown = show_json(dir, "INC-1");
    assert_eq!(shown["roles"]["communications"]["user"], "carol");
    assert!(
        shown["roles"].get("commander").is_none(),
        "{}",
        shown["roles"]
    );
    assert_eq!(
        log_of(&shown).last().unwrap()["text"],
        "bob stepped down as commander; it is now empty"
    );
    let text = ok(dir, &["show", "-i", "INC-1"]);
    assert!(
        text.contains("Checkout errors") && text.contains("carol"),
        "{text}"
    );

    // Status and severity, each leaving a log entry.
    ok(dir, &["status", "mitigated"]);
    // Impact ceased: the status change, then the team break it calls.
    let shown = show_json(dir, "INC-1");
    let entry = &log_of(&shown)[log_of(&shown).len() - 2];
    assert_eq!(log_of(&shown).last().unwrap()["kind"], "break");
    assert_eq!(entry["kind"], "status_change");
    let text = entry["text"].as_str().unwrap();
    assert!(
        text.starts_with("status investigating → mitigated; impact ceased at "),
        "{text}"
    );
    ok(dir, &["severity", "sev1"]);
    let shown = show_json(dir, "INC-1");
    assert_eq!(shown["status"], "mitigated");
    assert_eq!(shown["severity"], "SEV1");
    let entry = log_of(&shown).last().unwrap();
    assert_eq!(entry["kind"], "severity_change");
    assert_eq!(entry["text"], "severity SEV2 → SEV1");
    let seqs: Vec<u64> = log_of(&shown)
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=13).collect::<Vec<_>>());

    let listed = list_json(dir, false);
    assert_eq!(listed[0]["severity"], "SEV1");
    assert_eq!(listed[0]["status"], "mitigated");
    assert_eq!(listed[0]["commander"], Value::Null);
    assert_eq!(listed[0]["entries"], 13);
}

#[test]
fn the_incident_may_be_left_out_only_when_exactly_one_is_active() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    let err = fails(dir, &["log", "hello"], 2);
    assert!(err.contains("no active incident"), "{err}");

    let first = declare(dir, "First");
    ok(dir, &["log", "only one active"]);
    assert_eq!(last_entry(dir, &first)["text"], "only one active");

    let second = declare(dir, "Second");
    let before = (
        std::fs::read(file_of(dir, &first)).unwrap(),
        std::fs::read(file_of(dir, &second)).unwrap(),
    );
    for args in [
        &["log", "which one?"][..],
        &["status", "mitigated"],
        &["show"],
    ] {
        let err = fails(dir, args, 2);
        assert!(err.contains("INC-1") && err.contains("INC-2"), "{err}");
        assert!(err.contains("-i"), "does not say how to choose: {err}");
    }
    assert_eq!(
        before,
        (
            std::fs::read(file_of(dir, &first)).unwrap(),
            std::fs::read(file_of(dir, &second)).unwrap(),
        ),
        "an ambiguous command wrote somewhere"
    );

    // Resolving one leaves one active again.
    ok(dir, &["status", "-i", &first, "resolved"]);
    ok(dir, &["log", "to the second"]);
    assert_eq!(last_entry(dir, &second)["text"], "to the second");

    ok(dir, &["status", "resolved"]);
    let err = fails(dir, &["log", "nobody home"], 2);
    assert!(err.contains("no active incident"), "{err}");
    // A resolved incident is still reachable by id.
    ok(dir, &["log", "-i", &first, "post-mortem note"]);
    assert_eq!(last_entry(dir, &first)["text"], "post-mortem note");
}

#[test]
fn ids_are_accepted_as_typed_and_unknown_ones_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Ids");
    ok(dir, &["log", "-i", "1", "by number"]);
    ok(dir, &["log", "-i", "inc-1", "lower case"]);
    ok(dir, &["log", "--incident", "INC-1", "canonical"]);
    assert_eq!(
        texts(&show_json(dir, "1"))[1..],
        ["by number", "lower case", "canonical"]
    );

    let err = fails(dir, &["log", "-i", "42", "nowhere"], 2);
    assert!(err.contains("INC-42"), "{err}");
    let err = fails(dir, &["show", "-i", "INC-42"], 2);
    assert!(err.contains("INC-42"), "{err}");
    let err = fails(dir, &["show", "-i", "foo"], 2);
    assert!(err.contains("foo"), "{err}");
    assert!(!file_of(dir, "INC-42").exists());
}

#[test]
fn repeating_the_current_value_is_refused_with_status_1() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Repeats");
    ok(dir, &["role", "set", "ic", "alice"]);
    let before = std::fs::read(file_of(dir, "INC-1")).unwrap();

    fn as_alice<'a>(args: &[&'a str]) -> Vec<&'a str> {
        [&["--name", "alice"][..], args].concat()
    }
    let err = fails(dir, &as_alice(&["status", "investigating"]), 1);
    assert!(err.contains("already investigating"), "{err}");
    let err = fails(dir, &as_alice(&["severity", "SEV2"]), 1);
    assert!(err.contains("already SEV2"), "{err}");
    let err = fails(dir, &as_alice(&["role", "set", "commander", "alice"]), 1);
    assert!(err.contains("alice"), "{err}");
    let err = fails(dir, &as_alice(&["role", "clear", "scribe"]), 1);
    assert!(err.contains("scribe"), "{err}");
    assert_eq!(std::fs::read(file_of(dir, "INC-1")).unwrap(), before);
}

#[test]
fn bad_input_exits_2_and_says_what_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Bad input");
    let before = std::fs::read(file_of(dir, "INC-1")).unwrap();

    let err = fails(dir, &["severity", "SEV9"], 2);
    for sev in ["SEV9", "SEV1", "SEV2", "SEV3", "SEV4"] {
        assert!(err.contains(sev), "{sev} not named: {err}");
    }
    let err = fails(dir, &["declare", "--title", "x", "--severity", "7"], 2);
    assert!(err.contains("SEV1"), "{err}");
    assert!(
        !file_of(dir, "INC-2").exists(),
        "declared despite a bad severity"
    );

    let err = fails(dir, &["log", ""], 2);
    assert!(err.contains("empty"), "{err}");
    fails(dir, &["log", "   ", "\t"], 2);
    fails(dir, &["log"], 2);
    let err = fails(dir, &["log", "--kind", "shout", "hi"], 2);
    assert!(
        err.contains("note") && err.contains("announcement"),
        "{err}"
    );
    let err = fails(dir, &["log", "--kind", "status_change", "resolved!"], 2);
    assert!(err.contains("note"), "{err}");
    let err = fails(dir, &["status", "fixed"], 2);
    assert!(
        err.contains("mitigated") && err.contains("resolved"),
        "{err}"
    );
    fails(dir, &["role", "set", "ic", "bad user"], 2);
    assert_eq!(
        std::fs::read(file_of(dir, "INC-1")).unwrap(),
        before,
        "bad input was written"
    );
}

#[test]
fn list_hides_resolved_incidents_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let old = declare(dir, "Old outage");
    let new = declare(dir, "New outage");
    ok(dir, &["status", "-i", &old, "resolved"]);

    let table = ok(dir, &["list"]);
    assert!(
        table.contains("New outage") && table.contains(&new),
        "{table}"
    );
    assert!(
        !table.contains("Old outage"),
        "resolved one listed:\n{table}"
    );
    let table = ok(dir, &["list", "--all"]);
    assert!(
        table.contains("New outage") && table.contains("Old outage"),
        "{table}"
    );
    assert!(table.contains("resolved"), "{table}");

    assert_eq!(ids(&list_json(dir, false)), [new.as_str()]);
    let all = list_json(dir, true);
    assert_eq!(ids(&all), [new.as_str(), old.as_str()], "newest first");
    assert_eq!(all[1]["status"], "resolved");

    ok(dir, &["status", "-i", &new, "resolved"]);
    assert!(list_json(dir, false).is_empty());
    let table = ok(dir, &["list"]);
    assert!(!table.contains("INC-"), "{table}");
}

/// A running `incident tail` whose output lines arrive on a channel.
struct Tail {
    child: Child,
    lines: Receiver<Vec<u8>>,
}

impl Tail {
    fn start(dir: &Path, args: &[&str]) -> Tail {
        let mut child = cmd(dir)
            .arg("tail")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            loop {
                let mut line = Vec::new();
                match out.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Tail { child, lines }
    }

    fn next(&self) -> Vec<u8> {
        self.lines
            .recv_timeout(BOUND)
            .unwrap_or_else(|e| panic!("no line from tail within {BOUND:?}: {e}"))
    }

    fn next_json(&self) -> Value {
        let line = self.next();
        serde_json::from_slice(&line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&line)))
    }

    fn nothing_more_for(&self, wait: Duration) {
        match self.lines.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(line) => panic!("unexpected line: {:?}", String::from_utf8_lossy(&line)),
            Err(RecvTimeoutError::Disconnected) => panic!("tail exited early"),
        }
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tail_follows_appends(extra: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Tailing");
    for t in ["one", "two", "three"] {
        ok(dir, &["log", t]);
    }
    let mut args = vec!["--json", "-n", "2", "-i", "INC-1"];
    args.extend_from_slice(extra);
    let tail = Tail::start(dir, &args);
    let a = tail.next_json();
    let b = tail.next_json();
    if extra.contains(&"--poll") {
        // As in `watcher_reports_appends`: let the poll thread take its
        // baseline before appending.
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!((&a["seq"], &a["text"]), (&3.into(), &"two".into()), "{a}");
    assert_eq!((&b["seq"], &b["text"]), (&4.into(), &"three".into()), "{b}");
    assert_eq!(b["by"], me().as_str());

    let started = Instant::now();
    ok(dir, &["log", "-k", "action", "four, from another process"]);
    let c = tail.next_json();
    eprintln!(
        "tail {extra:?} saw the append after {:.0?}",
        started.elapsed()
    );
    assert_eq!(c["seq"], 5, "{c}");
    assert_eq!(c["kind"], "action");
    assert_eq!(c["text"], "four, from another process");
    ok(dir, &["status", "mitigated"]);
    assert_eq!(tail.next_json()["kind"], "status_change");
    assert_eq!(
        tail.next_json()["kind"],
        "break",
        "impact ceased calls a team break"
    );
    tail.nothing_more_for(Duration::from_millis(300));
}

#[test]
fn tail_prints_the_last_entries_then_follows_new_ones() {
    tail_follows_appends(&[]);
}

#[test]
fn tail_follows_by_polling_too() {
    tail_follows_appends(&["--poll"]);
}

#[test]
fn escape_sequences_never_reach_the_terminal_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Hostile text");
    let hostile = "\u{1b}[31mred alert\u{1b}[0m \u{1b}]0;pwned\u{7}";
    ok(dir, &["log", hostile]);

    let tail = Tail::start(dir, &["-n", "1"]);
    let line = tail.next();
    drop(tail);
    assert!(
        !line.contains(&0x1b),
        "raw ESC in {:?}",
        String::from_utf8_lossy(&line)
    );
    assert!(
        !line.contains(&0x07),
        "raw BEL in {:?}",
        String::from_utf8_lossy(&line)
    );
    let line = String::from_utf8(line).unwrap();
    assert!(line.contains("[31mred alert"), "text lost: {line:?}");

    let shown = ok(dir, &["show"]);
    assert!(!shown.contains('\u{1b}'), "raw ESC from show: {shown:?}");
    assert!(shown.contains("red alert"));

    let tail = Tail::start(dir, &["--json", "-n", "1"]);
    let line = tail.next();
    drop(tail);
    assert!(
        !line.contains(&0x1b),
        "raw ESC in JSON: {:?}",
        String::from_utf8_lossy(&line)
    );
    let entry: Value = serde_json::from_slice(&line).unwrap();
    assert_eq!(entry["text"], hostile, "JSON keeps the text exactly");
    assert_eq!(show_json(dir, "INC-1")["log"][1]["text"], hostile);
}

/// Start watching `dir`; changes arrive on the returned channel.
fn watch(dir: &Path, mode: WatchMode) -> (incident::store::watch::Watch, Receiver<Change>) {
    let (tx, rx) = mpsc::channel();
    let w = watch_dir(dir, mode, move |c| {
        let _ = tx.send(c);
    })
    .unwrap();
    (w, rx)
}

/// Wait until `path` is reported changed; returns how long that took.
fn wait_for_file(rx: &Receiver<Change>, path: &Path) -> Duration {
    let started = Instant::now();
    loop {
        let left = BOUND
            .checked_sub(started.elapsed())
            .unwrap_or_else(|| panic!("{} not reported within {BOUND:?}", path.display()));
        match rx.recv_timeout(left) {
            Ok(Change::File(p)) if p == path => return started.elapsed(),
            Ok(_) => {}
            Err(e) => panic!("{} not reported within {BOUND:?}: {e}", path.display()),
        }
    }
}

fn watcher_reports_appends(mode: WatchMode) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Watched");
    let path = file_of(dir, &id);
    let (w, rx) = watch(dir, mode);
    if let WatchMode::Poll(interval) = mode {
        assert!(w.polling);
        // The poll thread takes its baseline scan after `watch_dir` returns
        // (see the report): give it time, or an append racing it is missed.
        std::thread::sleep(interval * 4);
    }
    ok(dir, &["log", "-i", &id, "from another process"]);
    let took = wait_for_file(&rx, &path);
    eprintln!("{mode:?}: append reported after {took:.0?}");

    // A second append after the first was reported is reported too.
    while rx.try_recv().is_ok() {}
    ok(dir, &["log", "-i", &id, "and another"]);
    wait_for_file(&rx, &path);

    // A new incident appearing is reported as well.
    let second = declare(dir, "Also watched");
    wait_for_file(&rx, &file_of(dir, &second));

    // Once the watch is dropped, nothing more is delivered.
    drop(w);
    std::thread::sleep(Duration::from_millis(150));
    while rx.try_recv().is_ok() {}
    ok(dir, &["log", "-i", &id, "unwatched"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !matches!(rx.try_recv(), Ok(Change::File(_))),
        "changes delivered after the watch was dropped"
    );
}

#[test]
fn watcher_reports_another_process_appending() {
    watcher_reports_appends(WatchMode::Events);
}

#[test]
fn watcher_reports_appends_when_polling() {
    watcher_reports_appends(WatchMode::Poll(Duration::from_millis(50)));
}

#[test]
fn readers_do_not_wake_watchers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Quiet");
    let (_w, rx) = watch(dir, WatchMode::Events);
    for _ in 0..3 {
        show_json(dir, &id);
        ok(dir, &["list", "--all"]);
    }
    match rx.recv_timeout(Duration::from_millis(300)) {
        Err(RecvTimeoutError::Timeout) => {}
        other => panic!("a read-only command raised a change: {other:?}"),
    }
}

/// Every command's own help opens with the line the command list shows,
/// and options given after the command (`incident log --dir X`) work.
#[test]
fn each_command_helps_with_its_own_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let top = ok(dir, &["--help"]);
    let listed: Vec<(String, String)> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| {
            let (name, about) = l.trim().split_once(' ')?;
            Some((name.to_string(), about.trim().to_string()))
        })
        .filter(|(name, _)| name != "help")
        .collect();
    assert!(listed.len() > 30, "commands listed: {listed:?}");
    for (name, about) in &listed {
        let own = ok(dir, &[name.as_str(), "--help"]);
        let first = own.lines().next().unwrap_or_default();
        assert_eq!(
            first, about,
            "`incident {name} --help` opens with the wrong line"
        );
        assert!(own.contains("--dir <DIR>"), "`incident {name}` lacks --dir");
    }
    let id = declare(dir, "Checkout errors");
    let o = Command::new(BIN)
        .args(["log", "-i", &id, "--dir"])
        .arg(dir)
        .arg("after the command")
        .env_remove("INCIDENT_DIR")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", describe(&["log"], &o));
    assert_eq!(
        texts(&show_json(dir, &id)).last().unwrap(),
        "after the command"
    );

    // Deeper down, and --name after the command beats INCIDENT_NAME.
    let o = Command::new(BIN)
        .args([
            "role",
            "claim",
            "ic",
            "-i",
            &id,
            "--name",
            "night-owl",
            "--dir",
        ])
        .arg(dir)
        .env_remove("INCIDENT_DIR")
        .env("INCIDENT_NAME", "from-env")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", describe(&["role", "claim"], &o));
    let shown = show_json(dir, &id);
    let commander = &shown["roles"]["commander"];
    assert_eq!(commander["user"], "night-owl", "{commander}");
}

/// Started with standard output and error closed (a daemon or a cron job
/// that closed them), a command's output must not land in the incident
/// file it opens: they are opened on /dev/null first.
#[test]
fn closed_standard_streams_never_write_into_an_incident_file() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for args in [
        &["declare", "--title", "Closed streams", "--no-open"][..],
        &["log", "written with stdout closed"][..],
        &["show"][..],
        &["list"][..],
    ] {
        let mut cmd = Command::new(BIN);
        cmd.arg("--dir").arg(dir).args(args);
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                nix::libc::close(1);
                nix::libc::close(2);
                Ok(())
            });
        }
        let status = cmd.status().unwrap();
        assert!(
            status.success(),
            "incident {args:?} with closed streams: {status}"
        );
    }
    // The file is intact and has the entry: nothing else was written in.
    let v = show_json(dir, "INC-1");
    let texts: Vec<&str> = log_of(&v)
        .iter()
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(texts.contains(&"written with stdout closed"), "{texts:?}");
    let o = Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .arg("doctor")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "doctor: {}",
        String::from_utf8_lossy(&o.stdout)
    );

    // A long-running command shows where its streams point: /dev/null,
    // not the first file it opened.
    let mut cmd = Command::new(BIN);
    cmd.arg("--dir").arg(dir).args(["tail", "-n", "0"]);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            nix::libc::close(1);
            nix::libc::close(2);
            Ok(())
        });
    }
    let mut tail = cmd.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let fds: Vec<_> = [1, 2]
        .iter()
        .map(|fd| std::fs::read_link(format!("/proc/{}/fd/{fd}", tail.id())).unwrap())
        .collect();
    let _ = tail.kill();
    let _ = tail.wait();
    for target in fds {
        assert_eq!(target, Path::new("/dev/null"), "a closed stream was reused");
    }
}

/// A bug's panic ends the command with status 101 and a message that says
/// nothing submitted is lost, as Rust's own runtime would end it.
#[test]
fn a_panic_exits_101_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .arg("--dir")
        .arg(tmp.path())
        .arg("list")
        .env("INCIDENT_TEST_FAULT", "panic")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(101), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("incident: internal error"), "{err}");
    assert!(err.contains("Nothing you submitted is lost"), "{err}");
}
