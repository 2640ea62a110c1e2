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
    packages::need(
        "the listener's file-limit tests",
        &[("prlimit", "util-linux")],
    );
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
    // (1 s is the budget, measured on a release build by `cargo bench
    // --bench door`; a debug build on a busy CI machine gets some slack.)
    assert!(took < Duration::from_secs(3), "answered in {took:?}");
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
        &["--request-timeout", "4", "--max-connections", "2"],
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
    // At once: long before either stalled upload's 4 s are up.
    assert!(asked.elapsed() < Duration::from_secs(2), "refused at once");
    let mut answer = String::new();
    a.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let _ = a.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("send it again whole"), "{answer}");
    assert!(closed_by(&mut b, Instant::now() + Duration::from_secs(10)));
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

// HTTPS is built for the Linux jump box only (see src/listen/tls.rs).
#[cfg(not(target_os = "macos"))]
/// A certificate authority and a certificate for localhost and
/// 127.0.0.1 signed by it, made with `openssl` in `dir` as `NAME-ca.pem`,
/// `NAME.pem` and `NAME.key`.
fn make_cert(dir: &Path, name: &str) {
    packages::need("the HTTPS tests of the listener", &[("openssl", "openssl")]);
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let (ca, ca_key) = (format!("{name}-ca.pem"), format!("{name}-ca.key"));
    let (leaf, key, csr) = (
        format!("{name}.pem"),
        format!("{name}.key"),
        format!("{name}.csr"),
    );
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let subj = format!("/CN={name} test CA");
    let mut a = vec!["req", "-x509"];
    a.extend(ec);
    a.extend([
        "-keyout", &ca_key, "-out", &ca, "-days", "2", "-subj", &subj,
    ]);
    run(&a);
    let mut a = vec!["req"];
    a.extend(ec);
    a.extend(["-keyout", &key, "-out", &csr, "-subj", "/CN=localhost"]);
    run(&a);
    let ext = format!("{name}.ext");
    std::fs::write(
        dir.join(&ext),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-out",
        &leaf,
        "-days",
        "2",
        "-extfile",
        &ext,
    ]);
}

// HTTPS is built for the Linux jump box only (see src/listen/tls.rs).
#[cfg(not(target_os = "macos"))]
/// POST over HTTPS to 127.0.0.1, trusting only the authority in
/// `ca_file` and checking the name: the status, or the TLS error.
fn post_tls(port: u16, ca_file: &Path, path: &str, body: &[u8]) -> Result<u16, String> {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(ca_file).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let conn = rustls::ClientConnection::new(std::sync::Arc::new(config), name).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut tls = rustls::StreamOwned::new(conn, sock);
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    tls.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
    tls.write_all(body).map_err(|e| e.to_string())?;
    let mut resp = Vec::new();
    match tls.read_to_end(&mut resp) {
        Ok(_) => {}
        Err(e) if !resp.is_empty() && e.kind() == ErrorKind::UnexpectedEof => {}
        Err(e) => return Err(e.to_string()),
    }
    let resp = String::from_utf8_lossy(&resp);
    resp.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no answer: {resp}"))
}

// HTTPS is built for the Linux jump box only (see src/listen/tls.rs).
#[cfg(not(target_os = "macos"))]
#[test]
fn https_with_tls_cert_and_key_verified_by_the_client_and_a_renewed_certificate_served_after_sighup()
 {
    let tmp = tempfile::tempdir().unwrap();
    let certs = tmp.path();
    make_cert(certs, "old");
    make_cert(certs, "new");
    let (cert, key) = (certs.join("served.pem"), certs.join("served.key"));
    std::fs::copy(certs.join("old.pem"), &cert).unwrap();
    std::fs::copy(certs.join("old.key"), &key).unwrap();
    let journal = certs.join("journal");
    let l = listen_journaled(
        &certs.join("incidents"),
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
        &journal,
    );
    let page = fixture("alertmanager-v4-firing.json");
    assert_eq!(
        post_tls(l.port, &certs.join("old-ca.pem"), "/alertmanager", &page),
        Ok(201)
    );
    // Plain HTTP to an HTTPS port is not served.
    assert_ne!(post(l.port, "/alertmanager", &[], &page).0, 201);
    // The certificate renews: new files, then SIGHUP.
    std::fs::copy(certs.join("new.pem"), &cert).unwrap();
    std::fs::copy(certs.join("new.key"), &key).unwrap();
    let pid = nix::unistd::Pid::from_raw(l.pid() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGHUP).unwrap();
    let start = Instant::now();
    while post_tls(l.port, &certs.join("new-ca.pem"), "/alertmanager", &page) != Ok(200) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the renewed certificate is served after SIGHUP"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let old = post_tls(l.port, &certs.join("old-ca.pem"), "/alertmanager", &page);
    assert!(
        old.is_err(),
        "the old authority no longer verifies it: {old:?}"
    );
    // A bad file on SIGHUP: said, and the certificate served stays.
    std::fs::write(&key, "not a key\n").unwrap();
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGHUP).unwrap();
    // The journal says so once the reload was tried.
    let said = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&journal)
        .unwrap_or_default()
        .contains("still serving the certificate loaded before")
        && Instant::now() < said
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        post_tls(l.port, &certs.join("new-ca.pem"), "/alertmanager", &page),
        Ok(200)
    );
    let journal = std::fs::read_to_string(&journal).unwrap();
    assert!(journal.contains("pages on https://127.0.0.1"), "{journal}");
    assert!(
        journal.contains("no private key in it")
            && journal.contains("still serving the certificate loaded before"),
        "{journal}"
    );
}

// HTTPS is built for the Linux jump box only (see src/listen/tls.rs).
#[cfg(not(target_os = "macos"))]
#[test]
fn bad_tls_files_are_refused_naming_the_file_and_what_is_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    make_cert(d, "a");
    make_cert(d, "b");
    std::fs::write(d.join("junk.pem"), "hello\n").unwrap();
    let s = |p: &str| d.join(p).to_str().unwrap().to_string();
    let cases = [
        (s("missing.pem"), s("a.key"), "--tls-cert", "cannot read it"),
        (
            s("junk.pem"),
            s("a.key"),
            "--tls-cert",
            "no certificate in it",
        ),
        (
            s("a.pem"),
            s("junk.pem"),
            "--tls-key",
            "no private key in it",
        ),
        (
            s("a.pem"),
            s("b.key"),
            "--tls-key",
            "does not fit --tls-cert",
        ),
    ];
    for (cert, key, flag, why) in cases {
        let out = cmd(d)
            .args(["listen", "--addr", &format!("127.0.0.1:{}", free_port())])
            .args(["--tls-cert", &cert, "--tls-key", &key])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(flag) && err.contains(why),
            "{flag} {why}: {err}"
        );
        let named = if flag == "--tls-cert" { &cert } else { &key };
        assert!(err.contains(named.as_str()), "names {named}: {err}");
    }
}

#[test]
fn a_request_that_is_not_http_gets_400_and_its_journal_line_without_a_byte_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let journal = tmp.path().join("journal");
    let l = listen_journaled(&tmp.path().join("incidents"), &[], &journal);
    let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    s.write_all(b"SECRET-TOKEN garbage \x01\r\n\r\n").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let mut big = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Token: SECRET-TOKEN{}\r\n\r\n",
        "a".repeat(600_000)
    );
    let _ = big.write_all(huge.as_bytes());
    big.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = String::new();
    let _ = big.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    std::thread::sleep(Duration::from_millis(200));
    let journal = std::fs::read_to_string(&journal).unwrap();
    assert!(
        journal.contains(" - - source=- event=- outcome=malformed status=400 incident=-"),
        "{journal}"
    );
    assert!(
        journal.contains(" - - source=- event=- outcome=too_large status=431 incident=-"),
        "{journal}"
    );
    assert!(!journal.contains("SECRET"), "{journal}");
}
