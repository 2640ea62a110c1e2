//! The built binary in real terminals: two tmux windows as two responders
//! on one incident directory.

#[allow(dead_code)] // python_with is for the MCP client test
#[path = "common/packages.rs"]
mod packages;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_incident");

/// Longer than any gap inside a paste (`tui::burst::GAP`, 10 ms), shorter
/// than a person's pause before Enter.
const PERSON_PAUSE: Duration = Duration::from_millis(50);

/// A private tmux server for one test, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Self {
        packages::need("the end-to-end tests in tmux", &[("tmux", "tmux")]);
        let socket = format!("incident-test-{name}-{}", std::process::id());
        Tmux { socket }
    }

    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Start `shell_cmd` in a new 100x30 session called `name`.
    fn start(&self, name: &str, shell_cmd: &str) {
        self.cmd(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "100",
            "-y",
            "30",
            shell_cmd,
        ]);
    }

    fn keys(&self, target: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", target];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }

    /// Type `text` into the input bar and press Enter as a person does:
    /// the text, then (once the bar shows it) Enter on its own. Sent in
    /// one go they arrive as a paste does, a burst of keys whose Enter
    /// the view never takes as "send" (`tui::burst`).
    fn type_line(&self, target: &str, text: &str) {
        let typed = Instant::now();
        self.keys(target, &[text]);
        self.wait_for(target, "the typed line in the input bar", |s| {
            s.lines().any(|l| l.starts_with(" > ") && l.contains(text))
        });
        // A person's pause before Enter: input pacing, not a wait for the
        // app (that is the wait above). It is what tells typing from a
        // paste, whose keys come microseconds apart.
        if let Some(rest) = PERSON_PAUSE.checked_sub(typed.elapsed()) {
            std::thread::sleep(rest);
        }
        self.keys(target, &["Enter"]);
    }

    /// Press `keys` one at a time, a person's pause apart (keys sent in
    /// one go are a burst, and a burst is a paste: text, not pane keys).
    fn press(&self, target: &str, keys: &[&str]) {
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                std::thread::sleep(PERSON_PAUSE);
            }
            self.keys(target, &[k]);
        }
    }

    /// A key pressed in answer to what the screen shows: after a
    /// person's pause, so it is not taken as more of a paste.
    fn reply(&self, target: &str, key: &str) {
        std::thread::sleep(PERSON_PAUSE);
        self.keys(target, &[key]);
    }

    fn screen(&self, target: &str) -> String {
        self.cmd(&["capture-pane", "-p", "-t", target])
    }

    /// Wait until the screen of `target` satisfies `pred`.
    fn wait_for(&self, target: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(target);
            if pred(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("timed out waiting for {what} on {target}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn shell_line(dir: &Path, state: &Path, args: &str, marker: &Path) -> String {
    shell_line_with(dir, state, args, marker, false)
}

/// The command line for a tmux window; `breathing` leaves the breathing
/// screen on (the other tests switch it off in the user's config).
fn shell_line_with(dir: &Path, state: &Path, args: &str, marker: &Path, breathing: bool) -> String {
    // Record the terminal settings before and after, to prove they are restored.
    format!(
        "mkdir -p {state}; printf '[human]\\nbreathing = {breathing}\\n' > {state}/config.toml; \
         stty -g > {m}.before; env -u INCIDENT_DIR INCIDENT_STATE_DIR={state} INCIDENT_CONFIG={state}/config.toml \
         TERM=xterm-256color {BIN} --dir {dir} {args}; \
         echo $? > {m}.rc; stty -g > {m}.after; echo SHELL-BACK; sleep 60",
        m = marker.display(),
        state = state.display(),
        dir = dir.display(),
    )
}

/// As [`shell_line`], with `INCIDENT_TEST_FAULT=fault` for the binary.
fn shell_line_with_fault(
    dir: &Path,
    state: &Path,
    args: &str,
    marker: &Path,
    fault: &str,
) -> String {
    shell_line(dir, state, args, marker).replacen(
        " TERM=xterm-256color",
        &format!(" INCIDENT_TEST_FAULT={fault} TERM=xterm-256color"),
        1,
    )
}

/// The view in window `target` closed on a bug: back at the shell, not
/// drawn over it, exit 1, the terminal settings as they were (`marker`'s
/// files from [`shell_line`]). Returns what the shell shows, on one line.
fn closed_on_a_bug(t: &Tmux, target: &str, marker: &Path) -> String {
    let s = t.wait_for(target, "the view closed with the reason", |s| {
        s.contains("SHELL-BACK")
    });
    assert!(
        !s.contains("Action log"),
        "the view is not drawn over the shell: {s}"
    );
    let read = |ext: &str| std::fs::read_to_string(format!("{}.{ext}", marker.display())).unwrap();
    assert_eq!(read("rc").trim(), "1");
    assert_eq!(read("before"), read("after"), "terminal settings restored");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn declare(dir: &Path, title: &str) -> String {
    let out = Command::new(BIN)
        .args([
            "--dir",
            dir.to_str().unwrap(),
            "declare",
            "--title",
            title,
            "--no-open",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn two_responders_see_each_other_live_and_quitting_restores_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    let id = declare(&dir, "Checkout errors");
    let t = Tmux::new("live");
    t.start(
        "alice",
        &shell_line(&dir, &state, "", &tmp.path().join("alice")),
    );
    t.start(
        "bob",
        &shell_line(&dir, &state, &format!("open {id}"), &tmp.path().join("bob")),
    );
    t.wait_for("alice", "the war room", |s| {
        s.contains("Action log") && s.contains("2 here")
    });
    t.wait_for("bob", "the war room", |s| {
        s.contains("Action log") && s.contains("2 here")
    });

    t.type_line("alice", "rolled back payments");
    t.wait_for("bob", "alice's note", |s| {
        s.contains("rolled back payments")
    });

    t.type_line("bob", ":claim ic");
    t.wait_for("alice", "bob's claim in the header", |s| {
        s.lines().next().unwrap_or("").contains("IC ")
    });

    // A CLI write from a third process shows up on both, without a key press.
    let out = Command::new(BIN)
        .args([
            "--dir",
            dir.to_str().unwrap(),
            "log",
            "--kind",
            "decision",
            "freeze deploys",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    t.wait_for("alice", "the CLI entry", |s| s.contains("freeze deploys"));
    t.wait_for("bob", "the CLI entry", |s| s.contains("freeze deploys"));

    // q from a pane quits; the shell comes back with the terminal as it was.
    t.press("alice", &["Tab", "q"]);
    t.wait_for("alice", "the shell", |s| s.contains("SHELL-BACK"));
    let before = std::fs::read_to_string(tmp.path().join("alice.before")).unwrap();
    let after = std::fs::read_to_string(tmp.path().join("alice.after")).unwrap();
    assert_eq!(before, after, "terminal settings restored");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("alice.rc"))
            .unwrap()
            .trim(),
        "0"
    );
    assert_eq!(
        t.cmd(&["display", "-p", "-t", "alice", "#{alternate_on}"])
            .trim(),
        "0"
    );
    t.wait_for("bob", "alice leaving", |s| s.contains("1 here"));

    // Ctrl-C quits cleanly too.
    t.keys("bob", &["C-c"]);
    t.wait_for("bob", "the shell", |s| s.contains("SHELL-BACK"));
    let before = std::fs::read_to_string(tmp.path().join("bob.before")).unwrap();
    let after = std::fs::read_to_string(tmp.path().join("bob.after")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn hangup_keeps_the_draft_and_the_next_start_offers_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Search down");
    let t = Tmux::new("hup");
    t.start("a", &shell_line(&dir, &state, "", &tmp.path().join("a")));
    t.wait_for("a", "the war room", |s| s.contains("Action log"));
    t.keys("a", &["half-typed finding"]);
    t.wait_for("a", "the draft", |s| s.contains("half-typed finding"));
    // The SSH connection drops: the terminal sends SIGHUP.
    let pid = t.cmd(&["list-panes", "-t", "a", "-F", "#{pane_pid}"]);
    let child = Command::new("pgrep")
        .args(["-P", pid.trim(), "-f", "incident"])
        .output()
        .unwrap();
    let child = String::from_utf8_lossy(&child.stdout).trim().to_string();
    assert!(!child.is_empty(), "found the incident process");
    Command::new("kill")
        .args(["-HUP", &child])
        .status()
        .unwrap();
    t.wait_for("a", "the shell", |s| s.contains("SHELL-BACK"));
    let before = std::fs::read_to_string(tmp.path().join("a.before")).unwrap();
    let after = std::fs::read_to_string(tmp.path().join("a.after")).unwrap();
    assert_eq!(before, after, "terminal settings restored after SIGHUP");

    t.start("b", &shell_line(&dir, &state, "", &tmp.path().join("b")));
    // Conditions go inside the wait: a capture can catch a half-drawn frame.
    // Offered, not put where typing goes: the bar says it is kept.
    t.wait_for("b", "the kept draft, offered", |s| {
        s.contains("draft from last time is kept") && s.contains(":resume")
    });
    assert!(!t.screen("b").contains("half-typed finding"));
    t.type_line("b", ":resume");
    t.wait_for("b", "the draft back in the bar", |s| {
        s.lines()
            .any(|l| l.starts_with(" > ") && l.contains("half-typed finding"))
    });
}

/// Typing like a person under stress: Space skips the breathing pause
/// and is not typed, ` :cadence 15` is the command, and a section edit
/// cut short by Ctrl-C is offered on reopening, not focused: `:doc`
/// Enter `j` moves in the document, and `:resume` takes the edit back.
#[test]
fn the_key_that_skips_a_screen_is_not_typed_and_a_kept_draft_waits_to_be_resumed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Checkout errors");
    let t = Tmux::new("typed");
    t.start(
        "a",
        &shell_line_with(&dir, &state, "", &tmp.path().join("a"), true),
    );
    t.wait_for("a", "the breathing screen", |s| s.contains("Breathe in"));
    t.keys("a", &["Space"]);
    t.wait_for("a", "the war room", |s| {
        s.contains("Action log") && !s.contains("Breathe")
    });
    // Nothing was typed by the Space: the bar shows its empty hint.
    t.wait_for("a", "an empty input bar", |s| {
        s.lines().any(|l| l.starts_with(" > type a note"))
    });
    t.type_line("a", ":claim comms");
    t.wait_for("a", "comms claimed", |s| s.contains("Comms"));
    // A slip's leading space: still the command, not a note.
    t.type_line("a", " :cadence 15");
    t.wait_for("a", "the bar cleared", |s| !s.contains(":cadence 15"));
    t.type_line("a", "checking db-2");
    let v = wait_for_notes(&dir, 1);
    assert_eq!(notes(&v), ["checking db-2"]);

    // A section edit, cut short by Ctrl-C.
    t.type_line("a", ":doc");
    t.wait_for("a", "the document", |s| s.contains("Summary"));
    t.reply("a", "Enter");
    t.wait_for("a", "the editor", |s| s.contains("Editing Summary"));
    t.reply("a", "h");
    t.press("a", &["a", "l", "f"]);
    t.wait_for("a", "the text typed", |s| s.contains("half"));
    t.reply("a", "C-c");
    t.wait_for("a", "the shell", |s| s.contains("SHELL-BACK"));

    t.start(
        "b",
        &shell_line_with(&dir, &state, "", &tmp.path().join("b"), true),
    );
    t.wait_for("b", "the edit offered", |s| {
        s.contains("Summary edit") && s.contains(":resume")
    });
    t.type_line("b", ":doc");
    t.wait_for("b", "the document", |s| s.contains("Summary"));
    t.reply("b", "j");
    std::thread::sleep(PERSON_PAUSE);
    let s = t.screen("b");
    assert!(
        !s.contains("Editing Summary"),
        "no editor caught the j: {s}"
    );
    t.reply("b", "Escape");
    t.wait_for("b", "the war room", |s| s.contains("Action log"));
    t.type_line("b", ":resume");
    t.wait_for("b", "the edit back", |s| {
        s.contains("Editing Summary") && s.contains("half")
    });
}

#[test]
fn welcome_screen_declares_without_leaving() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    let t = Tmux::new("welcome");
    t.start("a", &shell_line(&dir, &state, "", &tmp.path().join("a")));
    t.wait_for("a", "the welcome form", |s| {
        s.contains("No active incident")
    });
    t.keys("a", &["Payments down", "Tab", "1", "Enter"]);
    t.wait_for("a", "the new war room", |s| {
        s.contains("Action log") && s.contains("SEV1") && s.contains("Payments down")
    });
    let list = Command::new(BIN)
        .args(["--dir", dir.to_str().unwrap(), "list", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v[0]["title"], "Payments down");
    assert_eq!(v[0]["severity"], "SEV1");
}

#[test]
fn command_is_handed_over_live_and_a_request_is_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Checkout errors");
    let t = Tmux::new("handover");
    t.start(
        "alice",
        &shell_line(&dir, &state, "--name alice", &tmp.path().join("alice")),
    );
    t.start(
        "bob",
        &shell_line(&dir, &state, "--name bob", &tmp.path().join("bob")),
    );
    t.wait_for("alice", "the war room", |s| s.contains("2 here"));
    t.wait_for("bob", "the war room", |s| s.contains("2 here"));

    t.type_line("alice", ":claim ic");
    t.wait_for("bob", "alice in command", |s| {
        s.lines().next().unwrap_or("").contains("IC alice")
    });

    // bob asks before acting; alice is prompted and says go.
    t.type_line("bob", "!restart db-2");
    t.wait_for("alice", "the clearance prompt", |s| {
        s.contains("R1 bob is about to: restart db-2")
    });
    t.keys("alice", &["y"]);
    t.wait_for("bob", "the go", |s| s.contains("R1 go from alice"));

    // alice hands command to bob; nothing moves until bob accepts.
    t.type_line("alice", ":handover ic bob");
    t.wait_for("bob", "the handover prompt, alice still in command", |s| {
        s.contains("alice offers you commander")
            && s.lines().next().unwrap_or("").contains("IC alice")
    });
    t.keys("bob", &["y"]);
    t.wait_for("alice", "bob in command", |s| {
        s.lines().next().unwrap_or("").contains("IC bob")
    });
    t.wait_for("bob", "the accepted handover", |s| {
        s.contains("bob accepted commander from alice") && s.contains("You are now commander")
    });

    // The whole exchange is in the log, for anyone rotating in.
    let out = Command::new(BIN)
        .args(["--dir", dir.to_str().unwrap(), "show", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let texts: Vec<&str> = v["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    for want in [
        "alice claimed commander",
        "about to: restart db-2",
        "go for bob: R1",
        "alice offered commander to bob",
        "bob accepted commander",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(want)),
            "missing {want:?} in {texts:#?}"
        );
    }
}

#[test]
fn a_fresh_incident_opens_with_ten_seconds_of_breathing_that_any_key_skips() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Checkout errors");
    let t = Tmux::new("breathe");
    t.start(
        "a",
        &shell_line_with(&dir, &state, "", &tmp.path().join("a"), true),
    );
    t.wait_for("a", "the breathing screen", |s| {
        s.contains("Breathe in") && s.contains("any key skips")
    });
    t.keys("a", &["x"]);
    t.wait_for("a", "the war room", |s| {
        s.contains("Action log") && !s.contains("Breathe")
    });
    // Only the first time: a second window goes straight in.
    t.start(
        "b",
        &shell_line_with(&dir, &state, "", &tmp.path().join("b"), true),
    );
    t.wait_for("b", "the war room", |s| s.contains("Action log"));
    assert!(!t.screen("b").contains("Breathe"));
}

#[test]
fn resize_storms_and_key_storms_do_not_break_the_live_view() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Storm");
    let t = Tmux::new("storm");
    t.start("a", &shell_line(&dir, &state, "", &tmp.path().join("a")));
    t.wait_for("a", "the war room", |s| s.contains("Action log"));
    // A fixed-seed storm: sizes from tiny to huge, and keys of every kind
    // (but never q/Ctrl-C, which would end it on purpose).
    let keys = [
        "j", "k", "Tab", "BTab", "Escape", "Up", "Down", "PageUp", "PageDown", "Home", "End", "g",
        "G", "/", "x", "Enter", "F1", "?", ":", "D", "w", "u", "p", "a", "s", "o", "t", "BSpace",
        "Left", "Right", "y", "n", "世",
    ];
    let sizes = [
        (1, 1),
        (10, 3),
        (39, 9),
        (40, 10),
        (80, 24),
        (200, 60),
        (33, 17),
        (120, 40),
        (2, 50),
        (300, 5),
    ];
    let mut seed = 0x1234_5678_9abc_def0u64;
    for i in 0..300 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        if i % 7 == 0 {
            let (w, h) = sizes[(seed % sizes.len() as u64) as usize];
            t.cmd(&[
                "resize-window",
                "-t",
                "a",
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
            ]);
        }
        let k = keys[(seed >> 8) as usize % keys.len()];
        t.cmd(&["send-keys", "-t", "a", k]);
    }
    t.cmd(&["resize-window", "-t", "a", "-x", "100", "-y", "30"]);
    // Still running (no shell prompt back), and still drawing.
    t.keys("a", &["Escape", "Escape", "Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    let s = t.screen("a");
    assert!(
        !s.contains("SHELL-BACK"),
        "the app ended during the storm:\n{s}"
    );
    t.wait_for("a", "a sane frame", |s| {
        s.contains("Storm") && s.lines().count() >= 20
    });
}

/// Another process holds the incident file's lock for 3 s: the view keeps
/// taking keys and drawing frames, says it is sending, and the entry lands
/// once the lock is released (the write happens off the view's loop).
#[test]
fn a_held_lock_never_freezes_the_view_and_the_entry_lands_after() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    let id = declare(&dir, "Held lock");
    let file = dir.join(format!("{id}.jsonl"));
    let t = Tmux::new("lock");
    t.start(
        "carol",
        &shell_line(
            &dir,
            &state,
            &format!("open {id}"),
            &tmp.path().join("carol"),
        ),
    );
    t.wait_for("carol", "the war room", |s| s.contains("Action log"));

    // flock(1) takes the same lock a writer takes, and holds it 3 s.
    let mut holder = Command::new("flock")
        .arg("-x")
        .arg(&file)
        .args(["sleep", "3"])
        .spawn()
        .expect("flock(1) from util-linux");
    let held = Instant::now();
    while Command::new("flock")
        .args(["-n", "-x"])
        .arg(&file)
        .arg("true")
        .status()
        .unwrap()
        .success()
    {
        assert!(
            held.elapsed() < Duration::from_secs(2),
            "the lock was taken"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    t.type_line("carol", "written while locked");
    t.wait_for("carol", "the sending mark", |s| s.contains("sending…"));
    // Keys still land and frames are still drawn while the lock is held.
    t.keys("carol", &["-l", "still typing"]);
    let screen = t.wait_for("carol", "typing while sending", |s| {
        s.contains("> still typing")
    });
    assert!(
        held.elapsed() < Duration::from_millis(2500),
        "the view answered while the lock was held ({:?}):\n{screen}",
        held.elapsed()
    );
    assert!(screen.contains("sending…"), "{screen}");
    assert!(
        !screen.contains("  written while locked"),
        "not on disk yet"
    );

    holder.wait().unwrap();
    let screen = t.wait_for("carol", "the entry, once the lock is free", |s| {
        s.contains("  written while locked") && !s.contains("sending…")
    });
    assert!(screen.contains("> still typing"), "{screen}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.matches("written while locked").count(), 1);
}

#[test]
fn an_absent_commander_is_shown_away_and_taken_over_and_the_request_moves_with_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    // Take over as soon as the holder has no view open.
    std::fs::write(dir.join("incident.toml"), "takeover_after = 0\n").unwrap();
    declare(&dir, "Checkout errors");
    let t = Tmux::new("takeover");
    t.start(
        "bob",
        &shell_line(&dir, &state, "--name bob", &tmp.path().join("bob")),
    );
    t.start(
        "carol",
        &shell_line(&dir, &state, "--name carol", &tmp.path().join("carol")),
    );
    t.wait_for("bob", "the war room", |s| s.contains("2 here"));
    t.type_line("bob", ":claim ic");
    t.wait_for("carol", "bob in command", |s| {
        s.lines().next().unwrap_or("").contains("IC bob")
    });

    // While bob has the incident open, a takeover names the handover.
    t.type_line("carol", ":takeover ic");
    t.wait_for("carol", "the refusal", |s| {
        s.contains("bob has this incident open") && s.contains(":handover")
    });
    // The refused command stays in the bar to correct; Esc clears it.
    t.keys("carol", &["Escape"]);
    t.wait_for("carol", "an empty input bar", |s| {
        !s.contains("> :takeover")
    });

    // bob's SSH session drops: his view dies with its terminal.
    t.cmd(&["kill-session", "-t", "bob"]);
    t.wait_for("carol", "bob shown away", |s| {
        s.lines().next().unwrap_or("").contains("IC bob · away <1m") && s.contains("bob · away <1m")
    });
    t.type_line("carol", "!restart payments-1");
    t.wait_for("carol", "the waiting request", |s| {
        s.contains("R1 carol: restart")
    });
    t.type_line("carol", ":takeover ic");
    let s = t.wait_for("carol", "carol in command", |s| {
        s.lines().next().unwrap_or("").contains("IC carol")
    });
    assert!(
        s.contains("carol took over commander from bob, away <1m"),
        "{s}"
    );
    // The request bob never answered is now carol's to clear.
    t.wait_for("carol", "the clearance prompt", |s| {
        s.contains("R1 carol is about to: restart payments-1")
    });
}

/// `incident show --json` of the only incident in `dir`.
fn show_json(dir: &Path) -> serde_json::Value {
    let out = Command::new(BIN)
        .args(["--dir", dir.to_str().unwrap(), "show", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The notes in the log of `v`, oldest first.
fn notes(v: &serde_json::Value) -> Vec<String> {
    v["log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "note")
        .map(|e| e["text"].as_str().unwrap().to_string())
        .collect()
}

/// Wait until the incident in `dir` has `n` notes; its JSON then.
fn wait_for_notes(dir: &Path, n: usize) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let v = show_json(dir);
        if notes(&v).len() >= n {
            return v;
        }
        if start.elapsed() > Duration::from_secs(10) {
            panic!("timed out waiting for {n} notes; have {:?}", notes(&v));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_pasted_block_with_a_command_in_it_is_one_note_bracketed_or_not() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Checkout errors");
    let t = Tmux::new("paste");
    t.start("a", &shell_line(&dir, &state, "", &tmp.path().join("a")));
    t.wait_for("a", "the war room", |s| s.contains("Action log"));
    let block = "checkout 5xx since 14:02\n:status resolved\nsee the dashboard";
    t.cmd(&["set-buffer", "-b", "block", &format!("{block}\n")]);

    // -p: bracketed, as a terminal pastes when the app asks for it.
    t.cmd(&["paste-buffer", "-p", "-b", "block", "-t", "a"]);
    t.wait_for("a", "the question about the paste", |s| {
        s.contains("Pasted 3 lines: send them as one note?") && s.contains("│ :status resolved")
    });
    let v = show_json(&dir);
    assert_eq!(v["status"], "investigating", "the paste ran nothing");
    assert!(notes(&v).is_empty(), "nor sent anything: {:?}", notes(&v));
    t.reply("a", "y");
    let v = wait_for_notes(&dir, 1);
    assert_eq!(notes(&v), [block], "one note, its line breaks kept");
    assert_eq!(v["status"], "investigating");
    t.wait_for("a", "the note in the log", |s| {
        s.contains("see the dashboard") && !s.contains("Pasted 3 lines")
    });

    // Without -p the text arrives as keys, its line breaks as Enter: the
    // burst is a paste all the same.
    t.cmd(&["paste-buffer", "-b", "block", "-t", "a"]);
    t.wait_for("a", "the question about the burst", |s| {
        s.contains("Pasted 3 lines: send them as one note?")
    });
    let v = show_json(&dir);
    assert_eq!(v["status"], "investigating", "the keys ran nothing");
    assert_eq!(notes(&v).len(), 1, "nor sent anything: {:?}", notes(&v));
    t.reply("a", "y");
    let v = wait_for_notes(&dir, 2);
    assert_eq!(notes(&v), [block, block]);
    assert_eq!(v["status"], "investigating");
    assert!(v["resolved_at"].is_null());
}

#[test]
fn on_a_shared_account_each_display_name_recalls_only_its_own_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    // One OS account, one state directory: two people by --name.
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Checkout errors");
    let t = Tmux::new("history");
    t.start(
        "alice",
        &shell_line(&dir, &state, "--name alice", &tmp.path().join("alice")),
    );
    t.wait_for("alice", "the war room", |s| s.contains("Action log"));
    t.type_line("alice", "checked the payments dashboard");
    t.wait_for("alice", "the note", |s| {
        s.contains("checked the payments dashboard") && !s.contains("> checked")
    });
    t.press("alice", &["Escape", ":quit", "Enter"]);
    t.wait_for("alice", "the shell", |s| s.contains("SHELL-BACK"));

    t.start(
        "bob",
        &shell_line(&dir, &state, "--name bob", &tmp.path().join("bob")),
    );
    t.wait_for("bob", "the war room", |s| s.contains("Action log"));
    // Up recalls nothing of alice's.
    t.press("bob", &["Up"]);
    t.type_line("bob", "on the db side");
    t.wait_for("bob", "bob's note in the log", |s| {
        s.lines()
            .any(|l| l.contains("bob") && l.contains("on the db side") && !l.contains(" > "))
    });
    // What bob sent is his line alone: Up had nothing of alice's to add.
    let out = Command::new(BIN)
        .args(["--dir", dir.to_str().unwrap(), "show", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bobs: Vec<&str> = v["log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["by"] == "bob")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(bobs, ["on the db side"]);

    t.start(
        "alice2",
        &shell_line(&dir, &state, "--name alice", &tmp.path().join("alice2")),
    );
    t.wait_for("alice2", "the war room", |s| s.contains("Action log"));
    t.press("alice2", &["Up"]);
    t.wait_for("alice2", "alice's line recalled", |s| {
        s.lines()
            .any(|l| l.starts_with(" > ") && l.contains("checked the payments dashboard"))
    });
}

#[test]
fn bracket_looks_back_to_an_older_state_where_nothing_is_sent_and_esc_returns() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Checkout errors");
    for note in [
        "pool exhausted on payments",
        "rolling back to v41",
        "error rate back to baseline",
    ] {
        let out = Command::new(BIN)
            .args(["--dir", dir.to_str().unwrap(), "log", note])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let t = Tmux::new("lookback");
    t.start("a", &shell_line(&dir, &state, "", &tmp.path().join("a")));
    t.wait_for("a", "the war room", |s| {
        s.contains("error rate back to baseline")
    });

    // [ on the empty input bar: the incident as it stood one entry ago.
    t.press("a", &["["]);
    t.wait_for("a", "the AS OF banner and the older state", |s| {
        s.contains("AS OF ")
            && s.contains("· #3 of 4 · read-only — Esc returns to now")
            && s.contains("rolling back to v41")
            && !s.contains("error rate back to baseline")
    });

    // Typing goes to the input bar, and Enter sends nothing.
    let typed = Instant::now();
    t.keys("a", &["checking the pool"]);
    t.wait_for("a", "the typed line", |s| {
        s.lines().any(|l| l.starts_with(" ⊘ checking the pool"))
    });
    if let Some(rest) = PERSON_PAUSE.checked_sub(typed.elapsed()) {
        std::thread::sleep(rest);
    }
    t.keys("a", &["Enter"]);
    t.wait_for("a", "the refusal", |s| {
        s.contains("nothing was sent") && s.contains("Esc returns to now")
    });
    assert_eq!(
        notes(&show_json(&dir)).len(),
        3,
        "nothing written while looking back"
    );

    // Esc: now again, the text still there; Enter sends it.
    t.reply("a", "Escape");
    t.wait_for("a", "now again", |s| {
        !s.contains("AS OF")
            && s.contains("error rate back to baseline")
            && s.lines().any(|l| l.starts_with(" > checking the pool"))
    });
    t.reply("a", "Enter");
    let v = wait_for_notes(&dir, 4);
    assert_eq!(
        notes(&v).last().map(String::as_str),
        Some("checking the pool")
    );
    t.keys("a", &["C-c"]);
    t.wait_for("a", "the shell", |s| s.contains("SHELL-BACK"));
}

/// An incident written an hour and a half ago: bob wrote at minute 43 and
/// left; alice decided on a fail-over at minute 70.
fn old_incident(dir: &Path) {
    let now = chrono::Utc::now();
    let at = |min: i64| {
        (now - chrono::Duration::minutes(90 - min))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let lines = [
        format!(
            r#"{{"schema":1,"id":"INC-1","created_at":"{}","created_by":{{"user":"alice"}}}}"#,
            at(0)
        ),
        format!(
            r#"{{"at":"{}","by":{{"user":"alice"}},"op":"declare","title":"Checkout errors","severity":"SEV2"}}"#,
            at(0)
        ),
        format!(
            r#"{{"at":"{}","by":{{"user":"bob"}},"op":"log","kind":"note","text":"off to sleep"}}"#,
            at(43)
        ),
        format!(
            r#"{{"at":"{}","by":{{"user":"alice"}},"op":"log","kind":"decision","text":"fail over to eu-west"}}"#,
            at(70)
        ),
    ];
    std::fs::write(dir.join("INC-1.jsonl"), lines.join("\n") + "\n").unwrap();
}

#[test]
fn back_after_a_while_the_view_opens_on_what_changed_and_a_first_visit_on_the_brief() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    old_incident(&dir);
    let t = Tmux::new("catchup");
    t.start(
        "bob",
        &shell_line(
            &dir,
            &state,
            "--name bob open INC-1",
            &tmp.path().join("bob"),
        ),
    );
    t.wait_for("bob", "the catch-up", |s| {
        s.contains("Since you left at")
            && s.contains("(47m ago)")
            && s.contains("fail over to eu-west")
    });
    // Any key closes it, and only closes it: the x is not typed.
    t.reply("bob", "x");
    t.wait_for("bob", "the war room, the x not typed", |s| {
        s.contains("Action log")
            && !s.contains("Since you left")
            && s.lines().any(|l| l.starts_with(" > type a note"))
    });
    t.start(
        "erin",
        &shell_line(
            &dir,
            &state,
            "--name erin open INC-1",
            &tmp.path().join("erin"),
        ),
    );
    t.wait_for("erin", "the handover brief", |s| {
        s.contains("Handover brief — INC-1") && s.contains("Who holds which role")
    });
    t.reply("erin", "Escape");
    t.wait_for("erin", "the war room", |s| {
        s.contains("Action log") && !s.contains("Handover brief")
    });
}

#[test]
fn a_drill_plays_on_in_whichever_view_has_it_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    // The facilitator's headless runner starts it and dies at once (an
    // SSH session dropped): only the page has been played.
    let mut child = std::process::Command::new(BIN)
        .args([
            "--dir",
            dir.to_str().unwrap(),
            "drill",
            "bad-deploy",
            "--speed",
            "60",
            "--no-open",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut id = Vec::new();
    let mut byte = [0u8; 1];
    while std::io::Read::read(&mut out, &mut byte).unwrap() == 1 && byte[0] != b'\n' {
        id.push(byte[0]);
    }
    let _ = child.kill();
    let _ = child.wait();
    let id = String::from_utf8(id).unwrap();
    // bob opens it: his view plays the rest (at 60x, the deploy at 6m
    // lands six seconds in).
    let t = Tmux::new("drillplays");
    t.start(
        "bob",
        &shell_line(
            &dir,
            &state,
            &format!("--name bob open {id}"),
            &tmp.path().join("bob"),
        ),
    );
    t.wait_for("bob", "the drill playing on in bob's view", |s| {
        s.contains(" DRILL ") && s.contains("deployed payments v43")
    });
    let v = show_json(&dir);
    let deploys = v["log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("deployed payments v43"))
        })
        .count();
    assert_eq!(deploys, 1, "played once");
}

/// Two views on INC-1 (payments failing there); INC-2 is declared from
/// the command line with payments failing too: both views name it, with
/// what it shares and the merge, without a key press, in about a second.
#[test]
fn another_incident_declared_shows_on_both_views_of_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(["--dir", dir.to_str().unwrap(), "--name", "carol"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    };
    let id = declare(&dir, "Checkout errors");
    run(&["system", "set", "payments", "failing", "-i", &id]);
    let t = Tmux::new("others");
    for who in ["alice", "bob"] {
        t.start(
            who,
            &shell_line(&dir, &state, &format!("open {id}"), &tmp.path().join(who)),
        );
        t.wait_for(who, "the war room", |s| s.contains("Action log"));
    }
    let asked = Instant::now();
    run(&[
        "declare",
        "--title",
        "Payments latency",
        "--severity",
        "sev1",
        "--no-open",
    ]);
    run(&["system", "set", "payments", "failing", "-i", "INC-2"]);
    for who in ["alice", "bob"] {
        t.wait_for(who, "the other incident's line", |s| {
            s.contains("Others: INC-2 SEV1 investigating, shares payments :merge INC-2")
        });
    }
    // Within a second of the writes (the watcher polls twice a second at
    // worst), with slack for a loaded test machine.
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "took {:?}",
        asked.elapsed()
    );
}

/// A bug in work done off the view's loop (here a read of the incident
/// after someone else wrote, made to panic by `INCIDENT_TEST_FAULT=read`)
/// closes the view cleanly: the terminal comes back as it was, the reason
/// is printed once, the exit code is 1, and what was being typed is
/// offered at the next start. Before, the panic hook gave the terminal
/// back while the view went on drawing, never to read the incident again.
#[test]
fn a_bug_off_the_loop_closes_the_view_cleanly_and_keeps_what_was_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    let id = declare(&dir, "Search down");
    let t = Tmux::new("broke");
    let marker = tmp.path().join("a");
    let line = shell_line_with_fault(&dir, &state, "", &marker, "read");
    t.start("a", &line);
    t.wait_for("a", "the war room", |s| s.contains("Action log"));
    t.keys("a", &["index rebuild started at 03:12"]);
    t.wait_for("a", "the text in the bar", |s| {
        s.contains("index rebuild started at 03:12")
    });
    // Someone else writes: the view reads the incident again, and that
    // read breaks.
    let out = Command::new(BIN)
        .args([
            "--dir",
            dir.to_str().unwrap(),
            "log",
            "-i",
            &id,
            "search p99 at 4s",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = closed_on_a_bug(&t, "a", &marker);
    assert!(
        said.contains("the live view hit a bug and closed")
            && said.contains("INCIDENT_TEST_FAULT=read")
            && said.contains("offered back (:resume)"),
        "{said}"
    );

    // The next start (no fault) shows the other's entry and offers the text.
    t.start("b", &shell_line(&dir, &state, "", &tmp.path().join("b")));
    t.wait_for("b", "the entry and the kept text, offered", |s| {
        s.contains("search p99 at 4s") && s.contains(":resume")
    });
    t.type_line("b", ":resume");
    t.wait_for("b", "the text back in the bar", |s| {
        s.lines()
            .any(|l| l.starts_with(" > ") && l.contains("index rebuild started at 03:12"))
    });
}

/// A bug in a thread of the view's own (here the polling watch, made to
/// panic by `INCIDENT_TEST_FAULT=watch`) closes the view as above: the
/// terminal is given back once, by the view, not by the panicking thread
/// while the view goes on drawing.
#[test]
fn a_bug_in_a_thread_of_the_views_closes_it_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Search down");
    let t = Tmux::new("broke-watch");
    let marker = tmp.path().join("a");
    let line = shell_line_with_fault(&dir, &state, "--poll", &marker, "watch");
    t.start("a", &line);
    let said = closed_on_a_bug(&t, "a", &marker);
    assert!(
        said.contains("the live view hit a bug and closed")
            && said.contains("INCIDENT_TEST_FAULT=watch"),
        "{said}"
    );
    assert_eq!(said.matches("hit a bug").count(), 1, "said once: {said}");
}
