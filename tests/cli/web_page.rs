//! The read-only page `incident listen` serves to onlookers: what it
//! shows, that nothing on it writes, the viewer token, and the live feed.

use crate::common::*;
use crate::listener::{Answer, free_port, get, listen, listen_on, request};
use crate::paging::{fixture, page};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn token_file(dir: &std::path::Path, name: &str, token: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, format!("{token}\n")).unwrap();
    p.to_str().unwrap().to_string()
}

fn assert_guarded(a: &Answer) {
    let csp = a.header("content-security-policy").unwrap_or("");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

#[test]
fn the_pages_show_the_active_incidents_and_one_incident_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let id = declare(&dir, "<script>alert(1)</script> Checkout errors");
    ok(
        &dir,
        &[
            "update",
            "-i",
            &id,
            "Card payments fail for some <b>EU</b> customers",
        ],
    );
    assert!(
        page(&dir, &fixture("pagerduty-v3-hostile.json"), &[])
            .status
            .success()
    );
    let l = listen(&dir, &[]);

    let list = get(l.port, "/", &[]);
    assert_eq!(list.status, 200, "{}", list.body);
    assert_guarded(&list);
    assert!(
        list.body.contains("&lt;script&gt;alert(1)"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("<script>alert"), "{}", list.body);
    // Newest first: the page filed INC-2 after INC-1 was declared.
    let (two, one) = (list.body.find("/INC-2\""), list.body.find("/INC-1\""));
    assert!(two.is_some() && two < one, "{}", list.body);

    let inc = get(l.port, "/INC-1", &[]);
    assert_eq!(inc.status, 200);
    assert_guarded(&inc);
    assert!(
        inc.body
            .contains("Card payments fail for some &lt;b&gt;EU&lt;/b&gt;"),
        "{}",
        inc.body
    );
    assert!(inc.body.contains("SEV2") && inc.body.contains("investigating"));
    assert!(!inc.body.contains("<form"));

    // The hostile page's terminal escapes and bidi overrides never arrive raw.
    let hostile = get(l.port, "/INC-2", &[]);
    assert_eq!(hostile.status, 200);
    assert!(hostile.body.contains("Disk full on"), "{}", hostile.body);
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}', '\u{0}'] {
        assert!(!hostile.body.contains(bad), "{bad:?} in {}", hostile.body);
    }

    let missing = get(l.port, "/INC-99", &[]);
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("no incident INC-99"),
        "{}",
        missing.body
    );
}

#[test]
fn nothing_on_the_page_can_write_other_methods_get_405() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let id = declare(&dir, "Checkout errors");
    let before = std::fs::read(file_of(&dir, &id)).unwrap();
    let l = listen(&dir, &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/", "/INC-1", "/INC-1/fragment", "/events"] {
            let a = request(l.port, method, path, &[], br#"{"text":"hi"}"#);
            assert_eq!(a.status, 405, "{method} {path}: {}", a.body);
        }
    }
    assert_eq!(std::fs::read(file_of(&dir, &id)).unwrap(), before);
}

#[test]
fn the_viewer_token_is_given_once_then_kept_in_a_strict_cookie() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    declare(&dir, "Checkout errors");
    let viewer = token_file(tmp.path(), "viewer", "s33-me");
    let l = listen(&dir, &["--viewer-token-file", &viewer]);

    for path in [
        "/",
        "/INC-1",
        "/INC-1/fragment",
        "/INC-1/events",
        "/events",
        "/INC-1?token=nope",
    ] {
        let a = get(l.port, path, &[]);
        assert_eq!(a.status, 401, "{path}");
        assert!(
            !a.body.contains("INC-1") && !a.body.contains("Checkout"),
            "{}",
            a.body
        );
        assert!(a.body.contains("viewer token"), "{}", a.body);
    }

    let a = get(l.port, "/INC-1?token=s33-me", &[]);
    assert_eq!(a.status, 303);
    assert_eq!(
        a.header("location"),
        Some("/INC-1"),
        "the token leaves the address"
    );
    let cookie = a.header("set-cookie").unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("s33-me"),
        "the cookie is not the token: {cookie}"
    );
    let pair = cookie.split(';').next().unwrap();
    let a = get(l.port, "//evil.example/x?token=s33-me", &[]);
    assert_eq!(a.header("location"), Some("/"), "never sent off the site");

    let a = get(l.port, "/INC-1", &[("Cookie", pair)]);
    assert_eq!(a.status, 200);
    assert!(a.body.contains("Checkout errors"));
    let a = get(l.port, "/", &[("Cookie", "incident_viewer=0123")]);
    assert_eq!(a.status, 401);
}

#[test]
fn off_loopback_without_a_viewer_token_only_webhooks_are_served() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    declare(&dir, "Checkout errors");
    let hook = token_file(tmp.path(), "hook", "letmein");

    let same = fails(
        &dir,
        &[
            "listen",
            "--addr",
            "0.0.0.0:0",
            "--token-file",
            &hook,
            "--viewer-token-file",
            &hook,
        ],
        2,
    );
    assert!(same.contains("a token of its own"), "{same}");

    let addr = format!("0.0.0.0:{}", free_port());
    let l = listen_on(&dir, &addr, &["--token-file", &hook]);
    let a = get(l.port, "/INC-1", &[]);
    assert_eq!(a.status, 404);
    assert!(a.body.contains("--viewer-token-file"), "{}", a.body);
    assert!(!a.body.contains("Checkout"), "{}", a.body);
}

#[test]
fn a_write_reaches_an_open_page_s_event_stream_within_a_second() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let id = declare(&dir, "Checkout errors");
    declare(&dir, "Another one");
    let l = listen(&dir, &[]);

    let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    s.write_all(b"GET /INC-1/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut seen = String::new();
    let read_for = |s: &mut TcpStream, d: Duration, seen: &mut String| {
        let end = Instant::now() + d;
        let mut buf = [0u8; 4096];
        while Instant::now() < end && !seen.contains("event: change") {
            if let Ok(n) = s.read(&mut buf) {
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    };
    // The stream is open (headers arrived) before anything is written.
    let end = Instant::now() + Duration::from_secs(5);
    while !seen.contains("text/event-stream") && Instant::now() < end {
        read_for(&mut s, Duration::from_millis(100), &mut seen);
    }
    assert!(seen.contains("text/event-stream"), "{seen}");

    // A write to the other incident is not this page's news.
    ok(&dir, &["log", "-i", "INC-2", "elsewhere"]);
    read_for(&mut s, Duration::from_millis(300), &mut seen);
    assert!(!seen.contains("event: change"), "{seen}");

    ok(&dir, &["update", "-i", &id, "Investigating"]);
    let written = Instant::now();
    read_for(&mut s, Duration::from_secs(1), &mut seen);
    assert!(
        seen.contains("event: change"),
        "no change within {:?}: {seen}",
        written.elapsed()
    );
}

#[test]
fn ctrl_c_stops_the_listener_while_a_page_is_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    declare(&dir, "Checkout errors");
    let mut l = listen(&dir, &[]);
    let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    s.write_all(b"GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    assert!(
        String::from_utf8_lossy(&buf[..n]).contains("200"),
        "the stream is open"
    );
    let status = l.interrupt(Duration::from_secs(5));
    assert!(
        status.is_some_and(|s| s.success()),
        "{status:?}: an open page kept the listener running"
    );
}
