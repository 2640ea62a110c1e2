//! Propagation: from spawning `incident log TEXT` to a watching
//! `incident tail` printing it, beside the baseline measured in the same
//! run: spawning `sh -c 'printf ... >> file'` while `tail -F file` follows.
//!
//! `cargo bench --bench propagation` measures (200 rounds each); under
//! `cargo test` it runs 5 rounds as a smoke test.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_incident");

struct Follower {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Follower {
    fn start(mut cmd: Command) -> Self {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn follower");
        let out: ChildStdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Follower { child, lines: rx }
    }

    /// Wait for a line containing `needle`.
    fn wait(&self, needle: &str) -> Instant {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(10))
                .expect("follower printed the line");
            if line.contains(needle) {
                return Instant::now();
            }
        }
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (median, p99) of samples in milliseconds.
fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p99 = ((v.len() as f64 * 0.99).ceil() as usize).clamp(1, v.len()) - 1;
    (v[v.len() / 2], v[p99])
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let rounds = if measuring { 200 } else { 5 };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let ok = Command::new(BIN)
        .args([
            "--dir",
            dir.to_str().unwrap(),
            "declare",
            "--title",
            "bench",
            "--no-open",
        ])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());

    let plain = tmp.path().join("plain.log");
    std::fs::write(&plain, "").unwrap();
    let mut tail_cmd = Command::new("tail");
    tail_cmd.args(["-n", "0", "-F"]).arg(&plain);
    let baseline = Follower::start(tail_cmd);
    let mut inc_cmd = Command::new(BIN);
    inc_cmd.args(["--dir", dir.to_str().unwrap(), "tail", "-n", "0"]);
    let follower = Follower::start(inc_cmd);
    std::thread::sleep(Duration::from_millis(300)); // Both watching.

    let (mut base, mut ours) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        // Baseline.
        let needle = format!("base-{i}-x");
        let start = Instant::now();
        let mut w = Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s\\n' {needle} >> '{}'", plain.display()))
            .spawn()
            .unwrap();
        base.push(baseline.wait(&needle).duration_since(start).as_secs_f64() * 1e3);
        w.wait().unwrap();

        // incident.
        let needle = format!("ours-{i}-x");
        let start = Instant::now();
        let mut w = Command::new(BIN)
            .args(["--dir", dir.to_str().unwrap(), "log", &needle])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        ours.push(follower.wait(&needle).duration_since(start).as_secs_f64() * 1e3);
        w.wait().unwrap();
    }
    let (bm, bp) = stats(base);
    let (om, op) = stats(ours);
    println!(
        "baseline  sh printf >> file, tail -F: median {bm:.2} ms  p99 {bp:.2} ms  ({rounds} rounds)"
    );
    println!(
        "incident  log -> incident tail:       median {om:.2} ms  p99 {op:.2} ms  ({:.2}x baseline median)",
        om / bm
    );
}
