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

use std::time::{Duration, Instant};

#[path = "support/listener.rs"]
mod listener;
use listener::{listen, ms, payload, post};

/// `clients` threads, each posting `each` bodies; every (status, latency).
type Body = std::sync::Arc<dyn Fn(usize, usize) -> Vec<u8> + Send + Sync>;

fn storm(port: u16, clients: usize, each: usize, body: Body) -> (Vec<(u16, Duration)>, Duration) {
    let t = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let body = body.clone();
            std::thread::spawn(move || {
                (0..each)
                    .map(|n| post(port, "/alertmanager", &body(c, n)))
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

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let (clients, each, groups_n) = if measuring { (8, 50, 20) } else { (3, 4, 3) };
    let tmp = tempfile::tempdir().unwrap();

    // The baseline: the same clients, a body refused at once.
    let (_l, port) = listen(&tmp.path().join("baseline"), &[], &[]);
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
    let (_l, port) = listen(&dir, &[], &[]);
    // Each client walks the groups from its own start: first deliveries race.
    let (got, wall) = storm(
        port,
        clients,
        each,
        std::sync::Arc::new(move |c, n| payload("Storm", (c + n) % groups_n)),
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
