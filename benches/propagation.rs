//! Propagation: from spawning `incident log TEXT` to a watching
//! `incident tail` printing it, and to an open live view (in a
//! pseudo-terminal of 100x30 and of 160x48, its output read through a
//! terminal emulator) showing it, each beside the baseline measured in the
//! same run: spawning `sh -c 'printf ... >> file'` while `tail -F file`
//! follows.
//!
//! `cargo bench --bench propagation` measures (200 rounds each); under
//! `cargo test` it runs 5 rounds as a smoke test.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_incident");

/// Terminal sizes (columns x rows) the live view is measured in: the size
/// the README's examples use, and a large one.
const SIZES: [(u16, u16); 2] = [(100, 30), (160, 48)];

/// Everything a watcher shows is stamped with the moment it arrived, on
/// the thread that reads it: the bench's own work (waking another thread,
/// rebuilding an emulated screen as text) stays out of the measurement.
struct Follower {
    child: Child,
    lines: mpsc::Receiver<(String, Instant)>,
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
                if tx.send((line, Instant::now())).is_err() {
                    break;
                }
            }
        });
        Follower { child, lines: rx }
    }

    /// Wait for a line containing `needle`.
    fn wait(&self, needle: &str) -> Instant {
        loop {
            let (line, at) = self
                .lines
                .recv_timeout(Duration::from_secs(10))
                .expect("follower printed the line");
            if line.contains(needle) {
                return at;
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

/// An open live view in a pseudo-terminal, its screen kept by a terminal
/// emulator from everything it writes.
struct LiveView {
    child: Child,
    screens: mpsc::Receiver<(String, Instant)>,
}

impl LiveView {
    fn start(dir: &std::path::Path, (cols, rows): (u16, u16)) -> Self {
        use std::os::fd::AsRawFd;
        use std::os::unix::process::CommandExt;
        let size = nix::pty::Winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = nix::pty::openpty(Some(&size), None).expect("openpty");
        let slave = pty.slave;
        let mut cmd = Command::new(BIN);
        cmd.args(["--dir", dir.to_str().unwrap(), "open", "INC-1"])
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .stdin(slave.try_clone().unwrap())
            .stdout(slave.try_clone().unwrap())
            .stderr(slave.try_clone().unwrap());
        let tty = slave.as_raw_fd();
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                nix::libc::setsid();
                nix::libc::ioctl(tty, nix::libc::TIOCSCTTY as _, 0);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn the live view");
        drop(slave);
        let mut master = std::fs::File::from(pty.master);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Read;
            let nz = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero size");
            let mut term = vt100::Parser::new(nz(rows), nz(cols), 0);
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = master.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let at = Instant::now();
                term.process(&buf[..n]);
                if tx.send((term.screen().contents(), at)).is_err() {
                    break;
                }
            }
        });
        LiveView { child, screens: rx }
    }

    /// Wait until the screen shows `needle`.
    fn wait(&self, needle: &str) -> Instant {
        loop {
            let (screen, at) = self
                .screens
                .recv_timeout(Duration::from_secs(10))
                .expect("the live view redrew");
            if screen.contains(needle) {
                return at;
            }
        }
    }
}

impl Drop for LiveView {
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
    let base_round = |i: usize| {
        let needle = format!("base-{i}-x");
        let start = Instant::now();
        let mut w = Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s\\n' {needle} >> '{}'", plain.display()))
            .spawn()
            .unwrap();
        let ms = baseline.wait(&needle).duration_since(start).as_secs_f64() * 1e3;
        w.wait().unwrap();
        ms
    };
    // `incident log NEEDLE`, timed until `seen` says the watcher shows it.
    let log_round = |needle: &str, seen: &dyn Fn(&str) -> Instant| {
        let start = Instant::now();
        let mut w = Command::new(BIN)
            .args(["--dir", dir.to_str().unwrap(), "log", needle])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let ms = seen(needle).duration_since(start).as_secs_f64() * 1e3;
        assert!(w.wait().unwrap().success());
        ms
    };
    // The same line appended by this process (no process to start): how
    // long the watcher itself takes to react. Last in each phase: it
    // bypasses the writers' checkpoint, so `recertify` follows it.
    let file = dir.join("INC-1.jsonl");
    let direct_round = |needle: &str, seen: &dyn Fn(&str) -> Instant| {
        use std::io::Write;
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let line = format!(
            "{{\"at\":\"{at}\",\"by\":{{\"user\":\"bench\"}},\"op\":\"log\",\"kind\":\"note\",\"text\":\"{needle}\"}}\n"
        );
        let start = Instant::now();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        f.write_all(line.as_bytes()).unwrap();
        seen(needle).duration_since(start).as_secs_f64() * 1e3
    };
    // One unmeasured `incident log` after the direct lines: it reads the
    // file they changed and leaves a checkpoint, so the next phase's first
    // writer is not the one to pay for that.
    let recertify = |phase: &str, seen: &dyn Fn(&str) -> Instant| {
        log_round(&format!("recertified-{phase}"), seen);
    };

    // Phase 1: `incident tail` follows; the baseline interleaved.
    let mut inc_cmd = Command::new(BIN);
    inc_cmd.args(["--dir", dir.to_str().unwrap(), "tail", "-n", "0"]);
    let follower = Follower::start(inc_cmd);
    std::thread::sleep(Duration::from_millis(300)); // Both watching.
    let (mut base1, mut ours, mut react_tail) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..rounds {
        base1.push(base_round(i));
        ours.push(log_round(&format!("ours-{i}-x"), &|n| follower.wait(n)));
    }
    for i in 0..rounds {
        react_tail.push(direct_round(&format!("direct-tail-{i}-x"), &|n| {
            follower.wait(n)
        }));
    }
    recertify("tail", &|n| follower.wait(n));
    drop(follower);

    // Phase 2: an open live view instead, in a terminal of each size (the
    // whole screen is redrawn, so its size matters). Needles unlike the
    // one before, so a redraw cannot leave parts of one unchanged.
    let word = |i: usize| ["alpha", "bravo", "charlie", "delta"][i % 4];
    let mut views = Vec::new();
    for (n, size) in SIZES.iter().enumerate() {
        let view = LiveView::start(&dir, *size);
        view.wait("INC-1");
        std::thread::sleep(Duration::from_millis(300));
        // Earlier screens cannot hold a new needle: no need to drain them.
        let seen_live = |needle: &str| view.wait(needle);
        let (mut base, mut live, mut react) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..rounds {
            base.push(base_round((2 + n) * rounds + i));
            live.push(log_round(&format!("{}-live{n}-{i}", word(i)), &seen_live));
        }
        for i in 0..rounds {
            react.push(direct_round(
                &format!("{}-direct{n}-{i}", word(i)),
                &seen_live,
            ));
        }
        recertify(&format!("live{n}"), &seen_live);
        views.push((*size, stats(base), stats(live), stats(react)));
    }

    let (b1, b1p) = stats(base1);
    let (om, op) = stats(ours);
    let (rt, _) = stats(react_tail);
    println!(
        "baseline  sh printf >> file, tail -F: median {b1:.2} ms  p99 {b1p:.2} ms  ({rounds} rounds)"
    );
    println!(
        "incident  log -> incident tail:       median {om:.2} ms  p99 {op:.2} ms  ({:.2}x baseline median)",
        om / b1
    );
    for ((w, h), (b2, _), (lm, lp), _) in &views {
        println!(
            "incident  log -> open live view {w}x{h}: median {lm:.2} ms  p99 {lp:.2} ms  ({:.2}x baseline median of {b2:.2} ms, measured beside it)",
            lm / b2
        );
    }
    let reacts: Vec<String> = views
        .iter()
        .map(|((w, h), _, _, (r, _))| format!("live view {w}x{h} {r:.2} ms"))
        .collect();
    println!(
        "(reacting to a line already written: incident tail {rt:.2} ms, {})",
        reacts.join(", ")
    );
}
