//! A page storm through `incident listen`, as Alertmanager replicas and
//! retries deliver it: several clients posting Alertmanager webhooks for a
//! set of alert groups as fast as they are answered, every group's first
//! deliveries racing each other. Budget: every webhook answered 2xx, one
//! incident per alert group, p99 under a second.
//!
//! Beside it, in the same run, the baseline: the same clients posting a
//! body the listener refuses at once (400, nothing filed), which is the
//! HTTP round trip and the process around it without the filing.
//!
//! `cargo bench --bench storm` measures (8 clients, 400 webhooks, 20
//! groups); under `cargo test` it runs a few webhooks as a smoke test.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_incident");

/// The real Alertmanager payload the tests keep, as group `g`.
fn payload(g: usize) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager/alertmanager-v4-firing.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["groupKey"] = format!("{{}}:{{alertname=\"Storm{g}\"}}").into();
    v["commonLabels"]["alertname"] = format!("Storm{g}").into();
    v.to_string().into_bytes()
}

struct Listener(Child);

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn listen(dir: &Path) -> (Listener, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .args(["listen", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("INCIDENT_DIR")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
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
    (Listener(child), port)
}

/// POST `body` to `path`; the status code.
fn post(port: u16, path: &str, body: &[u8]) -> u16 {
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
    resp.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// `clients` threads, each posting `each` bodies; every (status, latency).
type Body = std::sync::Arc<dyn Fn(usize, usize) -> Vec<u8> + Send + Sync>;

fn storm(port: u16, clients: usize, each: usize, body: Body) -> (Vec<(u16, Duration)>, Duration) {
    let t = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let body = body.clone();
            std::thread::spawn(move || {
                (0..each)
                    .map(|n| {
                        let b = body(c, n);
                        let t = Instant::now();
                        let code = post(port, "/alertmanager", &b);
                        (code, t.elapsed())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let all = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    (all, t.elapsed())
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let (clients, each, groups_n) = if measuring { (8, 50, 20) } else { (3, 4, 3) };
    let tmp = tempfile::tempdir().unwrap();

    // The baseline: the same clients, a body refused at once.
    let (_l, port) = listen(&tmp.path().join("baseline"));
    let (base, _) = storm(
        port,
        clients,
        each,
        std::sync::Arc::new(|_, _| b"{\"alerts\": 1}".to_vec()),
    );
    assert!(
        base.iter().all(|(c, _)| *c == 400),
        "the baseline is refused"
    );
    let mut base: Vec<Duration> = base.into_iter().map(|(_, d)| d).collect();
    base.sort();

    let dir = tmp.path().join("storm");
    let (_l, port) = listen(&dir);
    // Each client walks the groups from its own start: first deliveries race.
    let (got, wall) = storm(
        port,
        clients,
        each,
        std::sync::Arc::new(move |c, n| payload((c + n) % groups_n)),
    );
    let refused: Vec<u16> = got
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !(200..300).contains(c))
        .collect();
    assert!(
        refused.is_empty(),
        "every valid page gets a 2xx: {refused:?}"
    );
    let incidents = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".jsonl"))
        .count();
    assert_eq!(incidents, groups_n, "one incident per alert group");
    let mut lat: Vec<Duration> = got.iter().map(|(_, d)| *d).collect();
    lat.sort();
    let (p50, p99) = (quantile(&lat, 0.5), quantile(&lat, 0.99));
    println!(
        "page storm: {} webhooks from {clients} clients for {groups_n} alert groups in {:.2} s = {:.0}/s, all 2xx, {incidents} incidents; median {:.2} ms, p99 {:.2} ms (budget 1000 ms) vs a refused body's median {:.2} ms, p99 {:.2} ms: {:.2}x",
        lat.len(),
        wall.as_secs_f64(),
        lat.len() as f64 / wall.as_secs_f64(),
        ms(p50),
        ms(p99),
        ms(quantile(&base, 0.5)),
        ms(quantile(&base, 0.99)),
        ms(p50) / ms(quantile(&base, 0.5)),
    );
    assert!(
        p99 < Duration::from_secs(1),
        "p99 {p99:?} over the 1 s budget"
    );
}
