//! Many processes appending to, reading and declaring incidents at once.

use crate::common::*;
use incident::model::{Actor, LogKind, Role, Severity};
use incident::ops::{Op, Refusal};
use incident::store::{Store, StoreError};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Instant;

const WRITERS: usize = 16;
const APPENDS: usize = 200;

#[test]
fn sixteen_writers_lose_and_reorder_nothing_while_a_reader_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let id = declare(&dir, "Concurrent writers");
    assert_eq!(id, "INC-1");
    let started = Instant::now();

    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let dir = dir.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            let mut reads = 0usize;
            let mut last_len = 0usize;
            while !done.load(Ordering::Relaxed) {
                let shown = show_json(&dir, "INC-1");
                let len = log_of(&shown).len();
                assert!(
                    len >= last_len,
                    "the log went backwards: {last_len} entries, then {len}"
                );
                last_len = len;
                reads += 1;
                // Leave most of the two CPUs to the writers.
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            reads
        })
    };

    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for n in 0..APPENDS {
                    let text = format!("w{w} {n}");
                    ok(&dir, &["log", "-i", "INC-1", &text]);
                }
            })
        })
        .collect();
    for w in writers {
        if let Err(panic) = w.join() {
            done.store(true, Ordering::Relaxed);
            std::panic::resume_unwind(panic);
        }
    }
    done.store(true, Ordering::Relaxed);
    let reads = reader
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let elapsed = started.elapsed();
    eprintln!(
        "{} appends by {WRITERS} processes at once, {reads} concurrent reads: {elapsed:.1?}",
        WRITERS * APPENDS
    );
    assert!(reads > 0, "the reader never ran");

    let shown = show_json(&dir, "INC-1");
    let log = log_of(&shown);
    assert_eq!(
        log.len(),
        1 + WRITERS * APPENDS,
        "declaration + every append"
    );
    // Sequence numbers are 1, 2, 3, ... with no gap or repeat.
    for (i, e) in log.iter().enumerate() {
        assert_eq!(e["seq"].as_u64(), Some(i as u64 + 1), "entry {e}");
    }
    // Each append present exactly once, and each writer's own order kept.
    let mut next: HashMap<usize, usize> = HashMap::new();
    let mut seen = BTreeSet::new();
    for e in &log[1..] {
        assert_eq!(e["kind"], "note", "{e}");
        let text = e["text"].as_str().unwrap();
        let (w, n) = text
            .strip_prefix('w')
            .and_then(|t| t.split_once(' '))
            .map(|(w, n)| (w.parse::<usize>().unwrap(), n.parse::<usize>().unwrap()))
            .unwrap_or_else(|| panic!("unexpected entry {text:?}"));
        assert!(seen.insert((w, n)), "{text:?} appears twice");
        let expected = next.entry(w).or_insert(0);
        assert_eq!(
            n, *expected,
            "writer {w}'s entries out of order at {text:?}"
        );
        *expected += 1;
    }
    assert_eq!(seen.len(), WRITERS * APPENDS);
    // And the file itself is whole: header, declaration, the document
    // template, one line per append.
    let lines = assert_all_lines_json(&file_of(&dir, "INC-1"));
    assert_eq!(
        lines.iter().filter(|l| l["op"] == "log").count(),
        WRITERS * APPENDS
    );
    assert_eq!(lines.len(), 3 + WRITERS * APPENDS);
}

#[test]
fn concurrent_declares_get_distinct_ids_and_all_load() {
    const N: usize = 8;
    let tmp = tempfile::tempdir().unwrap();
    // Not created yet: the declarers also race to create the directory.
    let dir = tmp.path().join("incidents");
    let barrier = Arc::new(Barrier::new(N));
    let declarers: Vec<_> = (0..N)
        .map(|i| {
            let dir = dir.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let title = format!("Outage {i}");
                let mut c = cmd(&dir);
                c.args(["declare", "--title", &title, "--no-open"]);
                barrier.wait();
                let o = c.output().unwrap();
                assert!(
                    o.status.success(),
                    "{}",
                    describe(&["declare", "--title", &title], &o)
                );
                (title, stdout(&o).trim().to_string())
            })
        })
        .collect();
    let declared: Vec<(String, String)> =
        declarers.into_iter().map(|t| t.join().unwrap()).collect();

    let ids: BTreeSet<&str> = declared.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids.len(), N, "ids handed out twice: {declared:?}");
    let expected: BTreeSet<String> = (1..=N).map(|n| format!("INC-{n}")).collect();
    assert_eq!(
        ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
        expected
    );
    for (title, id) in &declared {
        let shown = show_json(&dir, id);
        assert_eq!(shown["id"], id.as_str());
        assert_eq!(shown["title"], title.as_str(), "{id} has another's title");
        assert_all_lines_json(&file_of(&dir, id));
    }
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&dir, &["list", "--all", "--json"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), N, "{listed}");
    // No temporary files left behind in the shared directory.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    // The directory index is its own folder; nothing half-written in it.
    names.retain(|n| n != ".index");
    assert_eq!(names.len(), N, "stray files: {names:?}");
    let index: Vec<String> = std::fs::read_dir(dir.join(".index"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "hot.json" && n != "lock")
        .collect();
    assert!(index.is_empty(), "stray files in the index: {index:?}");
    let hot: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(".index/hot.json")).unwrap()).unwrap();
    assert_eq!(hot["max"], N, "{hot}");
    assert_eq!(hot["hot"].as_array().unwrap().len(), N, "{hot}");
}

#[test]
fn a_stale_view_is_judged_against_the_freshest_state() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    let bob = Actor::named("bob");
    store
        .declare(&alice, "Stale views", Severity::Sev2)
        .unwrap();
    let mut first = store.open("INC-1").unwrap();
    let mut second = store.open("INC-1").unwrap();
    let make_alice_commander = Op::SetRole {
        role: Role::Commander,
        user: Some("alice".into()),
    };

    first.commit(&alice, make_alice_commander.clone()).unwrap();
    assert_eq!(
        second.incident().commander(),
        None,
        "second's view is stale"
    );
    let err = second.commit(&bob, make_alice_commander).unwrap_err();
    assert!(
        matches!(err, StoreError::Refused(Refusal::Unchanged { .. })),
        "expected an Unchanged refusal, got {err:?}"
    );
    assert!(err.to_string().contains("alice"), "{err}");
    assert_eq!(err.exit_code(), 1);
    // The refusal left no trace, and the second view has caught up.
    assert_eq!(second.incident().commander(), Some("alice"));
    let reloaded = store.open("INC-1").unwrap();
    let role_changes = reloaded
        .incident()
        .log
        .iter()
        .filter(|e| e.kind == LogKind::RoleChange)
        .count();
    assert_eq!(role_changes, 1, "{:#?}", reloaded.incident().log);

    // Two people claiming the same role a moment apart: one wins, the
    // other is told who has it, even from a view that never saw the claim.
    let mut stale = store.open("INC-1").unwrap();
    first
        .commit(
            &alice,
            Op::ClaimRole {
                role: Role::Communications,
            },
        )
        .unwrap();
    let err = stale
        .commit(
            &bob,
            Op::ClaimRole {
                role: Role::Communications,
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Refused(Refusal::RoleHeld { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("held by alice"), "{err}");

    // A change that is new against the fresh state goes through from the
    // stale side too, and keeps what the other side did.
    let mut stale = store.open("INC-1").unwrap();
    first
        .commit(
            &alice,
            Op::SetSeverity {
                severity: Severity::Sev1,
            },
        )
        .unwrap();
    stale
        .commit(&bob, Op::ClaimRole { role: Role::Scribe })
        .unwrap();
    let inc = store.open("INC-1").unwrap();
    let inc = inc.incident();
    assert_eq!(inc.holder(Role::Scribe), Some("bob"));
    assert_eq!(
        inc.severity,
        Severity::Sev1,
        "the stale side kept the other's change"
    );
    assert_eq!(inc.log.last().unwrap().text, "bob claimed scribe");
}
