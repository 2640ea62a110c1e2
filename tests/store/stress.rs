//! The heavy variants, run by hand (they take minutes):
//!
//! ```sh
//! cargo test --release --test store stress -- --ignored --nocapture
//! ```
//!
//! 32 writer processes × 250 mixed operations on one incident while 4
//! headless watchers follow it and a reader loads it in a loop: every
//! acknowledged operation is present exactly once, each writer's order is
//! kept, the reader never sees an invalid file, and every watcher converges
//! on the final revision.

use crate::common::*;
use incident::store::watch::{self, WatchMode};
use incident::store::{IncidentFile, Store};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

const WRITERS: usize = 32;
const OPS: usize = 250;

/// The i-th operation of writer w: mostly log lines, with assumptions,
/// system changes and mitigations mixed in.
fn op_args(w: usize, i: usize) -> Vec<String> {
    let tag = format!("w{w} {i}");
    match i % 10 {
        3 => vec!["assume".into(), tag],
        6 => vec!["mitigation".into(), "add".into(), tag],
        8 => vec![
            "system".into(),
            "set".into(),
            format!("svc-{w}"),
            if i % 20 == 8 { "failing" } else { "ok" }.into(),
            "--evidence".into(),
            tag,
        ],
        _ => vec!["log".into(), tag],
    }
}

#[test]
#[ignore = "minutes of work: run by hand (see the module docs)"]
fn thirty_two_writers_four_watchers_and_a_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let id = declare(&dir, "Stress");
    let store = Store::new(&dir);
    let started = Instant::now();
    let done = Arc::new(AtomicBool::new(false));

    // Watchers: follow the file the way the live view does.
    let watchers: Vec<_> = (0..4)
        .map(|_| {
            let (store, done, id) = (store.clone(), done.clone(), id.clone());
            std::thread::spawn(move || {
                let (tx, rx) = mpsc::channel();
                let _w = watch::watch_dir(store.dir(), WatchMode::Events, move |c| {
                    let _ = tx.send(c);
                })
                .unwrap();
                let mut file: IncidentFile = store.open(&id).unwrap();
                while !done.load(Ordering::Relaxed) {
                    if rx.recv_timeout(Duration::from_millis(200)).is_ok() {
                        while rx.try_recv().is_ok() {}
                        file.refresh()
                            .expect("a watcher never sees an invalid file");
                    }
                }
                // Whatever arrives after the last event.
                file.refresh().unwrap();
                file.incident().revision
            })
        })
        .collect();

    let reader = {
        let (dir, done) = (dir.clone(), done.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(Ordering::Relaxed) {
                let o = run(&dir, &["show", "--json", "-i", "INC-1"]);
                assert!(
                    o.status.success(),
                    "the reader saw an invalid file: {}",
                    stderr(&o)
                );
                reads += 1;
            }
            reads
        })
    };

    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for i in 0..OPS {
                    let args = op_args(w, i);
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let o = run(&dir, &[&args[..], &["-i", "INC-1"]].concat());
                    assert!(o.status.success(), "{}", describe(&args, &o));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    done.store(true, Ordering::Relaxed);
    let reads = reader.join().unwrap();
    let final_rev = store.open(&id).unwrap().incident().revision;
    for w in watchers {
        assert_eq!(w.join().unwrap(), final_rev, "every watcher converges");
    }

    // Every operation exactly once, in each writer's order.
    let inc = store.open(&id).unwrap().incident().clone();
    let mut seen = BTreeSet::new();
    let mut next: HashMap<usize, usize> = HashMap::new();
    for e in &inc.log {
        let Some(tag) = e
            .text
            .split_whitespace()
            .map(|t| t.trim_start_matches('('))
            .find(|t| t.starts_with('w'))
            .and_then(|t| t[1..].parse::<usize>().ok())
        else {
            continue;
        };
        let Some(i) = e.text.split(&format!("w{tag} ")).nth(1).and_then(|r| {
            r.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<usize>()
                .ok()
        }) else {
            continue;
        };
        assert!(seen.insert((tag, i)), "{:?} twice", e.text);
        let want = next.entry(tag).or_insert(0);
        assert_eq!(i, *want, "writer {tag} out of order at {:?}", e.text);
        *want += 1;
    }
    assert_eq!(seen.len(), WRITERS * OPS);
    eprintln!(
        "{} operations by {WRITERS} processes, {reads} full reads, 4 watchers at revision {final_rev}, in {:.1?}",
        WRITERS * OPS,
        started.elapsed()
    );
}
