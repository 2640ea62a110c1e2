//! Two jump boxes, one incident: a GlusterFS volume mounted twice over
//! FUSE, each mount standing in for one box's view of the shared incident
//! directory, and the same checks on a plain local directory.
//!
//! The GlusterFS part needs root and /dev/fuse; `.ci/run` installs
//! `glusterfs-server` and `glusterfs-client`. Where FUSE is not available
//! it is skipped with a loud message; everything it starts (glusterd, the
//! volume, both mounts) is stopped and removed again when it ends.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WRITERS_PER_BOX: usize = 4;
const APPENDS: usize = 200;

#[test]
fn on_a_local_directory_nothing_acknowledged_is_lost_and_one_claim_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    std::fs::create_dir(&dir).unwrap();
    // Two "boxes" that are the same directory.
    writers_lose_nothing([&dir, &dir], 2, 100);
    claims_race([&dir, &dir]);
    one_alert_paged_on_both_boxes_is_one_incident([&dir, &dir]);
}

#[test]
fn two_gluster_mounts_lose_nothing_and_see_each_other() {
    let Some(gluster) = Gluster::start() else {
        return;
    };
    let [a, b] = gluster.dirs("incidents");
    let started = Instant::now();
    writers_lose_nothing([&a, &b], WRITERS_PER_BOX, APPENDS);
    eprintln!(
        "{} appends from 2 mounts x {WRITERS_PER_BOX} writers: {:.1?}",
        2 * WRITERS_PER_BOX * APPENDS,
        started.elapsed()
    );
    claims_race([&a, &b]);
    one_alert_paged_on_both_boxes_is_one_incident([&a, &b]);
    a_view_on_one_box_sees_the_other_within_a_second_and_a_half([&a, &b]);
    live_views_on_both_boxes_show_each_others_entries([&a, &b]);
    a_file_system_without_working_locks_is_refused(&a);
    // The directory index (.index/): right with both boxes writing, with
    // writers killed mid-update, and on a directory from before it.
    let [ia, ib] = gluster.dirs("index");
    index_checks::writers_on_both_boxes_keep_the_index_true([&ia, &ib], 3);
    index_checks::writers_killed_mid_update_leave_the_index_true([&ia, &ib], 16);
    let [ya, _] = gluster.dirs("year");
    index_checks::a_directory_from_before_the_index_is_read_right(&ya, 100);
}

/// The same Alertmanager notification delivered at once by four senders,
/// two on each box (replicas and retries): one incident, the other three
/// join it, round after round; both boxes list the same incidents.
fn one_alert_paged_on_both_boxes_is_one_incident(boxes: [&Path; 2]) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager/alertmanager-v4-firing.json");
    let mut payload: Value = serde_json::from_slice(&std::fs::read(fixture).unwrap()).unwrap();
    const ROUNDS: usize = 4;
    let before = incidents(boxes[0]);
    for round in 0..ROUNDS {
        payload["groupKey"] = Value::from(format!("{{}}:{{alertname=\"two-boxes-{round}\"}}"));
        let body = serde_json::to_vec(&payload).unwrap();
        let senders: Vec<_> = (0..4)
            .map(|n| {
                let dir = boxes[n % 2].to_path_buf();
                let body = body.clone();
                std::thread::spawn(move || {
                    let o = run_with_stdin(&dir, &["page", "--json", "-"], &body);
                    assert!(o.status.success(), "{}", describe(&["page"], &o));
                    let v: Value = serde_json::from_slice(&o.stdout).expect("page --json");
                    (
                        v["outcome"].as_str().unwrap_or_default().to_string(),
                        v["incident"].clone(),
                    )
                })
            })
            .collect();
        let mut outcomes: Vec<(String, Value)> = senders
            .into_iter()
            .map(|s| s.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        outcomes.sort_by(|a, b| a.0.cmp(&b.0));
        let said: Vec<&str> = outcomes.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(
            said,
            // One notification sent four times: the copies are redeliveries.
            ["declared", "logged", "logged", "logged"],
            "round {round}: {outcomes:?}"
        );
        assert!(
            outcomes.iter().all(|(_, id)| *id == outcomes[0].1),
            "round {round}: {outcomes:?}"
        );
    }
    for dir in boxes {
        assert_eq!(incidents(dir), before + ROUNDS, "{}", dir.display());
    }
}

fn incidents(dir: &Path) -> usize {
    let all: Value =
        serde_json::from_str(&ok(dir, &["list", "--all", "--json"])).expect("list --json");
    all.as_array().map_or(0, Vec::len)
}

/// Every writer on either box appends `appends` notes; each exits 0, and
/// each note is in the file exactly once, in its writer's order, as both
/// boxes read it.
fn writers_lose_nothing(boxes: [&Path; 2], per_box: usize, appends: usize) {
    let id = declare(boxes[0], "Two boxes, one incident");
    visible_on(boxes, &id);
    let writers: Vec<_> = (0..2 * per_box)
        .map(|w| {
            let dir = boxes[w % 2].to_path_buf();
            let id = id.clone();
            std::thread::spawn(move || {
                for n in 0..appends {
                    let text = format!("w{w} {n}");
                    ok(&dir, &["log", "-i", &id, &text]);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
    }
    for dir in boxes {
        let shown: Value =
            serde_json::from_str(&ok(dir, &["show", "-i", &id, "--json"])).expect("show --json");
        let mut next: HashMap<usize, usize> = HashMap::new();
        let mut notes = 0;
        for entry in shown["log"].as_array().expect("a log") {
            let Some((w, n)) = entry["text"]
                .as_str()
                .and_then(|t| t.strip_prefix('w')?.split_once(' '))
                .and_then(|(w, n)| Some((w.parse::<usize>().ok()?, n.parse::<usize>().ok()?)))
            else {
                continue;
            };
            let expected = next.entry(w).or_default();
            assert_eq!(n, *expected, "writer {w}'s entries out of order or missing");
            *expected += 1;
            notes += 1;
        }
        assert_eq!(
            notes,
            2 * per_box * appends,
            "every acknowledged note, once"
        );
        assert!(
            ok(dir, &["doctor", "-i", &id]).contains("healthy"),
            "doctor on {}",
            dir.display()
        );
    }
}

/// Claimers on both boxes race for an empty role: exactly one wins, and
/// both boxes agree who.
fn claims_race(boxes: [&Path; 2]) {
    for round in 0..3 {
        let id = declare(boxes[0], &format!("Claim race {round}"));
        visible_on(boxes, &id);
        let claimers: Vec<_> = (0..4)
            .map(|c| {
                let mut cmd = cmd(boxes[c % 2]);
                cmd.args(["role", "claim", "ic", "-i", &id])
                    .env("INCIDENT_NAME", format!("claimer{c}"))
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped());
                cmd.spawn().expect("spawn a claimer")
            })
            .collect();
        let outcomes: Vec<_> = claimers
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let winners: Vec<usize> = (0..4).filter(|&c| outcomes[c].status.success()).collect();
        assert_eq!(
            winners.len(),
            1,
            "exactly one claim wins: {:?}",
            outcomes.iter().map(stderr).collect::<Vec<_>>()
        );
        for c in (0..4).filter(|c| !winners.contains(c)) {
            assert_eq!(
                outcomes[c].status.code(),
                Some(1),
                "{}",
                stderr(&outcomes[c])
            );
        }
        let winner = format!("claimer{}", winners[0]);
        for dir in boxes {
            let shown: Value =
                serde_json::from_str(&ok(dir, &["show", "-i", &id, "--json"])).unwrap();
            let text = shown.to_string();
            assert!(
                text.contains(&winner),
                "{winner} holds ic on {}",
                dir.display()
            );
            for c in (0..4).filter(|c| !winners.contains(c)) {
                assert!(
                    !text.contains(&format!("claimer{c}")),
                    "a refused claim left no trace"
                );
            }
        }
    }
}

/// `incident tail` on box A, with no flag, prints an entry written on box
/// B within 1.5 s: polling was chosen for the file system on its own.
fn a_view_on_one_box_sees_the_other_within_a_second_and_a_half(boxes: [&Path; 2]) {
    let id = declare(boxes[1], "Propagation");
    visible_on(boxes, &id);
    let mut tail = cmd(boxes[0])
        .args(["tail", "-i", &id, "--json", "-n", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn tail");
    let (tx, rx) = std::sync::mpsc::channel();
    let out = tail.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send((Instant::now(), line));
        }
    });
    // `-n 0` starts at the end of the file as tail first reads it, so an
    // entry written before that is (rightly) not shown. Wait until tail is
    // up by writing warm-up entries until one reaches it, not by a guessed
    // sleep (a cold start on the shared file system took longer than
    // 800 ms in CI).
    let up = Instant::now();
    'warm: for k in 0.. {
        assert!(
            up.elapsed() < Duration::from_secs(20),
            "tail on box A showed none of {k} warm-up entries in 20 s"
        );
        ok(boxes[1], &["log", "-i", &id, &format!("warm-up {k}")]);
        while let Ok((_, line)) = rx.recv_timeout(Duration::from_millis(1500)) {
            if line.contains("warm-up") {
                break 'warm;
            }
        }
    }
    // Drain any warm-up entries still on their way.
    std::thread::sleep(Duration::from_millis(300));
    while rx.try_recv().is_ok() {}
    let mut worst = Duration::ZERO;
    for n in 0..5 {
        let text = format!("from box B {n}");
        ok(boxes[1], &["log", "-i", &id, &text]);
        let written = Instant::now();
        let seen = loop {
            let (at, line) = rx
                .recv_timeout(Duration::from_secs(5))
                .unwrap_or_else(|_| panic!("box A never showed {text:?}"));
            if line.contains(&text) {
                break at;
            }
        };
        worst = worst.max(seen.saturating_duration_since(written));
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = tail.kill();
    let _ = tail.wait();
    eprintln!("box B to box A, worst of 5: {worst:.0?}");
    assert!(
        worst < Duration::from_millis(1500),
        "an entry took {worst:?} to reach the other box"
    );
}

/// The live view in a real terminal (tmux) on each box: what one types
/// shows on the other within 1.5 s, and the status line says it polls.
fn live_views_on_both_boxes_show_each_others_entries(boxes: [&Path; 2]) {
    let id = declare(boxes[0], "Live views");
    visible_on(boxes, &id);
    let state = tempfile::tempdir().unwrap();
    let socket = format!("incident-shared-{}", std::process::id());
    let tmux = |args: &[&str]| {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for (name, dir, who) in [("a", boxes[0], "alice"), ("b", boxes[1], "bob")] {
        let line = format!(
            "printf '[human]\\nbreathing = false\\n' > {state}/{name}.toml; \
             env -u INCIDENT_DIR -u INCIDENT_POLL INCIDENT_NAME={who} INCIDENT_STATE_DIR={state}/{name} \
             INCIDENT_CONFIG={state}/{name}.toml TERM=xterm-256color {BIN} --dir {dir} open {id}; sleep 60",
            state = state.path().display(),
            dir = dir.display(),
        );
        tmux(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "100",
            "-y",
            "30",
            &line,
        ]);
    }
    let wait_for = |target: &str, text: &str, within: Duration| -> Duration {
        let start = Instant::now();
        loop {
            let screen = tmux(&["capture-pane", "-p", "-t", target]);
            if screen.contains(text) {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < within,
                "{text:?} not on {target} after {within:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    for target in ["a", "b"] {
        wait_for(target, "polling for changes", Duration::from_secs(10));
    }
    for (from, to, text) in [("b", "a", "typed on box B"), ("a", "b", "typed on box A")] {
        tmux(&["send-keys", "-t", from, "-l", text]);
        wait_for(from, &format!("> {text}"), Duration::from_secs(5));
        // A person's pause before Enter: keys arriving within a few
        // milliseconds are taken as a paste, whose Enter never sends.
        std::thread::sleep(Duration::from_millis(60));
        tmux(&["send-keys", "-t", from, "Enter"]);
        wait_for(from, &format!("  {text}"), Duration::from_secs(5));
        let took = wait_for(to, text, Duration::from_millis(1500));
        eprintln!("live view: {text:?} reached the other box in {took:.0?}");
    }
    tmux(&["kill-server"]);
}

/// A shared directory whose locks exclude nobody is refused before
/// anything is written, with the problem and the fix named.
fn a_file_system_without_working_locks_is_refused(dir: &Path) {
    let id = declare(dir, "Locks");
    let before = std::fs::read(file_of(dir, &id)).unwrap();
    let o = cmd(dir)
        .args(["log", "-i", &id, "not saved"])
        .env("INCIDENT_TEST_FAULT", "nolock")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("fuse.glusterfs"), "{err}");
    assert!(err.contains("do not exclude"), "{err}");
    assert!(err.contains("Fix:"), "{err}");
    assert_eq!(std::fs::read(file_of(dir, &id)).unwrap(), before);
    // On a local disk the same fault is never asked about.
    let local = tempfile::tempdir().unwrap();
    let o = cmd(local.path())
        .args(["declare", "--title", "Local", "--no-open"])
        .env("INCIDENT_TEST_FAULT", "nolock")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A GlusterFS volume of one brick, mounted twice.
struct Gluster {
    volume: String,
    brick: PathBuf,
    mounts: Vec<PathBuf>,
    started_daemon: bool,
}

impl Gluster {
    /// None (after saying so loudly) where FUSE is not available.
    fn start() -> Option<Gluster> {
        let root = nix_uid() == 0;
        if !root || !Path::new("/dev/fuse").exists() {
            eprintln!(
                "\n\n*** SKIPPED: the GlusterFS tests need root and /dev/fuse \
                 (root: {root}, /dev/fuse: {}). Nothing about two jump boxes was tested. ***\n",
                Path::new("/dev/fuse").exists()
            );
            return None;
        }
        packages::need(
            "the two-jump-box tests on GlusterFS",
            &[
                ("glusterd", "glusterfs-server"),
                ("gluster", "glusterfs-server"),
                ("mount.glusterfs", "glusterfs-client"),
                ("pgrep", "procps"),
                ("hostname", "hostname"),
            ],
        );
        let started_daemon = !sh("pgrep", &["-x", "glusterd"]);
        if started_daemon {
            assert!(sh("glusterd", &[]), "glusterd did not start");
        }
        let mut g = Gluster {
            volume: format!("itest{}", std::process::id()),
            brick: PathBuf::new(),
            mounts: Vec::new(),
            started_daemon,
        };
        // A slow machine takes its time; and a daemon that went away while
        // we waited (another run on this machine stopping its own) is
        // started again rather than waited for in vain.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !sh("gluster", &["--mode=script", "volume", "list"]) {
            assert!(Instant::now() < deadline, "glusterd never answered");
            if !sh("pgrep", &["-x", "glusterd"]) && sh("glusterd", &[]) {
                g.started_daemon = true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        g.brick = PathBuf::from(format!("/srv/incident-test-bricks/{}", g.volume));
        std::fs::create_dir_all(&g.brick).unwrap();
        let host = String::from_utf8(Command::new("hostname").output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_string();
        let brick = format!("{host}:{}", g.brick.display());
        let vol = g.volume.clone();
        assert!(
            sh(
                "gluster",
                &["--mode=script", "volume", "create", &vol, &brick, "force"]
            ),
            "volume create"
        );
        assert!(
            sh("gluster", &["--mode=script", "volume", "start", &vol]),
            "volume start"
        );
        for name in ["boxA", "boxB"] {
            let point = PathBuf::from(format!("/mnt/{}-{name}", g.volume));
            std::fs::create_dir_all(&point).unwrap();
            let source = format!("localhost:/{vol}");
            let mut mounted = false;
            for _ in 0..50 {
                if sh(
                    "mount",
                    &["-t", "glusterfs", &source, point.to_str().unwrap()],
                ) {
                    mounted = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            assert!(mounted, "mount {source} on {}", point.display());
            g.mounts.push(point);
        }
        Some(g)
    }

    /// The same directory as seen through each mount.
    fn dirs(&self, name: &str) -> [PathBuf; 2] {
        std::fs::create_dir_all(self.mounts[0].join(name)).unwrap();
        [self.mounts[0].join(name), self.mounts[1].join(name)]
    }
}

impl Drop for Gluster {
    fn drop(&mut self) {
        for m in &self.mounts {
            if !sh("umount", &[m.to_str().unwrap()]) {
                sh("umount", &["-l", m.to_str().unwrap()]);
            }
            let _ = std::fs::remove_dir(m);
        }
        let vol = self.volume.clone();
        sh(
            "gluster",
            &["--mode=script", "volume", "stop", &vol, "force"],
        );
        sh("gluster", &["--mode=script", "volume", "delete", &vol]);
        let _ = std::fs::remove_dir_all(&self.brick);
        if self.started_daemon {
            sh("pkill", &["-x", "glusterd"]);
            let deadline = Instant::now() + Duration::from_secs(10);
            while sh("pgrep", &["-x", "glusterd"]) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Wait until a new incident is listed on both boxes (a directory listing
/// is cached for a moment on each).
fn visible_on(boxes: [&Path; 2], id: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    for dir in boxes {
        while !run(dir, &["show", "-i", id, "--json"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "{id} never appeared in {}",
                dir.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Run a system program (found in the usual directories even when PATH
/// leaves out the sbin ones); true when it exits 0.
fn sh(program: &str, args: &[&str]) -> bool {
    let path = which(program).unwrap_or_else(|| PathBuf::from(program));
    Command::new(path)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn which(program: &str) -> Option<PathBuf> {
    [
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
        "/usr/local/sbin",
        "/usr/local/bin",
    ]
    .iter()
    .map(|d| Path::new(d).join(program))
    .find(|p| p.exists())
}

fn nix_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map_or(u32::MAX, |m| m.uid())
}
