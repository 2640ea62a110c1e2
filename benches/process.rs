//! Whole-process budgets, each beside a baseline measured in the same run:
//!
//! - open when paged: `incident screen` on a 10,000-entry incident against
//!   a minimal program (this binary, re-run) that only reads the file and
//!   parses every line with serde_json into owned structs; and 50,000
//!   entries with 1,000 systems;
//! - `incident log` on a 10,000-entry incident against a 10-entry one;
//! - 20 concurrent writers: appends per second in total, nothing lost;
//! - an open live view left idle: CPU, wake-ups and resident memory, one
//!   copy and 20 copies on one incident (run in tmux, a real terminal).
//!
//! `cargo bench --bench process` measures (`-- open log writers idle`
//! picks parts); under `cargo test` it runs a
//! few rounds of each as a smoke test (the idle part needs tmux).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_incident");
const BASELINE_ENV: &str = "INCIDENT_BENCH_PARSE_ONLY";

#[path = "support/incident_file.rs"]
mod incident_file;
use incident_file::{parse_only, write_incident};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time_ms(mut cmd: impl FnMut() -> Command, rounds: usize) -> f64 {
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let mut c = cmd();
        c.stdout(Stdio::null()).stderr(Stdio::piped());
        let t = Instant::now();
        let out = c.output().expect("spawn");
        samples.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    median(samples)
}

fn incident(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--dir").arg(dir).args(args);
    c
}

fn open_when_paged(tmp: &Path, rounds: usize) {
    let dir = tmp.join("open");
    let path = write_incident(&dir, "INC-1", 10_000, 0);
    let me = std::env::current_exe().unwrap();
    let base = time_ms(
        || {
            let mut c = Command::new(&me);
            c.env(BASELINE_ENV, &path);
            c
        },
        rounds,
    );
    let screen = time_ms(
        || incident(&dir, &["screen", "-i", "INC-1", "--size", "160x48"]),
        rounds,
    );
    println!(
        "open when paged, 10,000 entries: `incident screen` {screen:.2} ms vs read+parse only {base:.2} ms ({:.2}x; budget 2x)",
        screen / base
    );
    let big = tmp.join("big");
    write_incident(&big, "INC-1", 50_000, 1_000);
    let screen = time_ms(
        || incident(&big, &["screen", "-i", "INC-1", "--size", "160x48"]),
        rounds.min(21),
    );
    println!(
        "open when paged, 50,000 entries and 1,000 systems: `incident screen` {screen:.2} ms (budget 200 ms)"
    );
}

fn log_does_not_grow(tmp: &Path, rounds: usize) {
    let mut ms = Vec::new();
    for entries in [10, 10_000, 50_000] {
        let dir = tmp.join(format!("log-{entries}"));
        write_incident(&dir, "INC-1", entries, 0);
        ms.push(time_ms(
            || incident(&dir, &["log", "-i", "INC-1", "checked the pool"]),
            rounds,
        ));
    }
    println!(
        "`incident log`: {:.2} ms on 10,000 entries and {:.2} ms on 50,000 vs {:.2} ms on 10 ({:.2}x and {:.2}x; budget 15 ms, flat)",
        ms[1],
        ms[2],
        ms[0],
        ms[1] / ms[0],
        ms[2] / ms[0]
    );
}

fn throughput(tmp: &Path, each: usize) {
    let dir = tmp.join("writers");
    write_incident(&dir, "INC-1", 0, 0);
    let t = Instant::now();
    let children: Vec<_> = (0..20)
        .map(|w| {
            let script = format!(
                "for i in $(seq 1 {each}); do {BIN} --dir {} log -i INC-1 \"w{w} n$i\" >/dev/null || exit 1; done",
                dir.display()
            );
            Command::new("sh").arg("-c").arg(script).spawn().unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a writer failed");
    }
    let secs = t.elapsed().as_secs_f64();
    let body = std::fs::read_to_string(dir.join("INC-1.jsonl")).unwrap();
    for w in 0..20 {
        let mut last = 0;
        for n in 1..=each {
            let needle = format!("\"w{w} n{n}\"");
            let at = body
                .find(&needle)
                .unwrap_or_else(|| panic!("lost {needle}"));
            assert!(at >= last, "writer {w} out of order at {n}");
            last = at;
        }
    }
    let total = 20 * each;
    println!(
        "20 concurrent writers: {total} appends in {secs:.2} s = {:.0} appends/s, none lost, each writer's order kept (budget 300/s)",
        total as f64 / secs
    );
}

fn tmux(args: &[&str]) -> Option<String> {
    let out = Command::new("tmux").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// (user+system clock ticks, voluntary context switches, resident kB).
fn proc_stats(pid: &str) -> (u64, u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f.get(11).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    let mut ctx = 0;
    let mut rss = 0;
    // Count every thread's wake-ups, not just the main thread's.
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for t in tasks.flatten() {
            let status = std::fs::read_to_string(t.path().join("status")).unwrap_or_default();
            for l in status.lines() {
                if let Some(v) = l.strip_prefix("voluntary_ctxt_switches:") {
                    ctx += v.trim().parse::<u64>().unwrap_or(0);
                }
            }
        }
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    for l in status.lines() {
        if let Some(v) = l.strip_prefix("VmRSS:") {
            rss = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
        }
    }
    (ticks, ctx, rss)
}

fn idle(tmp: &Path, copies: usize, secs: u64) {
    if tmux(&["-V"]).is_none() {
        println!("idle: skipped (no tmux)");
        return;
    }
    let dir = tmp.join(format!("idle{copies}"));
    write_incident(&dir, "INC-1", 10_000, 0);
    let socket = tmp.join(format!("tmux{copies}"));
    let sock = socket.to_str().unwrap();
    let mut pids = Vec::new();
    for n in 0..copies {
        let name = format!("s{n}");
        let cmd = format!(
            "INCIDENT_NAME=u{n} INCIDENT_STATE_DIR={}/state{n} exec {BIN} --dir {} open INC-1",
            tmp.display(),
            dir.display()
        );
        tmux(&[
            "-S",
            sock,
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "160",
            "-y",
            "48",
            &cmd,
        ])
        .expect("tmux session");
        pids.push(
            tmux(&[
                "-S",
                sock,
                "display-message",
                "-p",
                "-t",
                &name,
                "#{pane_pid}",
            ])
            .unwrap(),
        );
    }
    // Let them load, draw and finish the opening breath, then measure.
    std::thread::sleep(std::time::Duration::from_secs(3));
    for n in 0..copies {
        tmux(&["-S", sock, "send-keys", "-t", &format!("s{n}"), "Escape"]);
    }
    std::thread::sleep(std::time::Duration::from_secs(1));
    let before: Vec<_> = pids.iter().map(|p| proc_stats(p)).collect();
    std::thread::sleep(std::time::Duration::from_secs(secs));
    let after: Vec<_> = pids.iter().map(|p| proc_stats(p)).collect();
    let _ = tmux(&["-S", sock, "kill-server"]);
    let hz = 100.0; // USER_HZ on Linux
    let ticks: u64 = before.iter().zip(&after).map(|(b, a)| a.0 - b.0).sum();
    let wakeups: u64 = before.iter().zip(&after).map(|(b, a)| a.1 - b.1).sum();
    let rss = after.iter().map(|a| a.2).max().unwrap_or(0);
    let cpu = ticks as f64 / hz / secs as f64 * 100.0;
    println!(
        "idle, {copies} open live view(s) on 10,000 entries for {secs} s: {cpu:.2}% of a core in total, {:.1} wake-ups/s per copy, resident {:.1} MB (budgets: 1 copy 0.5%, 20 copies 5%, 20 MB)",
        wakeups as f64 / secs as f64 / copies as f64,
        rss as f64 / 1024.0
    );
}

fn main() {
    if let Some(path) = std::env::var_os(BASELINE_ENV) {
        parse_only(Path::new(&path));
        return;
    }
    let measuring = std::env::args().any(|a| a == "--bench");
    let tmp = tempfile::tempdir().unwrap();
    let (rounds, each, idle_secs) = if measuring { (41, 50, 60) } else { (3, 3, 2) };
    // `cargo bench --bench process -- log idle` runs only those parts.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    if wanted("open") {
        open_when_paged(tmp.path(), rounds);
    }
    if wanted("log") {
        log_does_not_grow(tmp.path(), rounds);
    }
    if wanted("writers") {
        throughput(tmp.path(), each);
    }
    if wanted("idle") {
        idle(tmp.path(), 1, idle_secs);
        idle(tmp.path(), 20, if measuring { 30 } else { 2 });
    }
}
