//! `incident run` needs the commander's go while someone commands: the
//! waiting run, a real commander answering from another process, the team
//! setting that turns it off, and how every surface shows the run (the
//! go that cleared it, or that it ran without one; a failure as a failure).

use crate::clearance::{as_, finish, ok_as, setup, spawn_as, wait_pending};
use crate::common::*;
use std::io::BufRead;
use std::process::Stdio;
use std::time::Duration;

const BOUND: Duration = Duration::from_secs(10);

/// The last `n` entries as `incident tail -n N` prints them (it then
/// follows; it is stopped once they are read).
fn tail_lines(dir: &std::path::Path, n: usize) -> Vec<String> {
    tail_of(dir, n, n)
}

/// The first `count` lines `incident tail -n N` prints (a run's output
/// lines come under its entry).
fn tail_of(dir: &std::path::Path, n: usize, count: usize) -> Vec<String> {
    let mut child = cmd(dir)
        .args(["tail", "-n", &n.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
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
    let lines = (0..count)
        .map(|_| rx.recv_timeout(BOUND).expect("a line from tail"))
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    lines
}

fn last_text(dir: &std::path::Path, id: &str) -> String {
    let shown = show_json(dir, id);
    log_of(&shown).last().unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn run_waits_for_the_commanders_go_by_default_and_names_it() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    let marker = dir.join("ran-it");
    let script = format!("touch {}", marker.display());
    let running = spawn_as("carol", dir, &["run", "--", "sh", "-c", &script]);
    wait_pending(dir, &id, 1);
    std::thread::sleep(Duration::from_millis(200));
    assert!(!marker.exists(), "nothing runs before the commander's go");
    ok_as("alice", dir, &["answer", "R1", "go"]);
    let (code, _, err) = finish(running, BOUND);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("R1 asks the commander"), "{err}");
    assert!(marker.exists());

    let shown = show_json(dir, &id);
    let ran = log_of(&shown).last().unwrap().clone();
    assert_eq!(ran["kind"], "ran");
    assert_eq!(ran["request"], 1, "linked to the request it was cleared by");
    let text = ran["text"].as_str().unwrap();
    assert!(text.starts_with("ran: sh -c 'touch "), "{text}");
    assert!(text.contains("  exit 0  ("), "{text}");
    assert!(text.ends_with("· cleared by alice's go (R1)"), "{text}");
    // The same on `incident show`, `incident tail` and the export.
    let show = ok(dir, &["show"]);
    assert!(show.contains("cleared by alice's go (R1)"), "{show}");
    let tail = tail_lines(dir, 1);
    assert!(
        tail[0].contains("$ ran: sh -c") && tail[0].ends_with("cleared by alice's go (R1)"),
        "{tail:?}"
    );
    let md = ok(dir, &["export"]);
    assert!(
        md.contains("### Commands run")
            && md.contains("exit 0 (")
            && md.contains("cleared by alice's go (R1)"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["export", "--format", "json"])).unwrap();
    assert_eq!(json["runs"][0]["cleared_by"], "alice");
    assert_eq!(json["runs"][0]["cleared_by_request"], 1);
    assert_eq!(json["runs"][0]["failed"], false);
}

#[test]
fn a_hold_means_it_never_runs() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    let marker = dir.join("ran-it");
    let script = format!("touch {}", marker.display());
    let running = spawn_as("carol", dir, &["run", "--", "sh", "-c", &script]);
    wait_pending(dir, &id, 1);
    ok_as(
        "alice",
        dir,
        &["answer", "R1", "hold", "wait", "for", "the", "replica"],
    );
    let (code, _, err) = finish(running, BOUND);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("R1 is on hold (alice): wait for the replica"),
        "{err}"
    );
    assert!(!marker.exists());
    assert!(
        !log_of(&show_json(dir, &id))
            .iter()
            .any(|e| e["kind"] == "ran"),
        "nothing ran, nothing is recorded as run"
    );
}

#[test]
fn no_clear_runs_at_once_on_the_record_as_without_go() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    let o = as_("carol", dir, &["run", "--no-clear", "--", "true"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&["run"], &o));
    let shown = show_json(dir, &id);
    assert!(shown["requests"].as_array().unwrap().is_empty());
    let log = log_of(&shown);
    assert_eq!(
        log[log.len() - 2]["text"],
        "about to run: true (without go)"
    );
    assert!(last_text(dir, &id).ends_with("· ran without go"));
    let tail = tail_lines(dir, 1);
    assert!(tail[0].ends_with("ran without go"), "{tail:?}");
    // Both at once is a contradiction, said as such.
    let o = as_(
        "carol",
        dir,
        &["run", "--clear", "--no-clear", "--", "true"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--no-clear"), "{}", stderr(&o));
}

#[test]
fn nobody_to_ask_without_a_commander_and_the_commanders_own_needs_no_go() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Search latency");
    // Nobody commands: nobody could answer, so it runs, without go.
    let o = as_("carol", dir, &["run", "--", "true"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&["run"], &o));
    assert!(
        stderr(&o).contains("nobody commands, so nobody can clear it: running without go"),
        "{}",
        stderr(&o)
    );
    assert!(last_text(dir, &id).ends_with("· ran without go"));
    // The commander's own run is announced, not waited on.
    ok_as("alice", dir, &["role", "claim", "commander"]);
    let o = as_("alice", dir, &["run", "--timeout", "1", "--", "true"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&["run"], &o));
    assert!(
        last_text(dir, &id).ends_with("· announced by alice, the commander (R1)"),
        "{}",
        last_text(dir, &id)
    );
}

#[test]
fn the_team_can_turn_the_default_off_and_clear_still_asks() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    std::fs::write(dir.join("incident.toml"), "run_needs_go = false\n").unwrap();
    let o = as_("carol", dir, &["run", "--timeout", "5", "--", "true"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&["run"], &o));
    assert!(last_text(dir, &id).ends_with("· ran without go"));

    let running = spawn_as("carol", dir, &["run", "--clear", "--", "true"]);
    wait_pending(dir, &id, 1);
    ok_as("alice", dir, &["answer", "1", "go"]);
    let (code, _, err) = finish(running, BOUND);
    assert_eq!(code, 0, "{err}");
    assert!(last_text(dir, &id).ends_with("cleared by alice's go (R1)"));

    // A broken setting is named, and nothing runs.
    std::fs::write(dir.join("incident.toml"), "run_needs_go = \"maybe\"\n").unwrap();
    let marker = dir.join("ran-it");
    let script = format!("touch {}", marker.display());
    let o = as_("carol", dir, &["run", "--", "sh", "-c", &script]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("incident.toml") && stderr(&o).contains("line 1"),
        "{}",
        stderr(&o)
    );
    assert!(!marker.exists());
}

#[test]
fn a_failed_run_is_marked_failed_everywhere() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    let o = as_(
        "carol",
        dir,
        &["run", "--no-clear", "--", "sh", "-c", "exit 2"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(last_text(dir, &id).contains("  FAILED exit 2  ("));
    let o = as_(
        "carol",
        dir,
        &["run", "--no-clear", "--", "sh", "-c", "kill -9 $$"],
    );
    assert_eq!(o.status.code(), Some(128 + 9));
    assert!(
        last_text(dir, &id).contains("  FAILED killed by signal 9  ("),
        "{}",
        last_text(dir, &id)
    );
    let o = as_(
        "carol",
        dir,
        &["run", "--no-clear", "--", "/nonexistent/command"],
    );
    assert_eq!(o.status.code(), Some(127));
    assert!(last_text(dir, &id).contains("  FAILED did not start  ("));
    let tail = tail_lines(dir, 5);
    let failed: Vec<&String> = tail.iter().filter(|l| l.contains("FAILED")).collect();
    assert_eq!(failed.len(), 3, "{tail:#?}");
    let md = ok(dir, &["export"]);
    assert!(md.contains("**FAILED exit 2**"), "{md}");
    assert!(md.contains("**FAILED killed by signal 9**"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["export", "--format", "json"])).unwrap();
    let runs = json["runs"].as_array().unwrap();
    assert!(runs.iter().all(|r| r["failed"] == true), "{runs:#?}");
    assert_eq!(runs[1]["signal"], 9);
}

/// Send `sig` to a spawned `incident` process.
fn signal(child: &std::process::Child, sig: nix::sys::signal::Signal) {
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), sig).unwrap();
}

/// Wait until `incident` has said its request waits (its wait file is
/// in place and its signal handling is up).
fn wait_waiting(dir: &std::path::Path, inc: &str, req: u64) {
    wait_pending(dir, inc, req);
    let folder = dir.join(".here").join(inc);
    let start = std::time::Instant::now();
    while start.elapsed() < BOUND {
        let waiting = std::fs::read_dir(&folder).is_ok_and(|d| {
            d.filter_map(Result::ok).any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .ends_with(&format!(".R{req}.wait"))
            })
        });
        if waiting {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("R{req}'s asker never said it waits");
}

#[test]
fn a_waiting_run_stopped_by_a_signal_withdraws_its_request() {
    use nix::sys::signal::Signal;
    let (tmp, id) = setup();
    let dir = tmp.path();
    let marker = dir.join("ran-it");
    let script = format!("touch {}", marker.display());
    for (n, sig, code) in [
        (1u64, Signal::SIGINT, 130),
        (2, Signal::SIGTERM, 143),
        (3, Signal::SIGHUP, 129),
    ] {
        let running = spawn_as("carol", dir, &["run", "--", "sh", "-c", &script]);
        wait_waiting(dir, &id, n);
        signal(&running, sig);
        let (got, _, err) = finish(running, BOUND);
        assert_eq!(got, code, "{sig}: {err}");
        if sig != Signal::SIGHUP {
            assert!(err.contains(&format!("R{n} withdrawn")), "{sig}: {err}");
        }
        let shown = show_json(dir, &id);
        let req = &shown["requests"][n as usize - 1];
        assert_eq!(req["state"], "withdrawn", "{sig}: {req}");
        let texts = texts(&shown);
        let said = format!("withdrawn: carol stopped waiting: R{n} \"run: sh -c 'touch ");
        assert!(
            texts.last().unwrap().starts_with(&said),
            "{sig}: {texts:#?}"
        );
        assert!(!marker.exists(), "{sig}: nothing ran");
    }
    // Nothing waits: the commander has nothing to answer; the catch-up
    // and `show` list nothing waiting; a go comes too late.
    let shown = show_json(dir, &id);
    assert!(shown["waiting"].as_array().unwrap().is_empty(), "{shown}");
    let o = as_("alice", dir, &["answer", "R1", "go"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("R1 was withdrawn (its asker stopped waiting): nothing to answer"),
        "{}",
        stderr(&o)
    );
    // The same for `announce --wait`.
    let waiting = spawn_as("carol", dir, &["announce", "--wait", "restart", "db-2"]);
    wait_waiting(dir, &id, 4);
    signal(&waiting, Signal::SIGINT);
    let (code, _, err) = finish(waiting, BOUND);
    assert_eq!(code, 130, "{err}");
    assert_eq!(show_json(dir, &id)["requests"][3]["state"], "withdrawn");
    // The post-mortem lists them as withdrawn.
    let md = ok(dir, &["export"]);
    assert!(md.contains("withdrawn: carol stopped waiting"), "{md}");
}

#[test]
fn a_run_killed_while_waiting_leaves_a_stale_request() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    let mut running = spawn_as("carol", dir, &["run", "--", "true"]);
    wait_waiting(dir, &id, 1);
    running.kill().unwrap();
    running.wait().unwrap();
    // Still pending in the file (nobody could withdraw it), but nobody
    // waits for its answer: `show` says it is stale.
    let shown = show_json(dir, &id);
    assert_eq!(shown["requests"][0]["state"], "pending");
    assert_eq!(shown["stale"], serde_json::json!([1]), "{shown}");
    let text = ok(dir, &["show"]);
    assert!(text.contains("stale"), "{text}");
    // Nor is it put to the commander as waiting for them in the catch-up.
    let caught = ok_as("alice", dir, &["catchup"]);
    assert!(!caught.contains("R1"), "{caught}");
}

#[test]
fn a_go_for_a_mitigation_clears_its_run_for_go_valid_for() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    ok_as(
        "carol",
        dir,
        &[
            "mitigation",
            "add",
            "--kind",
            "rollback",
            "--risk",
            "high",
            "Roll back payments",
        ],
    );
    // Asked and answered once (R1)...
    let starting = spawn_as("carol", dir, &["mitigation", "start", "--wait", "M1"]);
    wait_pending(dir, &id, 1);
    ok_as("alice", dir, &["answer", "R1", "go"]);
    let (code, _, err) = finish(starting, BOUND);
    assert_eq!(code, 0, "{err}");
    // ...the run carrying it out needs no second go.
    let o = as_(
        "carol",
        dir,
        &[
            "run",
            "--for",
            "M1",
            "--timeout",
            "2",
            "--",
            "echo",
            "rolled back",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", describe(&["run"], &o));
    assert!(
        stderr(&o).contains("running under alice's go for M1 (R1)"),
        "{}",
        stderr(&o)
    );
    let shown = show_json(dir, &id);
    assert_eq!(
        shown["requests"].as_array().unwrap().len(),
        1,
        "no new request"
    );
    let ran = log_of(&shown).last().unwrap().clone();
    assert_eq!(ran["request"], 1);
    assert!(
        ran["text"]
            .as_str()
            .unwrap()
            .ends_with("· cleared by alice's go for M1 (R1)"),
        "{ran}"
    );
    // With the go older than the team allows, it asks anew, saying why.
    std::fs::write(dir.join("incident.toml"), "go_valid_for = 0\n").unwrap();
    let running = spawn_as("carol", dir, &["run", "--for", "M1", "--", "true"]);
    wait_pending(dir, &id, 2);
    ok_as("alice", dir, &["answer", "R2", "go"]);
    let (code, _, err) = finish(running, BOUND);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("a go is valid for 0m (go_valid_for): asking anew"),
        "{err}"
    );
    assert!(last_text(dir, &id).ends_with("cleared by alice's go for M1 (R2)"));
    // A mitigation that does not exist is refused, nothing run.
    let o = as_("carol", dir, &["run", "--for", "M9", "--", "true"]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&["run"], &o));
    assert!(stderr(&o).contains("M9"), "{}", stderr(&o));
}

#[test]
fn read_only_by_team_rule_runs_at_once_and_a_semicolon_cannot_smuggle_a_restart() {
    let (tmp, id) = setup();
    let dir = tmp.path();
    std::fs::write(
        dir.join("incident.toml"),
        "run_without_go = [\"echo pods *\", \"kubectl get *\"]\n",
    )
    .unwrap();
    let o = as_(
        "carol",
        dir,
        &["run", "--timeout", "1", "--", "echo", "pods", "ready"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", describe(&["run"], &o));
    assert_eq!(stdout(&o), "pods ready\n");
    let shown = show_json(dir, &id);
    assert!(
        shown["requests"].as_array().unwrap().is_empty(),
        "nothing asked"
    );
    assert!(
        last_text(dir, &id).ends_with("· read-only by team rule (echo pods *)"),
        "{}",
        last_text(dir, &id)
    );
    // A `;` (or a wrapping shell) never matches: it asks as ever.
    let marker = dir.join("restarted");
    for argv in [
        vec!["echo", "pods;", "touch", marker.to_str().unwrap()],
        vec![
            "sh",
            "-c",
            &format!("echo pods; touch {}", marker.display()),
        ],
    ] {
        let mut args = vec!["run", "--timeout", "1", "--"];
        args.extend(argv.iter().copied());
        let o = as_("carol", dir, &args);
        assert_eq!(o.status.code(), Some(2), "{argv:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("asks the commander"), "{}", stderr(&o));
        assert!(!marker.exists());
    }
    // A bad pattern is named, and nothing runs.
    std::fs::write(
        dir.join("incident.toml"),
        "run_without_go = [\"bash -c *\"]\n",
    )
    .unwrap();
    let o = as_("carol", dir, &["run", "--", "true"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("'run_without_go'"), "{}", stderr(&o));
}

#[test]
fn a_runs_output_is_shown_indented_under_its_entry() {
    let (tmp, _id) = setup();
    let dir = tmp.path();
    let o = as_(
        "carol",
        dir,
        &[
            "run",
            "--no-clear",
            "--",
            "sh",
            "-c",
            "echo one; echo two; echo three; echo four",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let tail = tail_of(dir, 1, 5);
    assert!(tail[0].contains("$ ran: sh -c"), "{tail:#?}");
    assert_eq!(
        &tail[1..],
        ["    one", "    two", "    three", "    four"],
        "{tail:#?}"
    );
    let show = ok(dir, &["show"]);
    assert!(
        show.contains("\n      one\n      two\n      three\n      four\n"),
        "{show}"
    );
    // A noisy command keeps its first and last lines in the file.
    let o = as_(
        "carol",
        dir,
        &["run", "--no-clear", "--", "seq", "1", "1000"],
    );
    assert_eq!(o.status.code(), Some(0));
    let shown = show_json(dir, &_id);
    let out = log_of(&shown).last().unwrap()["evidence"]["output"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(out.starts_with("1\n2\n"), "{out}");
    assert!(out.ends_with("999\n1000\n"), "{out}");
    assert!(out.contains("960 lines left out"), "{out}");
}

#[test]
fn sigterm_to_a_running_run_reaches_the_command_and_the_run_is_recorded() {
    use nix::sys::signal::Signal;
    let (tmp, id) = setup();
    let dir = tmp.path();
    let running = spawn_as("carol", dir, &["run", "--no-clear", "--", "sleep", "30"]);
    // Wait until its "about to run" is logged, then a moment for the spawn.
    let start = std::time::Instant::now();
    while !texts(&show_json(dir, &id))
        .iter()
        .any(|t| t.starts_with("about to run: sleep 30"))
    {
        assert!(start.elapsed() < BOUND, "never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    signal(&running, Signal::SIGTERM);
    let (code, _, err) = finish(running, BOUND);
    assert_eq!(code, 128 + 15, "{err}");
    assert!(
        last_text(dir, &id).contains("FAILED killed by signal 15"),
        "{}",
        last_text(dir, &id)
    );
}
