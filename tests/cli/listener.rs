//! A running `incident listen` on a free loopback port, and plain HTTP/1.1
//! requests to it: what the webhook and page tests share.

use crate::common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running `incident listen`, stopped on drop.
pub struct Listener {
    child: Child,
    pub port: u16,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Listener {
    /// A listener started some other way (under `prlimit`, say), already
    /// accepting on `port`.
    pub fn from_child(child: Child, port: u16) -> Listener {
        Listener { child, port }
    }

    #[cfg_attr(target_os = "macos", allow(dead_code))] // (SIGHUP for the HTTPS test)
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ctrl-C, as a person stops it; its exit status, waited for at most
    /// `within` (None if it is still running).
    pub fn interrupt(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
        let end = Instant::now() + within;
        while Instant::now() < end {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn listen(dir: &Path, extra: &[&str]) -> Listener {
    listen_on(dir, &format!("127.0.0.1:{}", free_port()), extra)
}

/// Listen on `addr` (its port must be given); wait until it accepts.
pub fn listen_on(dir: &Path, addr: &str, extra: &[&str]) -> Listener {
    listen_with(dir, addr, extra, Stdio::null())
}

/// Listen on a free port with its standard error (the journal) written
/// to the file `journal`.
pub fn listen_journaled(dir: &Path, extra: &[&str], journal: &Path) -> Listener {
    let file = std::fs::File::create(journal).unwrap();
    listen_with(
        dir,
        &format!("127.0.0.1:{}", free_port()),
        extra,
        Stdio::from(file),
    )
}

fn listen_with(dir: &Path, addr: &str, extra: &[&str], stderr: Stdio) -> Listener {
    let port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();
    let child = cmd(dir)
        .args(["listen", "--addr", addr])
        .args(extra)
        .stderr(stderr)
        .spawn()
        .unwrap();
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "listener did not come up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Listener { child, port }
}

/// The answer to one request: status, header lines (lower-cased names),
/// body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Send one request and read the whole answer.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

/// POST `body` to `path` with extra headers; returns (status, body).
pub fn post(port: u16, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    let a = request(port, "POST", path, headers, body);
    (a.status, a.body)
}

/// GET `path` with extra headers.
pub fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> Answer {
    request(port, "GET", path, headers, b"")
}
