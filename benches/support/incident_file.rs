//! What the open benchmarks share: an incident file of many entries
//! written directly, and the baseline they are measured against (read
//! the file and parse every line into owned values, nothing more).

use chrono::{Duration, TimeZone, Utc};
use incident::model::{Actor, LogKind, Severity, SystemStatus};
use incident::ops::{Op, Record};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// The baseline program: read the file, parse each line into owned values.
pub fn parse_only(path: &Path) {
    let file = std::fs::File::open(path).expect("open");
    let mut lines = BufReader::new(file).lines();
    let header: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let records: Vec<Record> = lines
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    std::hint::black_box((header, records));
}

/// Write an incident file directly: header, declare, `entries` log lines,
/// `systems` systems each depending on the next two.
pub fn write_incident(dir: &Path, id: &str, entries: usize, systems: usize) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
    let path = dir.join(format!("{id}.jsonl"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        out,
        r#"{{"schema":1,"id":"{id}","created_at":"2026-11-26T14:00:00Z","created_by":{{"user":"bob"}}}}"#
    )
    .unwrap();
    let mut line = |i: i64, op: Op| {
        let rec = Record {
            at: t0 + Duration::milliseconds(i),
            by: Actor::named("bob"),
            op,
        };
        serde_json::to_writer(&mut out, &rec).unwrap();
        out.write_all(b"\n").unwrap();
    };
    line(
        0,
        Op::Declare {
            title: "Checkout errors".into(),
            severity: Severity::Sev2,
            roles: vec![],
        },
    );
    for i in 0..systems {
        let name = format!("svc-{i:04}");
        let status = if i % 50 == 0 {
            SystemStatus::Failing
        } else {
            SystemStatus::Ok
        };
        line(
            1,
            Op::SetSystem {
                name: name.clone(),
                status,
                evidence: None,
                owner: None,
                note: None,
            },
        );
        for d in 1..=2 {
            if i + d < systems {
                line(
                    1,
                    Op::Depend {
                        system: name.clone(),
                        on: format!("svc-{:04}", i + d),
                    },
                );
            }
        }
    }
    for i in 0..entries {
        let text = format!(
            "entry {i}: payments p99 {}ms, pool {}/500, rolling back the canary",
            i % 900,
            i % 500
        );
        line(
            i as i64 + 2,
            Op::Log {
                kind: LogKind::Note,
                text,
            },
        );
    }
    out.flush().unwrap();
    path
}
