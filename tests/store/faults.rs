//! A full or failing disk: the previous file is intact, the user is told
//! clearly, and what they typed is kept.

use crate::common::*;

#[test]
fn a_full_disk_leaves_the_file_as_it_was_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Disk trouble");
    ok(dir, &["log", "before the disk filled"]);
    let path = file_of(dir, &id);
    let before = std::fs::read(&path).unwrap();
    for (fault, words) in [
        ("enospc", "No space left on device"),
        ("eio", "Input/output error"),
    ] {
        let o = cmd(dir)
            .env("INCIDENT_TEST_FAULT", fault)
            .args(["log", "this", "does", "not", "fit"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{fault}");
        let err = stderr(&o);
        assert!(
            err.contains(words) && err.contains(&path.display().to_string()),
            "{fault}: {err}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{fault}: no half line left behind"
        );
    }
    // And the next write, with a healthy disk, works.
    ok(dir, &["log", "after"]);
    assert_eq!(texts(&show_json(dir, &id)).last().unwrap(), "after");
}

#[test]
fn the_live_view_keeps_the_text_when_the_disk_is_full() {
    // The whole app over a real store, with the fault switched on for
    // this process alone (a child), as the TUI would see it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&dir).unwrap();
    declare(&dir, "Disk trouble");
    packages::need("the disk-full test in tmux", &[("tmux", "tmux")]);
    let socket = format!("incident-fault-{}", std::process::id());
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)")
    };
    let cfg = tmp.path().join("cfg.toml");
    std::fs::write(&cfg, "[human]\nbreathing = false\n").unwrap();
    let line = format!(
        "env -u INCIDENT_DIR INCIDENT_TEST_FAULT=enospc INCIDENT_STATE_DIR={} INCIDENT_CONFIG={} {} --dir {}; sleep 30",
        state.display(),
        cfg.display(),
        BIN,
        dir.display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        "a",
        "-x",
        "100",
        "-y",
        "30",
        &line,
    ]);
    let wait = |pred: &dyn Fn(&str) -> bool| {
        let start = std::time::Instant::now();
        loop {
            let s = String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "a"]).stdout)
                .into_owned();
            if pred(&s) {
                return s;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "timed out:\n{s}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    wait(&|s| s.contains("Action log"));
    tmux(&["send-keys", "-t", "a", "important finding"]);
    wait(&|s| s.contains("> important finding"));
    // A person's pause before Enter: keys arriving within a few
    // milliseconds are taken as a paste, whose Enter never sends.
    std::thread::sleep(std::time::Duration::from_millis(60));
    tmux(&["send-keys", "-t", "a", "Enter"]);
    let s = wait(&|s| s.contains("Not saved") && s.contains("important finding"));
    assert!(s.contains("No space left on device"), "{s}");
    let _ = tmux(&["kill-server"]);
}
