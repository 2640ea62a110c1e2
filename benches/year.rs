//! A year of incidents: `active` (the login hint), `list`, `page` and
//! `screen` with 30 closed incidents behind the active one, and with
//! 3,000, each closed incident about 40 entries with a page and a resolve.
//! Budget: at 3,000 each command within 1.5x of its figure at 30, and on
//! GlusterFS `active` <= 50 ms, `list` <= 100 ms, `page` <= 150 ms,
//! `screen` <= 150 ms. Beside them, in the same run, the baseline: `cat`
//! of the one active incident's file (a process reading one file there).
//!
//! On GlusterFS when this machine can mount it (root, /dev/fuse,
//! glusterd: the volume is made here and mounted twice, the directories
//! built through one mount and measured through the other, as a second
//! jump box sees them), else on a local disk. The closed incidents are
//! written as files, as a year of an older version would have left them;
//! the first command then builds the index, and that one run is reported
//! on its own.
//!
//! `cargo bench --bench year` measures (5 runs of each, medians); under
//! `cargo test` it runs once on a local disk with 30 and 300 as a check
//! that each command answers and `page` joins and declares right.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_incident");

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let (big, runs) = if measuring { (3000, 5) } else { (300, 1) };
    let gluster = if measuring { Gluster::start() } else { None };
    let tmp = tempfile::tempdir().unwrap();
    let (build_root, measure_root, medium) = match &gluster {
        Some(g) => (
            g.mounts[0].clone(),
            g.mounts[1].clone(),
            "GlusterFS, two mounts",
        ),
        None => (
            tmp.path().to_path_buf(),
            tmp.path().to_path_buf(),
            "local disk",
        ),
    };
    println!("a year of incidents on {medium}; medians of {runs} runs");
    let columns = [30, big];
    let mut rows: Vec<(String, Vec<Duration>)> = Vec::new();
    let mut firsts = Vec::new();
    for closed in &columns {
        let name = format!("year-{closed}");
        let build = build_root.join(&name);
        let dir = measure_root.join(&name);
        let active = build_directory(&build, *closed);
        // As on the first day after an upgrade: no index yet.
        std::fs::remove_dir_all(build.join(".index")).unwrap();
        let t = Instant::now();
        run(&dir, &["active"], None);
        firsts.push(t.elapsed());
        let mut each = |label: &str, args: &[&str], group: Option<&str>| {
            let mut times: Vec<Duration> = (0..runs)
                .map(|n| {
                    let input = group.map(|g| alert(g, n));
                    let t = Instant::now();
                    run(&dir, args, input);
                    t.elapsed()
                })
                .collect();
            times.sort();
            let median = times[times.len() / 2];
            match rows.iter_mut().find(|(l, _)| l == label) {
                Some((_, v)) => v.push(median),
                None => rows.push((label.to_string(), vec![median])),
            }
        };
        each("cat (baseline)", &["--cat", &active], None);
        each("incident active", &["active"], None);
        each("incident list", &["list"], None);
        each("incident page (declare)", &["page", "-"], Some("new"));
        each("incident page (join)", &["page", "-"], Some("same"));
        each("incident screen", &["screen", "-i", &active], None);
        check_page_joins(&dir);
    }
    println!(
        "{:<26} {:>12} {:>12} {:>7}",
        "",
        format!("{} closed", columns[0]),
        format!("{} closed", columns[1]),
        "ratio"
    );
    for (label, v) in &rows {
        println!(
            "{label:<26} {:>9.1} ms {:>9.1} ms {:>6.2}x",
            ms(v[0]),
            ms(v[1]),
            ms(v[1]) / ms(v[0])
        );
    }
    println!(
        "first command after an upgrade (builds the index): {:.0} ms at {}, {:.0} ms at {}",
        ms(firsts[0]),
        columns[0],
        ms(firsts[1]),
        columns[1]
    );
    drop(gluster);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// An Alertmanager webhook (the checked-in sample, see
/// tests/fixtures/pager/SOURCES.md): group "same" every time, or "new", a
/// group of its own for run `n`.
fn alert(group: &str, n: usize) -> Vec<u8> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager/alertmanager-v4-firing.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture).unwrap()).unwrap();
    let key = if group == "new" {
        format!("{{}}:{{alertname=\"bench-new-{n}\"}}")
    } else {
        "{}:{alertname=\"bench-same\"}".to_string()
    };
    v["groupKey"] = serde_json::Value::from(key);
    serde_json::to_vec(&v).unwrap()
}

/// Run the binary in `dir` (or `cat` the file for the baseline).
fn run(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) {
    let mut cmd = if args[0] == "--cat" {
        let mut c = Command::new("cat");
        c.arg(dir.join(format!("{}.jsonl", args[1])));
        c
    } else {
        let mut c = Command::new(BIN);
        c.args(args).env("INCIDENT_DIR", dir);
        c
    };
    cmd.env("HOME", dir.parent().unwrap())
        .env("XDG_STATE_HOME", dir.parent().unwrap())
        .env_remove("INCIDENT_ID")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(bytes) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&bytes).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success() || args == ["active"] && o.status.code() == Some(1),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The same alert paged again joins the incident it declared.
fn check_page_joins(dir: &Path) {
    let o = Command::new(BIN)
        .args(["page", "--json", "-"])
        .env("INCIDENT_DIR", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(&alert("same", 0))?;
            c.wait_with_output()
        })
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_ne!(v["outcome"], "declared", "{v}");
}

/// `closed` resolved incidents written as files, then one active incident
/// declared through the binary. Returns the active one's id.
fn build_directory(dir: &Path, closed: usize) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let template = closed_incident();
    for n in 1..=closed {
        let id = format!("INC-{n}");
        let text = template
            .replacen("\"id\":\"INC-0\"", &format!("\"id\":\"{id}\""), 1)
            .replace("bench-closed-0", &format!("bench-closed-{n}"));
        std::fs::write(dir.join(format!("{id}.jsonl")), text).unwrap();
    }
    let o = Command::new(BIN)
        .args([
            "declare",
            "--title",
            "Payments failing",
            "--severity",
            "SEV1",
        ])
        .env("INCIDENT_DIR", dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// A closed incident of about 40 entries: paged, a commander, notes, an
/// assumption, a mitigation, mitigated, resolved.
fn closed_incident() -> String {
    use chrono::{TimeZone, Utc};
    use incident::model::{Actor, LogKind, Role, Severity, Status};
    use incident::ops::{Op, Record};
    let t0 = Utc.with_ymd_and_hms(2026, 1, 10, 3, 0, 0).unwrap();
    let mut out = String::from(
        r#"{"schema":1,"id":"INC-0","created_at":"2026-01-10T03:00:00Z","created_by":{"user":"alice"}}"#,
    );
    out.push('\n');
    let by = Actor::named("alice");
    let mut line = |minute: i64, op: Op| {
        let rec = Record {
            at: t0 + chrono::Duration::minutes(minute),
            by: by.clone(),
            op,
        };
        out.push_str(&serde_json::to_string(&rec).unwrap());
        out.push('\n');
    };
    line(
        0,
        Op::Declare {
            title: "p99 latency of payments above 2s".into(),
            severity: Severity::Sev2,
            roles: Vec::new(),
        },
    );
    line(
        0,
        Op::Paged {
            source: "Alertmanager".into(),
            key: "alertmanager:{}:{alertname=\"bench-closed-0\"}".into(),
            state: "triggered".into(),
            acked_by: None,
            title: "p99 latency of payments above 2s".into(),
            severity: None,
            links: Vec::new(),
            events_key: None,
            times: None,
            delivery: None,
        },
    );
    line(
        1,
        Op::SetRole {
            role: Role::Commander,
            user: Some("alice".into()),
        },
    );
    for n in 0..32 {
        line(
            2 + n,
            Op::Log {
                kind: LogKind::Note,
                text: format!(
                    "checked the payments pool, step {n}: connections at {}%",
                    60 + n
                ),
            },
        );
    }
    line(
        35,
        Op::SetStatus {
            status: Status::Mitigated,
            force: true,
            keep_freeze: false,
        },
    );
    line(
        40,
        Op::SetStatus {
            status: Status::Resolved,
            force: true,
            keep_freeze: false,
        },
    );
    out
}

/// A GlusterFS volume mounted twice, made and removed here.
struct Gluster {
    volume: String,
    brick: PathBuf,
    mounts: Vec<PathBuf>,
}

fn sh(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Gluster {
    fn start() -> Option<Gluster> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if !root || !Path::new("/dev/fuse").exists() || !sh("gluster", &["--version"]) {
            eprintln!(
                "GlusterFS not available here (needs root, /dev/fuse, glusterfs-server): measuring on a local disk"
            );
            return None;
        }
        if !sh("pgrep", &["-x", "glusterd"]) {
            sh("glusterd", &[]);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while !sh("gluster", &["--mode=script", "volume", "list"]) {
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let volume = format!("ybench{}", std::process::id());
        let brick = PathBuf::from(format!("/srv/incident-bench-bricks/{volume}"));
        std::fs::create_dir_all(&brick).unwrap();
        let host = String::from_utf8(Command::new("hostname").output().unwrap().stdout).unwrap();
        let spec = format!("{}:{}", host.trim(), brick.display());
        let mut g = Gluster {
            volume: volume.clone(),
            brick,
            mounts: Vec::new(),
        };
        if !sh(
            "gluster",
            &["--mode=script", "volume", "create", &volume, &spec, "force"],
        ) || !sh("gluster", &["--mode=script", "volume", "start", &volume])
        {
            return None;
        }
        for name in ["boxA", "boxB"] {
            let point = PathBuf::from(format!("/mnt/{volume}-{name}"));
            std::fs::create_dir_all(&point).unwrap();
            let source = format!("localhost:/{volume}");
            let mounted = (0..50).any(|_| {
                sh(
                    "mount",
                    &["-t", "glusterfs", &source, point.to_str().unwrap()],
                ) || {
                    std::thread::sleep(Duration::from_millis(200));
                    false
                }
            });
            if !mounted {
                return None;
            }
            g.mounts.push(point);
        }
        Some(g)
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
        sh(
            "gluster",
            &["--mode=script", "volume", "stop", &self.volume, "force"],
        );
        sh(
            "gluster",
            &["--mode=script", "volume", "delete", &self.volume],
        );
        let _ = std::fs::remove_dir_all(&self.brick);
    }
}
