//! What the listener benchmarks share: the real Alertmanager payload for
//! a group, a running `incident listen` (stopped on drop) and one POST.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_incident");

/// The real Alertmanager payload the tests keep, as group `g` of alerts
/// named `name` followed by the group's number.
pub fn payload(name: &str, g: usize) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager/alertmanager-v4-firing.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["groupKey"] = format!("{{}}:{{alertname=\"{name}{g}\"}}").into();
    v["commonLabels"]["alertname"] = format!("{name}{g}").into();
    v.to_string().into_bytes()
}

pub struct Listener(Child);

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `incident listen` on a free loopback port, started through `wrapper`
/// (a command and its arguments, e.g. `prlimit --nofile=1024`) if one is
/// given; returns once it accepts connections.
pub fn listen(dir: &Path, wrapper: &[&str], extra: &[&str]) -> (Listener, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    let child = command
        .arg("--dir")
        .arg(dir)
        .args(["listen", "--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .env_remove("INCIDENT_DIR")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {wrapper:?} incident listen: {e}"));
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "listener did not come up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (Listener(child), port)
}

/// POST `body` to `path`; the status code and how long the answer took.
pub fn post(port: u16, path: &str, body: &[u8]) -> (u16, Duration) {
    let t = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    let code = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, t.elapsed())
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
