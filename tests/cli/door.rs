//! The listener's door under an attacker and a flaky network, with real
//! sockets on loopback: stalled uploads under the default service file
//! limit, idle keep-alive connections, a connection cap that refuses at
//! once, and HTTPS from a client that verifies the certificate.

use crate::common::*;
use crate::listener::{Listener, free_port, listen, listen_journaled, post};
use crate::paging::fixture;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Headers and one byte of a body that says it is 1,000 bytes, then
/// nothing.
const STALLED: &[u8] = b"POST /alertmanager HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";

/// `incident listen` started under `prlimit --nofile=LIMIT`, as systemd
/// starts a service by default.
fn listen_limited(dir: &Path, nofile: u32, extra: &[&str], journal: &Path) -> Listener {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let child = std::process::Command::new("prlimit")
        .arg(format!("--nofile={nofile}"))
        .arg(BIN)
        .arg("--dir")
        .arg(dir)
        .args(["listen", "--addr", &addr])
        .args(extra)
        .env_remove("INCIDENT_DIR")
        .env_remove("INCIDENT_POLL")
        .stdin(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(journal).unwrap()))
        .spawn()
        .expect("prlimit (util-linux) runs");
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "listener did not come up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Listener::from_child(child, port)
}

/// Whether the listener has closed `s`: a read gives the end (after any
/// answer it wrote) or a reset, before `deadline`.
fn closed_by(s: &mut TcpStream, deadline: Instant) -> bool {
    let mut buf = [0u8; 512];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        s.set_read_timeout(Some(left)).unwrap();
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false;
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn a_thousand_stalled_uploads_under_a_1024_file_limit_leave_room_for_a_real_page_and_are_closed_within_30_s()
 {
    // This test holds a thousand sockets itself.
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
    if soft < 4096 {
        let _ = setrlimit(Resource::RLIMIT_NOFILE, hard.min(8192), hard);
    }
    let tmp = tempfile::tempdir().unwrap();
    let journal = tmp.path().join("journal");
    let dir = tmp.path().join("incidents");
    let l = listen_limited(&dir, 1024, &[], &journal);
    let started = Instant::now();
    let stalled: Vec<TcpStream> = (0..1000)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
            s.write_all(STALLED).unwrap();
            s
        })
        .collect();
    // Let the listener take them all.
    std::thread::sleep(Duration::from_millis(500));
    let asked = Instant::now();
    let (code, body) = post(
        l.port,
        "/alertmanager",
        &[],
        &fixture("alertmanager-v4-firing.json"),
    );
    let took = asked.elapsed();
    assert_eq!(code, 201, "a real page is filed: {body}");
    assert!(took < Duration::from_secs(1), "answered in {took:?}");
    // Every stalled upload is closed within 30 s of being opened.
    let deadline = started + Duration::from_secs(30);
    let open = stalled
        .into_iter()
        .filter(|s| !closed_by(&mut s.try_clone().unwrap(), deadline))
        .count();
    assert_eq!(open, 0, "stalled uploads still open after 30 s");
    let journal = std::fs::read_to_string(&journal).unwrap();
    assert!(
        journal.contains("outcome=timed_out status=408"),
        "stalled bodies are journaled as timed out:\n{}",
        journal.lines().take(8).collect::<Vec<_>>().join("\n")
    );
    assert!(
        !journal.contains("outcome=busy"),
        "none of 1,001 was refused under a 1,024 limit"
    );
}

#[test]
fn headers_that_never_end_and_an_idle_keep_alive_are_closed_after_the_header_timeout() {
    let tmp = tempfile::tempdir().unwrap();
    let l = listen(tmp.path(), &["--header-timeout", "1"]);
    let mut half = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    half.write_all(b"POST /alertmanager HTTP/1.1\r\nHost: local")
        .unwrap();
    let mut idle = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    idle.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut silent = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(4);
    assert!(closed_by(&mut half, deadline), "half-sent headers closed");
    assert!(closed_by(&mut idle, deadline), "idle keep-alive closed");
    assert!(
        closed_by(&mut silent, deadline),
        "a connection that says nothing closed"
    );
}

#[test]
fn a_stalled_body_gets_408_and_connections_over_the_cap_are_answered_503_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let journal = tmp.path().join("journal");
    let l = listen_journaled(
        &tmp.path().join("incidents"),
        &["--request-timeout", "1", "--max-connections", "2"],
        &journal,
    );
    // The connection that saw it come up is let go first.
    std::thread::sleep(Duration::from_millis(500));
    let mut a = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    a.write_all(STALLED).unwrap();
    let mut b = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    b.write_all(STALLED).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let asked = Instant::now();
    let (code, body) = post(l.port, "/alertmanager", &[], b"{}");
    assert_eq!(code, 503, "over the cap: {body}");
    assert!(body.contains("try again"), "{body}");
    assert!(
        asked.elapsed() < Duration::from_millis(500),
        "refused at once"
    );
    let mut answer = String::new();
    a.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = a.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("send it again whole"), "{answer}");
    assert!(closed_by(&mut b, Instant::now() + Duration::from_secs(3)));
    // With room again, a page is taken.
    let (code, _) = post(
        l.port,
        "/alertmanager",
        &[],
        &fixture("alertmanager-v4-firing.json"),
    );
    assert_eq!(code, 201);
    let journal = std::fs::read_to_string(&journal).unwrap();
    assert!(
        journal.contains(" - - source=- event=- outcome=busy status=503 incident=-"),
        "{journal}"
    );
    assert!(
        journal.contains("POST /alertmanager source=- event=- outcome=timed_out status=408"),
        "{journal}"
    );
    for line in journal.lines().filter(|l| l.contains(" status=")) {
        assert!(
            !line.contains('{') && !line.contains("alertname") && !line.contains("1000"),
            "nothing of a request in the journal: {line}"
        );
    }
}
