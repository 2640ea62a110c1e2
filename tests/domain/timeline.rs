//! Looking back: the state a timeline gives at entry #N is exactly the
//! replay of the records up to the one that wrote it, across the copies it
//! keeps and through corrections and retractions made later.

use chrono::{DateTime, Duration, TimeZone, Utc};
use incident::model::when::When;
use incident::model::{Actor, Incident, LogKind, Severity, SystemStatus};
use incident::ops::{self, Op, Record};
use incident::store::timeline::{SNAPSHOT_EVERY, Timeline};
use std::io::Write;
use std::path::{Path, PathBuf};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap()
}

/// A mixed history of `n` records after the declaration: notes, systems
/// changing, a role, corrections and retractions of entries long before
/// (some corrected twice, across the timeline's copies).
fn history(n: usize) -> Vec<Record> {
    let rec = |i: usize, by: &str, op: Op| Record {
        at: t0() + Duration::seconds(i as i64),
        by: Actor::named(by),
        op,
    };
    let mut out = vec![rec(
        0,
        "alice",
        Op::Declare {
            title: "Checkout errors".into(),
            severity: Severity::Sev2,
            roles: vec![],
        },
    )];
    for i in 1..=n {
        let op = match i % 97 {
            5 => Op::ClaimRole {
                role: incident::model::Role::Commander,
            },
            11 => Op::SetSystem {
                name: format!("svc-{}", i % 7),
                status: if i % 2 == 0 {
                    SystemStatus::Failing
                } else {
                    SystemStatus::Ok
                },
                evidence: None,
                owner: None,
                note: None,
            },
            // Two entries from one record: the status, and the break it calls.
            60 => Op::set_status(incident::model::Status::Mitigated),
            61 => Op::set_status(incident::model::Status::Investigating),
            // Entry #2 is alice's first note: corrected again and again.
            23 => Op::Correct {
                entry: 2,
                text: format!("corrected at record {i}"),
            },
            41 => Op::Retract {
                entry: (i as u64) / 3,
                reason: format!("retracted at record {i}"),
            },
            _ => Op::Log {
                kind: LogKind::Note,
                text: format!("note {i}"),
            },
        };
        out.push(rec(i, "alice", op));
    }
    out
}

fn write(dir: &Path, records: &[Record]) -> PathBuf {
    let path = dir.join("INC-1.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        f,
        r#"{{"schema":1,"id":"INC-1","created_at":"2026-11-26T03:00:00Z","created_by":{{"user":"alice"}}}}"#
    )
    .unwrap();
    for r in records {
        serde_json::to_writer(&mut f, r).unwrap();
        f.write_all(b"\n").unwrap();
    }
    f.flush().unwrap();
    path
}

/// The plain fold of the first `upto + 1` records.
fn replay(records: &[Record], upto: usize) -> Incident {
    let mut inc = ops::replay_genesis("INC-1", &records[0]).unwrap();
    for r in &records[1..=upto] {
        ops::replay(&mut inc, r);
    }
    inc
}

#[test]
fn the_state_at_an_entry_is_the_replay_of_the_records_up_to_it() {
    let tmp = tempfile::tempdir().unwrap();
    let records = history(SNAPSHOT_EVERY * 2 + 300);
    let path = write(tmp.path(), &records);
    let tl = Timeline::open(&path).unwrap();
    let newest = tl.entries();
    assert!(newest > 2 * SNAPSHOT_EVERY as u64, "{newest}");
    // Around the copies, the first and last entries, and a spread between.
    let mut probes: Vec<u64> = vec![1, 2, 3, newest - 1, newest];
    for c in [SNAPSHOT_EVERY as u64, 2 * SNAPSHOT_EVERY as u64] {
        probes.extend(c - 2..c + 3);
    }
    probes.extend((1..newest).step_by(37));
    for n in probes {
        let p = tl.find(When::Entry(n)).unwrap();
        let expected = replay(&records, p.record);
        let before = match p.record {
            0 => 0,
            r => replay(&records, r - 1).log.len(),
        };
        assert!(
            before < n as usize && expected.log.len() >= n as usize,
            "record {} wrote #{n}",
            p.record
        );
        let got = tl.state_at(p.record).unwrap();
        assert!(got == expected, "state at #{n} (record {})", p.record);
        assert_eq!(p.entry, expected.log.len() as u64);
        assert_eq!(p.at, records[p.record].at);
    }
    // The correction in force then, not the latest one.
    let early = tl
        .state_at(tl.find(When::Entry(200)).unwrap().record)
        .unwrap();
    let latest = tl.latest();
    assert_ne!(
        early.log[1].corrected, latest.log[1].corrected,
        "entry #2 was corrected again later"
    );
}

#[test]
fn steps_go_one_entry_at_a_time_and_forward_past_the_newest_is_now() {
    let tmp = tempfile::tempdir().unwrap();
    let records = history(50);
    let path = write(tmp.path(), &records);
    let tl = Timeline::open(&path).unwrap();
    let newest = tl.entries();
    let back = tl.back(None).unwrap();
    assert_eq!(back.entry, newest - 1);
    let again = tl.back(Some(&back)).unwrap();
    assert_eq!(again.entry, newest - 2);
    assert_eq!(tl.forward(&again), Some(back));
    assert_eq!(tl.forward(&back), None, "the newest entry is now");
    let first = tl.find(When::Entry(1)).unwrap();
    assert_eq!(first.record, 0);
    let e = tl.back(Some(&first)).unwrap_err();
    assert!(e.contains("first entry"), "{e}");
    let e = tl.find(When::Entry(newest + 1)).unwrap_err();
    assert!(e.contains(&format!("the log has {newest}")), "{e}");
}

#[test]
fn a_time_shows_everything_written_by_then() {
    let tmp = tempfile::tempdir().unwrap();
    let records = history(50);
    let path = write(tmp.path(), &records);
    let tl = Timeline::open(&path).unwrap();
    let at = t0() + Duration::seconds(20) + Duration::milliseconds(500);
    let p = tl.find(When::Time(at)).unwrap();
    assert_eq!(p.record, 20);
    assert_eq!(p.at, at, "the moment asked for is the one shown");
    assert!(tl.state_at(p.record).unwrap() == replay(&records, 20));
    let e = tl
        .find(When::Time(t0() - Duration::minutes(5)))
        .unwrap_err();
    assert!(
        e.contains("before the incident was declared (2026-11-26 03:00:00 UTC)"),
        "{e}"
    );
}

#[test]
fn what_others_append_while_looking_back_is_taken_in() {
    let tmp = tempfile::tempdir().unwrap();
    let mut records = history(10);
    let path = write(tmp.path(), &records);
    let mut tl = Timeline::open(&path).unwrap();
    let before = tl.entries();
    let more = Record {
        at: t0() + Duration::minutes(5),
        by: Actor::named("bob"),
        op: Op::Log {
            kind: LogKind::Note,
            text: "arrived later".into(),
        },
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    writeln!(f, "{}", serde_json::to_string(&more).unwrap()).unwrap();
    records.push(more);
    tl.refresh().unwrap();
    assert_eq!(tl.entries(), before + 1);
    let p = tl.find(When::Entry(before + 1)).unwrap();
    assert!(tl.state_at(p.record).unwrap() == replay(&records, records.len() - 1));
}

#[test]
fn stepping_all_the_way_back_and_forward_visits_every_state_once() {
    let tmp = tempfile::tempdir().unwrap();
    // Records 60 and 61 change the status: two entries each.
    let records = history(120);
    let path = write(tmp.path(), &records);
    let tl = Timeline::open(&path).unwrap();
    let mut lengths: Vec<u64> = Vec::new();
    let mut inc = ops::replay_genesis("INC-1", &records[0]).unwrap();
    lengths.push(1);
    for r in &records[1..] {
        ops::replay(&mut inc, r);
        lengths.push(inc.log.len() as u64);
    }
    lengths.retain(|&n| n < tl.entries());
    lengths.dedup();
    assert!(
        tl.entries() > records.len() as u64,
        "some record wrote two entries"
    );

    let mut back = Vec::new();
    let mut p = tl.back(None).unwrap();
    back.push(p.entry);
    while let Ok(older) = tl.back(Some(&p)) {
        p = older;
        back.push(p.entry);
    }
    back.reverse();
    assert_eq!(back, lengths, "every state once, never stuck");
    let mut forward = vec![p.entry];
    while let Some(newer) = tl.forward(&p) {
        p = newer;
        forward.push(p.entry);
    }
    assert_eq!(forward, lengths);
}
